// User administration for administrators: the list, adding a user, editing
// name, title, e-mail, telephone, role, unit and committee, disabling and
// enabling an account, and resetting a password to a one-time password that
// the user replaces at the first sign-in. The service writes every change as
// an audit event.
import { get, post, api, currentUser } from './api.js';
import { h, clear, field, formValues, showErrors, clearErrors, announce, table, confirmDialog } from './dom.js';
import { loadCommittees, loadUnits, roleNames, unitName, committeeName } from './common.js';
import { go } from './app.js';

const roleOptions = Object.entries(roleNames);

function statusText(u) {
  if (u.disabled) return 'Avstängt';
  if (u.locked) return 'Tillfälligt låst efter felaktiga inloggningar';
  if (u.must_change_password) return 'Ska byta lösenord vid nästa inloggning';
  return 'Aktivt';
}

export async function usersPage(el, route) {
  const [list] = await Promise.all([get('/api/v1/users'), loadUnits(), loadCommittees()]);
  const q = (route.query.get('q') || '').toLowerCase();
  const role = route.query.get('roll') || '';
  const form = h('form', { class: 'filter', role: 'search', 'aria-label': 'Sök användare' },
    field('Namn, användarnamn eller e-post', 'q', { type: 'search', value: route.query.get('q') || '' }),
    field('Roll', 'roll', { type: 'select', value: role, options: [['', 'Alla roller'], ...roleOptions] }),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Visa')));
  form.addEventListener('submit', (e) => { e.preventDefault(); go('/anvandare', formValues(form)); });
  const shown = list.items.filter((u) => (!role || u.role === role) &&
    (!q || [u.name, u.username, u.email].some((t) => (t || '').toLowerCase().includes(q))));
  el.append(h('h1', {}, 'Användare'),
    h('p', { class: 'knappar' }, h('a', { href: '#/anvandare/ny', class: 'knapplank' }, 'Lägg till användare')),
    form,
    h('h2', { id: 'anvandarlista' }, shown.length === list.items.length ? `Alla användare (${shown.length})` : `${shown.length} av ${list.items.length} användare`),
    shown.length
      ? table('Användare i namnordning', ['Namn', 'Användarnamn', 'Roll', 'Enhet eller nämnd', 'E-post', 'Konto'],
        shown.sort((a, b) => (a.name || a.username).localeCompare(b.name || b.username, 'sv')).map((u) => [
          h('a', { href: `#/anvandare/${u.username}` }, u.name || u.username),
          u.username,
          roleNames[u.role] || u.role,
          u.unit ? unitName(u.unit) : u.committee ? committeeName(u.committee) : '–',
          u.email || '–',
          h('span', { class: u.disabled ? 'avstangd' : '' }, statusText(u)),
        ]))
      : h('p', {}, 'Ingen användare matchar.'));
}

// The directory and role fields, for adding and editing.
async function userFields(u = {}) {
  const [units, committees] = await Promise.all([loadUnits(), loadCommittees()]);
  return [
    h('fieldset', {}, h('legend', {}, 'Uppgifter om personen'),
      field('Fullständigt namn', 'name', { value: u.name, required: true, autocomplete: 'off' }),
      field('Titel', 'title', { value: u.title, hint: 'T.ex. Socialsekreterare. Står i underskriften på tjänsteskrivelser.' }),
      field('E-post', 'email', { type: 'email', value: u.email, hint: 'Adressen i arbetet, t.ex. fornamn.efternamn@kommun.se.' }),
      field('Telefon', 'phone', { type: 'tel', value: u.phone })),
    h('fieldset', {}, h('legend', {}, 'Roll och behörighet'),
      field('Roll', 'role', { type: 'select', required: true, value: u.role, placeholder: 'Välj roll', options: roleOptions }),
      field('Enhet', 'unit', { type: 'select', value: u.unit || '', options: [['', 'Ingen enhet'], ...units.map((x) => [x.id, x.name])], hint: 'Handläggare och enhetschefer arbetar med enhetens ärenden.' }),
      field('Nämnd', 'committee', { type: 'select', value: u.committee || '', options: [['', 'Ingen nämnd'], ...committees.map((c) => [c.id, c.name])], hint: 'Nämndsekreterare, ledamöter och registratorer som arbetar för en nämnd.' })),
  ];
}

function oneTimePassword(username, password, lead) {
  return h('div', { class: 'engangslosenord', role: 'status', tabindex: '-1' },
    h('p', {}, lead),
    h('p', {}, 'Engångslösenord: ', h('code', { class: 'losenord' }, password)),
    h('p', {}, `Lämna det till personen på ett säkert sätt. Det visas bara nu, och ${username} måste välja ett eget lösenord vid första inloggningen.`));
}

export async function newUserPage(el) {
  const form = h('form', { class: 'formular', novalidate: true },
    field('Användarnamn', 'username', { required: true, autocomplete: 'off', hint: 'Små bokstäver a–z, siffror, punkt, bindestreck och understreck, t.ex. nina.vallin.' }),
    ...(await userFields()),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Lägg till användaren'), h('a', { href: '#/anvandare' }, 'Avbryt')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const missing = [];
    if (!v.username) missing.push({ field: 'username', message: 'Skriv ett användarnamn.' });
    if (!v.name) missing.push({ field: 'name', message: 'Skriv personens fullständiga namn.' });
    if (!v.role) missing.push({ field: 'role', message: 'Välj en roll.' });
    if (missing.length) return showErrors(form, { fields: missing });
    const body = { username: v.username, name: v.name, title: v.title, email: v.email, phone: v.phone, role: v.role };
    if (v.unit) body.unit = v.unit;
    if (v.committee) body.committee = v.committee;
    try {
      const u = await post('/api/v1/users', body);
      form.replaceWith(h('div', {},
        oneTimePassword(u.username, u.one_time_password, `${u.name} (${u.username}) är tillagd som ${(roleNames[u.role] || u.role).toLowerCase()}.`),
        h('p', { class: 'knappar' },
          h('a', { href: `#/anvandare/${u.username}` }, `Visa ${u.name}`),
          h('a', { href: '#/anvandare/ny' }, 'Lägg till en till'),
          h('a', { href: '#/anvandare' }, 'Till listan'))));
      el.querySelector('.engangslosenord').focus();
      announce(`${u.name} är tillagd.`);
    } catch (err) {
      showErrors(form, err);
    }
  });
  el.append(h('h1', {}, 'Lägg till användare'), form);
}

