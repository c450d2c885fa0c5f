// The page shell: who is logged in, the menu for their role, and hash routes to the pages.
// Routes live after '#', so the server serves only static files, and a URL holds nothing but the
// random family id: never a name, BSN or other personal data.

import {api, setCsrfToken} from './api.js';
import {announce, clear, h, loadVocabulary, roleName, show} from './ui.js';
import * as login from './login.js';
import * as gezinnen from './gezinnen.js';
import * as gezinsplan from './gezinsplan.js';
import * as toestemming from './toestemming.js';
import * as doorbreking from './doorbreking.js';
import * as overzicht from './overzicht.js';
import * as privacy from './privacy.js';
import * as beheer from './beheer.js';

const state = {user: null};
const main = () => document.getElementById('inhoud');

const routes = [
  {path: /^\/gezinnen$/, roles: ['gezinsmanager', 'professional'], page: gezinnen.render},
  {path: /^\/gezin\/([\w-]+)$/, roles: ['gezinsmanager', 'professional'], page: gezinsplan.render},
  {path: /^\/gezin\/([\w-]+)\/toestemming$/, roles: ['gezinsmanager'], page: toestemming.render},
  {path: /^\/gezin\/([\w-]+)\/doorbreking$/, roles: ['gezinsmanager', 'professional'],
    page: doorbreking.render},
  {path: /^\/overzicht$/, roles: ['procesmanager'], page: overzicht.render},
  {path: /^\/privacy\/audit$/, roles: ['privacy-officer'], page: privacy.renderAudit},
  {path: /^\/privacy\/doorbrekingen$/, roles: ['privacy-officer'], page: privacy.renderReviews},
  {path: /^\/privacy\/beleid$/, roles: ['privacy-officer'], page: privacy.renderPolicy},
  {path: /^\/beheer$/, roles: ['admin'], page: beheer.render},
];

const menus = {
  'gezinsmanager': [['#/gezinnen', 'Mijn gezinnen']],
  'professional': [['#/gezinnen', 'Gezinnen']],
  'procesmanager': [['#/overzicht', 'Overzicht']],
  'privacy-officer': [
    ['#/privacy/audit', 'Auditlog'],
    ['#/privacy/doorbrekingen', 'Doorbrekingen beoordelen'],
    ['#/privacy/beleid', 'Beleid'],
  ],
  'admin': [['#/beheer', 'Beheer']],
};

function homeOf(user) {
  return (menus[user?.role] ?? [['#/gezinnen']])[0][0];
}

function currentPath() {
  const hash = location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/';
}

function renderChrome() {
  const nav = clear(document.getElementById('navigatie'));
  const who = clear(document.getElementById('gebruiker'));
  if (!state.user) return;
  const path = currentPath();
  nav.append(h('ul', {}, (menus[state.user.role] ?? []).map(([href, text]) =>
      h('li', {}, h('a', {href, 'aria-current': path.startsWith(href.slice(1)) ? 'page' : null},
          text)))));
  who.append(
      h('span', {class: 'wie'}, state.user.display_name || state.user.id,
          h('span', {class: 'rol'}, ` · ${roleName(state.user.role)}`)),
      h('button', {type: 'button', class: 'knop knop-licht', onclick: logout}, 'Uitloggen'));
}

async function logout() {
  try {
    await api.del('/v1/session');
  } catch {
    // Logged out either way: the cookie is gone or was already invalid.
  }
  signedOut('U bent uitgelogd.');
}

function signedOut(message) {
  state.user = null;
  setCsrfToken(null);
  renderChrome();
  announce(message);
  if (currentPath() !== '/login') {
    go('#/login', message);
  } else {
    route();
  }
}

// Every label comes from the server's vocabulary; without it the page shows ids, still usable.
async function loadWords() {
  try {
    await loadVocabulary();
  } catch (err) {
    console.error(err);
  }
}

async function signedIn(session) {
  state.user = session.user;
  setCsrfToken(session.csrf_token);
  await loadWords();
  announce('');
  const target = currentPath();
  go(target === '/login' || target === '/' ? homeOf(state.user) : `#${target}`);
}

// A message to show once the next page is on screen (e.g. "consent recorded").
let pendingMessage = '';

// Shows `hash`: through the hashchange event when it differs from the current one, else at once.
function go(hash, message = '') {
  pendingMessage = message;
  if (location.hash === hash) {
    showPending();
    route();
  } else {
    location.hash = hash;
  }
}

function showPending() {
  announce(pendingMessage);
  pendingMessage = '';
}

const context = {
  get user() { return state.user; },
  navigate: go,
  signedIn,
};

let routing = 0;
async function route() {
  const turn = ++routing;
  const path = currentPath();
  renderChrome();
  if (!state.user) {
    login.render(main(), context);
    return;
  }
  if (path === '/' || path === '/login') {
    location.replace(homeOf(state.user));
    return;
  }
  for (const r of routes) {
    const m = r.path.exec(path);
    if (!m) continue;
    if (!r.roles.includes(state.user.role)) break;
    try {
      await r.page(main(), context, ...m.slice(1));
    } catch (err) {
      if (turn === routing) console.error(err);
    }
    return;
  }
  show(main(), h('h1', {}, 'Pagina niet gevonden'),
      h('p', {}, 'Deze pagina bestaat niet of is niet voor uw rol. ',
          h('a', {href: homeOf(state.user)}, 'Naar de startpagina')));
}

async function start() {
  window.addEventListener('hashchange', () => { showPending(); route(); });
  window.addEventListener('sluis:sessie-verlopen', () => {
    if (state.user) signedOut('Uw sessie is verlopen. Log opnieuw in.');
  });
  try {
    const session = await api.get('/v1/session');
    state.user = session.user;
    setCsrfToken(session.csrf_token);
    await loadWords();
  } catch {
    state.user = null;
  }
  route();
}

start();
