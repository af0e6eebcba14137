// The residents' and volunteers' pages: one index.html, hash routes, views rendered into <main>.
//   #/                                   landing: how to open your community's link
//   #/c/<community>                      the community's events (first tab)
//   #/c/<community>/e/<eventId>          sign-up form, then the confirmation
//   #/manage/<c>/<eventId>/<id>/<token>  view or cancel one registration (token only ever in the fragment)
//   #/c/<community>/desk                 the evening help desk's evenings (second tab)
//   #/c/<community>/desk/<slotId>        booking form for one evening, then the confirmation
//   #/manage-request/<c>/<slotId>/<id>/<token>  view or cancel one help-desk booking
//   #/c/<community>/report               report a problem (问题上报, 派单), then its manage page
//   #/manage-report/<c>/<id>/<token>     where a reported problem stands; rating it once resolved
//   #/c/<community>/wish                 post a micro-wish (微心愿), then its manage page
//   #/manage-wish/<c>/<id>/<token>       where a wish stands: reviewed, adopted, fulfilled
//   #/c/<community>/wishes               the wish wall (心愿墙), for a phone and the festival's big screen
//   #/c/<community>/kiosk                the community room's tablet (签到码屏幕): an organiser signs in, then the
//                                        desk code changing every 30 s and a QR code of the check-in link, full screen
//   #/check-in/<community>/<code>        what that QR code opens on a volunteer's phone: check in on the shift open
//                                        now with the code, in one tap, with the volunteer code kept on the phone
//   #/mine                               registrations and bookings made on this phone
//   #/volunteer                          a volunteer's page: sign in with the volunteer code once, then
//                                        check in / out, hours, points, the points supermarket
//   #/volunteer/<vt_…>                   a volunteer's QR code: the code is kept on the phone and taken
//                                        out of the address bar at once
//   #/console[/<section>[/<id>[/edit]]]  the organisers' console: sign in (a pasted token locally, Cognito's
//                                        hosted login on AWS, whose ?code=&state= answer is taken out of the
//                                        address bar at once), then tonight, events, volunteers, hours, the points
//                                        supermarket, messages and settings (js/views/console.js)
//
// Only the residents' first page comes with this module (the events list: npm run build:web bundles
// it, with everything imported here, into the one script index.html names); every other view, the
// volunteers' and the console's included, is fetched the first time it is opened, and English and
// the console's words with it (js/i18n.js).

import { api } from './js/api.js';
import { errorPanel, heading } from './js/common.js';
import { h, replace } from './js/dom.js';
import { getLang, LANGS, loadStrings, setLang, t } from './js/i18n.js';
import { takeLoginAnswer } from './js/login-answer.js';
import { siteConfig } from './js/site-config.js';
import { showEvents, showLanding } from './js/views/events.js';

/** Each route's view: the events list is here already; the others are fetched when first opened. */
const VIEWS = {
  events: async () => showEvents,
  landing: async () => showLanding,
  register: () => import('./js/views/register.js').then((module) => module.showRegister),
  manage: () => import('./js/views/manage.js').then((module) => module.showManage),
  mine: () => import('./js/views/manage.js').then((module) => module.showMine),
  desk: () => import('./js/views/desk.js').then((module) => module.showDesk),
  deskForm: () => import('./js/views/desk.js').then((module) => module.showDeskForm),
  deskManage: () => import('./js/views/desk-manage.js').then((module) => module.showDeskManage),
  report: () => import('./js/views/report.js').then((module) => module.showReport),
  reportManage: () => import('./js/views/report.js').then((module) => module.showReportManage),
  wish: () => import('./js/views/wish.js').then((module) => module.showWish),
  wishManage: () => import('./js/views/wish.js').then((module) => module.showWishManage),
  wishWall: () => import('./js/views/wish-wall.js').then((module) => module.showWishWall),
  kiosk: () => import('./js/views/kiosk.js').then((module) => module.showKiosk),
  checkIn: () => import('./js/views/check-in.js').then((module) => module.showCheckIn),
  volunteer: () => import('./js/views/volunteer.js').then((module) => module.showVolunteer),
  console: () => import('./js/views/console.js').then((module) => module.showConsole),
};
/** The pages that speak the console's words. */
const USES_CONSOLE_WORDS = new Set(['console', 'kiosk']);

