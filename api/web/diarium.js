// The diarium: the list with search and filters, registering a case with its
// initiative document, further documents, corrections, history, and the case
// page with its transitions.
import { get, post, api, postWithProgress, currentUser, ApiError } from './api.js';
import { h, clear, field, formValues, showErrors, clearErrors, announce, table, formatDate, formatInstant, formatBytes } from './dom.js';
import {
  loadCommittees, loadWorkflows, stateLabel, transitionLabel, allStates, allKinds, kindLabels, sendersText,
  progress, downloadButton, pager, hashFor, deadlineCell, nextDeadline, serviceToday,
} from './common.js';
import { go } from './app.js';

const MAX_FILE = 50 * 1024 * 1024;  // the service's upload limit (raw upload, streamed to disk)

// "Andreas Falk (S)" per line -> [{name, party}]
export function parseSenders(text) {
  return String(text || '').split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
    const m = /^(.*?)\s*\(([^()]+)\)\s*$/.exec(line);
    return m ? { name: m[1], party: m[2] } : { name: line };
  });
}

function sendersLines(senders) {
  return (senders || []).map((s) => s.name + (s.party ? ` (${s.party})` : '')).join('\n');
}

export async function listPage(el, route) {
  const [committees, , today] = await Promise.all([loadCommittees(), loadWorkflows(), serviceToday()]);
  const q = Object.fromEntries(route.query.entries());
  const form = h('form', { class: 'filter', role: 'search', 'aria-label': 'Sök i diariet' },
    field('Sökord', 'q', { type: 'search', value: q.q, hint: 'Ärendemening, avsändare eller diarienummer' }),
    field('Nämnd', 'committee', { type: 'select', value: q.committee, options: [['', 'Alla nämnder'], ...committees.map((c) => [c.id, c.name])] }),
    field('Status', 'state', { type: 'select', value: q.state, options: [['', 'Alla'], ...allStates()] }),
    field('Ärendetyp', 'kind', { type: 'select', value: q.kind, options: [['', 'Alla'], ...allKinds().map((k) => [k, kindLabels[k] || k])] }),
    field('År', 'year', { value: q.year, inputmode: 'numeric' }),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Sök')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go('/diarium', formValues(form));
  });
  el.append(h('h1', {}, 'Diarium'), form);
  const results = h('section', { 'aria-labelledby': 'traffar' });
  el.append(results);
  try {
    const params = new URLSearchParams({ limit: '20' });
    for (const k of ['q', 'committee', 'state', 'kind', 'year', 'cursor']) if (q[k]) params.set(k, q[k]);
    const page = await get(`/api/v1/cases?${params}`);
    results.append(h('h2', { id: 'traffar' }, page.items.length ? `Ärenden (${page.items.length} på sidan)` : 'Inga ärenden'));
    if (page.items.length) results.append(caseTable('Ärenden i diariet', page.items, today));
    results.append(pager(route, page.next));
  } catch (err) {
    if (!(err instanceof ApiError) || !err.fields.length) throw err;
    results.append(h('h2', { id: 'traffar' }, 'Sökningen kunde inte göras'));
    showErrors(form, err);
  }
}

function caseTable(caption, items, today) {
  return table(caption, ['Diarienummer', 'Ärendemening', 'Inkom', 'Avsändare', 'Status', 'Handläggare', 'Nästa frist'],
    items.map((c) => [
      h('a', { href: `#/arenden/${c.id}` }, c.dnr),
      c.subject,
      c.received,
      sendersText(c.senders),
      stateLabel(c.state),
      c.officer || '–',
      deadlineCell(c, today),
    ]));
}

export async function myCasesPage(el) {
  await loadWorkflows();
  const user = currentUser();
  const today = await serviceToday();
  el.append(h('h1', {}, 'Mina ärenden'));
  const mine = user.role === 'enhetschef' && user.unit
    ? await get(`/api/v1/cases?unit=${encodeURIComponent(user.unit)}&limit=200`)
    : await get(`/api/v1/cases?officer=${encodeURIComponent(user.username)}&limit=200`);
  const open = mine.items.filter((c) => !c.closed)
    .sort((a, b) => (nextDeadline(a) || '9999').localeCompare(nextDeadline(b) || '9999'));
  el.append(h('p', {}, `Dagens datum enligt tjänsten: ${formatDate(today)}. Ärenden med passerad sista dag är markerade.`));
  if (user.role === 'enhetschef') {
    const waiting = open.filter((c) => c.state === 'for_godkannande');
    el.append(h('h2', {}, 'Väntar på ditt godkännande'),
      waiting.length ? caseTable('Tjänsteskrivelser att godkänna', waiting, today) : h('p', {}, 'Inget väntar på godkännande.'));
  }
  el.append(h('h2', {}, user.role === 'enhetschef' ? 'Enhetens öppna ärenden' : 'Mina öppna ärenden'),
    open.length ? caseTable('Öppna ärenden, tidigaste sista dag först', open, today) : h('p', {}, 'Inga öppna ärenden.'));
}

