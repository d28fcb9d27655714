// Meetings: the list and a new meeting; the meeting page with the agenda
// (built from ready cases and standing items, reordered, items struck), the
// notice (kallelse) and its versions, time, place and attendance (chair,
// adjusters and members present chosen from the committee's members by name;
// party and serving substitutes beside them), decisions with yrkanden,
// beslutsgång, votes, reservations, protokollsanteckningar and jäv,
// corrections before justering and rättelser after it, the minutes,
// justering with the password again, anslag and the expediering (outbox).
import { get, post, api, currentUser } from './api.js';
import { h, clear, append, field, choices, checkedValues, formValues, showErrors, clearErrors, announce, table, formatDate, formatInstant } from './dom.js';
import { loadCommittees, loadPeople, outcomeLabels, downloadButton, serviceToday, personName, personLabel } from './common.js';
import { go } from './app.js';

const lines = (text) => String(text || '').split('\n').map((l) => l.trim()).filter(Boolean);

const standingKinds = [
  ['val_av_justerare', 'Val av justerare'],
  ['delegationsbeslut', 'Anmälan av delegationsbeslut'],
  ['information', 'Information'],
  ['ovrigt', 'Övrigt'],
];

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

// Those present who are not chosen from the members (substitutes, officials):
// one a line, "namn; roll; parti; ersättare för" (a comma also separates
// name and role when there is no semicolon). Names, never usernames.
function othersText(list) {
  return (list || []).map((a) => [a.name, a.role, a.party || '', a.substitute_for || '']
    .join('; ').replace(/(; )+$/, '')).join('\n');
}
function othersFrom(text) {
  return lines(text).map((l) => {
    const parts = (l.includes(';') ? l.split(';') : l.split(',')).map((s) => (s || '').trim());
    const [name, role, party, substituteFor] = parts;
    const a = { name, role: role || 'ledamot' };
    if (party) a.party = party;
    if (substituteFor) a.substitute_for = substituteFor;
    return a;
  });
}
const othersHint = 'En person per rad: namn; roll; parti; ersättare för. Roll är t.ex. ersättare, '
  + 'sekreterare eller tjänsteperson. En tjänstgörande ersättare anger vilken ledamot hen ersätter, '
  + 't.ex. Eva Ek; ersättare; KD; Olle Olsson.';

