// Meetings: the list and a new meeting; the meeting page with the agenda built
// from ready cases, the notice (kallelse) to download, decisions recorded
// during the meeting, the minutes, justering, and posting on the notice board.
import { get, post, currentUser } from './api.js';
import { h, clear, append, field, choices, checkedValues, formValues, showErrors, clearErrors, announce, table, formatDate, formatInstant } from './dom.js';
import { loadCommittees, loadPeople, outcomeLabels, downloadButton, serviceToday, personName, personLabel } from './common.js';
import { go } from './app.js';

const lines = (text) => String(text || '').split('\n').map((l) => l.trim()).filter(Boolean);

export async function listPage(el) {
  const user = currentUser();
  const committees = await loadCommittees();
  const list = await get(`/api/v1/meetings${user.committee ? `?committee=${encodeURIComponent(user.committee)}` : ''}`);
  el.append(h('h1', {}, 'Sammanträden'));
  const items = [...list.items].sort((a, b) => b.date.localeCompare(a.date));
  el.append(items.length
    ? table('Sammanträden, senaste först', ['Datum', 'Nämnd', 'Plats', 'Protokoll'],
      items.map((m) => [h('a', { href: `#/sammantraden/${m.id}` }, `${formatDate(m.date)}${m.time ? ` kl. ${m.time}` : ''}`),
        m.committee_name || m.committee, m.place || '–', minutesState(m)]))
    : h('p', {}, 'Inga sammanträden.'));
  if (user.role === 'namndsekreterare') el.append(await newMeetingForm(user, committees));
}

function minutesState(m) {
  if (m.posted_on) return `Anslaget ${formatDate(m.posted_on)}, överklagas senast ${formatDate(m.appeal_until)}`;
  if (m.attested) return 'Justerat';
  if (m.minutes_drawn) return 'Upprättat, ej justerat';
  return 'Ej upprättat';
}

// The committee's members, for the pickers of chair, adjusters and attendance.
async function members(committee) {
  const r = await get(`/api/v1/people?role=ledamot&committee=${encodeURIComponent(committee)}`);
  return r.items.filter((p) => p.active);
}

async function newMeetingForm(user, committees) {
  const mine = committees.filter((c) => !user.committee || c.id === user.committee);
  const people = h('div', {});
  const fillPeople = async (committee) => {
    const list = committee ? await members(committee) : [];
    append(clear(people),
      list.length ? null : h('p', { class: 'upplysning' }, 'Nämnden har inga ledamöter i Kansli ännu. Administratören lägger till dem.'),
      field('Ordförande', 'chair', { type: 'select', placeholder: 'Välj ordförande', options: list.map((p) => [p.username, personLabel(p)]), hint: 'Ordföranden justerar protokollet.' }),
      choices('Justerare', 'adjusters', list.map((p) => [p.username, personLabel(p)]), { hint: 'Den eller de ledamöter som justerar protokollet med ordföranden.' }),
      choices('Närvarande ledamöter', 'present', list.map((p) => [p.username, personLabel(p)]), { values: list.map((p) => p.username) }),
      field('Övriga närvarande', 'attendance', { type: 'textarea', rows: 3, value: `${user.name || user.username}, sekreterare`, hint: 'En per rad: namn, roll (t.ex. Eva Ersättare, ersättare).' }));
    people.list = list;
  };
  const form = h('form', { class: 'formular', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Nytt sammanträde'),
      field('Nämnd', 'committee', { type: 'select', required: true, options: mine.map((c) => [c.id, c.name]) }),
      field('Datum', 'date', { type: 'date', required: true, value: await serviceToday() }),
      field('Klockslag', 'time', { type: 'time', value: '13:00' }),
      field('Plats', 'place'),
      people),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Skapa sammanträdet')));
  const committeeSelect = form.querySelector('[name="committee"]');
  await fillPeople(committeeSelect.value);
  committeeSelect.addEventListener('change', () => fillPeople(committeeSelect.value));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const byName = new Map((people.list || []).map((p) => [p.username, p]));
    const adjusters = checkedValues(form, 'adjusters');
    const present = checkedValues(form, 'present');
    const problems = [];
    if (v.chair && adjusters.includes(v.chair)) problems.push({ field: 'adjusters', message: 'Ordföranden justerar redan; välj någon annan som justerare.' });
    for (const a of [v.chair, ...adjusters].filter(Boolean)) {
      if (!present.includes(a)) problems.push({ field: 'present', message: `${byName.get(a)?.name || a} ska justera och måste vara närvarande.` });
    }
    if (problems.length) return showErrors(form, { fields: problems });
    const body = {
      committee: v.committee, date: v.date, time: v.time || undefined, place: v.place || undefined,
      chair: v.chair || undefined,
      adjusters,
      attendance: [
        // The chair first, as the minutes list those present.
        ...[...present].sort((a, b) => (b === v.chair) - (a === v.chair))
          .map((u) => ({ name: byName.get(u)?.name || u, role: u === v.chair ? 'ordförande' : 'ledamot' })),
        ...lines(v.attendance).map((l) => {
          const [name, ...role] = l.split(',');
          return { name: name.trim(), role: role.join(',').trim() || 'ledamot' };
        }),
      ],
    };
    try {
      const m = await post('/api/v1/meetings', body);
      announce(`Sammanträdet ${formatDate(m.date)} är skapat.`);
      go(`/sammantraden/${m.id}`);
    } catch (err) {
      showErrors(form, err);
    }
    return undefined;
  });
  return h('section', { 'aria-labelledby': 'nytt-mote' }, h('h2', { id: 'nytt-mote' }, 'Skapa sammanträde'), form);
}

