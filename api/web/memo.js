// The memo editor: sections, paragraphs, lists, footnotes and signatories,
// written as the memo XML of templates/memo.rng, with a live preview that the
// service renders by the real template (POST .../memo/preview) and a PDF of
// the same. And the comparison of two saved versions (the diff route).
import { get, api, download, currentUser } from './api.js';
import { h, clear, field, showErrors, clearErrors, announce, formatBytes } from './dom.js';
import { progress, serviceToday } from './common.js';

const kinds = [
  ['proposal', 'Förslag till beslut'],
  ['summary', 'Sammanfattning av ärendet'],
  ['background', 'Bakgrund'],
  ['proposals-in-initiative', 'Förslagen i initiativet'],
  ['investigation', 'Enhetens utredning och bedömning'],
  ['economy', 'Ekonomiska konsekvenser'],
  ['child-impact', 'Konsekvenser för barn'],
  ['documents', 'Handlingar i ärendet'],
  ['other', 'Annat avsnitt (egen rubrik)'],
];

// ---- The text form of a section's body ------------------------------------
// Blocks are separated by a blank line. A block whose lines all start with
// "- " is a bulleted list, "1. " a numbered list; anything else a paragraph.
// Inline: *betonad text*, [fotnot: text] and [handling 2].

const INLINE = /\[fotnot:\s*((?:[^[\]]|\[handling \d+\])*)\]|\[handling (\d+)\]|\*([^*\n]+)\*/g;

function appendInline(doc, parent, text, allowFootnotes = true) {
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) parent.append(doc.createTextNode(text.slice(last, m.index)));
    if (m[1] !== undefined && allowFootnotes) {
      const fn = doc.createElement('footnote');
      appendInline(doc, fn, m[1].trim(), false);
      parent.append(fn);
    } else if (m[2] !== undefined) {
      const ref = doc.createElement('docref');
      ref.setAttribute('n', m[2]);
      parent.append(ref);
    } else if (m[3] !== undefined) {
      const em = doc.createElement('em');
      em.textContent = m[3];
      parent.append(em);
    } else {
      parent.append(doc.createTextNode(m[0]));
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) parent.append(doc.createTextNode(text.slice(last)));
}

function appendBlocks(doc, section, text) {
  const blocks = text.replace(/\r/g, '').split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  for (const block of blocks) {
    const lines = block.split('\n').map((l) => l.trim()).filter(Boolean);
    const bullet = lines.every((l) => /^[-•]\s+/.test(l));
    const numbered = lines.every((l) => /^\d+[.)]\s+/.test(l));
    if (bullet || numbered) {
      const list = doc.createElement('list');
      list.setAttribute('type', numbered ? 'ordered' : 'unordered');
      for (const l of lines) {
        const item = doc.createElement('item');
        appendInline(doc, item, l.replace(/^([-•]|\d+[.)])\s+/, ''));
        list.append(item);
      }
      section.append(list);
    } else {
      const p = doc.createElement('p');
      appendInline(doc, p, lines.join(' '));
      section.append(p);
    }
  }
  return blocks.length;
}

function inlineText(node) {
  let out = '';
  for (const c of node.childNodes) {
    if (c.nodeType === Node.TEXT_NODE) out += c.nodeValue;
    else if (c.nodeName === 'em') out += `*${c.textContent}*`;
    else if (c.nodeName === 'docref') out += `[handling ${c.getAttribute('n')}]`;
    else if (c.nodeName === 'footnote') out += `[fotnot: ${inlineText(c).trim()}]`;
  }
  return out.replace(/\s+/g, ' ');
}

function sectionText(section) {
  const blocks = [];
  for (const c of section.children) {
    if (c.nodeName === 'p') blocks.push(inlineText(c).trim());
    if (c.nodeName === 'list') {
      const ordered = c.getAttribute('type') === 'ordered';
      blocks.push([...c.children].map((item, i) => `${ordered ? `${i + 1}.` : '-'} ${inlineText(item).trim()}`).join('\n'));
    }
  }
  return blocks.join('\n\n');
}