// The attendance part of a meeting form: the chair, the adjusters and the
// members present picked from the committee's members (each with a party),
// everyone else on lines. `m`, when given, is the meeting whose values the
// fields start from. Returns {node, body(form), fixErrors(err)}.
function attendanceFields(list, user, m) {
  const byUser = new Map(list.map((p) => [p.username, p]));
  const known = (a) => (a.username && byUser.has(a.username)) || list.some((p) => !a.username && p.name === a.name);
  const memberEntry = (p) => (m?.attendance || []).find((a) => a.username === p.username || (!a.username && a.name === p.name));
  const present = m ? list.filter((p) => memberEntry(p)).map((p) => p.username) : list.map((p) => p.username);
  const others = m ? m.attendance.filter((a) => !known(a)) : [{ name: user.name || user.username, role: 'sekreterare' }];
  const options = list.map((p) => [p.username, personLabel(p)]);
  const node = h('div', {},
    list.length ? null : h('p', { class: 'upplysning' }, 'Nämnden har inga ledamöter i Kansli ännu. Administratören lägger till dem.'),
    field('Ordförande', 'chair', { type: 'select', placeholder: 'Välj ordförande', options, value: m?.chair || '', hint: 'Ordföranden justerar protokollet.' }),
    choices('Justerare', 'adjusters', options, { values: m?.adjusters || [], hint: 'Den eller de ledamöter som justerar protokollet med ordföranden.' }),
    choices('Närvarande ledamöter', 'present', options, { values: present }),
    list.length
      ? h('fieldset', { class: 'val parti' }, h('legend', {}, 'Parti'),
        h('p', { class: 'hjalp' }, 'Partibeteckningen visas i protokollet och vid omröstning, t.ex. S eller M.'),
        list.map((p) => field(p.name, `party.${p.username}`, { value: memberEntry(p)?.party || '' })))
      : null,
    field('Övriga närvarande', 'attendance', { type: 'textarea', rows: 4, value: othersText(others), hint: othersHint }));
  let presentOrder = [];
  const body = (form) => {
    const v = formValues(form);
    const chosen = checkedValues(form, 'present');
    // The chair first, as the minutes list those present.
    presentOrder = [...chosen].sort((a, b) => (b === v.chair) - (a === v.chair));
    return {
      chair: v.chair || undefined,
      adjusters: checkedValues(form, 'adjusters'),
      attendance: [
        ...presentOrder.map((u) => {
          const a = { name: byUser.get(u)?.name || u, role: u === v.chair ? 'ordförande' : 'ledamot', username: u };
          const party = (v[`party.${u}`] || '').trim();
          if (party) a.party = party;
          return a;
        }),
        ...othersFrom(v.attendance),
      ],
    };
  };
  // Checks made before anything is sent, beside the fields.
  const check = (form) => {
    const v = formValues(form);
    const adjusters = checkedValues(form, 'adjusters');
    const chosen = checkedValues(form, 'present');
    const problems = [];
    if (v.chair && adjusters.includes(v.chair)) problems.push({ field: 'adjusters', message: 'Ordföranden justerar redan; välj någon annan som justerare.' });
    for (const a of [v.chair, ...adjusters].filter(Boolean)) {
      if (!chosen.includes(a)) problems.push({ field: 'present', message: `${byUser.get(a)?.name || a} ska justera och måste vara närvarande.` });
    }
    return problems;
  };
  // The service names attendance[i]: a member picked lands at the members,
  // any other at its line of "Övriga närvarande".
  const fixErrors = (err) => {
    const fields = (err.fields || []).map((fe) => {
      const x = /^attendance\[(\d+)\]/.exec(fe.field || '');
      if (!x) return fe;
      const i = Number(x[1]);
      if (i < presentOrder.length) {
        return { field: 'present', message: `${byUser.get(presentOrder[i])?.name || presentOrder[i]}: ${fe.message}` };
      }
      return { field: `attendance[${i - presentOrder.length}]`, message: fe.message };
    });
    return { message: err.message, fields };
  };
  return { node, body, check, fixErrors };
}