export async function meetingPage(el, route, id) {
  const user = currentUser();
  await loadPeople();
  const m = await get(`/api/v1/meetings/${id}`);
  const isSecretary = user.role === 'namndsekreterare' && (!user.committee || user.committee === m.committee);
  const reload = async (message) => {
    clear(el);
    await meetingPage(el, route, id);
    const h1 = el.querySelector('h1');
    h1.setAttribute('tabindex', '-1');
    h1.focus();
    if (message) announce(message);
  };

  el.append(h('h1', {}, `${m.committee_name || m.committee} ${formatDate(m.date)}`));
  el.append(h('dl', { class: 'fakta' },
    dt('Tid', m.time || '–'), dt('Plats', m.place || '–'),
    dt('Ordförande', m.chair ? personName(m.chair) : '–'), dt('Justerare', m.adjusters.map(personName).join(', ') || '–'),
    dt('Närvarande', m.attendance.map((a) => `${a.name} (${a.role})`).join(', ') || '–'),
    dt('Protokoll', minutesState(m)),
    m.attestations.length ? dt('Justerat av', m.attestations.map((a) => `${personName(a.username)} (${a.capacity === 'ordforande' ? 'ordförande' : 'justerare'}) ${formatInstant(a.at)}`).join(', ')) : null));

  el.append(h('p', { class: 'knappar' },
    downloadButton('Kallelse med föredragningslista (PDF)', `/api/v1/meetings/${id}/agenda?format=pdf`, `kallelse-${m.committee}-${m.date}.pdf`),
    m.minutes_drawn ? downloadButton('Protokoll (PDF)', `/api/v1/meetings/${id}/protocol?format=pdf`, `protokoll-${m.committee}-${m.date}.pdf`) : null));

  // The agenda.
  const agenda = h('section', { 'aria-labelledby': 'dagordning' }, h('h2', { id: 'dagordning' }, 'Föredragningslista'));
  agenda.append(m.items.length
    ? table('Punkter på föredragningslistan', ['Punkt', 'Ärende', 'Paragraf', 'Beslut'],
      m.items.map((it) => [String(it.item),
        it.case ? h('span', {}, h('a', { href: `#/arenden/${it.case}` }, it.dnr), ` ${it.title}`) : it.title,
        it.decision?.paragraph_label || (it.paragraph ? `§ ${it.paragraph}` : '–'),
        it.decision ? decisionSummary(it.decision) : 'Inte beslutat']))
    : h('p', {}, 'Inga punkter ännu.'));
  el.append(agenda);

  if (isSecretary && !m.attested) {
    el.append(await addItemForms(m, reload));
    for (const it of m.items.filter((i) => !i.decision)) el.append(decisionForm(m, it, reload));
    if (!m.minutes_drawn || !m.attested) {
      el.append(actionSection('protokoll-rubrik', 'Protokollet',
        m.minutes_drawn ? 'Protokollet är upprättat. Det kan upprättas igen tills det är justerat.' : 'När alla punkter är beslutade upprättas protokollet; paragraferna numreras då.',
        'Upprätta protokollet', () => post(`/api/v1/meetings/${id}/minutes`, {}), reload, 'Protokollet är upprättat.'));
    }
  }
  const mayAttest = m.minutes_drawn && !m.attested &&
    (m.chair === user.username || m.adjusters.includes(user.username)) &&
    !m.attestations.some((a) => a.username === user.username);
  if (mayAttest) {
    el.append(actionSection('justera-rubrik', 'Justering',
      `Du justerar protokollet som ${m.chair === user.username ? 'ordförande' : 'justerare'}.`,
      'Justera protokollet', () => post(`/api/v1/meetings/${id}/attest`, {}), reload, 'Du har justerat protokollet.'));
  }
  if (isSecretary && m.attested && !m.posted_on) {
    el.append(actionSection('anslag-rubrik', 'Anslag',
      'Det justerade protokollet anslås på anslagstavlan; tiden för överklagande räknas från anslaget.',
      'Anslå protokollet', () => post(`/api/v1/meetings/${id}/post`, {}), reload, 'Protokollet är anslaget.'));
  }
}

