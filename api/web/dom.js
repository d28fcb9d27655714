// DOM helpers. Everything that comes from data goes in as text nodes or
// attribute values, never as markup: h() builds elements, and there is no
// innerHTML anywhere in the client.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'value') {
      el.value = value;
    } else if (key === 'checked' || key === 'selected' || key === 'disabled') {
      el[key] = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let fieldCounter = 0;

// A labelled form field with a slot for its error beside it. `name` is the
// API's field name, so problem+json errors land beside the right field.
export function field(label, name, opts = {}) {
  const id = `f-${name.replace(/[^a-z0-9]/gi, '-')}-${++fieldCounter}`;
  const errorId = `${id}-fel`;
  const hintId = opts.hint ? `${id}-hjalp` : null;
  let control;
  const common = {
    id, name,
    required: opts.required || undefined,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
    autocomplete: opts.autocomplete,
  };
  if (opts.type === 'select') {
    control = h('select', common,
      (opts.options || []).map(([value, text]) =>
        h('option', { value, selected: String(value) === String(opts.value ?? '') }, text)));
  } else if (opts.type === 'textarea') {
    control = h('textarea', { ...common, rows: opts.rows || 4 });
    control.value = opts.value ?? '';
  } else {
    control = h('input', {
      ...common, type: opts.type || 'text', value: opts.value ?? '',
      inputmode: opts.inputmode, accept: opts.accept, multiple: opts.multiple,
    });
  }
  const wrap = h('div', { class: 'falt' },
    h('label', { for: id }, label, opts.required ? h('span', { class: 'krav' }, ' (måste fyllas i)') : null),
    hintId ? h('p', { class: 'hjalp', id: hintId }, opts.hint) : null,
    control,
    h('p', { class: 'felmeddelande', id: errorId, hidden: true }));
  wrap.dataset.field = name;
  return wrap;
}

// Clears the errors a form shows.
export function clearErrors(form) {
  for (const p of form.querySelectorAll('.felmeddelande')) { p.textContent = ''; p.hidden = true; }
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  const summary = form.querySelector('.felsammanfattning');
  if (summary) { clear(summary); summary.hidden = true; }
}

// Shows an API error in a form: each {field, message} beside its field (the
// field whose name is the error's, or its prefix: "senders[0].name" lands on
// "senders"), the rest in the form's summary. Focus goes to the first field
// at fault, or the summary.
export function showErrors(form, err, aliases = {}) {
  clearErrors(form);
  const leftover = [];
  let first = null;
  for (const fe of err.fields || []) {
    const name = aliases[fe.field] || fe.field;
    const wrap = [...form.querySelectorAll('[data-field]')].find((w) =>
      w.dataset.field === name || name.startsWith(`${w.dataset.field}[`) || name.startsWith(`${w.dataset.field}.`));
    if (!wrap) { leftover.push(`${fe.field}: ${fe.message}`); continue; }
    const p = wrap.querySelector('.felmeddelande');
    p.textContent = p.textContent ? `${p.textContent} ${fe.message}` : fe.message;
    p.hidden = false;
    const control = wrap.querySelector('input, select, textarea');
    if (control) { control.setAttribute('aria-invalid', 'true'); first = first || control; }
  }
  let summary = form.querySelector('.felsammanfattning');
  if (!summary) {
    summary = h('div', { class: 'felsammanfattning', role: 'alert', tabindex: '-1', hidden: true });
    form.prepend(summary);
  }
  const lines = [err.message, ...leftover].filter(Boolean);
  if (lines.length) {
    summary.hidden = false;
    summary.append(h('p', {}, lines[0]), leftover.length ? h('ul', {}, leftover.map((l) => h('li', {}, l))) : null);
  }
  (first || summary).focus();
}

export function formValues(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) {
    if (typeof v === 'string') out[k] = v.trim();
  }
  return out;
}

const statusEl = () => document.getElementById('status');

// Status messages for everyone: a polite live region that screen readers read.
export function announce(message) {
  const el = statusEl();
  if (!el) return;
  el.textContent = '';
  clearTimeout(announce.timer);
  // A new text node after a tick, so the same message twice is read twice;
  // cleared after a while so the box does not cover the page.
  setTimeout(() => { el.textContent = message; }, 30);
  announce.timer = setTimeout(() => { el.textContent = ''; }, 8000);
}

const dateFmt = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'long' });
const timeFmt = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Stockholm' });

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(`${iso}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}
export function formatInstant(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeFmt.format(d);
}
export function formatBytes(n) {
  if (n == null) return '';
  if (n < 1024) return `${n} byte`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1).replace('.', ',')} kB`;
  return `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

// A table with a caption: headers is [text], rows is [[cell]] (cells are
// strings or nodes).
export function table(caption, headers, rows) {
  return h('div', { class: 'tabellram' },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
}

export function link(href, text, attrs = {}) { return h('a', { href, ...attrs }, text); }