async function newMeetingForm(user, committees) {
  const mine = committees.filter((c) => !user.committee || c.id === user.committee);
  const people = h('div', {});
  const fillPeople = async (committee) => {
    people.fields = attendanceFields(committee ? await members(committee) : [], user);
    append(clear(people), people.fields.node);
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
    const problems = people.fields.check(form);
    if (problems.length) return showErrors(form, { fields: problems });
    const body = {
      committee: v.committee, date: v.date, time: v.time || undefined, place: v.place || undefined,
      ...people.fields.body(form),
    };
    try {
      const m = await post('/api/v1/meetings', body);
      announce(`Sammanträdet ${formatDate(m.date)} är skapat.`);
      go(`/sammantraden/${m.id}`);
    } catch (err) {
      showErrors(form, people.fields.fixErrors(err));
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
    dt('Tid', m.time ? `${m.time}${m.end_time ? `–${m.end_time}` : ''}` : '–'), dt('Plats', m.place || '–'),
    dt('Ordförande', m.chair ? personName(m.chair) : '–'), dt('Justerare', m.adjusters.map(personName).join(', ') || '–'),
    dt('Närvarande', m.attendance.map((a) => `${a.name}${a.party ? ` (${a.party})` : ''}, ${a.role}${a.substitute_for ? ` för ${a.substitute_for}` : ''}`).join('; ') || '–'),
    dt('Kallelse', m.notice_version ? `Skickad, version ${m.notice_version}` : 'Inte skickad'),
    dt('Protokoll', minutesState(m)),
    m.attestations.length ? dt('Justerat av', m.attestations.map((a) => `${personName(a.username)} (${a.capacity === 'ordforande' ? 'ordförande' : 'justerare'}) ${formatInstant(a.at)}, bekräftat med ${a.method}`).join('; ')) : null));

  el.append(h('p', { class: 'knappar' },
    downloadButton('Kallelse med handlingar (PDF)', `/api/v1/meetings/${id}/agenda?format=pdf`, `kallelse-${m.committee}-${m.date}.pdf`),
    m.minutes_drawn ? downloadButton('Protokoll (PDF)', `/api/v1/meetings/${id}/protocol?format=pdf`, `protokoll-${m.committee}-${m.date}.pdf`) : null));

  el.append(agendaSection(m, isSecretary, reload));

  if (isSecretary && !m.minutes_drawn) {
    el.append(noticeSection(m, reload));
    el.append(await addItemForms(m, reload));
  }
  if (isSecretary && !m.attested) {
    for (const it of m.items.filter((i) => !i.decision)) el.append(decisionForm(m, it, reload));
    for (const it of m.items.filter((i) => i.decision)) el.append(decisionForm(m, it, reload, it.decision));
    el.append(await meetingChangeForm(m, user, reload));
    if (!m.minutes_drawn) {
      el.append(actionSection('protokoll-rubrik', 'Protokollet',
        'När alla ärenden är beslutade upprättas protokollet; paragraferna numreras då och dagordningen låses.',
        'Upprätta protokollet', () => post(`/api/v1/meetings/${id}/minutes`, {}), reload, 'Protokollet är upprättat.'));
    }
  }
  const mayAttest = m.minutes_drawn && !m.attested &&
    (m.chair === user.username || m.adjusters.includes(user.username)) &&
    !m.attestations.some((a) => a.username === user.username);
  if (mayAttest) el.append(attestSection(m, user, reload));
  if (isSecretary && m.attested) {
    for (const it of m.items.filter((i) => i.decision)) el.append(rectificationForm(m, it, reload));
  }
  if (isSecretary && m.attested && !m.posted_on) {
    el.append(actionSection('anslag-rubrik', 'Anslag',
      'Det justerade protokollet anslås på anslagstavlan; tiden för överklagande räknas från anslaget.',
      'Anslå protokollet', () => post(`/api/v1/meetings/${id}/post`, {}), reload, 'Protokollet är anslaget.'));
  }
  if (isSecretary && m.attested) el.append(await expedieringSection(m, reload));
}

function dt(term, value) { return h('div', {}, h('dt', {}, term), h('dd', {}, value)); }

function agendaSection(m, isSecretary, reload) {
  const editable = isSecretary && !m.minutes_drawn;
  const sec = h('section', { 'aria-labelledby': 'dagordning' }, h('h2', { id: 'dagordning' }, 'Föredragningslista'));
  if (!m.items.length) {
    sec.append(h('p', {}, 'Inga punkter ännu.'));
    return sec;
  }
  const headers = ['Punkt', 'Ärende', 'Paragraf', 'Beslut'];
  if (editable) headers.push('Ändra');
  sec.append(table('Punkter på föredragningslistan', headers,
    m.items.map((it, i) => {
      const row = [String(it.item),
        it.case ? h('span', {}, h('a', { href: `#/arenden/${it.case}` }, it.dnr), ` ${it.title}`) : `${it.title} (${it.kind_label})`,
        it.decision?.paragraph_label || (it.paragraph ? `§ ${it.paragraph}` : '–'),
        it.decision ? decisionSummary(it.decision) : 'Inte beslutat'];
      if (editable) row.push(itemControls(m, it, i, reload));
      return row;
    })));
  if (m.pending_changes.length) {
    sec.append(h('p', {}, `Ändringar sedan kallelsen skickades (kommer med i version ${m.notice_version + 1}):`),
      h('ul', {}, m.pending_changes.map((c) => h('li', {}, c))));
  }
  return sec;
}