// memo XML -> the editor's model
export function parseMemoXml(xml) {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) throw new Error('Tjänsteskrivelsen kunde inte läsas.');
  const text = (parent, name) => parent?.getElementsByTagName(name)[0]?.textContent.trim() || '';
  const meta = doc.getElementsByTagName('meta')[0];
  return {
    meta: { date: text(meta, 'date'), title: text(meta, 'title'), initiative: text(meta, 'initiative'), committee: text(meta, 'committee') },
    sections: [...doc.documentElement.children].filter((e) => e.nodeName === 'section').map((s) => ({
      kind: s.getAttribute('kind') || 'other',
      heading: [...s.children].find((c) => c.nodeName === 'heading')?.textContent.trim() || '',
      text: sectionText(s),
    })),
    signatories: [...doc.getElementsByTagName('signatory')].map((s) => ({ name: text(s, 'name'), title: text(s, 'title'), unit: text(s, 'unit') })),
  };
}

// the editor's model -> memo XML (every text through the DOM, so escaped)
export function memoXml(model) {
  const doc = document.implementation.createDocument(null, 'memo', null);
  const root = doc.documentElement;
  const el = (parent, name, value) => {
    const e = doc.createElement(name);
    if (value !== undefined) e.textContent = value;
    parent.append(e);
    return e;
  };
  const meta = el(root, 'meta');
  el(meta, 'date', model.meta.date);
  el(meta, 'title', model.meta.title);
  if (model.meta.initiative) el(meta, 'initiative', model.meta.initiative);
  if (model.meta.committee) el(meta, 'committee', model.meta.committee);
  for (const s of model.sections) {
    if (!s.text.trim() && !s.heading.trim()) continue;
    const sec = doc.createElement('section');
    if (s.kind !== 'other') sec.setAttribute('kind', s.kind);
    if (s.heading.trim()) el(sec, 'heading', s.heading.trim());
    appendBlocks(doc, sec, s.text);
    root.append(sec);
  }
  const signers = model.signatories.filter((s) => s.name.trim());
  if (signers.length) {
    const list = el(root, 'signatories');
    for (const s of signers) {
      const sig = el(list, 'signatory');
      el(sig, 'name', s.name.trim());
      if (s.title.trim()) el(sig, 'title', s.title.trim());
      if (s.unit.trim()) el(sig, 'unit', s.unit.trim());
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}\n`;
}

// ---- The rendered preview, copied element by element -----------------------
// The service's HTML is parsed (DOMParser runs no scripts) and only known
// elements with their text and class are copied in; links become plain text,
// headings move down two levels under the page's own.
const KEEP = new Set(['header', 'main', 'section', 'div', 'p', 'ol', 'ul', 'li', 'em', 'strong', 'span', 'sup', 'sub', 'br', 'footer', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'h1', 'h2', 'h3', 'h4', 'blockquote']);
// The document's landmarks (main, header, footer) become plain blocks: the
// page has its own.
const SHIFT = { h1: 'h3', h2: 'h4', h3: 'h5', h4: 'h6', main: 'div', header: 'div', footer: 'div' };

function copySafe(node) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.nodeValue);
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const tag = node.localName;
  let out;
  if (tag === 'a') out = document.createElement('span');
  else if (KEEP.has(tag)) out = document.createElement(SHIFT[tag] || tag);
  else return null;  // style, script, anything unknown: dropped with its content
  const cls = node.getAttribute('class');
  if (cls) out.className = cls;
  for (const c of node.childNodes) {
    const copy = copySafe(c);
    if (copy) out.append(copy);
  }
  return out;
}

export function renderPreview(container, html) {
  // The rendered document's own <style> is left out before parsing: the page's
  // CSP (no inline styles) would refuse it anyway, and app.css styles the copy.
  const doc = new DOMParser().parseFromString(html.replace(/<style[\s\S]*?<\/style>/gi, ''), 'text/html');
  const frag = document.createDocumentFragment();
  for (const c of doc.body.childNodes) {
    const copy = copySafe(c);
    if (copy) frag.append(copy);
  }
  clear(container).append(frag);
}

// ---- The editor page -------------------------------------------------------

function sectionFieldset(s) {
  const fs = h('fieldset', { class: 'avsnitt' },
    h('legend', {}, 'Avsnitt'),
    field('Typ av avsnitt', 'kind', { type: 'select', value: s.kind, options: kinds }),
    field('Rubrik', 'heading', { value: s.heading, hint: 'Tom: mallens rubrik för avsnittstypen.' }),
    field('Text', 'text', { type: 'textarea', rows: 6, value: s.text }),
    h('div', { class: 'knappar' },
      h('button', { type: 'button', class: 'sekundar', 'data-gor': 'upp' }, 'Flytta upp'),
      h('button', { type: 'button', class: 'sekundar', 'data-gor': 'ned' }, 'Flytta ned'),
      h('button', { type: 'button', class: 'sekundar', 'data-gor': 'bort' }, 'Ta bort avsnittet')));
  return fs;
}

function signatoryFieldset(s) {
  return h('fieldset', { class: 'underskrift' },
    h('legend', {}, 'Underskrift'),
    field('Namn', 'name', { value: s.name }),
    field('Titel', 'title', { value: s.title }),
    field('Enhet', 'unit', { value: s.unit }),
    h('div', { class: 'knappar' }, h('button', { type: 'button', class: 'sekundar', 'data-gor': 'bort' }, 'Ta bort underskriften')));
}

function renumber(container, noun) {
  [...container.children].forEach((fs, i) => {
    fs.querySelector('legend').textContent = `${noun} ${i + 1}`;
  });
}

export async function editorPage(el, route, id) {
  const c = await get(`/api/v1/cases/${id}`);
  const versions = await get(`/api/v1/cases/${id}/memo/versions`);
  const user = currentUser();
  let model;
  if (versions.items.length) {
    model = parseMemoXml(await get(`/api/v1/cases/${id}/memo?format=xml&version=latest`, { accept: 'text' }));
  } else {
    model = {
      meta: { date: await serviceToday(), title: c.subject, initiative: '', committee: c.committee_name || '' },
      sections: kinds.filter(([k]) => k !== 'other' && k !== 'background').map(([kind, heading]) => ({ kind, heading, text: '' })),
      signatories: [{ name: user.name || user.username, title: '', unit: '' }],
    };
  }

  const sections = h('div', { class: 'avsnittslista' }, model.sections.map(sectionFieldset));
  const signers = h('div', { class: 'underskriftslista' }, model.signatories.map(signatoryFieldset));
  renumber(sections, 'Avsnitt');
  renumber(signers, 'Underskrift');

  const form = h('form', { class: 'formular redigerare', novalidate: true, 'aria-labelledby': 'redigera-rubrik' },
    h('h2', { id: 'redigera-rubrik' }, 'Innehåll'),
    h('fieldset', {}, h('legend', {}, 'Uppgifter'),
      field('Datum', 'date', { type: 'date', value: model.meta.date, required: true }),
      field('Titel', 'title', { value: model.meta.title, required: true }),
      field('Initiativet (rad under titeln)', 'initiative', { value: model.meta.initiative, hint: 'Tom: mallen skriver den från ärendet.' }),
      field('Nämnd', 'committee', { value: model.meta.committee })),
    h('details', { class: 'hjalpruta' }, h('summary', {}, 'Så skriver du stycken, listor, fotnoter och hänvisningar'),
      h('ul', {},
        h('li', {}, 'En tom rad mellan stycken.'),
        h('li', {}, 'Rader som börjar med "- " blir en punktlista, "1. " en numrerad lista.'),
        h('li', {}, '*text* blir betonad (kursiv).'),
        h('li', {}, '[fotnot: text] blir en numrerad fotnot.'),
        h('li', {}, '[handling 2] hänvisar till handling 2 i ärendet.'))),
    sections,
    h('p', {}, h('button', { type: 'button', class: 'sekundar', id: 'nytt-avsnitt' }, 'Lägg till avsnitt')),
    h('h3', {}, 'Underskrifter'),
    signers,
    h('p', {}, h('button', { type: 'button', class: 'sekundar', id: 'ny-underskrift' }, 'Lägg till underskrift')),
    h('div', { class: 'knappar' },
      h('button', { type: 'submit' }, 'Spara ny version'),
      h('button', { type: 'button', class: 'sekundar', id: 'pdf' }, 'Ladda ned förhandsvisningen som PDF'),
      h('a', { href: `#/arenden/${id}` }, 'Tillbaka till ärendet')),
    h('div', { class: 'forloppsplats', 'aria-live': 'polite' }));

  const previewBody = h('div', { class: 'dokument', id: 'forhandsvisning-dokument' });
  const previewState = h('div', { class: 'forhandsstatus' });
  const preview = h('section', { class: 'forhandsvisning', 'aria-labelledby': 'fv-rubrik', tabindex: '0' },
    h('h2', { id: 'fv-rubrik' }, 'Förhandsvisning'),
    h('p', { class: 'hjalp' }, 'Som mallen återger tjänsteskrivelsen. Uppdateras medan du skriver.'),
    previewState, previewBody);

  const collect = () => {
    const fd = (scope, name) => scope.querySelector(`[name="${name}"]`).value;
    return {
      meta: { date: fd(form, 'date'), title: fd(form, 'title').trim(), initiative: fd(form, 'initiative').trim(), committee: fd(form, 'committee').trim() },
      sections: [...sections.children].map((fs) => ({ kind: fd(fs, 'kind'), heading: fd(fs, 'heading'), text: fd(fs, 'text') })),
      signatories: [...signers.children].map((fs) => ({ name: fd(fs, 'name'), title: fd(fs, 'title'), unit: fd(fs, 'unit') })),
    };
  };

  // Errors from the service name the memo's parts; those of meta land beside
  // the field, the rest in the summary.
  const aliases = { 'meta/date': 'date', 'meta/title': 'title', date: 'date', title: 'title' };

  let timer = null;
  let generation = 0;
  const refresh = async () => {
    const mine = ++generation;
    const p = progress('Återger förhandsvisningen');
    clear(previewState).append(p.el);
    p.update(0, null);
    previewBody.setAttribute('aria-busy', 'true');
    try {
      const html = await api('POST', `/api/v1/cases/${id}/memo/preview?format=html`, { body: memoXml(collect()), type: 'application/xml', accept: 'text' });
      if (mine !== generation) return;
      renderPreview(previewBody, html);
      clear(previewState);
    } catch (err) {
      if (mine !== generation) return;
      clear(previewState).append(h('div', { class: 'felsammanfattning', role: 'alert' },
        h('p', {}, `Förhandsvisningen kunde inte återges: ${err.message}`),
        err.fields.length ? h('ul', {}, err.fields.map((f) => h('li', {}, `${f.field}: ${f.message}`))) : null));
    } finally {
      if (mine === generation) previewBody.removeAttribute('aria-busy');
    }
  };
  const schedule = () => { clearTimeout(timer); timer = setTimeout(refresh, 500); };

  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-gor]');
    if (!b) return;
    const fs = b.closest('fieldset');
    const list = fs.parentElement;
    const noun = list === sections ? 'Avsnitt' : 'Underskrift';
    if (b.dataset.gor === 'upp' && fs.previousElementSibling) list.insertBefore(fs, fs.previousElementSibling);
    if (b.dataset.gor === 'ned' && fs.nextElementSibling) list.insertBefore(fs.nextElementSibling, fs);
    if (b.dataset.gor === 'bort') {
      const next = fs.nextElementSibling || fs.previousElementSibling;
      fs.remove();
      (next?.querySelector('input, select, textarea') || form.querySelector('#nytt-avsnitt')).focus();
      announce(`${noun}et är borttaget.`);
    } else {
      b.focus();
      announce(`${noun}et är flyttat till plats ${[...list.children].indexOf(fs) + 1}.`);
    }
    renumber(list, noun);
    schedule();
  });
  form.querySelector('#nytt-avsnitt').addEventListener('click', () => {
    const fs = sectionFieldset({ kind: 'other', heading: '', text: '' });
    sections.append(fs);
    renumber(sections, 'Avsnitt');
    fs.querySelector('select').focus();
  });
  form.querySelector('#ny-underskrift').addEventListener('click', () => {
    const fs = signatoryFieldset({ name: '', title: '', unit: '' });
    signers.append(fs);
    renumber(signers, 'Underskrift');
    fs.querySelector('input').focus();
  });
  form.querySelector('#pdf').addEventListener('click', async (e) => {
    const slot = clear(form.querySelector('.forloppsplats'));
    const p = progress('Återger PDF');
    slot.append(p.el);
    p.update(0, null);
    e.target.disabled = true;
    try {
      const r = await download(`/api/v1/cases/${id}/memo/preview?format=pdf`, `tjansteskrivelse-${c.dnr}.pdf`,
        (a, b) => p.update(a, b), { method: 'POST', body: memoXml(collect()), type: 'application/xml' });
      clear(slot).append(h('p', {}, `Hämtad: ${r.name} (${formatBytes(r.size)})`));
    } catch (err) {
      clear(slot);
      showErrors(form, err, aliases);
    } finally {
      e.target.disabled = false;
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      const r = await api('PUT', `/api/v1/cases/${id}/memo`, { body: memoXml(collect()), type: 'application/xml' });
      announce(`Version ${r.version} är sparad.`);
      clear(form.querySelector('.forloppsplats')).append(h('p', { class: 'klart' }, `Version ${r.version} är sparad.`));
    } catch (err) {
      showErrors(form, err, aliases);
    }
  });

  el.append(h('h1', {}, `Tjänsteskrivelse för ${c.dnr}`),
    h('p', {}, c.subject),
    h('div', { class: 'tvakolumn' }, form, preview));
  refresh();
}

