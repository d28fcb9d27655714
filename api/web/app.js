// The shell: hash routes (#/arenden/12), the menu for the signed-in role,
// sign-in (also again, in place, when a session ends while someone works),
// sign-out, and the guard that asks before leaving unsaved work.
import { currentUser, restore, signIn, signOut, whenSignedOut, whenSessionLost, ApiError } from './api.js';
import { h, clear, append, field, formValues, showErrors, clearErrors, announce, confirmDialog, uniqueId } from './dom.js';
import { roleNames } from './common.js';
import { draftCases, dropAllDrafts } from './drafts.js';
import * as diarium from './diarium.js';
import * as memo from './memo.js';
import * as meetings from './meetings.js';
import * as publik from './public.js';
import * as admin from './admin.js';
import * as account from './account.js';

const main = () => document.getElementById('innehall');

const routes = [
  [/^\/$/, start],
  [/^\/logga-in$/, loginPage],
  [/^\/diarium$/, diarium.listPage, { signedIn: true }],
  [/^\/registrera$/, diarium.registerPage, { roles: ['registrator'] }],
  [/^\/mina-arenden$/, diarium.myCasesPage, { roles: ['handlaggare', 'enhetschef'] }],
  [/^\/arenden\/(\d+)$/, diarium.casePage, { signedIn: true }],
  [/^\/arenden\/(\d+)\/skrivelse$/, memo.editorPage, { roles: ['handlaggare', 'enhetschef'] }],
  [/^\/arenden\/(\d+)\/jamfor$/, memo.comparePage, { signedIn: true }],
  [/^\/sammantraden$/, meetings.listPage, { signedIn: true }],
  [/^\/sammantraden\/(\d+)$/, meetings.meetingPage, { signedIn: true }],
  [/^\/beslut$/, publik.decisionsPage],
  [/^\/beslut\/(\d+)$/, publik.decisionPage],
  [/^\/offentligt-diarium$/, publik.diariumPage],
  [/^\/offentligt-diarium\/(\d+)$/, publik.publicCasePage],
  [/^\/anslag$/, publik.anslagPage],
  [/^\/anvandare$/, admin.usersPage, { roles: ['admin'] }],
  [/^\/anvandare\/ny$/, admin.newUserPage, { roles: ['admin'] }],
  [/^\/anvandare\/([a-z0-9._-]+)$/, admin.userPage, { roles: ['admin'] }],
  [/^\/konto$/, account.accountPage, { signedIn: true }],
];

// "#/diarium?q=x&cursor=y" -> { path: "/diarium", query: URLSearchParams }
export function currentRoute() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const i = raw.indexOf('?');
  const path = decodeURIComponent(i < 0 ? raw : raw.slice(0, i));
  return { path: path || '/', query: new URLSearchParams(i < 0 ? '' : raw.slice(i + 1)) };
}

export function go(path, query) {
  const qs = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v)).toString() : '';
  const target = `#${path}${qs ? `?${qs}` : ''}`;
  if (location.hash === target) render(); else location.hash = target;
}

// ---- Unsaved work ------------------------------------------------------------
// A page with unsaved work sets a guard: () => null when nothing would be
// lost, else a sentence saying what would be. Leaving by a link asks first;
// closing or reloading the tab gets the browser's own question.
let leaveGuard = null;
export function guardLeaving(fn) { leaveGuard = fn; }
function unsavedWork() { return leaveGuard ? leaveGuard() : null; }

window.addEventListener('beforeunload', (e) => {
  if (unsavedWork()) { e.preventDefault(); e.returnValue = ''; }
});

let shownHash = location.hash;
let restoringHash = false;
async function onHashChange() {
  if (restoringHash) { restoringHash = false; return; }
  const lost = unsavedWork();
  if (lost) {
    const target = location.hash;
    // Back to the page with the work while the question is asked.
    restoringHash = true;
    history.replaceState(null, '', shownHash || '#/');
    const leave = await confirmDialog('Lämna sidan utan att spara?', lost, { confirm: 'Lämna sidan', cancel: 'Stanna kvar' });
    restoringHash = false;
    if (!leave) return;
    leaveGuard = null;
    history.pushState(null, '', target);
  }
  render();
}

