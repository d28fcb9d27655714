// The diarium: the list with search and filters, registering a case with its
// initiative document (secrecy marked in the form), further documents,
// corrections, history in words, and the case page with its transitions
// (people and units chosen from lists, and why a step is not open yet).
import { get, post, api, postWithProgress, currentUser, ApiError } from './api.js';
import {
  h, clear, field, choices, checkedValues, formValues, showErrors, clearErrors, announce, table,
  formatDate, formatInstant, formatBytes, confirmDialog,
} from './dom.js';
import {
  loadCommittees, loadWorkflows, loadUnits, loadPeople, loadProvisions, stateLabel, transitionLabel,
  allStates, allKinds, kindLabels, sendersText, progress, downloadButton, pager, hashFor, deadlineCell,
  nextDeadline, serviceToday, unitName, personName, personLabel, roleNames, directionLabels,
  secretCaseFields, secretDocumentFields, committeeName, workflowOf,
} from './common.js';
import { go } from './app.js';

const MAX_FILE = 50 * 1024 * 1024;  // the service's upload limit (raw upload, streamed to disk)

export const SEARCH_HINT = 'Diarienummer (SOCN 2020/262, 2020/262 eller bara 262), eller ord ur ärendemening och avsändare. Sista ordet räcker som början av ett ord; skriv ordet inom "citattecken" för att söka exakt det.';

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

// Whether the caller sees this case's secret parts masked (docs/security.md:
// only the case's unit and the committee's secretary see them).
function seesMasked(user) {
  return ['registrator', 'ledamot', 'admin'].includes(user.role);
}

export async function listPage(el, route) {
  const [committees, , today] = await Promise.all([loadCommittees(), loadWorkflows(), serviceToday(), loadPeople()]);
  const q = Object.fromEntries(route.query.entries());
  const form = h('form', { class: 'filter', role: 'search', 'aria-label': 'Sök i diariet' },
    field('Sök', 'q', { type: 'search', value: q.q, hint: SEARCH_HINT }),
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
    const what = q.q ? `för ”${q.q}”` : '';
    results.append(h('h2', { id: 'traffar' }, page.items.length
      ? `Ärenden ${what}`.trim() + (page.next || q.cursor ? ` (${page.items.length} på sidan)` : ` (${page.items.length})`)
      : `Inga ärenden ${what}`.trim()));
    if (page.items.length) results.append(caseTable('Ärenden i diariet', page.items, today));
    else if (q.q) results.append(h('p', {}, 'Prova färre ord, början av ett ord, eller diarienumret.'));
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
      c.officer ? personName(c.officer) : '–',
      deadlineCell(c, today),
    ]));
}

export async function myCasesPage(el) {
  await Promise.all([loadWorkflows(), loadPeople()]);
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
    const unassigned = open.filter((c) => !c.officer);
    el.append(h('h2', {}, 'Väntar på ditt godkännande'),
      waiting.length ? caseTable('Tjänsteskrivelser att godkänna', waiting, today) : h('p', {}, 'Inget väntar på godkännande.'));
    if (unassigned.length) {
      el.append(h('h2', {}, 'Saknar handläggare'), caseTable('Ärenden utan handläggare', unassigned, today));
    }
  }
  el.append(h('h2', {}, user.role === 'enhetschef' ? 'Enhetens öppna ärenden' : 'Mina öppna ärenden'),
    open.length ? caseTable('Öppna ärenden, tidigaste sista dag först', open, today) : h('p', {}, 'Inga öppna ärenden.'));
}

// ---- Secrecy in the forms ------------------------------------------------------