function dt(term, value) { return h('div', {}, h('dt', {}, term), h('dd', {}, value)); }

function decisionSummary(d) {
  const parts = [h('strong', {}, outcomeLabels[d.outcome] || d.outcome_label || d.outcome)];
  if (d.text) parts.push(h('br'), d.text);
  if (d.motions?.length) parts.push(h('br'), `Yrkanden: ${d.motions.map((mo) => `${mo.mover}: ${mo.text}`).join('; ')}`);
  if (d.reservations?.length) parts.push(h('br'), `Reservationer: ${d.reservations.map((r) => r.name + (r.reason ? ` (${r.reason})` : '')).join('; ')}`);
  return h('span', {}, parts);
}

function actionSection(idAttr, heading, text, buttonText, action, reload, done) {
  const form = h('form', { class: 'formular', novalidate: true }, h('p', {}, text),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, buttonText)));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      await action();
      await reload(done);
    } catch (err) {
      showErrors(form, err);
    }
  });
  return h('section', { 'aria-labelledby': idAttr }, h('h2', { id: idAttr }, heading), form);
}

async function addItemForms(m, reload) {
  const ready = await get(`/api/v1/cases?state=klar_for_namnd&committee=${encodeURIComponent(m.committee)}&limit=200`);
  const sec = h('section', { 'aria-labelledby': 'bygg-dagordning' }, h('h2', { id: 'bygg-dagordning' }, 'Bygg dagordningen'));
  const caseForm = ready.items.length
    ? h('form', { class: 'formular', novalidate: true },
      field('Ärende som är klart för nämnden', 'case', { type: 'select', options: ready.items.map((c) => [String(c.id), `${c.dnr} ${c.subject}`]) }),
      h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Lägg till på dagordningen')))
    : h('form', { class: 'formular' }, h('p', {}, 'Inga ärenden är klara för nämnden just nu.'));
  caseForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(caseForm);
    try {
      await post(`/api/v1/meetings/${m.id}/items`, { case: Number(formValues(caseForm).case) });
      await reload('Ärendet är tillagt på dagordningen.');
    } catch (err) {
      showErrors(caseForm, err);
    }
  });
  const titleForm = h('form', { class: 'formular', novalidate: true },
    field('Punkt utan ärende (t.ex. Val av justerare)', 'title'),
    h('div', { class: 'knappar' }, h('button', { type: 'submit', class: 'sekundar' }, 'Lägg till punkten')));
  titleForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(titleForm);
    try {
      await post(`/api/v1/meetings/${m.id}/items`, { title: formValues(titleForm).title });
      await reload('Punkten är tillagd.');
    } catch (err) {
      showErrors(titleForm, err);
    }
  });
  sec.append(caseForm, titleForm);
  return sec;
}

function decisionForm(m, it, reload) {
  const label = it.case ? `${it.dnr} ${it.title}` : it.title;
  const form = h('form', { class: 'formular beslut', novalidate: true },
    h('fieldset', {}, h('legend', {}, `Beslut i punkt ${it.item}: ${label}`),
      field('Utfall', 'outcome', { type: 'select', required: true, options: Object.entries(outcomeLabels) }),
      field('Beslutstext', 'text', { type: 'textarea', rows: 4 }),
      field('Yrkanden', 'motions', { type: 'textarea', rows: 2, hint: 'Ett per rad: vem: yrkande (t.ex. Andreas Falk (S): Bifall till förslaget).' }),
      field('Reservationer', 'reservations', { type: 'textarea', rows: 2, hint: 'En per rad: namn, eller namn: skäl.' }),
      field('Beslutet skickas till', 'send_to', { type: 'textarea', rows: 2, hint: 'En mottagare per rad.' })),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Registrera beslutet')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const split = (l) => {
      const i = l.lastIndexOf(':');
      return i < 0 ? [l, ''] : [l.slice(0, i).trim(), l.slice(i + 1).trim()];
    };
    const body = {
      outcome: v.outcome,
      text: v.text || undefined,
      motions: lines(v.motions).map((l) => { const [mover, text] = split(l); return { mover, text: text || l }; }),
      reservations: lines(v.reservations).map((l) => { const [name, reason] = split(l); return reason ? { name, reason } : { name }; }),
      send_to: lines(v.send_to),
    };
    try {
      const d = await post(`/api/v1/meetings/${m.id}/items/${it.item}/decision`, body);
      await reload(`Beslutet i punkt ${it.item} är registrerat: ${outcomeLabels[d.outcome] || d.outcome_label || d.outcome}.`);
    } catch (err) {
      showErrors(form, err);
    }
  });
  return h('section', { 'aria-labelledby': `beslut-${it.item}` }, h('h2', { id: `beslut-${it.item}` }, `Beslut i punkt ${it.item}`), form);
}