// ---- The menu ----------------------------------------------------------------

function menu() {
  const user = currentUser();
  const items = [];
  if (user) {
    items.push(['#/diarium', 'Diarium']);
    if (user.role === 'registrator') items.push(['#/registrera', 'Registrera ärende']);
    if (['handlaggare', 'enhetschef'].includes(user.role)) items.push(['#/mina-arenden', 'Mina ärenden']);
    items.push(['#/sammantraden', 'Sammanträden']);
    items.push(['#/beslut', 'Beslut']);
    items.push(['#/anslag', 'Anslagstavla']);
    if (user.role === 'admin') items.push(['#/anvandare', 'Användare']);
  } else {
    items.push(['#/offentligt-diarium', 'Diarium']);
    items.push(['#/beslut', 'Beslut']);
    items.push(['#/anslag', 'Anslagstavla']);
  }
  const { path } = currentRoute();
  const nav = clear(document.getElementById('meny'));
  nav.append(h('ul', {}, items.map(([href, text]) => {
    const active = path === href.slice(1) || (href !== '#/' && path.startsWith(`${href.slice(1)}/`));
    return h('li', {}, h('a', { href, 'aria-current': active ? 'page' : undefined }, text));
  })));
  const who = clear(document.getElementById('inloggad'));
  if (user) {
    who.append(
      h('a', { href: '#/konto', 'aria-current': path === '/konto' ? 'page' : undefined },
        `${user.name || user.username} (${(roleNames[user.role] || user.role).toLowerCase()})`),
      h('button', { type: 'button', class: 'lank', onclick: doSignOut }, 'Logga ut'));
  } else {
    who.append(h('a', { href: '#/logga-in' }, 'Logga in'));
  }
}

async function doSignOut() {
  const user = currentUser();
  const lost = unsavedWork();
  const drafts = user ? draftCases(user.username) : [];
  if (lost || drafts.length) {
    const text = `${lost ? `${lost} ` : ''}${drafts.length ? `Du har ${drafts.length === 1 ? 'ett osparat utkast' : `${drafts.length} osparade utkast`} till tjänsteskrivelser i den här webbläsaren; de tas bort när du loggar ut.` : ''}`;
    if (!await confirmDialog('Logga ut utan att spara?', text.trim(), { confirm: 'Logga ut ändå', cancel: 'Stanna kvar', danger: true })) return;
  }
  leaveGuard = null;
  if (user) dropAllDrafts(user.username);
  try { await signOut(); } catch { /* signed out locally either way */ }
  announce('Du är utloggad.');
  go('/');
}

function start(el) {
  const user = currentUser();
  if (!user) {
    el.append(
      h('h1', {}, 'Välkommen till Kansli'),
      h('p', {}, 'Här hittar du nämndernas diarium, beslut och anslagstavla. Du behöver inte logga in för att läsa det som är offentligt.'),
      h('ul', { class: 'kort' },
        h('li', {}, h('a', { href: '#/offentligt-diarium' }, 'Sök i diariet')),
        h('li', {}, h('a', { href: '#/beslut' }, 'Sök bland besluten')),
        h('li', {}, h('a', { href: '#/anslag' }, 'Anslagstavlan')),
        h('li', {}, h('a', { href: '#/logga-in' }, 'Logga in som medarbetare eller förtroendevald'))));
    return;
  }
  if (['handlaggare', 'enhetschef'].includes(user.role)) return go('/mina-arenden');
  if (user.role === 'namndsekreterare' || user.role === 'ledamot') return go('/sammantraden');
  if (user.role === 'admin') return go('/anvandare');
  return go('/diarium');
}

// ---- Signing in ----------------------------------------------------------------