function itemControls(m, it, index, reload) {
  const label = it.case ? it.dnr : it.title;
  const order = m.items.map((x) => x.item);
  const move = async (delta) => {
    const target = index + delta;
    [order[index], order[target]] = [order[target], order[index]];
    await api('PUT', `/api/v1/meetings/${m.id}/agenda/order`, { json: { order } });
    await reload(`Punkten ${label} är flyttad.`);
  };
  const guard = (fn) => async () => {
    try { await fn(); } catch (err) { announce(err.message); }
  };
  return h('span', { class: 'knappar' },
    index > 0 ? h('button', { type: 'button', class: 'sekundar', 'aria-label': `Flytta upp ${label}`, onclick: guard(() => move(-1)) }, 'Upp') : null,
    index + 1 < m.items.length ? h('button', { type: 'button', class: 'sekundar', 'aria-label': `Flytta ned ${label}`, onclick: guard(() => move(1)) }, 'Ned') : null,
    it.decision ? null : h('button', {
      type: 'button', class: 'sekundar', 'aria-label': `Stryk ${label} från dagordningen`,
      onclick: guard(async () => {
        await api('DELETE', `/api/v1/meetings/${m.id}/items/${it.item}`);
        await reload(`Punkten ${label} är struken från dagordningen.`);
      }),
    }, 'Stryk'));
}

function decisionSummary(d) {
  if (d.secrecy) return h('span', {}, h('strong', {}, outcomeLabels[d.outcome] || d.outcome_label || 'Beslutat'), h('br'), d.secrecy);
  const parts = [h('strong', {}, outcomeLabels[d.outcome] || (d.outcome === 'noteras' ? 'Noteras' : d.outcome ? d.outcome_label : 'Utan utfall'))];
  if (d.version > 1) parts.push(` (version ${d.version})`);
  if (d.text) parts.push(h('br'), d.text);
  for (const mo of d.motions || []) {
    parts.push(h('br'), `${mo.mover}${mo.supporters?.length ? ` med instämmande av ${mo.supporters.join(', ')}` : ''} yrkar ${mo.text}`);
  }
  for (const v of d.votings || []) parts.push(h('br'), `Omröstning: ${v.yes} ja, ${v.no} nej, ${v.abstain} avstår`);
  if (d.reservations?.length) parts.push(h('br'), `Reservationer: ${d.reservations.map((r) => r.name + (r.reason ? ` (${r.reason})` : '')).join('; ')}`);
  for (const r of d.rectifications || []) parts.push(h('br'), `Rättelse ${r.recorded_at.slice(0, 10)}: ${r.text}`);
  return h('span', {}, parts);
}

function noticeSection(m, reload) {
  const pending = m.pending_changes.length;
  const text = !m.notice_version
    ? 'Kallelsen med föredragningslistan och handlingarna skickas till ledamöter och ersättare. Efter det blir varje ändring en ny version.'
    : pending
      ? `Kallelsen är skickad (version ${m.notice_version}). ${pending} ändring${pending === 1 ? '' : 'ar'} väntar: skicka version ${m.notice_version + 1}.`
      : `Kallelsen är skickad (version ${m.notice_version}) och inget har ändrats sedan dess.`;
  const sec = actionSection('kallelse-rubrik', 'Kallelse', text,
    m.notice_version ? `Skicka version ${m.notice_version + 1}` : 'Skicka kallelsen',
    () => post(`/api/v1/meetings/${m.id}/notice`, {}), reload, 'Kallelsen är skickad.');
  if (m.notice_version && !pending) sec.querySelector('button[type="submit"]').disabled = true;
  if (m.notices.length) {
    sec.append(table('Skickade versioner av kallelsen', ['Version', 'Skickad', 'Ändringar'],
      m.notices.map((n) => [String(n.version), formatInstant(n.sent_at), n.changes.join('; ') || '–'])));
  }
  return sec;
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
    field('Stående punkt eller annan punkt utan ärende', 'title', { hint: 'T.ex. Val av justerare, Anmälan av delegationsbeslut, Information.' }),
    field('Sort', 'kind', { type: 'select', options: [['', 'Efter rubriken'], ...standingKinds] }),
    field('Plats på listan', 'position', { type: 'number', inputmode: 'numeric', hint: 'Lämna tomt för sist.' }),
    h('div', { class: 'knappar' }, h('button', { type: 'submit', class: 'sekundar' }, 'Lägg till punkten')));
  titleForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(titleForm);
    const v = formValues(titleForm);
    try {
      await post(`/api/v1/meetings/${m.id}/items`, {
        title: v.title, kind: v.kind || undefined, position: v.position ? Number(v.position) : undefined,
      });
      await reload('Punkten är tillagd.');
    } catch (err) {
      showErrors(titleForm, err);
    }
  });
  sec.append(caseForm, titleForm);
  return sec;
}