export async function registerPage(el) {
  const [committees, workflows] = await Promise.all([loadCommittees(), loadWorkflows()]);
  const kinds = [...new Set(workflows.flatMap((w) => w.kinds))];
  const today = await serviceToday();
  const file = field('Fil (t.ex. PDF)', 'content_base64', { type: 'file', hint: 'Högst 50 MB.' });
  const form = h('form', { class: 'formular', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Ärendet'),
      field('Nämnd', 'committee', { type: 'select', required: true, options: committees.map((c) => [c.id, `${c.name} (${c.series})`]) }),
      field('Ärendetyp', 'kind', { type: 'select', required: true, options: kinds.map((k) => [k, kindLabels[k] || k]) }),
      field('Ärendemening', 'subject', { type: 'textarea', rows: 2, required: true }),
      field('Inkom (datum)', 'received', { type: 'date', required: true, value: today }),
      field('Avsändare', 'senders', { type: 'textarea', rows: 3, required: true, hint: 'En per rad, parti inom parentes: Andreas Falk (S)' })),
    h('fieldset', {}, h('legend', {}, 'Initiativet (handling 1)'),
      field('Handlingens titel', 'title', { hint: 'Tom: ärendetypen och ärendemeningen.' }),
      file),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Registrera')),
    h('div', { class: 'forloppsplats', 'aria-live': 'polite' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const chosen = chosenFile(form, file);
    if (chosen === false) return;
    const body = { committee: v.committee, kind: v.kind, subject: v.subject, received: v.received, senders: parseSenders(v.senders) };
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const c = await post('/api/v1/cases', body);
      announce(`Ärendet ${c.dnr} är registrerat.`);
      const title = v.title || `${kindLabels[v.kind] || v.kind} - ${v.subject}`;
      try {
        await uploadDocument(form, c.id, {
          direction: 'inkommen', date: v.received, counterpart: sendersText(body.senders), title,
        }, chosen);
      } catch (err) {
        // The case stands; the document can be registered again on its page.
        go(`/arenden/${c.id}`);
        announce(`Ärendet ${c.dnr} är registrerat, men handlingen kunde inte registreras: ${err.message}`);
        return;
      }
      go(`/arenden/${c.id}`);
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  el.append(h('h1', {}, 'Registrera ärende'), form);
}

// The file picked in `file`'s input, or false (the error shown beside the
// field) when it is larger than the service takes; undefined when none.
function chosenFile(form, file) {
  const chosen = file.querySelector('input').files[0];
  if (chosen && chosen.size > MAX_FILE) {
    showErrors(form, { message: 'Filen är för stor.', fields: [{ field: 'content_base64', message: `Filen är ${formatBytes(chosen.size)}; högst 50 MB går att registrera.` }] });
    return false;
  }
  return chosen;
}

// Registers a document (with its file, if any), showing the upload's progress
// in the form's progress slot.
// A file goes as a raw upload (the file itself as the body, its type as the
// Content-Type, the registration in the query): the service streams it to
// disk, so nothing is read into memory here or there.
async function uploadDocument(form, caseId, doc, fileObj) {
  const slot = clear(form.querySelector('.forloppsplats'));
  const sending = progress(fileObj ? `Laddar upp ${fileObj.name}` : 'Registrerar handlingen');
  slot.append(sending.el);
  sending.update(0, null);
  const path = `/api/v1/cases/${caseId}/documents`;
  const onProgress = (a, b) => sending.update(a, b);
  const query = new URLSearchParams(Object.entries(doc).filter(([, v]) => v !== undefined && v !== ''));
  const r = fileObj
    ? await postWithProgress(`${path}?${query}`, fileObj, onProgress, fileObj.type || 'application/octet-stream')
    : await postWithProgress(path, { ...doc }, onProgress);
  clear(slot).append(h('p', {}, `Handling ${r.number} är registrerad.`));
  announce(`Handling ${r.number} är registrerad.`);
  return r;
}

const directions = [['inkommen', 'Inkommen'], ['upprattad', 'Upprättad'], ['utgaende', 'Utgående']];
const fieldLabels = { comment: 'Kommentar', unit: 'Enhet (id, t.ex. bfe)', officer: 'Handläggare (användarnamn)' };

export async function casePage(el, route, id) {
  await loadWorkflows();
  const user = currentUser();
  const res = await api('GET', `/api/v1/cases/${id}`, { accept: 'response' });
  const c = await res.json();
  const etag = res.headers.get('ETag') || `"${c.version}"`;
  const [docs, transitions, versions, history] = await Promise.all([
    get(`/api/v1/cases/${id}/documents`),
    get(`/api/v1/cases/${id}/transitions`),
    get(`/api/v1/cases/${id}/memo/versions`).catch(() => ({ items: [] })),
    get(`/api/v1/cases/${id}/history`),
  ]);
  const reload = () => casePageAgain(el, route, id);

  el.append(h('h1', {}, h('span', { class: 'dnr' }, c.dnr), ' ', c.subject));
  el.append(h('dl', { class: 'fakta' },
    dt('Status', h('strong', {}, stateLabel(c.state)), c.closed ? ' (avslutat)' : ''),
    dt('Ärendetyp', c.kind_label || c.kind),
    dt('Nämnd', c.committee_name || c.committee),
    dt('Inkom', formatDate(c.received)),
    dt('Avsändare', sendersText(c.senders)),
    dt('Enhet', c.unit || '–'),
    dt('Handläggare', c.officer || '–'),
    dt('Frist i detta steg', c.state_deadline && !c.closed ? formatDate(c.state_deadline) : '–'),
    dt('Sista dag för ärendet', c.deadline ? formatDate(c.deadline) : '–'),
    dt('Registrerat', `${formatInstant(c.registered_at)} av ${c.registered_by}`),
    c.secrecy ? dt('Sekretess', c.secrecy.provision) : null));

  // Transitions the caller may take now, as buttons.
  const actions = h('section', { 'aria-labelledby': 'atgarder' }, h('h2', { id: 'atgarder' }, 'Åtgärder'));
  if (!transitions.items.length) actions.append(h('p', {}, 'Du kan inte flytta ärendet vidare just nu.'));
  for (const t of transitions.items) actions.append(transitionForm(c, etag, t, reload));
  el.append(actions);

  // The memo.
  const memoSec = h('section', { 'aria-labelledby': 'skrivelse' }, h('h2', { id: 'skrivelse' }, 'Tjänsteskrivelse'));
  if (versions.items.length) {
    const last = versions.items[versions.items.length - 1];
    const basis = versions.items.find((v) => v.decision_basis);
    memoSec.append(table('Versioner av tjänsteskrivelsen', ['Version', 'Sparad', 'Av', 'Godkänd'],
      versions.items.map((v) => [
        h('span', {}, String(v.version), v.decision_basis ? h('strong', {}, ' (beslutsunderlag)') : v.approved ? '' : ' (utkast)'),
        formatInstant(v.created_at), v.created_by,
        v.approved ? `Ja, ${formatInstant(v.approved_at)} av ${v.approved_by}` : 'Nej, utkast'])));
    memoSec.append(h('p', { class: 'knappar' },
      basis
        ? downloadButton(`Ladda ned beslutsunderlaget, version ${basis.version}, som PDF`, `/api/v1/cases/${id}/memo?format=pdf&version=${basis.version}`, `tjansteskrivelse-${c.dnr}.pdf`)
        : null,
      !last.approved
        ? downloadButton(`Ladda ned utkastet, version ${last.version}, som PDF`, `/api/v1/cases/${id}/memo?format=pdf&version=${last.version}`, `tjansteskrivelse-${c.dnr}-utkast.pdf`)
        : null,
      versions.items.length > 1 ? h('a', { href: `#/arenden/${id}/jamfor` }, 'Jämför versioner') : null));
  } else {
    memoSec.append(h('p', {}, 'Ingen tjänsteskrivelse är sparad ännu.'));
  }
  // The service decides (a new draft only once the case is back in
  // investigation); the page offers the editor where a draft can be saved.
  const drafting = !versions.items.some((v) => v.approved) || ['under_utredning', 'for_godkannande'].includes(c.state);
  if (['handlaggare', 'enhetschef'].includes(user.role) && !c.closed && drafting) {
    memoSec.append(h('p', {}, h('a', { href: `#/arenden/${id}/skrivelse`, class: 'knapplank' },
      versions.items.length ? 'Redigera tjänsteskrivelsen' : 'Skriv tjänsteskrivelsen')));
  } else if (['handlaggare', 'enhetschef'].includes(user.role) && !c.closed) {
    memoSec.append(h('p', {}, 'Den godkända versionen är beslutsunderlag. Ett nytt utkast kan börjas först om ärendet skickas tillbaka för utredning.'));
  }
  el.append(memoSec);

  // Documents.
  const docSec = h('section', { 'aria-labelledby': 'handlingar' }, h('h2', { id: 'handlingar' }, 'Handlingar'));
  docSec.append(docs.items.length ? table('Handlingar i ärendet', ['Nr', 'Datum', 'Riktning', 'Motpart', 'Titel', 'Fil'],
    docs.items.map((d) => [String(d.number), d.date, directions.find(([k]) => k === d.direction)?.[1] || d.direction,
      d.counterpart || '–', d.title,
      d.size != null ? downloadButton(`Hämta (${formatBytes(d.size)})`, `/api/v1/cases/${id}/documents/${d.number}/content`, `handling-${d.number}`) : '–']))
    : h('p', {}, 'Inga handlingar.'));
  if (['registrator', 'handlaggare', 'enhetschef', 'namndsekreterare'].includes(user.role)) {
    docSec.append(documentForm(c, reload));
  }
  el.append(docSec);

  if (user.role === 'registrator') el.append(correctionForm(c, reload));

  // History.
  el.append(h('section', { 'aria-labelledby': 'historik' }, h('h2', { id: 'historik' }, 'Historik'),
    table('Ärendets händelser, äldst först', ['Tid', 'Vem', 'Händelse', 'Uppgifter'],
      history.items.map((e) => [formatInstant(e.at), `${e.actor} (${e.role})`, actionLabels[e.action] || e.action, detailText(e.detail)]))));
}

async function casePageAgain(el, route, id) {
  clear(el);
  await casePage(el, route, id);
  const h1 = el.querySelector('h1');
  if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus(); }
}

function dt(term, ...value) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, ...value));
}

