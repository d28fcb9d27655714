// What members and the public read: decisions with the extract as PDF, the
// public diarium (secret parts masked by the service) and the notice board.
// Signed-in users search /api/v1/decisions (members see their committee's
// decisions before justering); everyone else the public routes.
import { get, currentUser } from './api.js';
import { h, field, formValues, showErrors, table, formatDate } from './dom.js';
import { outcomeLabels, kindLabels, sendersText, stateLabel, loadWorkflows, pager, downloadButton, directionLabels } from './common.js';
import { go } from './app.js';

const base = () => (currentUser() ? '/api/v1' : '/api/v1/public');

export async function decisionsPage(el, route) {
  const q = Object.fromEntries(route.query.entries());
  const form = h('form', { class: 'filter', role: 'search', 'aria-label': 'Sök beslut' },
    field('Sök', 'q', { type: 'search', value: q.q, hint: 'Diarienummer (SOCN 2020/262, 2020/262 eller 262) eller ord ur beslutet. Sista ordet räcker som början av ett ord; "citattecken" söker exakt ordet.' }),
    field('Utfall', 'outcome', { type: 'select', value: q.outcome, options: [['', 'Alla'], ...Object.entries(outcomeLabels)] }),
    field('År', 'year', { value: q.year, inputmode: 'numeric' }),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Sök')));
  form.addEventListener('submit', (e) => { e.preventDefault(); go('/beslut', formValues(form)); });
  el.append(h('h1', {}, 'Beslut'), form);
  const out = h('section', { 'aria-labelledby': 'beslutstraffar' });
  el.append(out);
  const params = new URLSearchParams({ limit: '50' });
  for (const k of ['q', 'outcome', 'year']) if (q[k]) params.set(k, q[k]);
  try {
    const list = await get(`${base()}/decisions?${params}`);
    out.append(h('h2', { id: 'beslutstraffar' }, list.items.length ? `Beslut (${list.items.length})` : 'Inga beslut hittades'));
    if (list.items.length) {
      out.append(table('Beslut', ['Sammanträde', 'Paragraf', 'Diarienummer', 'Ärende', 'Utfall'],
        list.items.map((d) => [`${d.committee_name || d.committee} ${d.meeting_date}`,
          h('a', { href: `#/beslut/${d.id}` }, d.paragraph_label || (d.paragraph ? `§ ${d.paragraph}` : `Punkt ${d.item}`)),
          d.dnr || '–', d.title, outcomeLabels[d.outcome] || d.outcome_label || d.outcome])));
      if (list.items.length === 50) out.append(h('p', {}, 'Visar de 50 första. Förfina sökningen för att se fler.'));
    }
  } catch (err) {
    if (!err.fields?.length) throw err;
    out.append(h('h2', { id: 'beslutstraffar' }, 'Sökningen kunde inte göras'));
    showErrors(form, err);
  }
}

export async function decisionPage(el, route, id) {
  const d = await get(`${base()}/decisions/${id}`);
  const label = d.paragraph_label || (d.paragraph ? `§ ${d.paragraph}` : `Punkt ${d.item}`);
  el.append(h('h1', {}, `${label} ${d.title}`));
  el.append(h('dl', { class: 'fakta' },
    dt('Nämnd', d.committee_name || d.committee),
    dt('Sammanträde', formatDate(d.meeting_date)),
    dt('Diarienummer', d.dnr || '–'),
    dt('Utfall', outcomeLabels[d.outcome] || d.outcome_label || d.outcome),
    dt('Justerat', d.attested ? 'Ja' : 'Nej, protokollet är inte justerat'),
    d.posted_on ? dt('Anslaget', formatDate(d.posted_on)) : null,
    d.appeal_until ? dt('Sista dag att överklaga', formatDate(d.appeal_until)) : null));
  el.append(h('h2', {}, 'Beslut'));
  if (d.text) el.append(h('p', { class: 'beslutstext' }, d.text));
  if (d.clauses?.length) el.append(h('ol', {}, d.clauses.map((c) => h('li', {}, c))));
  if (d.motions?.length) el.append(h('h2', {}, 'Yrkanden'), h('ul', {}, d.motions.map((m) => h('li', {}, `${m.mover}: ${m.text}`))));
  if (d.reservations?.length) el.append(h('h2', {}, 'Reservationer'), h('ul', {}, d.reservations.map((r) => h('li', {}, r.name + (r.reason ? `: ${r.reason}` : '')))));
  if (d.send_to?.length) el.append(h('h2', {}, 'Beslutet skickas till'), h('ul', {}, d.send_to.map((s) => h('li', {}, s))));
  el.append(h('h2', {}, 'Protokollsutdrag'));
  if (d.attested) {
    // Public once attested: a plain link that anyone can open or share.
    el.append(h('p', {},
      h('a', { href: `/api/v1/public/decisions/${id}?format=pdf`, class: 'knapplank', download: '' }, 'Protokollsutdrag (PDF)'),
      ' ',
      h('a', { href: `/api/v1/public/decisions/${id}?format=txt` }, 'som text')));
  } else {
    el.append(h('p', {}, downloadButton('Protokollsutdrag (PDF, ej justerat)', `/api/v1/decisions/${id}?format=pdf`, `protokollsutdrag-${id}.pdf`)));
  }
}

function dt(term, value) { return h('div', {}, h('dt', {}, term), h('dd', {}, value)); }

export async function diariumPage(el, route) {
  await loadWorkflows();
  const q = Object.fromEntries(route.query.entries());
  const form = h('form', { class: 'filter', role: 'search', 'aria-label': 'Sök i det offentliga diariet' },
    field('Sök', 'q', { type: 'search', value: q.q, hint: 'Diarienummer (SOCN 2020/262, 2020/262 eller 262), eller ord ur ärendemening och avsändare. Sista ordet räcker som början av ett ord.' }),
    field('År', 'year', { value: q.year, inputmode: 'numeric' }),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Sök')));
  form.addEventListener('submit', (e) => { e.preventDefault(); go('/offentligt-diarium', formValues(form)); });
  el.append(h('h1', {}, 'Offentligt diarium'),
    h('p', {}, 'Uppgifter som omfattas av sekretess visas inte.'), form);
  const out = h('section', { 'aria-labelledby': 'offentliga-traffar' });
  el.append(out);
  const params = new URLSearchParams({ limit: '20' });
  for (const k of ['q', 'year', 'cursor']) if (q[k]) params.set(k, q[k]);
  try {
    const page = await get(`/api/v1/public/diarium?${params}`);
    out.append(h('h2', { id: 'offentliga-traffar' }, page.items.length ? 'Ärenden' : 'Inga ärenden'));
    if (page.items.length) {
      out.append(table('Ärenden i diariet', ['Diarienummer', 'Ärendemening', 'Inkom', 'Avsändare', 'Status'],
        page.items.map((c) => [h('a', { href: `#/offentligt-diarium/${c.id}` }, c.dnr), c.subject, c.received,
          sendersText(c.senders), stateLabel(c.state)])));
    }
    out.append(pager(route, page.next));
  } catch (err) {
    if (!err.fields?.length) throw err;
    out.append(h('h2', { id: 'offentliga-traffar' }, 'Sökningen kunde inte göras'));
    showErrors(form, err);
  }
}

export async function publicCasePage(el, route, id) {
  await loadWorkflows();
  const c = await get(`/api/v1/public/diarium/${id}`);
  el.append(h('h1', {}, `${c.dnr} ${c.subject}`),
    h('dl', { class: 'fakta' },
      dt('Nämnd', c.committee_name || c.committee),
      dt('Ärendetyp', kindLabels[c.kind] || c.kind),
      dt('Inkom', formatDate(c.received)),
      dt('Avsändare', sendersText(c.senders)),
      dt('Status', stateLabel(c.state)),
      c.secrecy ? dt('Sekretess', c.secrecy) : null));
  const docs = c.documents || [];
  el.append(h('h2', {}, 'Handlingar'), docs.length
    ? table('Handlingar i ärendet', ['Nr', 'Datum', 'Riktning', 'Titel'], docs.map((d) => [String(d.number), d.date, directionLabels[d.direction] || d.direction, d.title]))
    : h('p', {}, 'Inga handlingar.'));
}

export async function anslagPage(el) {
  const board = await get('/api/v1/public/anslag');
  el.append(h('h1', {}, 'Anslagstavla'),
    h('p', {}, 'Justerade protokoll anslås här. Den som vill överklaga ett beslut (laglighetsprövning) ska göra det inom tre veckor från den dag då protokollet anslogs.'));
  el.append(board.items.length
    ? table('Anslagna protokoll', ['Nämnd', 'Sammanträde', 'Handling', 'Anslaget', 'Sista dag att överklaga', 'Protokoll'],
      board.items.map((a) => [a.committee_name || a.committee, formatDate(a.meeting_date), a.document,
        formatDate(a.posted_on), formatDate(a.appeal_until),
        h('span', {}, h('a', { href: `${a.protocol}?format=pdf`, download: '' }, 'PDF'), ' ',
          h('a', { href: `${a.protocol}?format=html` }, 'HTML'))]))
    : h('p', {}, 'Inga protokoll är anslagna.'));
}