// Rows of a repeated group (yrkanden, reservationer, anteckningar): each row
// a fieldset whose fields are named as the API's ("motions[0].mover"), so an
// error lands beside its field. `make(i, value)` builds the row's fields.
function repeated(legend, name, addText, make, values) {
  const rows = h('div', { class: 'rader' });
  const add = (value) => {
    const i = rows.children.length;
    rows.append(h('fieldset', { class: 'rad' }, h('legend', {}, `${legend} ${i + 1}`), make(`${name}[${i}]`, value || {})));
  };
  for (const v of values.length ? values : [{}]) add(v);
  const button = h('button', { type: 'button', class: 'sekundar' }, addText);
  button.addEventListener('click', () => {
    add({});
    const inputs = rows.lastElementChild.querySelectorAll('input, textarea, select');
    if (inputs.length) inputs[0].focus();
  });
  const wrap = h('div', { class: 'upprepad' }, rows, button);
  wrap.rowsOf = (form) => [...rows.children].map((_, i) => {
    const out = {};
    for (const el of form.querySelectorAll(`[name^="${name}[${i}]."]`)) out[el.name.slice(`${name}[${i}].`.length)] = el.value.trim();
    return out;
  });
  return wrap;
}

function deciders(m) {
  return m.attendance.filter((a) => a.presence === 'ledamot' || a.presence === 'tjanstgorande_ersattare');
}

