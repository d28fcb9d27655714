// Mitt konto: what the directory says about me, changing my password (with
// the current one), and my sign-ins (sessions): where and since when, ending
// any of them.
import { get, post, api, currentUser } from './api.js';
import { h, clear, field, formValues, showErrors, clearErrors, announce, table, formatInstant, confirmDialog } from './dom.js';
import { roleNames, loadUnits, loadCommittees, unitName, committeeName } from './common.js';
import { newPasswordFields, checkNewPassword } from './app.js';

// "Chromium på Linux" from a User-Agent header, enough to tell sessions apart.
export function clientName(ua) {
  if (!ua) return 'Okänt program';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chromium\//.test(ua) ? 'Chromium'
    : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : /curl\//i.test(ua) ? 'curl' : null;
  const system = /Windows/.test(ua) ? 'Windows' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS'
    : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : null;
  if (browser && system) return `${browser} på ${system}`;
  return browser || system || ua.slice(0, 60);
}

export async function accountPage(el) {
  const user = currentUser();
  await Promise.all([loadUnits(), loadCommittees()]);
  const reload = async (message, focusSelector) => {
    clear(el);
    await accountPage(el);
    const target = (focusSelector && el.querySelector(focusSelector)) || el.querySelector('h1');
    target.setAttribute('tabindex', '-1');
    target.focus();
    if (message) announce(message);
  };
  el.append(h('h1', {}, 'Mitt konto'),
    h('dl', { class: 'fakta' },
      dt('Namn', user.name || user.username),
      dt('Användarnamn', user.username),
      dt('Titel', user.title || '–'),
      dt('E-post', user.email || '–'),
      dt('Telefon', user.phone || '–'),
      dt('Roll', roleNames[user.role] || user.role),
      user.unit ? dt('Enhet', unitName(user.unit)) : null,
      user.committee ? dt('Nämnd', committeeName(user.committee)) : null),
    h('p', { class: 'hjalp' }, 'Stämmer något inte? Administratören ändrar uppgifterna.'));

  // Change the password.
  const form = h('form', { class: 'formular smal', novalidate: true },
    field('Nuvarande lösenord', 'current_password', { type: 'password', required: true, autocomplete: 'current-password' }),
    ...newPasswordFields(),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Byt lösenord')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const problems = [];
    if (!v.current_password) problems.push({ field: 'current_password', message: 'Skriv ditt nuvarande lösenord.' });
    problems.push(...checkNewPassword(v));
    if (problems.length) return showErrors(form, { fields: problems });
    try {
      await post('/api/v1/me/password', { current_password: v.current_password, new_password: v.new_password });
      return reload('Ditt lösenord är bytt. Dina andra inloggningar är avslutade.', '#losenord-rubrik');
    } catch (err) {
      return showErrors(form, err);
    }
  });
  el.append(h('section', { 'aria-labelledby': 'losenord-rubrik' }, h('h2', { id: 'losenord-rubrik' }, 'Byt lösenord'),
    h('p', {}, 'När du byter lösenord avslutas dina inloggningar i andra webbläsare och program.'), form));

  // Sessions.
  const sessions = (await get('/api/v1/me/sessions')).items;
  const end = async (s) => {
    const where = clientName(s.client);
    if (!await confirmDialog('Avsluta inloggningen?', `Inloggningen i ${where} sedan ${formatInstant(s.created_at)} avslutas; där måste du logga in igen.`, { confirm: 'Avsluta inloggningen', danger: true })) return;
    try {
      await api('DELETE', `/api/v1/me/sessions/${encodeURIComponent(s.id)}`);
      await reload(`Inloggningen i ${where} är avslutad.`, '#sessioner-rubrik');
    } catch (err) {
      announce(`Inloggningen kunde inte avslutas: ${err.message}`);
    }
  };
  const others = sessions.filter((s) => !s.current && s.id);
  el.append(h('section', { 'aria-labelledby': 'sessioner-rubrik' }, h('h2', { id: 'sessioner-rubrik' }, 'Mina inloggningar'),
    h('p', {}, 'Här ser du var du är inloggad just nu. Känner du inte igen en inloggning: avsluta den och byt lösenord.'),
    table('Öppna inloggningar, senaste först', ['Program', 'Inloggad sedan', 'Gäller till', 'Åtgärd'],
      sessions.map((s) => [
        clientName(s.client),
        formatInstant(s.created_at),
        formatInstant(s.expires_at),
        s.current ? h('strong', {}, 'Den här inloggningen') : !s.id ? 'Går ut av sig själv'
          : h('button', { type: 'button', class: 'sekundar', 'aria-label': `Avsluta inloggningen i ${clientName(s.client)} sedan ${formatInstant(s.created_at)}`, onclick: () => end(s) }, 'Avsluta'),
      ])),
    others.length > 1 ? h('p', {}, h('button', {
      type: 'button', class: 'fara',
      onclick: async () => {
        if (!await confirmDialog('Avsluta alla andra inloggningar?', `${others.length} inloggningar i andra webbläsare och program avslutas.`, { confirm: 'Avsluta alla andra', danger: true })) return;
        try {
          for (const s of others) await api('DELETE', `/api/v1/me/sessions/${encodeURIComponent(s.id)}`);
          await reload('Dina andra inloggningar är avslutade.', '#sessioner-rubrik');
        } catch (err) {
          announce(`Inloggningarna kunde inte avslutas: ${err.message}`);
        }
      },
    }, 'Avsluta alla andra inloggningar')) : null));
}

function dt(term, value) { return h('div', {}, h('dt', {}, term), h('dd', {}, value)); }