// The fields of a new password, twice; checked here before the service
// checks it again (length, common passwords).
export function newPasswordFields() {
  return [
    field('Nytt lösenord', 'new_password', { type: 'password', required: true, autocomplete: 'new-password', hint: 'Minst 12 tecken. Ett par ord med något tecken emellan är lätt att minnas och svårt att gissa.' }),
    field('Upprepa det nya lösenordet', 'new_password_again', { type: 'password', required: true, autocomplete: 'new-password' }),
  ];
}

export function checkNewPassword(v) {
  const problems = [];
  if (!v.new_password) problems.push({ field: 'new_password', message: 'Skriv ett nytt lösenord.' });
  else if ([...v.new_password].length < 12) problems.push({ field: 'new_password', message: 'Lösenordet måste ha minst 12 tecken.' });
  if (v.new_password && v.new_password !== v.new_password_again) {
    problems.push({ field: 'new_password_again', message: 'Lösenorden är inte likadana.' });
  }
  return problems;
}

// The sign-in form; onDone(user) after signing in. `fixedUser`: the username
// is given (signing in again in place) and cannot be changed.
function signInForm(onDone, fixedUser) {
  const form = h('form', { class: 'formular smal', novalidate: true },
    field('Användarnamn', 'username', { required: true, autocomplete: 'username', value: fixedUser || '', readonly: Boolean(fixedUser) }),
    field('Lösenord', 'password', { type: 'password', required: true, autocomplete: 'current-password' }),
    h('div', { class: 'nytt-losenord', hidden: true }),
    h('div', { class: 'knappar' }, h('button', { type: 'submit' }, 'Logga in')));
  const change = form.querySelector('.nytt-losenord');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const missing = [];
    if (!v.username) missing.push({ field: 'username', message: 'Skriv ditt användarnamn.' });
    if (!v.password) missing.push({ field: 'password', message: 'Skriv ditt lösenord.' });
    if (!change.hidden) missing.push(...checkNewPassword(v));
    if (missing.length) return showErrors(form, { fields: missing });
    try {
      const user = await signIn(v.username, v.password, change.hidden ? undefined : v.new_password);
      onDone(user);
    } catch (err) {
      if (err.status === 401) {
        showErrors(form, { message: 'Fel användarnamn eller lösenord.', fields: [{ field: 'password', message: 'Kontrollera användarnamn och lösenord.' }] });
      } else if (err.status === 403 && err.fields.some((f) => f.field === 'new_password')) {
        // A one-time password: choose your own before going on.
        change.hidden = false;
        if (!change.firstChild) {
          append(change, h('p', { class: 'upplysning' }, 'Du har fått ett engångslösenord. Välj ett eget lösenord för att logga in.'), newPasswordFields());
        }
        form.querySelector('[name="new_password"]').focus();
        announce('Välj ett nytt lösenord.');
      } else if (err.status === 429) {
        showErrors(form, { message: friendlyLockout(err.message), fields: [] });
      } else {
        showErrors(form, err, { new_password: 'new_password' });
      }
    }
  });
  return form;
}

function friendlyLockout(message) {
  const m = String(message || '');
  return m ? `${m.charAt(0).toUpperCase()}${m.slice(1)}${/[.!?]$/.test(m) ? '' : '.'}` : 'Vänta en stund och försök igen.';
}

function loginPage(el, route) {
  el.append(h('h1', {}, 'Logga in'), signInForm((user) => {
    announce(`Du är inloggad som ${user.name || user.username}.`);
    const next = route.query.get('till');
    go(next && next.startsWith('/') ? next : '/');
  }));
}