function decisionForm(m, it, reload, existing) {
  const label = it.case ? `${it.dnr} ${it.title}` : it.title;
  const d = existing || {};
  const standing = it.kind !== 'arende';
  const outcomes = [...Object.entries(outcomeLabels)];
  if (standing) outcomes.unshift(['noteras', 'Noteras'], ['', 'Inget utfall']);
  const voters = deciders(m);
  const firstVoting = (d.votings || [])[0] || {};
  const voteOf = (name) => (firstVoting.ballots || []).find((b) => b.name === name)?.vote || '';
  const motions = repeated('Yrkande', 'motions', 'Lägg till ett yrkande', (prefix, v) => [
    field('Vem yrkar', `${prefix}.mover`, { value: v.mover, hint: 'Namn och parti, t.ex. Andreas Falk (S).' }),
    field('Yrkande', `${prefix}.text`, { value: v.text, hint: 'T.ex. bifall till förslaget.' }),
    field('Med instämmande av', `${prefix}.supporters`, { value: (v.supporters || []).join(', '), hint: 'Flera skiljs med kommatecken.' }),
  ], d.motions || []);
  const reservations = repeated('Reservation', 'reservations', 'Lägg till en reservation', (prefix, v) => [
    field('Vem reserverar sig', `${prefix}.name`, { value: v.name }),
    field('Skäl', `${prefix}.reason`, { type: 'textarea', rows: 2, value: v.reason }),
  ], d.reservations || []);
  const notes = repeated('Protokollsanteckning', 'notes', 'Lägg till en protokollsanteckning', (prefix, v) => [
    field('Vem', `${prefix}.name`, { value: v.name }),
    field('Anteckning', `${prefix}.text`, { type: 'textarea', rows: 2, value: v.text }),
  ], d.notes || []);
  const form = h('form', { class: 'formular beslut', novalidate: true },
    h('fieldset', {}, h('legend', {}, `${existing ? 'Rätta beslutet' : 'Beslut'} i punkt ${it.item}: ${label}`),
      field('Utfall', 'outcome', { type: 'select', required: !standing, options: outcomes, value: d.outcome ?? (standing ? 'noteras' : 'bifall') }),
      field('Beslutstext', 'text', { type: 'textarea', rows: 4, value: d.text && !d.clauses?.length ? d.text : '' }),
      field('Sammanfattning', 'summary', { type: 'textarea', rows: 3, value: d.summary }),
      field('Beslutsunderlag', 'basis', { type: 'textarea', rows: 2, value: (d.basis || []).join('\n'), hint: 'En handling per rad.' }),
      field('Under överläggningen yttrar sig', 'speakers', { value: (d.speakers || []).join(', '), hint: 'Flera skiljs med kommatecken.' })),
    h('fieldset', {}, h('legend', {}, 'Yrkanden'), motions),
    h('fieldset', {}, h('legend', {}, 'Beslutsgång'),
      field('Propositioner', 'propositions', { type: 'textarea', rows: 2, value: (d.propositions || []).join('\n'), hint: 'En mening per rad: ordförandens propositioner och vad nämnden fann.' })),
    h('fieldset', {}, h('legend', {}, 'Omröstning'),
      field('Propositionsordning', 'votings[0].proposition', { value: firstVoting.proposition, hint: 'Fylls i bara vid omröstning, t.ex. Ja för bifall, nej för avslag.' }),
      voters.map((a, i) => field(`Röst: ${a.name}${a.party ? ` (${a.party})` : ''}`, `votings[0].ballots[${i}].vote`, {
        type: 'select', options: [['', 'Röstade inte'], ['ja', 'Ja'], ['nej', 'Nej'], ['avstar', 'Avstår']],
        value: voteOf(a.party ? `${a.name} (${a.party})` : a.name) || voteOf(a.name),
      })),
      field('Resultat', 'votings[0].result', { value: firstVoting.result, hint: 'Lämna tomt så skrivs resultatet efter rösterna.' })),
    h('fieldset', {}, h('legend', {}, 'Reservationer'), reservations),
    h('fieldset', {}, h('legend', {}, 'Protokollsanteckningar'), notes),
    h('fieldset', {}, h('legend', {}, 'Jäv och expediering'),
      field('Jäv (deltar inte i handläggningen)', 'disqualified', { type: 'textarea', rows: 2, value: (d.disqualified || []).join('\n'), hint: 'En person per rad.' }),
      field('Beslutet skickas till', 'send_to', { type: 'textarea', rows: 2, value: (d.send_to || []).join('\n'), hint: 'En mottagare per rad, gärna med e-post: Namn <adress>.' })),
    existing ? field('Varför rättas beslutet', 'reason', { type: 'textarea', rows: 2, required: true, hint: 'Sparas med den tidigare versionen.' }) : null,
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, existing ? 'Spara rättelsen' : 'Registrera beslutet')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const list = (s) => String(s || '').split(',').map((x) => x.trim()).filter(Boolean);
    const ballots = voters.map((a, i) => ({ name: a.party ? `${a.name} (${a.party})` : a.name, vote: v[`votings[0].ballots[${i}].vote`] }))
      .filter((b) => b.vote);
    const body = {
      outcome: v.outcome || undefined,
      text: v.text || undefined,
      summary: v.summary || undefined,
      basis: lines(v.basis),
      speakers: list(v.speakers),
      motions: motions.rowsOf(form).filter((r) => r.mover || r.text)
        .map((r) => ({ mover: r.mover, text: r.text, supporters: list(r.supporters) })),
      propositions: lines(v.propositions),
      votings: v['votings[0].proposition'] || ballots.length
        ? [{ proposition: v['votings[0].proposition'], ballots, result: v['votings[0].result'] || undefined }] : [],
      reservations: reservations.rowsOf(form).filter((r) => r.name || r.reason)
        .map((r) => (r.reason ? { name: r.name, reason: r.reason } : { name: r.name })),
      notes: notes.rowsOf(form).filter((r) => r.name || r.text),
      disqualified: lines(v.disqualified),
      send_to: lines(v.send_to),
    };
    try {
      const url = `/api/v1/meetings/${m.id}/items/${it.item}/decision`;
      if (existing) {
        await api('PUT', url, { json: { ...body, reason: v.reason } });
        await reload(`Beslutet i punkt ${it.item} är rättat.`);
      } else {
        const dec = await post(url, body);
        await reload(`Beslutet i punkt ${it.item} är registrerat: ${outcomeLabels[dec.outcome] || dec.outcome_label || dec.outcome}.`);
      }
    } catch (err) {
      showErrors(form, err);
    }
  });
  const headingId = `beslut-${it.item}`;
  const sec = h('section', { 'aria-labelledby': headingId }, h('h2', { id: headingId }, `${existing ? 'Rätta beslutet' : 'Beslut'} i punkt ${it.item}`));
  if (existing) {
    // The recorded decision stays in view; its correction form opens on request.
    const details = h('details', { class: 'hjalpruta' }, h('summary', {}, 'Rätta beslutet före justeringen'), form);
    sec.append(h('p', {}, decisionSummary(existing)), details);
    if (existing.history?.length) {
      sec.append(table(`Tidigare versioner av beslutet i punkt ${it.item}`, ['Version', 'Beslut', 'Ersatt', 'Skäl'],
        existing.history.map((v) => [String(v.version), v.text, `${formatInstant(v.replaced_at)} av ${personName(v.replaced_by)}`, v.reason])));
    }
  } else {
    sec.append(form);
  }
  return sec;
}