// A fieldset that marks secrecy (OSL): a box to tick, then the provision from
// the organisation's list, which fields are secret and why. value() gives
// {provision, fields, reason} or null.
function secrecyFieldset(what, fieldOptions, provisions, prefix) {
  const box = h('input', { type: 'checkbox', id: `${prefix}-sekretess`, name: `${prefix}_secret` });
  const details = h('div', { class: 'sekretessval', hidden: true },
    field('Bestämmelse i offentlighets- och sekretesslagen', `${prefix}.provision`, {
      type: 'select', required: true, placeholder: 'Välj bestämmelse',
      options: provisions.map((p) => [p.provision, p.description ? `${p.provision} – ${p.description}` : p.provision]),
    }),
    choices('Vilka uppgifter är sekretessbelagda?', `${prefix}.fields`, fieldOptions, { required: true, hint: 'De döljs för allmänheten och för den som inte arbetar med ärendet.' }),
    field('Skäl', `${prefix}.reason`, { type: 'textarea', rows: 2, hint: 'Varför uppgifterna är sekretessbelagda. Sparas i ärendets historik, som bara de som får se uppgifterna kan läsa.' }));
  box.addEventListener('change', () => {
    details.hidden = !box.checked;
    if (box.checked) details.querySelector('select').focus();
  });
  const fs = h('fieldset', { class: 'sekretess' },
    h('legend', {}, 'Sekretess'),
    h('div', { class: 'valrad' }, box, h('label', { for: box.id }, `${what} innehåller uppgifter som omfattas av sekretess`)),
    details);
  return {
    el: fs,
    value() {
      if (!box.checked) return null;
      const provision = fs.querySelector(`[name="${prefix}.provision"]`).value;
      const reason = fs.querySelector(`[name="${prefix}.reason"]`).value.trim();
      return { provision, fields: checkedValues(fs, `${prefix}.fields`), reason };
    },
    // Problems the form can tell before sending.
    problems() {
      const v = this.value();
      if (!v) return [];
      const out = [];
      if (!v.provision) out.push({ field: `${prefix}.provision`, message: 'Välj vilken bestämmelse som gäller.' });
      if (!v.fields.length) out.push({ field: `${prefix}.fields`, message: 'Kryssa i minst en uppgift som är sekretessbelagd.' });
      return out;
    },
  };
}

function secrecyBody(v) {
  if (!v) return undefined;
  const out = { provision: v.provision, fields: v.fields };
  if (v.reason) out.reason = v.reason;
  return out;
}

export async function registerPage(el) {
  const user = currentUser();
  const [committees, workflows, provisions, today] = await Promise.all([loadCommittees(), loadWorkflows(), loadProvisions(), serviceToday()]);
  const kinds = [...new Set(workflows.flatMap((w) => w.kinds))];
  const file = field('Fil (t.ex. PDF)', 'content_base64', { type: 'file', hint: 'Valfri. Högst 50 MB.' });
  const caseSecrecy = secrecyFieldset('Ärendet', secretCaseFields, provisions, 'secrecy');
  const docSecrecy = secrecyFieldset('Handlingen', secretDocumentFields, provisions, 'document_secrecy');
  const own = committees.some((c) => c.id === user.committee) ? user.committee : '';
  // A committee whose dnr format has {class} (docs/dnr.md) needs the class
  // code from the filing plan with every new case: the field shows, and is
  // required, only for such a committee.
  const classCode = field('Klassificeringskod', 'class', {
    required: true, hint: 'Ur dokumenthanteringsplanen, t.ex. 1.6: nämndens diarienummer innehåller den.',
  });
  const needsClass = (id) => Boolean(committees.find((c) => c.id === id)?.dnr_format.includes('{class}'));
  const showClassCode = (id) => {
    const needed = needsClass(id);
    classCode.hidden = !needed;
    classCode.querySelector('input').disabled = !needed;
  };
  const committeeField = field('Nämnd', 'committee', { type: 'select', required: true, value: own, placeholder: own ? undefined : 'Välj nämnd', options: committees.map((c) => [c.id, `${c.name} (${c.series})`]) });
  committeeField.querySelector('select').addEventListener('change', (e) => showClassCode(e.target.value));
  showClassCode(own);
  const form = h('form', { class: 'formular', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Ärendet'),
      committeeField,
      classCode,
      field('Ärendetyp', 'kind', { type: 'select', required: true, placeholder: 'Välj ärendetyp', options: kinds.map((k) => [k, kindLabels[k] || k]) }),
      field('Ärendemening', 'subject', { type: 'textarea', rows: 2, required: true, hint: 'Kort om vad ärendet gäller.' }),
      field('Inkom (datum)', 'received', { type: 'date', required: true, value: today }),
      field('Avsändare', 'senders', { type: 'textarea', rows: 3, required: true, hint: 'En per rad, parti inom parentes: Andreas Falk (S)' })),
    caseSecrecy.el,
    h('fieldset', {}, h('legend', {}, 'Initiativet (handling 1)'),
      field('Handlingens titel', 'title', { hint: 'Tom: ärendetypen och ärendemeningen.' }),
      file,
      docSecrecy.el),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Registrera')),
    h('div', { class: 'forloppsplats', 'aria-live': 'polite' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const problems = [...caseSecrecy.problems(), ...docSecrecy.problems()];
    if (!v.kind) problems.push({ field: 'kind', message: 'Välj vilken typ av ärende det är.' });
    if (!v.committee) problems.push({ field: 'committee', message: 'Välj nämnd.' });
    if (needsClass(v.committee) && !v.class) problems.push({ field: 'class', message: 'Ange klassificeringskoden: nämndens diarienummer innehåller den.' });
    const chosen = chosenFile(file);
    if (chosen === false) problems.push({ field: 'content_base64', message: 'Filen är större än 50 MB och kan inte registreras här.' });
    if (problems.length) return showErrors(form, { fields: problems });
    const secrecy = caseSecrecy.value();
    const body = { committee: v.committee, kind: v.kind, subject: v.subject, received: v.received, senders: parseSenders(v.senders) };
    if (needsClass(v.committee)) body.class = v.class;
    if (secrecy) body.secrecy = secrecyBody(secrecy);
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const c = await post('/api/v1/cases', body, {});
      announce(`Ärendet ${c.dnr} är registrerat.`);
      const title = v.title || `${kindLabels[v.kind] || v.kind} - ${v.subject}`;
      try {
        await uploadDocument(form, c.id, {
          direction: 'inkommen', date: v.received, counterpart: sendersText(body.senders), title,
          secrecy: secrecyBody(initiativeSecrecy(secrecy, docSecrecy.value(), !v.title)),
        }, chosen);
      } catch (err) {
        // The case stands; the document can be registered again on its page.
        go(`/arenden/${c.id}`);
        announce(`Ärendet ${c.dnr} är registrerat, men handlingen kunde inte registreras: ${err.message}`);
        return undefined;
      }
      return go(`/arenden/${c.id}`);
    } catch (err) {
      return showErrors(form, err, { 'secrecy.provision': 'secrecy.provision', 'secrecy.fields': 'secrecy.fields' });
    } finally {
      button.disabled = false;
    }
  });
  el.append(h('h1', {}, 'Registrera ärende'), form);
}

