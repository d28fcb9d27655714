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

// Appends children, skipping null, undefined and false (Element.append would
// write them as the words "null" and "undefined").
export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let fieldCounter = 0;
export function uniqueId(prefix) { return `${prefix}-${++fieldCounter}`; }

// A labelled form field with a slot for its error beside it. `name` is the
// API's field name, so problem+json errors land beside the right field.
// opts: type (text, select, textarea, date, ...), options [[value, text]]
// for selects (a value of '' with opts.placeholder first), value, hint,
// required, autocomplete, inputmode, accept, multiple, readonly, rows.
export function field(label, name, opts = {}) {
  const id = uniqueId(`f-${name.replace(/[^a-z0-9]/gi, '-')}`);
  const errorId = `${id}-fel`;
  const hintId = opts.hint ? `${id}-hjalp` : null;
  let control;
  const common = {
    id, name,
    required: opts.required || undefined,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
    autocomplete: opts.autocomplete,
    readonly: opts.readonly || undefined,
    disabled: opts.disabled || undefined,
  };
  if (opts.type === 'select') {
    control = h('select', common,
      opts.placeholder !== undefined ? h('option', { value: '' }, opts.placeholder) : null,
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
    h('p', { class: 'felmeddelande', id: errorId, hidden: true }),
    control);
  wrap.dataset.field = name;
  wrap.dataset.label = label;
  return wrap;
}

// A group of checkboxes (or radio buttons with opts.radio) in a fieldset:
// options [[value, text, hint?]], checked values in opts.values. Errors for
// `name` land beside the group.
export function choices(legend, name, options, opts = {}) {
  const id = uniqueId(`g-${name.replace(/[^a-z0-9]/gi, '-')}`);
  const errorId = `${id}-fel`;
  const hintId = opts.hint ? `${id}-hjalp` : null;
  const values = new Set((opts.values || []).map(String));
  const fs = h('fieldset', { class: `val${opts.inline ? ' val-rad' : ''}`, id, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined },
    h('legend', {}, legend, opts.required ? h('span', { class: 'krav' }, ' (måste fyllas i)') : null),
    hintId ? h('p', { class: 'hjalp', id: hintId }, opts.hint) : null,
    h('p', { class: 'felmeddelande', id: errorId, hidden: true }),
    options.map(([value, text, hint]) => {
      const cid = uniqueId(`${id}-v`);
      const hid = hint ? `${cid}-hjalp` : undefined;
      return h('div', { class: 'valrad' },
        h('input', { type: opts.radio ? 'radio' : 'checkbox', id: cid, name, value, checked: values.has(String(value)), 'aria-describedby': hid }),
        h('label', { for: cid }, text),
        hint ? h('span', { class: 'hjalp', id: hid }, ` ${hint}`) : null);
    }));
  fs.dataset.field = name;
  fs.dataset.label = legend;
  return fs;
}

// The values of the checked boxes named `name` in `scope`.
export function checkedValues(scope, name) {
  return [...scope.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

// Clears the errors a form shows.
export function clearErrors(form) {
  for (const p of form.querySelectorAll('.felmeddelande')) { p.textContent = ''; p.hidden = true; }
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  const summary = form.querySelector('.felsammanfattning');
  if (summary) { clear(summary); summary.hidden = true; }
}

// Texts the service uses for "this is wrong" as a whole, which say nothing a
// person can act on: the summary says what to do instead.
const generic = [
  /^uppgifterna är inte giltiga$/i, /^ogiltig/i, /^begäran är ofullständig$/i,
  /^ange vad som ska ändras$/i, /^inloggningen är ofullständig$/i,
];

// A message from the service as a Swedish reader expects it: a sentence with
// a capital letter and a full stop, "saknas" for an empty required field.
export function friendly(message, label) {
  let m = String(message ?? '').trim();
  if (!m) return '';
  if (/^(fältet krävs|får inte vara tomt|måste anges|krävs)$/i.test(m)) {
    return label ? `${label} saknas.` : 'Fältet måste fyllas i.';
  }
  m = m.charAt(0).toUpperCase() + m.slice(1);
  return /[.!?]$/.test(m) ? m : `${m}.`;
}

function labelOf(wrap) {
  return (wrap?.dataset.label || '').replace(/\s*\(.*\)\s*$/, '');
}

// The part of a field name after the field itself: "senders[1].name" on the
// field "senders" is the second row's name.
function subPart(name, base) {
  const m = /^\[(\d+)\](?:\.(.*))?$/.exec(name.slice(base.length));
  return m ? `rad ${Number(m[1]) + 1}` : '';
}

// Shows an error in a form: each {field, message} beside its field (the
// field whose name is the error's, or its prefix: "senders[0].name" lands on
// "senders"), and a summary at the top that lists every problem, each a link
// to its field. Focus goes to the summary, so a screen reader reads it and a
// sighted user sees it. err: an ApiError, or {message, fields}.
export function showErrors(form, err, aliases = {}) {
  clearErrors(form);
  const items = [];
  const wraps = [...form.querySelectorAll('[data-field]')];
  for (const fe of err.fields || []) {
    const name = aliases[fe.field] || fe.field;
    const wrap = wraps.find((w) =>
      w.dataset.field === name || name.startsWith(`${w.dataset.field}[`) || name.startsWith(`${w.dataset.field}.`));
    if (!wrap) {
      items.push({ text: friendly(fe.message) });
      continue;
    }
    const label = labelOf(wrap);
    const part = subPart(name, wrap.dataset.field);
    const text = friendly(fe.message, label);
    const beside = part ? `${part.charAt(0).toUpperCase()}${part.slice(1)}: ${text}` : text;
    const p = wrap.querySelector('.felmeddelande');
    p.textContent = p.textContent ? `${p.textContent} ${beside}` : beside;
    p.hidden = false;
    const control = wrap.matches('fieldset') ? wrap.querySelector('input') : wrap.querySelector('input, select, textarea');
    if (control && !wrap.matches('fieldset')) control.setAttribute('aria-invalid', 'true');
    const target = control || wrap;
    items.push({ text: text.startsWith(label) || !label ? (part ? `${label}, ${part}: ${text}` : text) : `${label}${part ? `, ${part}` : ''}: ${text}`, target });
  }
  let summary = form.querySelector('.felsammanfattning');
  if (!summary) {
    summary = h('div', { class: 'felsammanfattning', role: 'alert', tabindex: '-1', hidden: true });
    form.prepend(summary);
  }
  const message = err.message && !generic.some((re) => re.test(err.message)) ? friendly(err.message) : '';
  const lead = items.some((i) => i.target)
    ? (items.length === 1 ? 'Rätta uppgiften nedan.' : `Rätta de ${items.length} uppgifterna nedan.`)
    : '';
  const lines = [message, lead].filter(Boolean);
  if (!lines.length && !items.length) lines.push('Något gick fel. Försök igen.');
  summary.hidden = false;
  append(summary,
    h('p', { class: 'felrubrik' }, lines.join(' ')),
    items.length ? h('ul', {}, items.map((i) => h('li', {}, i.target
      ? h('a', {
        href: `#${i.target.id}`,
        onclick: (e) => { e.preventDefault(); i.target.focus(); i.target.scrollIntoView({ block: 'center' }); },
      }, i.text)
      : i.text))) : null);
  summary.focus();
}

export function formValues(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) {
    if (typeof v === 'string' && !(k in out)) out[k] = v.trim();
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
  // cleared after a while.
  setTimeout(() => { el.textContent = message; }, 30);
  announce.timer = setTimeout(() => { el.textContent = ''; }, 10000);
}

// A modal question with a native <dialog> (focus stays inside, Escape
// cancels). Resolves true when the person confirms. opts: confirm (the
// button's text), danger (the button is styled as destructive).
export function confirmDialog(title, text, opts = {}) {
  return new Promise((resolve) => {
    const headingId = uniqueId('dialog-rubrik');
    const textId = uniqueId('dialog-text');
    const yes = h('button', { type: 'button', class: opts.danger ? 'fara' : '' }, opts.confirm || 'Ja');
    const no = h('button', { type: 'button', class: 'sekundar' }, opts.cancel || 'Avbryt');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': headingId, 'aria-describedby': textId },
      h('h2', { id: headingId }, title),
      h('p', { id: textId }, text),
      h('div', { class: 'knappar' }, yes, no));
    const done = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
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