async function meetingChangeForm(m, user, reload) {
  const fields = attendanceFields(await members(m.committee), user, m);
  const form = h('form', { class: 'formular', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Tid, plats och närvaro'),
      field('Klockslag', 'time', { type: 'time', value: m.time }),
      field('Avslutades', 'end_time', { type: 'time', value: m.end_time }),
      field('Plats', 'place', { value: m.place }),
      field('Justeringsdag', 'adjust_date', { type: 'date', value: m.adjust_date }),
      field('Justeringsplats', 'adjust_place', { value: m.adjust_place }),
      fields.node),
    h('div', { class: 'knappar' }, h('button', { type: 'submit', class: 'sekundar' }, 'Spara ändringarna')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const problems = fields.check(form);
    if (problems.length) return showErrors(form, { fields: problems });
    const people = fields.body(form);
    try {
      await api('PATCH', `/api/v1/meetings/${m.id}`, {
        json: {
          time: v.time, end_time: v.end_time, place: v.place, adjust_date: v.adjust_date, adjust_place: v.adjust_place,
          ...people, chair: people.chair || '',
        },
      });
      await reload('Sammanträdet är ändrat.');
    } catch (err) {
      showErrors(form, fields.fixErrors(err));
    }
    return undefined;
  });
  // Closed until needed: the page stays short on the meeting day.
  return h('section', { 'aria-labelledby': 'andra-mote' }, h('h2', { id: 'andra-mote' }, 'Ändra sammanträdet'),
    h('p', {}, 'Tid, plats och närvaro kan ändras tills protokollet är justerat.'),
    h('details', { class: 'hjalpruta' }, h('summary', {}, 'Ändra tid, plats eller närvaro'), form));
}