// The initiative document carries the case's sender as its counterpart and
// (by default) the subject in its title: what is secret in the case is
// secret in the document too, whatever was ticked for the document.
function initiativeSecrecy(caseSecrecy, docSecrecy, titleFromSubject) {
  if (!caseSecrecy) return docSecrecy;
  const fields = new Set(docSecrecy?.fields || []);
  if (caseSecrecy.fields.includes('senders')) fields.add('counterpart');
  if (caseSecrecy.fields.includes('subject') && titleFromSubject) fields.add('title');
  if (!fields.size) return docSecrecy;
  return {
    provision: docSecrecy?.provision || caseSecrecy.provision,
    fields: [...fields],
    reason: docSecrecy?.reason || caseSecrecy.reason,
  };
}

// The file picked in `file`'s input; false when it is larger than the
// service takes; undefined when none.
function chosenFile(file) {
  const chosen = file.querySelector('input').files[0];
  if (chosen && chosen.size > MAX_FILE) return false;
  return chosen;
}

// Registers a document (with its file, if any), showing the upload's progress
// in the form's progress slot; the progress goes away when it fails. A file
// goes as a raw upload (the file itself as the body, its type as the
// Content-Type, the registration in the query): the service streams it to
// disk, so nothing is read into memory here or there.
async function uploadDocument(form, caseId, doc, fileObj) {
  const slot = clear(form.querySelector('.forloppsplats'));
  try {
    const sending = progress(fileObj ? `Laddar upp ${fileObj.name}` : 'Registrerar handlingen');
    slot.append(sending.el);
    sending.update(0, null);
    const path = `/api/v1/cases/${caseId}/documents`;
    const onProgress = (a, b) => sending.update(a, b);
    let r;
    if (fileObj) {
      const { secrecy, ...rest } = doc;
      const query = new URLSearchParams(Object.entries(rest).filter(([, v]) => v !== undefined && v !== ''));
      if (secrecy) {
        query.set('secrecy_provision', secrecy.provision);
        query.set('secrecy_fields', secrecy.fields.join(','));
        if (secrecy.reason) query.set('secrecy_reason', secrecy.reason);
      }
      r = await postWithProgress(`${path}?${query}`, fileObj, onProgress, fileObj.type || 'application/octet-stream');
    } else {
      r = await postWithProgress(path, { ...doc }, onProgress);
    }
    clear(slot).append(h('p', {}, `Handling ${r.number} är registrerad.`));
    announce(`Handling ${r.number} är registrerad.`);
    return r;
  } catch (err) {
    clear(slot);
    throw err;
  }
}

const directions = Object.entries(directionLabels);
const fieldLabels = { comment: 'Kommentar', unit: 'Enhet', officer: 'Handläggare' };
// Transitions that end a case without a decision: asked about first, and
// their buttons say they are not like the others.
const destructive = new Set(['avskriv']);