// ---- Compare versions --------------------------------------------------------

export async function comparePage(el, route, id) {
  const c = await get(`/api/v1/cases/${id}`);
  const versions = (await get(`/api/v1/cases/${id}/memo/versions`)).items;
  el.append(h('h1', {}, `Jämför versioner, ${c.dnr}`), h('p', {}, h('a', { href: `#/arenden/${id}` }, 'Tillbaka till ärendet')));
  if (versions.length < 2) {
    el.append(h('p', {}, 'Det finns bara en version.'));
    return;
  }
  const opts = versions.map((v) => [String(v.version), `Version ${v.version}`]);
  const from = route.query.get('fran') || String(versions[versions.length - 2].version);
  const to = route.query.get('till') || String(versions[versions.length - 1].version);
  const form = h('form', { class: 'filter' },
    field('Från version', 'from', { type: 'select', options: opts, value: from }),
    field('Till version', 'to', { type: 'select', options: opts, value: to }),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Jämför')));
  const out = h('section', { 'aria-labelledby': 'skillnad' });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/arenden/${id}/jamfor?fran=${form.from.value}&till=${form.to.value}`;
  });
  el.append(form, out);
  const diff = await get(`/api/v1/cases/${id}/memo/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { accept: 'text' });
  const lines = diff.split('\n');
  out.append(h('h2', { id: 'skillnad' }, `Skillnader från version ${from} till ${to}`),
    h('p', {}, 'Rader som tagits bort är markerade med −, rader som lagts till med +.'),
    h('pre', { class: 'diff', tabindex: '0', 'aria-label': 'Skillnader rad för rad' },
      lines.map((l) => {
        const cls = l.startsWith('+') ? 'tillagd' : l.startsWith('-') ? 'borttagen' : '';
        return h('span', { class: cls }, `${l}\n`);
      })));
}