function attestSection(m, user, reload) {
  const capacity = m.chair === user.username ? 'ordförande' : 'justerare';
  const form = h('form', { class: 'formular smal', novalidate: true },
    h('p', {}, `Du justerar protokollet som ${capacity}. Bekräfta att det är du med ditt lösenord.`),
    field('Ditt lösenord', 'password', { type: 'password', required: true, autocomplete: 'current-password' }),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Justera protokollet')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      await post('/api/v1/session/confirm', { password: form.elements.password.value });
      await post(`/api/v1/meetings/${m.id}/attest`, {});
      await reload('Du har justerat protokollet.');
    } catch (err) {
      form.elements.password.value = '';
      showErrors(form, err);
    }
  });
  return h('section', { 'aria-labelledby': 'justera-rubrik' }, h('h2', { id: 'justera-rubrik' }, 'Justering'), form);
}

function rectificationForm(m, it, reload) {
  const label = it.case ? it.dnr : it.title;
  const form = h('form', { class: 'formular', novalidate: true },
    field('Riktig lydelse', 'text', { type: 'textarea', rows: 3, required: true }),
    field('Vad var fel', 'reason', { type: 'textarea', rows: 2, required: true, hint: 'Rättelsen anmäls i nämndens nästa protokoll.' }),
    h('div', { class: 'knappar' }, h('button', { type: 'submit', class: 'sekundar' }, 'Registrera rättelsen')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    try {
      await post(`/api/v1/meetings/${m.id}/items/${it.item}/decision/rattelse`, { text: v.text, reason: v.reason });
      await reload(`Rättelsen av punkt ${it.item} är registrerad.`);
    } catch (err) {
      showErrors(form, err);
    }
  });
  return h('details', { class: 'hjalpruta' }, h('summary', {}, `Rättelse av beslutet i punkt ${it.item} (${label})`), form);
}

async function expedieringSection(m, reload) {
  const list = await get(`/api/v1/meetings/${m.id}/expediering`);
  const sec = h('section', { 'aria-labelledby': 'expediering-rubrik' }, h('h2', { id: 'expediering-rubrik' }, 'Expediering'));
  sec.append(h('p', {}, list.mail_configured
    ? 'Protokollsutdragen skickas med e-post till mottagare med adress. Övriga står på listan för post.'
    : 'E-post är inte konfigurerad för tjänsten: utdragen väntar här och de utan adress skickas per post.'));
  if (!list.items.length) {
    sec.append(h('p', {}, 'Inga beslut i protokollet ska skickas till någon.'));
    return sec;
  }
  const act = (text, path, done, label) => h('button', {
    type: 'button', class: 'sekundar', 'aria-label': `${text}: ${label}`,
    onclick: async () => {
      try { await post(path, {}); await reload(done); } catch (err) { announce(err.message); }
    },
  }, text);
  sec.append(table('Utskick av protokollsutdrag', ['Mottagare', 'Ärende', 'Läge', 'Försök', 'Åtgärd'],
    list.items.map((e) => [
      h('span', {}, e.recipient, e.address ? h('br') : null, e.address || ''),
      e.subject,
      h('span', { class: e.status === 'failed' || e.status === 'uncertain' ? 'fel' : e.status === 'sent' || e.status === 'posted' ? 'klart' : '' },
        e.status_label,
        e.next_attempt_at ? ` (nästa försök ${formatInstant(e.next_attempt_at)})` : '',
        e.last_error ? h('br') : null, e.last_error || '',
        e.note ? h('br') : null, e.note || ''),
      String(e.attempts),
      h('span', { class: 'knappar' },
        e.status === 'failed' || e.status === 'uncertain'
          ? act('Skicka igen', `/api/v1/outbox/${e.id}/retry`, `Utskicket till ${e.recipient} skickas igen.`, e.recipient) : null,
        e.status === 'post'
          ? act('Skickad per post', `/api/v1/outbox/${e.id}/posted`, `Utskicket till ${e.recipient} är markerat som skickat per post.`, e.recipient) : null,
        e.attachment && (e.status === 'post' || e.status === 'failed')
          ? downloadButton('Utdraget (PDF)', e.attachment, `protokollsutdrag-${e.id}.pdf`) : null),
    ])));
  return sec;
}
