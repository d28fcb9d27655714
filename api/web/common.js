// Things several pages share: the committees and workflows (for labels),
// pagination, progress bars and download buttons.
import { get, download, currentUser } from './api.js';
import { h, clear, announce, formatBytes } from './dom.js';

let committees = null;
let workflows = null;

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
export function downloadButton(text, path, fallbackName) {
  const slot = h('span', { class: 'nedladdning' });
  const button = h('button', { type: 'button', class: 'sekundar' }, text);
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
