// The memo editor: sections, paragraphs, lists, footnotes and signatories,
// written as the memo XML of templates/memo.rng, with a live preview that the
// service renders by the real template (POST .../memo/preview) and a PDF of
// the same. And the comparison of two saved versions (the diff route).
import { get, api, download, currentUser } from './api.js';
import { h, clear, field, showErrors, clearErrors, announce, formatBytes, formatInstant, confirmDialog } from './dom.js';
import { progress, serviceToday, loadUnits, loadPeople, unitName, personName } from './common.js';
import { readDraft, writeDraft, dropDraft } from './drafts.js';
import { guardLeaving } from './app.js';

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

// Elements written on a line of their own, so a line number in an error from
// the service's schema check points at one part of the editor.
const BLOCK = new Set(['meta', 'date', 'title', 'initiative', 'committee', 'section', 'heading', 'p', 'list', 'item',
  'signatories', 'signatory', 'name', 'unit']);

// Whether a section has anything in it: untouched sections (a template
// heading, no text) are left out of the memo rather than refused.
function hasText(s) { return Boolean(s.text.trim()); }

// the editor's model -> memo XML (every text through the DOM, so escaped).
// With `where`, fills where[line] = {part, index, field} for each line.
export function memoXml(model, where = null) {
  const doc = document.implementation.createDocument(null, 'memo', null);
  const root = doc.documentElement;
  const at = new Map();  // element -> {part, index, field}
  const el = (parent, name, value, place) => {
    const e = doc.createElement(name);
    if (value !== undefined) e.textContent = value;
    parent.append(e);
    if (place) at.set(e, place);
    return e;
  };
  const meta = el(root, 'meta', undefined, { part: 'meta', field: 'title' });
  el(meta, 'date', model.meta.date, { part: 'meta', field: 'date' });
  el(meta, 'title', model.meta.title, { part: 'meta', field: 'title' });
  if (model.meta.initiative) el(meta, 'initiative', model.meta.initiative, { part: 'meta', field: 'initiative' });
  if (model.meta.committee) el(meta, 'committee', model.meta.committee, { part: 'meta', field: 'committee' });
  model.sections.forEach((s, index) => {
    if (!hasText(s)) return;
    const sec = doc.createElement('section');
    at.set(sec, { part: 'section', index, field: 'text' });
    if (s.kind !== 'other') sec.setAttribute('kind', s.kind);
    if (s.heading.trim()) el(sec, 'heading', s.heading.trim(), { part: 'section', index, field: 'heading' });
    appendBlocks(doc, sec, s.text);
    for (const b of sec.children) if (!at.has(b)) at.set(b, { part: 'section', index, field: 'text' });
    for (const item of sec.getElementsByTagName('item')) at.set(item, { part: 'section', index, field: 'text' });
    root.append(sec);
  });
  const signers = model.signatories.map((s, index) => [s, index]).filter(([s]) => s.name.trim() || s.title.trim() || s.unit.trim());
  if (signers.length) {
    const list = el(root, 'signatories', undefined, { part: 'signatory', index: signers[0][1], field: 'name' });
    for (const [s, index] of signers) {
      const sig = el(list, 'signatory', undefined, { part: 'signatory', index, field: 'name' });
      el(sig, 'name', s.name.trim(), { part: 'signatory', index, field: 'name' });
      if (s.title.trim()) el(sig, 'title', s.title.trim(), { part: 'signatory', index, field: 'title' });
      if (s.unit.trim()) el(sig, 'unit', s.unit.trim(), { part: 'signatory', index, field: 'unit' });
    }
  }
  // One block element a line: a newline before each, and the line each starts on.
  let line = 2;  // line 1 is the XML declaration; <memo> starts line 2
  const walk = (node) => {
    for (const child of [...node.childNodes]) {
      if (child.nodeType !== Node.ELEMENT_NODE || !BLOCK.has(child.nodeName)) continue;
      node.insertBefore(doc.createTextNode('\n'), child);
      line += 1;
      if (where && at.has(child)) where[line] = at.get(child);
      if (child.nodeName !== 'p' && child.nodeName !== 'item' && child.nodeName !== 'heading') walk(child);
    }
    if ([...node.childNodes].some((c) => c.nodeType === Node.ELEMENT_NODE && BLOCK.has(c.nodeName))) {
      node.append(doc.createTextNode('\n'));
      line += 1;
    }
  };
  walk(root);
  if (where) where[2] = { part: 'memo' };
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

const kindLabel = (k) => kinds.find(([x]) => x === k)?.[1] || 'Annat avsnitt';

function sectionFieldset(s) {
  const fs = h('fieldset', { class: 'avsnitt' },
    h('legend', {}, 'Avsnitt'),
    field('Typ av avsnitt', 'kind', { type: 'select', value: s.kind, options: kinds }),
    field('Rubrik', 'heading', { value: s.heading, hint: 'Tom: mallens rubrik för avsnittstypen. Ett annat avsnitt behöver en egen rubrik.' }),
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

// Legends say which section it is ("Avsnitt 2: Sammanfattning av ärendet"),
// so messages and screen readers can name it.
function sectionName(fs, i) {
  const kind = fs.querySelector('[name="kind"]').value;
  const heading = fs.querySelector('[name="heading"]').value.trim();
  return `Avsnitt ${i + 1}: ${heading || kindLabel(kind)}`;
}

function renumber(container, noun) {
  [...container.children].forEach((fs, i) => {
    fs.querySelector('legend').textContent = noun === 'Avsnitt' ? sectionName(fs, i) : `${noun} ${i + 1}`;
  });
}

// What the schema (templates/memo.rng) and the memo's own checks would
// refuse, said in Swedish beside the field at fault, before anything is sent.
export function memoProblems(model) {
  const problems = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(model.meta.date)) problems.push({ field: 'date', message: 'Välj tjänsteskrivelsens datum.' });
  if (!model.meta.title.trim()) problems.push({ field: 'title', message: 'Titeln saknas.' });
  const seen = new Map();
  model.sections.forEach((s, i) => {
    const name = s.heading.trim() || kindLabel(s.kind);
    if (!hasText(s)) {
      if (s.kind === 'other' && s.heading.trim()) {
        problems.push({ field: `sections[${i}].text`, message: `Avsnittet ${name} har en rubrik men ingen text. Skriv text eller ta bort avsnittet.` });
      }
      return;
    }
    if (s.kind === 'other' && !s.heading.trim()) {
      problems.push({ field: `sections[${i}].heading`, message: `Rubriken saknas i avsnitt ${i + 1} (Annat avsnitt).` });
    }
    if (s.kind !== 'other') {
      if (seen.has(s.kind)) {
        problems.push({ field: `sections[${i}].kind`, message: `Avsnittet ${kindLabel(s.kind)} finns redan (avsnitt ${seen.get(s.kind) + 1}). Välj en annan typ eller slå ihop avsnitten.` });
      }
      seen.set(s.kind, i);
    }
  });
  if (!model.sections.some(hasText)) problems.push({ field: 'sections[0].text', message: 'Skriv text i minst ett avsnitt.' });
  model.signatories.forEach((s, i) => {
    if (!s.name.trim() && (s.title.trim() || s.unit.trim())) {
      problems.push({ field: `signatories[${i}].name`, message: `Namnet saknas i underskrift ${i + 1}.` });
    }
  });
  return problems;
}

// An error from the service about the memo, in Swedish, at the part it is
// about: a schema problem's line (memoXml writes one part a line), a missing
// section the template requires ("sections.proposal"), or a date.
const schemaWords = [
  [/heading/, 'Rubriken saknas eller är tom'],
  [/\btitle\b/, 'Titeln saknas eller är tom'],
  [/\bdate\b/, 'Datumet ska skrivas ÅÅÅÅ-MM-DD'],
  [/\bname\b/, 'Namnet saknas'],
  [/\b(p|item)\b/, 'Ett stycke eller en punkt är tom'],
  [/section/, 'Avsnittet saknar text'],
];

export function translateMemoError(fe, where, model) {
  const m = /^line (\d+)$/.exec(fe.field || '');
  if (m) {
    const place = where[Number(m[1])] || {};
    const english = /[a-z]/i.test(fe.message) && !/[åäö]/i.test(fe.message) && /(element|expect|valid|attribute|pattern)/i.test(fe.message);
    let text = english ? (schemaWords.find(([re]) => re.test(fe.message))?.[1] || 'Tjänsteskrivelsen följer inte mallen här') : friendlyText(fe.message);
    if (place.part === 'section') {
      const s = model.sections[place.index];
      text = `${text.replace(/\.$/, '')} i avsnittet ${s.heading.trim() || kindLabel(s.kind)}.`;
      return { field: `sections[${place.index}].${english && /heading/.test(fe.message) ? 'heading' : place.field}`, message: text };
    }
    if (place.part === 'signatory') return { field: `signatories[${place.index}].${place.field}`, message: `${text.replace(/\.$/, '')} i underskrift ${place.index + 1}.` };
    if (place.part === 'meta') return { field: place.field, message: `${text.replace(/\.$/, '')}.` };
    return { field: '', message: `${text.replace(/\.$/, '')}.` };
  }
  const sec = /^sections\.(.+)$/.exec(fe.field || '');
  if (sec) {
    const i = model.sections.findIndex((s) => s.kind === sec[1]);
    const name = kindLabel(sec[1]);
    return i >= 0
      ? { field: `sections[${i}].text`, message: `Avsnittet ${name} krävs av mallen. Skriv text i det.` }
      : { field: '', message: `Avsnittet ${name} krävs av mallen. Lägg till det med knappen Lägg till avsnitt.` };
  }
  return { field: fe.field, message: friendlyText(fe.message) };
}

function friendlyText(m) {
  const t = String(m || '').trim();
  return t ? `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : '';
}

// Default signatures for a new memo: the unit head of the case's unit, and
// the writer, with their titles and units from the directory.
async function defaultSignatories(c, user) {
  const out = [];
  try {
    if (user.role !== 'enhetschef' && c.unit) {
      const heads = (await get(`/api/v1/people?role=enhetschef&unit=${encodeURIComponent(c.unit)}`)).items.filter((p) => p.active);
      const head = heads.find((p) => p.unit === c.unit) || heads[0];
      if (head) out.push({ name: head.name, title: head.title || '', unit: head.unit ? unitName(head.unit) : '' });
    }
  } catch { /* the writer alone */ }
  out.push({ name: user.name || user.username, title: user.title || '', unit: user.unit ? unitName(user.unit) : '' });
  return out;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export async function editorPage(el, route, id) {
  await Promise.all([loadUnits(), loadPeople()]);
  const c = await get(`/api/v1/cases/${id}`);
  const [versions, history] = await Promise.all([
    get(`/api/v1/cases/${id}/memo/versions`),
    get(`/api/v1/cases/${id}/history`).catch(() => ({ items: [] })),
  ]);
  const user = currentUser();
  let base = versions.items.length ? versions.items[versions.items.length - 1].version : 0;
  let saved;
  if (versions.items.length) {
    // The latest version, draft or not: the editor continues from it.
    saved = parseMemoXml(await get(`/api/v1/cases/${id}/memo?format=xml&version=latest`, { accept: 'text' }));
  } else {
    saved = {
      meta: { date: await serviceToday(), title: c.subject, initiative: '', committee: c.committee_name || '' },
      sections: kinds.filter(([k]) => k !== 'other' && k !== 'background').map(([kind, heading]) => ({ kind, heading, text: '' })),
      signatories: await defaultSignatories(c, user),
    };
  }
  // A draft kept in this browser wins over the saved version: it is what
  // was typed last.
  const draft = readDraft(user.username, id);
  const model = draft && !same(draft.model, saved) ? draft.model : saved;
  if (draft && same(draft.model, saved)) dropDraft(user.username, id);

  const sections = h('div', { class: 'avsnittslista' }, model.sections.map(sectionFieldset));
  const signers = h('div', { class: 'underskriftslista' }, model.signatories.map(signatoryFieldset));
  renumber(sections, 'Avsnitt');
  renumber(signers, 'Underskrift');

  const state = h('div', { class: 'utkaststatus', 'aria-live': 'polite' });
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
    state,
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

  // Field names of the model's parts, so errors land beside them:
  // "sections[2].heading", "signatories[0].name".
  const name = () => {
    [...sections.children].forEach((fs, i) => {
      for (const w of fs.querySelectorAll('.falt')) w.dataset.field = `sections[${i}].${w.querySelector('[name]').name}`;
    });
    [...signers.children].forEach((fs, i) => {
      for (const w of fs.querySelectorAll('.falt')) w.dataset.field = `signatories[${i}].${w.querySelector('[name]').name}`;
    });
  };
  name();

  // Unsaved work: kept in the browser as it is typed, asked about on leaving.
  let savedModel = saved;
  const dirty = () => !same(collect(), savedModel);
  const keep = () => {
    if (dirty()) {
      writeDraft(user.username, id, collect(), base);
      clear(state).append(h('p', { class: 'hjalp' }, 'Ändringarna är inte sparade som en version ännu. De finns kvar i den här webbläsaren tills du sparar.'));
    } else {
      dropDraft(user.username, id);
      clear(state);
    }
  };
  guardLeaving(() => (dirty()
    ? 'Tjänsteskrivelsen har ändringar som inte är sparade som en version. De finns kvar som utkast i den här webbläsaren, men ingen annan kan se dem förrän du sparar.'
    : null));

  let timer = null;
  let generation = 0;
  const refresh = async () => {
    const mine = ++generation;
    const model_ = collect();
    if (!model_.meta.title || !model_.sections.some(hasText)) {
      clear(previewState).append(h('p', { class: 'hjalp' }, 'Förhandsvisningen visas när tjänsteskrivelsen har en titel och text i minst ett avsnitt.'));
      clear(previewBody);
      return;
    }
    const p = progress('Återger förhandsvisningen');
    clear(previewState).append(p.el);
    p.update(0, null);
    previewBody.setAttribute('aria-busy', 'true');
    const where = {};
    try {
      const html = await api('POST', `/api/v1/cases/${id}/memo/preview?format=html`, { body: memoXml(model_, where), type: 'application/xml', accept: 'text' });
      if (mine !== generation) return;
      renderPreview(previewBody, html);
      clear(previewState);
    } catch (err) {
      if (mine !== generation) return;
      const local = memoProblems(model_);
      const list = local.length ? local : err.fields.map((f) => translateMemoError(f, where, model_));
      clear(previewState).append(h('div', { class: 'upplysning' },
        h('p', {}, list.length ? 'Innan tjänsteskrivelsen kan sparas:' : `Förhandsvisningen kunde inte återges: ${friendlyText(err.message)}`),
        list.length ? h('ul', {}, list.map((f) => h('li', {}, f.message))) : null));
    } finally {
      if (mine === generation) previewBody.removeAttribute('aria-busy');
    }
  };
  const schedule = () => { clearTimeout(timer); timer = setTimeout(refresh, 500); };
  const changed = () => { keep(); schedule(); };

  form.addEventListener('input', (e) => {
    if (e.target.name === 'heading' || e.target.name === 'kind') renumber(sections, 'Avsnitt');
    changed();
  });
  form.addEventListener('change', changed);
  form.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-gor]');
    if (!b) return;
    const fs = b.closest('fieldset.avsnitt, fieldset.underskrift');
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
    name();
    changed();
  });
  form.querySelector('#nytt-avsnitt').addEventListener('click', () => {
    const fs = sectionFieldset({ kind: 'other', heading: '', text: '' });
    sections.append(fs);
    renumber(sections, 'Avsnitt');
    name();
    fs.querySelector('select').focus();
    changed();
  });
  form.querySelector('#ny-underskrift').addEventListener('click', () => {
    const fs = signatoryFieldset({ name: '', title: '', unit: '' });
    signers.append(fs);
    renumber(signers, 'Underskrift');
    name();
    fs.querySelector('input').focus();
    changed();
  });
  // Checks what can be checked here; errors beside the fields.
  const checked = () => {
    clearErrors(form);
    const m = collect();
    const problems = memoProblems(m);
    if (problems.length) {
      showErrors(form, { fields: problems });
      return null;
    }
    return m;
  };
  const serviceErrors = (err, where, m) => {
    showErrors(form, { message: err.fields.length ? '' : err.message, status: err.status, fields: err.fields.map((f) => translateMemoError(f, where, m)) });
  };
  form.querySelector('#pdf').addEventListener('click', async (e) => {
    const m = checked();
    if (!m) return;
    const slot = clear(form.querySelector('.forloppsplats'));
    const p = progress('Återger PDF');
    slot.append(p.el);
    p.update(0, null);
    e.target.disabled = true;
    const where = {};
    try {
      const r = await download(`/api/v1/cases/${id}/memo/preview?format=pdf`, `tjansteskrivelse-${c.dnr}.pdf`,
        (a, b) => p.update(a, b), { method: 'POST', body: memoXml(m, where), type: 'application/xml' });
      clear(slot).append(h('p', {}, `Hämtad: ${r.name} (${formatBytes(r.size)})`));
    } catch (err) {
      clear(slot);
      serviceErrors(err, where, m);
    } finally {
      e.target.disabled = false;
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const m = checked();
    if (!m) return;
    const where = {};
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const r = await api('PUT', `/api/v1/cases/${id}/memo`, { body: memoXml(m, where), type: 'application/xml' });
      base = r.version;
      savedModel = m;
      dropDraft(user.username, id);
      clear(state);
      el.querySelector('.utkastnotis')?.remove();
      announce(`Version ${r.version} är sparad.`);
      clear(form.querySelector('.forloppsplats')).append(h('p', { class: 'klart' }, `Version ${r.version} är sparad.`));
    } catch (err) {
      serviceErrors(err, where, m);
    } finally {
      button.disabled = false;
    }
  });

  el.append(h('h1', {}, `Tjänsteskrivelse för ${c.dnr}`), h('p', {}, c.subject));
  const returned = returnNotice(c, history.items);
  if (returned) el.append(returned);
  if (model !== saved) {
    const latest = versions.items.length ? versions.items[versions.items.length - 1].version : 0;
    el.append(h('div', { class: 'upplysning utkastnotis', role: 'status' },
      h('p', {}, `Det här är ditt utkast från ${formatInstant(draft.saved_at)}, som inte är sparat som en version.`,
        draft.base < latest ? ` Version ${latest} har sparats efter att du började; jämför innan du sparar.` : ''),
      h('p', {}, h('button', {
        type: 'button', class: 'sekundar',
        onclick: async () => {
          if (!await confirmDialog('Släng utkastet?', 'Det du har skrivit och inte sparat tas bort, och sidan visar den senast sparade versionen.', { confirm: 'Släng utkastet', danger: true })) return;
          dropDraft(user.username, id);
          guardLeaving(null);
          clear(el);
          await editorPage(el, route, id);
          el.querySelector('h1').setAttribute('tabindex', '-1');
          el.querySelector('h1').focus();
        },
      }, 'Släng utkastet och visa den sparade versionen'))));
    keep();
  }
  el.append(h('div', { class: 'tvakolumn' }, form, preview));
  refresh();
}

// The unit head's comment when the memo came back, at the top of the editor.
function returnNotice(c, events) {
  if (c.state !== 'under_utredning') return null;
  let last = null;
  for (const e of events) {
    if (e.action !== 'case.transition') continue;
    if (e.detail?.transition === 'aterforvisa') last = e;
    if (e.detail?.transition === 'skicka_for_godkannande') last = null;
  }
  if (!last?.detail?.comment) return null;
  return h('section', { class: 'viktigt', 'aria-labelledby': 'tillbaka-rubrik' },
    h('h2', { id: 'tillbaka-rubrik' }, 'Tjänsteskrivelsen har skickats tillbaka'),
    h('p', {}, `${personName(last.actor)}, ${formatInstant(last.at)}:`),
    h('blockquote', {}, last.detail.comment));
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