const actionLabels = {
  'case.register': 'Ärendet registrerades', 'case.import': 'Ärendet lästes in', 'case.correct': 'Registreringen rättades',
  'case.transition': 'Ärendet flyttades', 'case.migrate': 'Ny version av arbetsgången', 'document.register': 'Handling registrerades',
  'memo.save': 'Tjänsteskrivelsen sparades', 'meeting.agenda_add': 'Sattes på dagordningen', 'decision.record': 'Beslut registrerades',
  'minutes.draw': 'Protokollet upprättades', 'minutes.attest': 'Protokollet justerades', 'minutes.post': 'Protokollet anslogs',
};
const detailLabels = {
  from: 'från', to: 'till', transition: 'åtgärd', comment: 'kommentar', unit: 'enhet', officer: 'handläggare',
  version: 'version', memo_version: 'version', reason: 'skäl', title: 'titel', number: 'nummer', date: 'datum',
  direction: 'riktning', counterpart: 'motpart', subject: 'ärendemening', received: 'inkom', dnr: 'diarienummer',
  kind: 'ärendetyp', state: 'status', outcome: 'utfall', document: 'handling', meeting: 'sammanträde',
  paragraph: 'paragraf', senders: 'avsändare', changes: 'ändringar',
};

function detailValue(key, v) {
  if ((key === 'from' || key === 'to' || key === 'state') && typeof v === 'string') return stateLabel(v);
  if (key === 'transition' && typeof v === 'string') return transitionLabel(v);
  if (typeof v === 'string' && /^[[{]/.test(v)) {
    try { v = JSON.parse(v); } catch { return v; }
  }
  if (key === 'changes' && Array.isArray(v)) {
    return v.map((c) => `${detailLabels[c.field] || c.field}: ”${short(c.before)}” → ”${short(c.after)}”`).join('; ');
  }
  if (key === 'senders' && Array.isArray(v)) return sendersText(v);
  if (key === 'sha256') return null;  // the memo's fingerprint: in the versions table's data, not for reading
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function short(v) {
  let text = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '');
  if (/^"/.test(text)) {
    try { text = String(JSON.parse(text)); } catch { /* shown as it is */ }
  }
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function detailText(detail) {
  if (!detail || typeof detail !== 'object') return detail == null ? '' : String(detail);
  return Object.entries(detail)
    .map(([k, v]) => [k, detailValue(k, v)])
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${detailLabels[k] || k}: ${v}`).join('; ');
}

function transitionForm(c, etag, t, reload) {
  // Every transition may carry a comment (kept in the history); some need one.
  const fields = [...t.request_fields.filter((f) => fieldLabels[f] && f !== 'comment'), 'comment'];
  const needsComment = t.guards.some((g) => g.name === 'comment-given');
  const form = h('form', { class: 'overgang', novalidate: true },
    h('fieldset', {}, h('legend', {}, t.label),
      fields.map((f) => field(f === 'comment' && !needsComment ? 'Kommentar (valfri)' : fieldLabels[f], f,
        { type: f === 'comment' ? 'textarea' : 'text', rows: 2, required: f === 'comment' && needsComment })),
      h('button', { type: 'submit', 'data-transition': t.id }, t.label)));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { transition: t.id, ...Object.fromEntries(Object.entries(formValues(form)).filter(([, v]) => v)) };
    try {
      const r = await post(`/api/v1/cases/${c.id}/transitions`, body, { ifMatch: etag });
      await reload();
      announce(`${t.label}: ärendet är nu ${stateLabel(r.state).toLowerCase()}.`);
    } catch (err) {
      if (err.status === 412) {
        await reload();
        announce('Ärendet hade ändrats av någon annan. Sidan visar nu det senaste; försök igen.');
        return;
      }
      showErrors(form, err);
    }
  });
  return form;
}

function documentForm(c, reload) {
  const file = field('Fil', 'content_base64', { type: 'file', hint: 'Valfri. Högst 50 MB.' });
  const form = h('form', { class: 'formular', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Registrera handling'),
      field('Riktning', 'direction', { type: 'select', required: true, options: directions }),
      field('Datum', 'date', { type: 'date', required: true }),
      field('Avsändare eller mottagare', 'counterpart'),
      field('Titel', 'title', { required: true }),
      file),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Registrera handlingen')),
    h('div', { class: 'forloppsplats', 'aria-live': 'polite' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const chosen = chosenFile(form, file);
    if (chosen === false) return;
    try {
      await uploadDocument(form, c.id, { direction: v.direction, date: v.date, title: v.title, counterpart: v.counterpart || undefined }, chosen);
      await reload();
    } catch (err) {
      showErrors(form, err);
    }
  });
  return form;
}

function correctionForm(c, reload) {
  const form = h('form', { class: 'formular', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Rätta registreringen'),
      h('p', {}, 'Registreringen raderas aldrig: rättelsen sparas med skäl och syns i historiken.'),
      field('Ärendemening', 'subject', { type: 'textarea', rows: 2, value: c.subject }),
      field('Inkom (datum)', 'received', { type: 'date', value: c.received }),
      field('Avsändare', 'senders', { type: 'textarea', rows: 3, value: sendersLines(c.senders), hint: 'En per rad, parti inom parentes.' }),
      field('Skäl till rättelsen', 'reason', { type: 'textarea', rows: 2, required: true })),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Spara rättelsen')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const body = { reason: v.reason };
    if (v.subject !== c.subject) body.subject = v.subject;
    if (v.received !== c.received) body.received = v.received;
    if (v.senders !== sendersLines(c.senders)) body.senders = parseSenders(v.senders);
    if (!v.reason) return showErrors(form, { message: 'Ange skälet till rättelsen.', fields: [{ field: 'reason', message: 'Skälet måste anges.' }] });
    try {
      await post(`/api/v1/cases/${c.id}/corrections`, body);
      await reload();
      announce('Rättelsen är sparad.');
    } catch (err) {
      showErrors(form, err);
    }
  });
  return h('section', { 'aria-labelledby': 'rattelse' }, h('h2', { id: 'rattelse' }, 'Rättelse'), form);
}

export { hashFor };