export async function casePage(el, route, id) {
  await Promise.all([loadWorkflows(), loadPeople(), loadUnits(), loadCommittees()]);
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
  const returned = returnComment(c, history.items);
  if (returned) el.append(returned);

  const masked = c.secrecy && seesMasked(user);
  el.append(h('dl', { class: 'fakta' },
    dt('Status', h('strong', { class: 'status-varde' }, stateLabel(c.state))),
    dt('Ärendetyp', c.kind_label || kindLabels[c.kind] || c.kind),
    dt('Nämnd', c.committee_name || committeeName(c.committee)),
    dt('Inkom', formatDate(c.received)),
    dt('Avsändare', sendersText(c.senders)),
    dt('Enhet', c.unit ? unitName(c.unit) : '–'),
    dt('Handläggare', c.officer ? personName(c.officer) : '–'),
    dt('Frist i detta steg', c.state_deadline && !c.closed ? formatDate(c.state_deadline) : '–'),
    dt('Sista dag för ärendet', c.deadline ? formatDate(c.deadline) : '–'),
    dt('Registrerat', `${formatInstant(c.registered_at)} av ${personName(c.registered_by)}`),
    c.secrecy ? dt('Sekretess', secrecyText(c.secrecy, secretCaseFields)) : null));
  if (c.secrecy) el.append(await publicView(c, masked));

  el.append(actionsSection(c, etag, transitions, reload));

  // The memo: every version, downloadable as PDF, DOCX and ODT.
  const memoSec = h('section', { 'aria-labelledby': 'skrivelse' }, h('h2', { id: 'skrivelse' }, 'Tjänsteskrivelse'));
  if (versions.items.length) {
    // Every version downloadable; the approved one is the decision basis,
    // any later one a draft (#16), and the page says which is which.
    memoSec.append(table('Versioner av tjänsteskrivelsen', ['Version', 'Sparad', 'Av', 'Godkänd', 'Ladda ned'],
      versions.items.map((v) => [
        h('span', {}, String(v.version), v.decision_basis ? h('strong', {}, ' (beslutsunderlag)') : v.approved ? '' : ' (utkast)'),
        formatInstant(v.created_at), personName(v.created_by),
        v.approved ? `Ja, ${formatInstant(v.approved_at)} av ${personName(v.approved_by)}` : 'Nej, utkast',
        memoDownloads(c, v.version)])));
    if (versions.items.length > 1) memoSec.append(h('p', {}, h('a', { href: `#/arenden/${id}/jamfor` }, 'Jämför versioner')));
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
  const decisions = docs.items.some((d) => d.kind === 'protokollsutdrag')
    ? (await get(`/api/v1/decisions?dnr=${encodeURIComponent(c.dnr)}&limit=50`).catch(() => ({ items: [] }))).items
    : [];
  const docSec = h('section', { 'aria-labelledby': 'handlingar' }, h('h2', { id: 'handlingar' }, 'Handlingar'));
  docSec.append(docs.items.length ? table('Handlingar i ärendet', ['Nr', 'Datum', 'Riktning', 'Avsändare eller mottagare', 'Titel', 'Fil'],
    docs.items.map((d) => [String(d.number), d.date, directionLabels[d.direction] || d.direction,
      d.counterpart || '–',
      h('span', {}, d.title, d.secrecy ? h('span', { class: 'markering' }, ` Sekretess: ${secrecyText(d.secrecy, secretDocumentFields)}`) : null),
      documentFile(c, d, versions.items, decisions, seesMasked(user))]))
    : h('p', {}, 'Inga handlingar.'));
  if (['registrator', 'handlaggare', 'enhetschef', 'namndsekreterare'].includes(user.role)) {
    docSec.append(documentForm(c, await loadProvisions(), reload));
  }
  el.append(docSec);

  if (user.role === 'registrator') el.append(correctionForm(c, masked, reload));

  // History.
  el.append(h('section', { 'aria-labelledby': 'historik' }, h('h2', { id: 'historik' }, 'Historik'),
    history.items.length && !history.items.some((e) => Object.keys(e.detail || {}).length) && c.secrecy
      ? h('p', {}, 'Ärendet innehåller sekretessbelagda uppgifter; därför visas inte händelsernas detaljer för dig.') : null,
    table('Ärendets händelser, äldst först', ['Tid', 'Vem', 'Händelse', 'Uppgifter'],
      history.items.map((e) => [formatInstant(e.at), `${personName(e.actor)} (${(roleNames[e.role] || e.role || '').toLowerCase()})`,
        eventLabel(e), detailText(e)]))));
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

// "OSL 26 kap. 1 § (ärendemening, avsändare)"
function secrecyText(s, fieldOptions) {
  const names = (s.fields || []).map((f) => (fieldOptions.find(([k]) => k === f)?.[1] || f).toLowerCase());
  return names.length ? `${s.provision} (${names.join(', ')})` : s.provision;
}

// What the public sees of a secret case, beside what the caller sees.
async function publicView(c, masked) {
  const box = h('section', { class: 'upplysning', 'aria-labelledby': 'publikt' }, h('h2', { id: 'publikt' }, 'Så ser allmänheten ärendet'));
  if (masked) {
    box.append(h('p', {}, 'Du ser ärendet som allmänheten ser det: sekretessbelagda uppgifter visas bara för den enhet som handlägger ärendet och för nämndens sekreterare.'));
    return box;
  }
  try {
    const p = await get(`/api/v1/public/diarium/${c.id}`);
    box.append(h('dl', { class: 'fakta' },
      dt('Ärendemening', p.subject),
      dt('Avsändare', sendersText(p.senders))),
    h('p', {}, 'Du ser de sekretessbelagda uppgifterna eftersom du arbetar med ärendet. Varje gång de visas loggas det.'));
  } catch {
    box.append(h('p', {}, 'Ärendet visas inte i det offentliga diariet just nu.'));
  }
  return box;
}

// The unit head's comment when the memo came back: shown at the top of the
// case until the officer sends it for approval again.
function returnComment(c, events) {
  if (c.state !== 'under_utredning') return null;
  let last = null;
  for (const e of events) {
    if (e.action !== 'case.transition') continue;
    if (e.detail?.transition === 'aterforvisa' || e.detail?.transition === 'aterremiss') last = e;
    if (e.detail?.transition === 'skicka_for_godkannande') last = null;
  }
  if (!last) return null;
  const fromCommittee = last.detail.transition === 'aterremiss';
  return h('section', { class: 'viktigt', 'aria-labelledby': 'tillbaka-rubrik' },
    h('h2', { id: 'tillbaka-rubrik' }, fromCommittee ? 'Nämnden har återremitterat ärendet' : 'Tjänsteskrivelsen har skickats tillbaka'),
    h('p', {}, `${personName(last.actor)} (${(roleNames[last.role] || last.role).toLowerCase()}), ${formatInstant(last.at)}:`),
    last.detail.comment ? h('blockquote', {}, last.detail.comment) : h('p', {}, 'Ingen kommentar.'));
}

// ---- Actions ---------------------------------------------------------------------

function actionsSection(c, etag, transitions, reload) {
  const actions = h('section', { 'aria-labelledby': 'atgarder' }, h('h2', { id: 'atgarder' }, 'Åtgärder'));
  for (const t of transitions.items) actions.append(transitionForm(c, etag, t, reload));
  const blocked = transitions.blocked || [];
  if (blocked.length) {
    actions.append(h('div', { class: 'upplysning' },
      h('p', {}, h('strong', {}, transitions.items.length ? 'Det här kan du inte göra än:' : 'Du kan inte flytta ärendet vidare än:')),
      h('ul', {}, blocked.map((b) => h('li', {}, `${b.label}: `, b.reasons.join(' '))))));
  }
  if (!transitions.items.length && !blocked.length) actions.append(h('p', {}, whoIsNext(c)));
  return actions;
}

// Who takes the next step, from the workflow, when the caller cannot.
function whoIsNext(c) {
  if (c.closed) return `Ärendet är ${stateLabel(c.state).toLowerCase()}.`;
  const wf = workflowOf(c);
  const steps = (wf ? wf.transitions.filter((t) => t.from.includes(c.state)) : [])
    .filter((t) => !destructive.has(t.id))
    .map((t) => `${t.label} (${t.roles.map((r) => (roleNames[r] || r).toLowerCase()).join(' eller ')})`);
  return steps.length ? `Nästa steg tas av någon annan: ${steps.join('; ')}.` : 'Ärendet väntar inte på någon åtgärd.';
}

async function officerOptions(c) {
  const params = new URLSearchParams({ role: 'handlaggare,enhetschef' });
  if (c.unit) params.set('unit', c.unit);
  const people = (await get(`/api/v1/people?${params}`)).items.filter((p) => p.active);
  return people.map((p) => [p.username, `${personLabel(p)}${p.unit && p.unit !== c.unit ? ` (${unitName(p.unit)})` : ''}`]);
}

async function unitOptions(c) {
  const units = (await get(`/api/v1/units?committee=${encodeURIComponent(c.committee)}`)).items;
  return units.map((u) => [u.id, u.parent ? `${u.name}` : u.name]);
}

function transitionForm(c, etag, t, reload) {
  // Every transition may carry a comment (kept in the history); some need one.
  const needsComment = t.guards.some((g) => g.name === 'comment-given');
  const danger = destructive.has(t.id);
  const slots = h('div', {});
  const button = h('button', { type: 'submit', 'data-transition': t.id, class: danger ? 'fara' : '' }, t.label);
  const form = h('form', { class: `overgang${danger ? ' farlig' : ''}`, novalidate: true },
    h('fieldset', {}, h('legend', {}, t.label),
      t.description ? h('p', { class: 'hjalp' }, t.description) : null,
      slots,
      field(needsComment ? 'Kommentar' : 'Kommentar (valfri)', 'comment', { type: 'textarea', rows: 2, required: needsComment }),
      button));
  // Pickers for the people and units the transition sets.
  (async () => {
    for (const f of t.request_fields.filter((x) => x === 'unit' || x === 'officer')) {
      const options = f === 'unit' ? await unitOptions(c) : await officerOptions(c);
      slots.append(field(fieldLabels[f], f, {
        type: 'select', required: true, placeholder: f === 'unit' ? 'Välj enhet' : 'Välj handläggare', options,
        value: f === 'unit' ? c.unit : undefined,
      }));
    }
  })().catch(() => {
    slots.append(h('p', { class: 'fel' }, 'Listan kunde inte hämtas. Ladda om sidan.'));
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const missing = [];
    for (const f of ['unit', 'officer']) {
      if (form.querySelector(`[name="${f}"]`) && !v[f]) missing.push({ field: f, message: f === 'unit' ? 'Välj vilken enhet som ska handlägga ärendet.' : 'Välj handläggare.' });
    }
    if (needsComment && !v.comment) missing.push({ field: 'comment', message: `Skriv en kommentar: ${t.id === 'aterforvisa' ? 'vad som ska kompletteras' : 'varför'}.` });
    if (missing.length) return showErrors(form, { fields: missing });
    if (danger && !await confirmDialog(`${t.label}: ${c.dnr}?`,
      `${c.dnr} ${c.subject} avslutas utan beslut och kan inte handläggas vidare. Motiveringen sparas i historiken.`,
      { confirm: t.label, danger: true })) return undefined;
    const body = { transition: t.id, ...Object.fromEntries(Object.entries(v).filter(([, x]) => x)) };
    button.disabled = true;
    try {
      const r = await post(`/api/v1/cases/${c.id}/transitions`, body, { ifMatch: etag });
      await reload();
      announce(`${t.label}: klart. Ärendets status är nu ${stateLabel(r.state)}.`);
    } catch (err) {
      button.disabled = false;
      if (err.status === 412) {
        await reload();
        announce('Ärendet hade ändrats av någon annan. Sidan visar nu det senaste; försök igen.');
        return undefined;
      }
      showErrors(form, err);
    }
    return undefined;
  });
  return form;
}

// ---- Memo downloads and document files --------------------------------------------

function memoDownloads(c, version) {
  const base = `/api/v1/cases/${c.id}/memo?version=${version}&format=`;
  const name = `tjansteskrivelse-${c.dnr.replace(/[^A-Za-z0-9]+/g, '-')}-v${version}`;
  return h('span', { class: 'nedladdningar' },
    downloadButton('PDF', `${base}pdf`, `${name}.pdf`, { label: `Ladda ned version ${version} som PDF` }),
    downloadButton('DOCX', `${base}docx`, `${name}.docx`, { label: `Ladda ned version ${version} som DOCX (Word)` }),
    downloadButton('ODT', `${base}odt`, `${name}.odt`, { label: `Ladda ned version ${version} som ODT (LibreOffice)` }));
}

// The file of a document: what was uploaded, or for a memo or an extract
// the workflow registered, its rendered PDF. A file whose content is secret
// is not offered to those who see the case masked (the service refuses it).
function documentFile(c, d, versions, decisions, maskedSight) {
  if (maskedSight && d.secrecy && (d.secrecy.fields || []).includes('content')) {
    return h('span', { class: 'markering' }, 'Sekretess, visas inte för dig');
  }
  if (d.size != null) {
    return downloadButton(`Hämta (${formatBytes(d.size)})`, `/api/v1/cases/${c.id}/documents/${d.number}/content`, `handling-${d.number}`,
      { label: `Hämta handling ${d.number} (${formatBytes(d.size)})` });
  }
  if (d.kind === 'tjansteskrivelse') {
    // The version whose text the document is (the same text saved twice is
    // two versions with one fingerprint: the approved one is meant).
    const same = versions.filter((x) => x.sha256 && x.sha256 === d.sha256);
    const v = same.filter((x) => x.approved).pop() || same.pop() || versions.filter((x) => x.approved).pop();
    if (v) {
      return downloadButton('PDF', `/api/v1/cases/${c.id}/memo?version=${v.version}&format=pdf`,
        `tjansteskrivelse-${c.dnr.replace(/[^A-Za-z0-9]+/g, '-')}-v${v.version}.pdf`, { label: `Hämta handling ${d.number}, tjänsteskrivelsen version ${v.version}, som PDF` });
    }
  }
  if (d.kind === 'protokollsutdrag') {
    const match = decisions.find((x) => d.title.includes(x.meeting_date) && (!x.paragraph || d.title.includes(`§ ${x.paragraph}`)));
    if (match) {
      return downloadButton('PDF', `/api/v1/decisions/${match.id}?format=pdf`, `protokollsutdrag-${match.id}.pdf`,
        { label: `Hämta handling ${d.number}, protokollsutdraget, som PDF` });
    }
  }
  return '–';
}

function documentForm(c, provisions, reload) {
  const file = field('Fil', 'content_base64', { type: 'file', hint: 'Valfri. Högst 50 MB.' });
  const secrecy = secrecyFieldset('Handlingen', secretDocumentFields, provisions, 'secrecy');
  const form = h('form', { class: 'formular', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Registrera handling'),
      field('Riktning', 'direction', { type: 'select', required: true, placeholder: 'Välj riktning', options: directions }),
      field('Datum', 'date', { type: 'date', required: true }),
      field('Avsändare eller mottagare', 'counterpart'),
      field('Titel', 'title', { required: true }),
      file,
      secrecy.el),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Registrera handlingen')),
    h('div', { class: 'forloppsplats', 'aria-live': 'polite' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const problems = [...secrecy.problems()];
    if (!v.direction) problems.push({ field: 'direction', message: 'Välj om handlingen har kommit in, upprättats eller skickats.' });
    const chosen = chosenFile(file);
    if (chosen === false) problems.push({ field: 'content_base64', message: 'Filen är större än 50 MB och kan inte registreras här.' });
    if (problems.length) return showErrors(form, { fields: problems });
    try {
      await uploadDocument(form, c.id, {
        direction: v.direction, date: v.date, title: v.title, counterpart: v.counterpart || undefined,
        secrecy: secrecyBody(secrecy.value()),
      }, chosen);
      await reload();
    } catch (err) {
      showErrors(form, err);
    }
    return undefined;
  });
  return form;
}

// A registrar who sees the case masked corrects a secret field by writing
// it anew (the masked text is not put in the field, where saving it would
// replace the real value).
function correctionForm(c, masked, reload) {
  const secret = (f) => masked && c.secrecy.fields.includes(f);
  const maskedHint = 'Uppgiften omfattas av sekretess och visas inte för dig. Skriv hela den rättade uppgiften, eller lämna fältet tomt för att behålla den.';
  const form = h('form', { class: 'formular', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Rätta registreringen'),
      h('p', {}, 'Registreringen raderas aldrig: rättelsen sparas med skäl och syns i historiken.'),
      field('Ärendemening', 'subject', { type: 'textarea', rows: 2, value: secret('subject') ? '' : c.subject, hint: secret('subject') ? maskedHint : undefined }),
      field('Inkom (datum)', 'received', { type: 'date', value: c.received }),
      field('Avsändare', 'senders', { type: 'textarea', rows: 3, value: secret('senders') ? '' : sendersLines(c.senders), hint: secret('senders') ? maskedHint : 'En per rad, parti inom parentes.' }),
      field('Skäl till rättelsen', 'reason', { type: 'textarea', rows: 2, required: true })),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Spara rättelsen')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const body = { reason: v.reason };
    if (secret('subject') ? v.subject : v.subject !== c.subject) body.subject = v.subject;
    if (v.received !== c.received) body.received = v.received;
    if (secret('senders') ? v.senders : v.senders !== sendersLines(c.senders)) body.senders = parseSenders(v.senders);
    const problems = [];
    if (!v.reason) problems.push({ field: 'reason', message: 'Skriv varför registreringen rättas.' });
    if (Object.keys(body).length === 1) problems.push({ field: 'subject', message: 'Ändra minst en uppgift.' });
    if (problems.length) return showErrors(form, { fields: problems });
    try {
      await post(`/api/v1/cases/${c.id}/corrections`, body);
      await reload();
      announce('Rättelsen är sparad.');
    } catch (err) {
      showErrors(form, err);
    }
    return undefined;
  });
  return h('section', { 'aria-labelledby': 'rattelse' }, h('h2', { id: 'rattelse' }, 'Rättelse'), form);
}

// ---- History in words ----------------------------------------------------------------

const actionLabels = {
  'case.register': 'Ärendet registrerades', 'case.import': 'Ärendet lästes in', 'case.correct': 'Registreringen rättades',
  'case.transition': 'Ärendet flyttades', 'case.migrate': 'Ny version av arbetsgången', 'document.register': 'Handling registrerades',
  'memo.save': 'Tjänsteskrivelsen sparades', 'meeting.agenda_add': 'Sattes på dagordningen', 'decision.record': 'Beslut registrerades',
  'minutes.draw': 'Protokollet upprättades', 'minutes.attest': 'Protokollet justerades', 'minutes.post': 'Protokollet anslogs',
  'case.secret_read': 'Sekretessbelagda uppgifter visades', 'document.secret_read': 'En sekretessbelagd handling öppnades',
};

function eventLabel(e) {
  if (e.action === 'case.transition' && e.detail?.transition) return transitionLabel(e.detail.transition);
  return actionLabels[e.action] || e.action;
}

const fieldNames = {
  subject: 'Ärendemening', received: 'Inkom', senders: 'Avsändare', unit: 'Enhet', officer: 'Handläggare',
  title: 'Titel', counterpart: 'Avsändare eller mottagare', date: 'Datum', direction: 'Riktning',
};

function parsed(v) {
  if (typeof v !== 'string') return v;
  try { return JSON.parse(v); } catch { return v; }
}

// One value of a field in words: senders as names, dates as dates, units and
// people by name.
function valueText(fieldName, raw) {
  const v = parsed(raw);
  if (v === null || v === undefined || v === '') return '(tomt)';
  if (fieldName === 'senders' && Array.isArray(v)) return sendersText(v) || '(ingen)';
  if ((fieldName === 'received' || fieldName === 'date') && typeof v === 'string') return formatDate(v);
  if (fieldName === 'unit') return unitName(String(v));
  if (fieldName === 'officer') return personName(String(v));
  if (fieldName === 'direction') return directionLabels[v] || String(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? Object.values(x).join(' ') : String(x))).join(', ');
  if (typeof v === 'object') return Object.values(v).join(' ');
  return String(v);
}

function detailText(e) {
  const d = e.detail || {};
  const parts = [];
  switch (e.action) {
    case 'case.register':
      if (d.dnr) parts.push(`Diarienummer ${d.dnr}`);
      if (d.secrecy) parts.push(`sekretess enligt ${d.secrecy.provision}${d.secrecy.reason ? ` (skäl: ${d.secrecy.reason})` : ''}`);
      break;
    case 'case.correct':
      for (const ch of d.changes || []) parts.push(`${fieldNames[ch.field] || ch.field}: ${valueText(ch.field, ch.before)} → ${valueText(ch.field, ch.after)}`);
      if (d.reason) parts.push(`Skäl: ${d.reason}`);
      break;
    case 'case.transition':
      if (d.from && d.to) parts.push(`${stateLabel(d.from)} → ${stateLabel(d.to)}`);
      if (d.unit) parts.push(`Enhet: ${unitName(d.unit)}`);
      if (d.officer) parts.push(`Handläggare: ${personName(d.officer)}`);
      if (d.memo_version) parts.push(`Tjänsteskrivelsen version ${d.memo_version}`);
      if (d.document) parts.push(`Handling ${d.document} registrerades`);
      if (d.comment) parts.push(`Kommentar: ${d.comment}`);
      break;
    case 'document.register':
      if (d.number) parts.push(`Handling ${d.number}`);
      if (d.title) parts.push(d.title);
      if (d.direction) parts.push(directionLabels[d.direction] || d.direction);
      if (d.counterpart) parts.push(d.counterpart);
      if (d.secrecy) parts.push(`sekretess enligt ${d.secrecy.provision}${d.secrecy.reason ? ` (skäl: ${d.secrecy.reason})` : ''}`);
      break;
    case 'memo.save':
      if (d.version) parts.push(`Version ${d.version}`);
      break;
    default:
      for (const [k, v] of Object.entries(d)) {
        if (k === 'sha256' || v === null || typeof v === 'object') continue;
        if (k === 'state' || k === 'from' || k === 'to') parts.push(`${stateLabel(String(v))}`);
        else if (k === 'meeting_date' || k === 'date') parts.push(formatDate(String(v)));
        else if (k === 'outcome') parts.push(`Utfall: ${String(v).replace('_', ' ')}`);
        else if (k === 'paragraph') parts.push(`§ ${v}`);
        else if (k === 'transition') parts.push(transitionLabel(String(v)));
      }
  }
  return parts.join('. ');
}

export { hashFor };
