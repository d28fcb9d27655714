// The shell: hash routes (#/arenden/12), the menu for the signed-in role,
// sign-in and sign-out. Each page is a function that fills <main>.
import { currentUser, restore, signIn, signOut, whenSignedOut, ApiError } from './api.js';
import { h, clear, field, formValues, showErrors, clearErrors, announce } from './dom.js';
import * as diarium from './diarium.js';
import * as memo from './memo.js';
import * as meetings from './meetings.js';
import * as publik from './public.js';

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

const roleNames = {
  registrator: 'registrator', handlaggare: 'handläggare', enhetschef: 'enhetschef',
  namndsekreterare: 'nämndsekreterare', ledamot: 'ledamot', admin: 'administratör',
};

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
      h('span', {}, `${user.name || user.username} (${roleNames[user.role] || user.role})`),
      h('button', { type: 'button', class: 'lank', onclick: doSignOut }, 'Logga ut'));
  } else {
    who.append(h('a', { href: '#/logga-in' }, 'Logga in'));
  }
}

async function doSignOut() {
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
  return go('/diarium');
}

function loginPage(el, route) {
  const form = h('form', { class: 'formular smal', novalidate: true },
    field('Användarnamn', 'username', { required: true, autocomplete: 'username' }),
    field('Lösenord', 'password', { type: 'password', required: true, autocomplete: 'current-password' }),
    h('button', { type: 'submit' }, 'Logga in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const missing = [];
    if (!v.username) missing.push({ field: 'username', message: 'Ange ditt användarnamn.' });
    if (!v.password) missing.push({ field: 'password', message: 'Ange ditt lösenord.' });
    if (missing.length) return showErrors(form, { message: 'Fyll i de fält som saknas.', fields: missing });
    try {
      const user = await signIn(v.username, v.password);
      announce(`Du är inloggad som ${user.name || user.username}.`);
      const next = route.query.get('till');
      go(next && next.startsWith('/') ? next : '/');
    } catch (err) {
      if (err.status === 401) {
        showErrors(form, { message: 'Fel användarnamn eller lösenord.', fields: [{ field: 'password', message: 'Kontrollera användarnamn och lösenord.' }] });
      } else {
        showErrors(form, err);
      }
    }
  });
  el.append(h('h1', {}, 'Logga in'), form);
}

// Each render builds its page in a fresh container and shows it only if no
// later navigation started meanwhile, so a slow page never lands on top of a
// newer one.
let generation = 0;
let firstLoad = true;

export async function render() {
  const mine = ++generation;
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
    view.append(h('h1', {}, 'Något gick fel'),
      h('p', { class: 'fel', role: 'alert' }, err instanceof ApiError ? err.message : 'Ett oväntat fel inträffade.'));
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
  whenSignedOut((message) => { announce(message); go('/logga-in', { till: currentRoute().path }); });
  try { await restore(); } catch { /* anonymous */ }
  window.addEventListener('hashchange', render);
  render();
}

boot();