const main = document.getElementById('main');
const communities = new Map();
const communityNames = new Map();
let current = null;
let firstRender = true;

/** The community's public profile, fetched once per page load. */
function community(c) {
  if (!communities.has(c)) {
    const pending = api.community(c);
    pending.then((profile) => communityNames.set(c, profile.name), () => communities.delete(c));
    communities.set(c, pending);
  }
  return communities.get(c);
}

function parseRoute() {
  const raw = location.hash.replace(/^#\/?/, '');
  let parts;
  try {
    parts = raw ? raw.split('/').map(decodeURIComponent) : [];
  } catch {
    parts = [];
  }
  const [first, c, second, eventId] = parts;
  if (first === 'c' && c && !second) return { name: 'events', c };
  if (first === 'c' && c && second === 'e' && eventId && parts.length === 4) return { name: 'register', c, eventId };
  if (first === 'c' && c && second === 'report' && parts.length === 3) return { name: 'report', c };
  if (first === 'c' && c && second === 'wish' && parts.length === 3) return { name: 'wish', c };
  if (first === 'c' && c && second === 'wishes' && parts.length === 3) return { name: 'wishWall', c };
  if (first === 'c' && c && second === 'kiosk' && parts.length === 3) return { name: 'kiosk', c };
  if (first === 'check-in' && c && parts.length === 3) return { name: 'checkIn', c, code: parts[2] };
  if (first === 'c' && c && second === 'desk' && parts.length === 3) return { name: 'desk', c };
  if (first === 'c' && c && second === 'desk' && parts[3] && parts.length === 4) return { name: 'deskForm', c, slotId: parts[3] };
  if (first === 'manage' && parts.length === 5) {
    return { name: 'manage', c: parts[1], eventId: parts[2], id: parts[3], token: parts[4] };
  }
  if (first === 'manage-request' && parts.length === 5) {
    return { name: 'deskManage', c: parts[1], slotId: parts[2], id: parts[3], token: parts[4] };
  }
  if (first === 'manage-report' && parts.length === 4) return { name: 'reportManage', c: parts[1], id: parts[2], token: parts[3] };
  if (first === 'manage-wish' && parts.length === 4) return { name: 'wishManage', c: parts[1], id: parts[2], token: parts[3] };
  if (first === 'mine') return { name: 'mine' };
  if (first === 'volunteer' && parts.length <= 2) return parts[1] ? { name: 'volunteer', token: parts[1] } : { name: 'volunteer' };
  if (first === 'console' && parts.length <= 4) return { name: 'console', section: parts[1] ?? '', id: parts[2] ?? '', sub: parts[3] ?? '' };
  return { name: 'landing' };
}

const mineLink = h('a', { href: '#/mine', class: 'site-nav__link' });
const langButton = h('button', { type: 'button', class: 'site-nav__lang', id: 'lang-switch', onclick: () => switchLanguage(getLang() === 'zh' ? 'en' : 'zh') });
document.getElementById('site-nav').append(mineLink, langButton);

/**
 * Header, skip link and footer in the current language; updated in place so that focus stays put.
 * The console (organisers, often on a laptop) gets a wider page and its own name in the header; the
 * wish wall (a phone, or the festival's big screen) the whole width and, on a big screen, bigger type.
 */
function renderChrome(communityId, communityName, inConsole = false, onWall = false) {
  document.body.classList.toggle('console', inConsole);
  document.documentElement.classList.toggle('wall', onWall);
  document.getElementById('skip-link').textContent = t('skipLink');
  const site = document.getElementById('site-name');
  site.textContent = inConsole ? t('console.siteName') : (communityName ?? t('siteName'));
  site.setAttribute('href', inConsole ? '#/console' : communityId ? `#/c/${encodeURIComponent(communityId)}` : '#/');
  document.getElementById('site-nav').setAttribute('aria-label', t('navLabel'));
  mineLink.textContent = t('navMine');
  mineLink.hidden = inConsole;
  langButton.textContent = t('switchTo');
  langButton.lang = LANGS[getLang() === 'zh' ? 'en' : 'zh'];
  replace(
    document.getElementById('site-footer'),
    // The community's own name, not one compound's for every community's page.
    h('p', {}, communityName && !inConsole ? t('footerFor', { name: communityName }) : t('footer')),
    h('p', {}, h('a', { href: '#/volunteer' }, t('navVolunteer'))),
    h('p', {}, h('a', { href: '#/console' }, t('navConsole'))),
  );
}

function switchLanguage(next) {
  setLang(next);
  current?.rerender();
}

/** What a view gets: its route, a render function that ignores stale navigations, and helpers. */
function createView(route, { keepFocus = false } = {}) {
  const view = {
    route,
    community,
    /** True when drawn again in place (a language switch) rather than navigated to. */
    rerendered: keepFocus,
    rerender: () => start(route, { keepFocus: true }),
    get current() {
      return current === view;
    },
    title(page) {
      document.title = t('pageTitle', { page });
    },
    render(...children) {
      if (!view.current) return;
      replace(main, ...children);
    },
    /** After a navigation, move focus to the new page's heading so screen readers start there. */
    focusHeading() {
      if (view.current && !firstRender && !keepFocus) (main.querySelector('h1') ?? main).focus();
    },
  };
  return view;
}

async function start(route, options) {
  const view = createView(route, options);
  current = view;
  const onWall = route.name === 'wishWall';
  let show;
  try {
    // The view's module and its words, fetched in parallel (each once); until then the page shows what it did.
    [show] = await Promise.all([VIEWS[route.name](), loadStrings(getLang(), { console: USES_CONSOLE_WORDS.has(route.name) })]);
  } catch {
    if (!view.current) return;
    renderChrome(route.c, communityNames.get(route.c));
    view.render(heading(t('siteName')), errorPanel({ code: 'network' }, () => view.rerender()));
    firstRender = false;
    return;
  }
  if (!view.current) return;
  // The kiosk's screen drops the header and footer while it shows a code (js/views/kiosk.js); no other page does.
  document.documentElement.classList.remove('kiosk-live');
  renderChrome(route.c, communityNames.get(route.c), route.name === 'console', onWall);
  if (route.c) community(route.c).then((profile) => view.current && renderChrome(route.c, profile.name, false, onWall), () => undefined);
  try {
    await show(view);
  } finally {
    firstRender = false;
  }
}

async function onNavigate() {
  const route = parseRoute();
  if (/^#\/?volunteer\/./.test(location.hash)) {
    // A volunteer's QR code carries the code in the fragment: out of the address bar and the history
    // before anything else, then checked and kept on this phone by the volunteer's page.
    history.replaceState(null, '', '#/volunteer');
    window.scrollTo(0, 0);
    if (route.token) {
      const { offerToken } = await import('./js/views/volunteer.js');
      offerToken(route.token);
    }
    return start({ name: 'volunteer' });
  }
  if (route.name === 'landing' && !location.hash.replace(/^#\/?/, '') && siteConfig().defaultCommunity) {
    history.replaceState(null, '', `#/c/${encodeURIComponent(siteConfig().defaultCommunity)}`);
    return start(parseRoute());
  }
  window.scrollTo(0, 0);
  return start(route);
}

/**
 * Starts the pages. Not at the module's top level with `await`: in the bundle the console's chunk
 * imports this one, and a module still awaiting at its top level would wait for a chunk that
 * waits for it (lib/web-build.ts).
 */
async function boot() {
  setLang(getLang());
  // Back from Cognito's hosted login: the code and state leave the address bar before anything else.
  const loginAnswer = takeLoginAnswer();
  if (loginAnswer) (await import('./js/views/console.js')).offerLoginAnswer(loginAnswer);
  window.addEventListener('hashchange', onNavigate);
  onNavigate();
}

boot();