export async function userPage(el, route, username) {
  const list = await get('/api/v1/users');
  const u = list.items.find((x) => x.username === username);
  if (!u) {
    el.append(h('h1', {}, 'Användaren finns inte'), h('p', {}, h('a', { href: '#/anvandare' }, 'Till listan över användare')));
    return;
  }
  const self = currentUser()?.username === u.username;
  const reload = async (message) => {
    clear(el);
    await userPage(el, route, username);
    const h1 = el.querySelector('h1');
    h1.setAttribute('tabindex', '-1');
    h1.focus();
    if (message) announce(message);
  };
  el.append(h('h1', {}, u.name || u.username),
    h('p', {}, h('a', { href: '#/anvandare' }, 'Till listan över användare')),
    h('dl', { class: 'fakta' },
      dt('Användarnamn', u.username),
      dt('Roll', roleNames[u.role] || u.role),
      dt('Konto', statusText(u))));

  // Edit.
  const form = h('form', { class: 'formular', novalidate: true },
    ...(await userFields(u)),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Spara ändringarna')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    if (!v.name) return showErrors(form, { fields: [{ field: 'name', message: 'Skriv personens fullständiga namn.' }] });
    const body = {};
    for (const k of ['name', 'title', 'email', 'phone', 'role']) if ((u[k] || '') !== v[k]) body[k] = v[k];
    for (const k of ['unit', 'committee']) if ((u[k] || '') !== v[k]) body[k] = v[k] || null;
    if (!Object.keys(body).length) {
      announce('Inget är ändrat.');
      return undefined;
    }
    try {
      await api('PATCH', `/api/v1/users/${encodeURIComponent(u.username)}`, { json: body });
      return reload('Ändringarna är sparade.');
    } catch (err) {
      return showErrors(form, err);
    }
  });
  el.append(h('section', { 'aria-labelledby': 'andra-rubrik' }, h('h2', { id: 'andra-rubrik' }, 'Ändra uppgifterna'), form));

  // Password.
  const pwSlot = h('div', {});
  const pwForm = h('form', { class: 'formular', novalidate: true },
    h('p', {}, 'Om personen har glömt sitt lösenord: ett nytt engångslösenord ersätter det gamla, och alla personens inloggningar avslutas.'),
    h('div', { class: 'knappar' }, h('button', { type: 'submit', class: 'sekundar' }, 'Återställ lösenordet')));
  pwForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(pwForm);
    if (!await confirmDialog(`Återställa lösenordet för ${u.name}?`,
      `${u.name} loggas ut överallt och kan bara logga in med engångslösenordet som visas härnäst.`, { confirm: 'Återställ lösenordet' })) return;
    try {
      const r = await post(`/api/v1/users/${encodeURIComponent(u.username)}/password-reset`, {});
      clear(pwSlot).append(oneTimePassword(u.username, r.one_time_password, `Lösenordet för ${u.name} är återställt.`));
      pwSlot.firstChild.focus();
    } catch (err) {
      showErrors(pwForm, err);
    }
  });
  el.append(h('section', { 'aria-labelledby': 'losen-rubrik' }, h('h2', { id: 'losen-rubrik' }, 'Lösenord'), pwForm, pwSlot));

  // Disable / enable.
  const accForm = h('form', { class: 'formular', novalidate: true },
    u.disabled
      ? h('p', {}, 'Kontot är avstängt: personen kan inte logga in.')
      : h('p', {}, self ? 'Du kan inte stänga av ditt eget konto.' : 'Ett avstängt konto kan inte logga in, och alla dess inloggningar avslutas genast. Historiken finns kvar.'),
    self && !u.disabled ? null : h('div', { class: 'knappar' }, h('button', { type: 'submit', class: u.disabled ? '' : 'fara' }, u.disabled ? 'Aktivera kontot' : 'Stäng av kontot')));
  accForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(accForm);
    if (!u.disabled && !await confirmDialog(`Stänga av kontot för ${u.name}?`,
      `${u.name} (${u.username}) loggas ut genast och kan inte logga in förrän kontot aktiveras igen.`, { confirm: 'Stäng av kontot', danger: true })) return;
    try {
      await api('PATCH', `/api/v1/users/${encodeURIComponent(u.username)}`, { json: { disabled: !u.disabled } });
      await reload(u.disabled ? `Kontot för ${u.name} är aktiverat.` : `Kontot för ${u.name} är avstängt.`);
    } catch (err) {
      showErrors(accForm, err);
    }
  });
  el.append(h('section', { 'aria-labelledby': 'konto-rubrik' }, h('h2', { id: 'konto-rubrik' }, 'Konto'), accForm));
}

function dt(term, value) { return h('div', {}, h('dt', {}, term), h('dd', {}, value)); }
