// Things several pages share: the organisation (committees, units, the OSL
// provisions it uses), the people directory and the workflows, for names and
// labels (pages show names, never ids or usernames); pagination, progress bars
// and download buttons.
import { get, download, currentUser, whenUserChanges } from './api.js';
import { h, clear, announce, formatBytes } from './dom.js';

let committees = null;
let workflows = null;
let units = null;
let people = null;
let provisions = null;

// A new user may see other things: read them again.
whenUserChanges(() => { workflows = null; people = null; units = null; provisions = null; });

export async function loadUnits() {
  if (!units && currentUser()) units = (await get('/api/v1/units')).items;
  return units || [];
}

export function unitName(id) {
  if (!id) return '';
  return (units || []).find((u) => u.id === id)?.name || id;
}

// Every person in the directory (also those whose accounts are disabled, so
// old history keeps its names), by username.
export async function loadPeople() {
  if (!people && currentUser()) {
    people = new Map((await get('/api/v1/people')).items.map((p) => [p.username, p]));
  }
  return people || new Map();
}

export function personName(username) {
  if (!username) return '';
  return people?.get(username)?.name || username;
}

// "Nina Vallin Nielsen, Kvalitetsutvecklare"
export function personLabel(p) {
  return p.title ? `${p.name}, ${p.title}` : p.name;
}

export async function loadProvisions() {
  if (!provisions && currentUser()) provisions = (await get('/api/v1/secrecy-provisions')).items;
  return provisions || [];
}

export async function loadCommittees() {
  if (!committees) committees = (await get('/api/v1/committees')).items;
  return committees;
}

export async function loadWorkflows() {
  if (!workflows && currentUser()) workflows = (await get('/api/v1/workflows')).items;
  return workflows || [];
}

// The label of a state ("Klar för nämnd"), from the workflows when signed in.
export function stateLabel(id) {
  for (const wf of workflows || []) {
    const s = wf.states.find((st) => st.id === id);
    if (s) return s.label;
  }
  const text = String(id || '').replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// The workflow a case runs on (its version, else the latest loaded).
export function workflowOf(c) {
  const all = workflows || [];
  return all.find((w) => w.id === c.workflow && w.version === c.workflow_version) || all.find((w) => w.id === c.workflow) || null;
}

export function transitionLabel(id) {
  for (const wf of workflows || []) {
    const t = wf.transitions.find((tr) => tr.id === id);
    if (t) return t.label;
  }
  return id;
}

export function allStates() {
  const seen = new Map();
  for (const wf of workflows || []) for (const s of wf.states) if (!seen.has(s.id)) seen.set(s.id, s.label);
  return [...seen.entries()];
}

export function allKinds() {
  const kinds = new Set();
  for (const wf of workflows || []) for (const k of wf.kinds) kinds.add(k);
  return [...kinds];
}

export const kindLabels = {
  politikerinitiativ: 'Politikerinitiativ', motion: 'Motion', medborgarforslag: 'Medborgarförslag',
};

export const directionLabels = { inkommen: 'Inkommen', upprattad: 'Upprättad', utgaende: 'Utgående' };

export const roleNames = {
  registrator: 'Registrator', handlaggare: 'Handläggare', enhetschef: 'Enhetschef',
  namndsekreterare: 'Nämndsekreterare', ledamot: 'Ledamot', admin: 'Administratör',
};

// The fields a case's and a document's secrecy can name, as the forms say them.
export const secretCaseFields = [['subject', 'Ärendemening'], ['senders', 'Avsändare']];
export const secretDocumentFields = [['counterpart', 'Avsändare eller mottagare'], ['title', 'Titel'], ['content', 'Filens innehåll']];

export function committeeName(id) {
  return (committees || []).find((c) => c.id === id)?.name || id;
}

export const outcomeLabels = {
  bifall: 'Bifall', avslag: 'Avslag', delvis_bifall: 'Delvis bifall', besvarad: 'Besvarad',
  aterremiss: 'Återremiss', bordlaggning: 'Bordläggning',
};

export function sendersText(senders) {
  return (senders || []).map((s) => s.name + (s.party ? ` (${s.party})` : '') + (s.organisation ? `, ${s.organisation}` : '')).join(', ');
}

// A progress bar with a text beside it; update(done, total|null).
export function progress(label) {
  const bar = h('progress', { max: '100', 'aria-label': label });
  const text = h('span', { class: 'forloppstext' }, label);
  const el = h('div', { class: 'forlopp' }, bar, text);
  return {
    el,
    remove() { el.remove(); },
    update(done, total) {
      if (total) {
        const pct = Math.round((done / total) * 100);
        bar.value = pct;
        text.textContent = `${label}: ${pct} % (${formatBytes(done)} av ${formatBytes(total)})`;
      } else {
        bar.removeAttribute('value');
        text.textContent = done ? `${label}: ${formatBytes(done)}` : `${label} …`;
      }
    },
  };
}

// A button that fetches a rendered document (a PDF, say) and shows progress
// while the service renders and sends it.
// opts.label: a longer accessible name that contains the visible text
// ("Ladda ned version 2 som PDF" for a button that says "PDF").
export function downloadButton(text, path, fallbackName, opts = {}) {
  const slot = h('span', { class: 'nedladdning' });
  const button = h('button', { type: 'button', class: 'sekundar', 'aria-label': opts.label }, text);
  button.addEventListener('click', async () => {
    button.disabled = true;
    const p = progress(`Hämtar ${fallbackName}`);
    clear(slot).append(p.el);
    p.update(0, null);
    try {
      const r = await download(path, fallbackName, (done, total) => p.update(done, total));
      clear(slot).append(h('span', {}, `Hämtad: ${r.name} (${formatBytes(r.size)})`));
      announce(`${r.name} är hämtad.`);
    } catch (err) {
      clear(slot).append(h('span', { class: 'fel', role: 'alert' }, err.message));
    } finally {
      button.disabled = false;
    }
  });
  return h('span', { class: 'nedladdningsknapp' }, button, ' ', slot);
}

// "Nästa sida" from a keyset cursor; "Första sidan" when not on it.
export function pager(route, next, go) {
  const q = Object.fromEntries(route.query.entries());
  const nav = h('nav', { class: 'bladdring', 'aria-label': 'Sidor' });
  if (q.cursor) nav.append(h('a', { href: hashFor(route.path, { ...q, cursor: '' }) }, 'Första sidan'));
  if (next) nav.append(h('a', { href: hashFor(route.path, { ...q, cursor: next }), rel: 'next' }, 'Nästa sida'));
  return nav;
}

export function hashFor(path, query) {
  const qs = new URLSearchParams(Object.entries(query || {}).filter(([, v]) => v)).toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

// Today as the service counts it (its clock; Europe/Stockholm is near enough
// for marking deadlines).
export async function serviceToday() {
  try {
    const health = await get('/health');
    return String(health.time).slice(0, 10);
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

// The nearer of the case's deadlines: the current step's and the whole
// case's; marked when it has passed.
export function nextDeadline(c) {
  return [c.state_deadline, c.deadline].filter(Boolean).sort()[0] || null;
}

export function deadlineCell(c, today) {
  const deadline = nextDeadline(c);
  if (!deadline || c.closed) return '–';
  const late = today && deadline < today;
  return h('span', { class: late ? 'forsenad' : '' }, deadline, late ? ' (passerad)' : '');
}