// The session ended while `user` worked: sign in again in a dialog over the
// page, which stays as it is (with what they typed). Resolves true when the
// same user has signed in again; false when they chose to leave.
function signInAgain(user) {
  return new Promise((resolve) => {
    const headingId = uniqueId('inloggning-igen');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': headingId });
    const finish = (ok) => { dialog.close(); dialog.remove(); resolve(ok); };
    const form = signInForm((again) => {
      if (again.username !== user.username) {
        // Someone else: what is on the page is not theirs. Start afresh as
        // them (the first user's unsaved draft stays in this browser under
        // their name until they sign out).
        dialog.close();
        location.hash = '#/';
        location.reload();
        return;
      }
      finish(true);
      announce('Du är inloggad igen. Det du skrev finns kvar.');
    }, user.username);
    dialog.append(
      h('h2', { id: headingId }, 'Logga in igen'),
      h('p', {}, 'Din inloggning har gått ut. Logga in igen så fortsätter du där du var – det du har skrivit finns kvar.'),
      form,
      h('p', {}, h('button', { type: 'button', class: 'lank', onclick: () => finish(false) }, 'Logga in som någon annan')));
    dialog.addEventListener('cancel', (e) => e.preventDefault());
    document.body.append(dialog);
    dialog.showModal();
    form.querySelector('[name="password"]').focus();
  });
}

// ---- Rendering -------------------------------------------------------------------

// Each render builds its page in a fresh container and shows it only if no
// later navigation started meanwhile, so a slow page never lands on top of a
// newer one.
let generation = 0;
let firstLoad = true;

export async function render() {
  const mine = ++generation;
  leaveGuard = null;
  shownHash = location.hash;
  const el = main();
  const route = currentRoute();
  menu();
  const view = h('div', { class: 'sida' });
  const show = () => {
    if (mine !== generation) return false;
    clear(el).append(view);
    document.title = `${view.querySelector('h1')?.textContent || 'Kansli'} – Kansli`;
    // After a navigation focus moves to the new page's heading (as a page
    // load would tell a screen reader); on the first load it stays at the top
    // of the document, so the first Tab reaches the skip link.
    if (!firstLoad) focusHeading(view);
    firstLoad = false;
    return true;
  };
  const match = routes.map(([re, page, rule]) => [re.exec(route.path), page, rule || {}]).find(([m]) => m);
  if (!match) {
    view.append(h('h1', {}, 'Sidan finns inte'), h('p', {}, h('a', { href: '#/' }, 'Till startsidan')));
    return show();
  }
  const [m, page, rule] = match;
  const user = currentUser();
  if ((rule.signedIn || rule.roles) && !user) {
    return go('/logga-in', { till: route.path });
  }
  if (rule.roles && !rule.roles.includes(user.role)) {
    view.append(h('h1', {}, 'Inte behörig'), h('p', {}, 'Din roll kan inte använda den här sidan.'));
    return show();
  }
  el.setAttribute('aria-busy', 'true');
  try {
    await page(view, route, ...m.slice(1));
  } catch (err) {
    clear(view);
    const notFound = err instanceof ApiError && err.status === 404;
    view.append(h('h1', {}, notFound ? 'Hittades inte' : 'Något gick fel'),
      h('p', { class: 'fel', role: 'alert' }, err instanceof ApiError
        ? `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}${/[.!?]$/.test(err.message) ? '' : '.'}`
        : 'Ett oväntat fel inträffade. Ladda om sidan och försök igen.'),
      h('p', {}, h('a', { href: '#/' }, 'Till startsidan')));
    if (!(err instanceof ApiError)) console.error(err);
  } finally {
    if (mine === generation) el.removeAttribute('aria-busy');
  }
  return show();
}

function focusHeading(el) {
  const h1 = el.querySelector('h1');
  if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: false }); }
}

async function boot() {
  document.getElementById('hopplank').addEventListener('click', (e) => {
    e.preventDefault();
    main().focus();
  });
  whenSignedOut((message) => { leaveGuard = null; announce(message); go('/logga-in', { till: currentRoute().path }); });
  whenSessionLost(signInAgain);
  try { await restore(); } catch { /* anonymous */ }
  window.addEventListener('hashchange', onHashChange);
  render();
}

boot();
