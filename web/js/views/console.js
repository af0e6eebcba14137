// The organisers' console (组织者): signing in (a pasted token from `npm run token` locally, Cognito's
// hosted login on AWS), then the community at a glance in sections under big tabs: tonight's
// help desk, work orders (派单), micro-wishes (微心愿), events, volunteers, volunteer hours, the points
// supermarket, messages and settings. Each section is a module of its own (console-*.js) drawn
// through the context made here. The token lives in this tab's sessionStorage and travels only in
// the Authorization header.

import { organiserApi } from '../api.js';
import { cognitoConfig, endHostedSession, finishHostedLogin, startHostedLogin } from '../cognito.js';
import { DEFAULT_TIME_ZONE, errorPanel, errorText, heading, loading, tabNav } from '../common.js';
import { h } from '../dom.js';
import { errorSummary, field, fieldErrorText, setBusy, showProblem } from '../forms.js';
import { t } from '../i18n.js';
import { CONSOLE_SCOPE, consoleHash, forgetSession, jwtIn, keepSession, rememberReturn, sessionFrom, storedSession, takeReturn } from '../organiser.js';
import { showEventForm } from './console-event-form.js';
import { showEventRoster, showEvents } from './console-events.js';
import { showHours } from './console-hours.js';
import { showMessages } from './console-messages.js';
import { showSettings } from './console-settings.js';
import { showShop } from './console-shop.js';
import { showSlotRoster, showTonight } from './console-tonight.js';
import { forgetIssuedCode, showVolunteersSection } from './console-volunteers.js';
import { showWishes } from './console-wishes.js';
import { showWorkOrders } from './console-work-orders.js';

const SCOPE = CONSOLE_SCOPE;
const SECTIONS = ['tonight', 'orders', 'wishes', 'events', 'volunteers', 'hours', 'shop', 'messages', 'settings'];
/** Answers that mean the token no longer works: the console forgets it and asks again. */
const SIGNED_OUT = new Set(['unauthorized']);

/** The hosted login's answer from this page load's address (app.js has already taken it out of the bar). */
let loginAnswer = null;
/**
 * What the page says on top after something happened: { kind: 'ok' | 'error', text() } or
 * { kind: 'error', code } (words from console.errors). Set before navigating (or drawing the section
 * again), shown by the next page, kept through a language switch, gone at the next navigation.
 */
let flash = null;
/** What was pasted into the sign-in form, kept through a language switch. */
let typed = '';
/** The community's settings, fetched once per sign-in (and after they are saved). */
let settingsCache = null;

export function offerLoginAnswer(answer) {
  loginAnswer = answer;
}

/** Say `message` on top of the next page drawn (after an action that navigates, or draws the section again). */
function setFlash(message) {
  flash = { ...message, shown: false };
}

export async function showConsole(view) {
  if (!view.rerendered && flash?.shown) flash = null;
  if (loginAnswer) {
    const answer = loginAnswer;
    loginAnswer = null;
    if (!answer.signedOut) return completeHostedLogin(view, answer);
    setFlash({ kind: 'ok', text: () => t('console.signedOut') });
  }
  const session = storedSession();
  if (!session) return showSignIn(view, { focus: flash ? 'flash' : undefined });
  if (!SECTIONS.includes(view.route.section)) {
    history.replaceState(null, '', consoleHash('tonight'));
    view.route = { ...view.route, section: 'tonight', id: '', sub: '' };
  }
  return showSection(view, session);
}

// ---- signing in and out ----

function showSignIn(view, { focus } = {}) {
  view.title(t('console.signInTitle'));
  const cognito = cognitoConfig();
  view.render(
    heading(t('console.signInTitle'), { id: 'sign-in-title' }),
    flashBox(),
    h('p', { class: 'lead' }, t('console.signInIntro')),
    cognito ? hostedLoginButton() : tokenForm(view, { check: loadSettings, signedIn: enterConsole }),
    h('p', { class: 'hint' }, t('console.sharedComputer')),
  );
  focusAfter(view, view.rerendered ? undefined : focus);
}

/** Signed in with a pasted token: the console's first section. */
function enterConsole(session) {
  keepSession(session);
  typed = '';
  flash = null;
  go(consoleHash('tonight'));
}

/**
 * An organiser's sign-in for another page (the kiosk, #/c/<c>/kiosk): locally the pasted token's
 * form, on AWS the hosted login's button, which comes back to `returnTo` rather than the console.
 * `check(session)` tries the token (rejecting with an ApiError, or with `tokenProblem` set to a key
 * of console.tokenErrors); `signedIn(session)` takes it from there.
 */
export function organiserSignIn(view, { check, signedIn, returnTo }) {
  return cognitoConfig() ? hostedLoginButton(returnTo) : tokenForm(view, { check, signedIn });
}

function hostedLoginButton(returnTo) {
  const button = h('button', { type: 'button', class: 'button', id: 'hosted-login' }, t('console.hostedSignIn'));
  button.addEventListener('click', async () => {
    setBusy(button, true);
    if (returnTo) rememberReturn(returnTo);
    try {
      await startHostedLogin();
    } catch {
      setBusy(button, false, t('console.hostedSignIn'));
    }
  });
  return button;
}

/** Locally (no Cognito): paste the token `npm run token` printed. */
function tokenForm(view, { check, signedIn }) {
  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, t('console.signIn'));
  const control = h('textarea', { id: 'f-token', name: 'token', rows: 4, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', class: 'token-input' });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'sign-in-title' }, field('token', t('console.tokenLabel'), { hint: t('console.tokenHint') }, control), submit);
  control.value = view.rerendered ? typed : '';
  control.addEventListener('input', () => {
    typed = control.value;
  });
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    signIn(view, form, summary, submit, { check, signedIn });
  });
  return [summary, form];
}

async function signIn(view, form, summary, submit, { check, signedIn }) {
  if (submit.disabled) return;
  const session = sessionFrom(jwtIn(form.elements.namedItem('token').value));
  if (session.problem) {
    showTokenProblem(form, summary, session.problem);
    return;
  }
  setBusy(submit, true);
  try {
    await check(session);
  } catch (error) {
    if (!view.current) return;
    setBusy(submit, false, t('console.signIn'));
    if (error.tokenProblem) showTokenProblem(form, summary, error.tokenProblem);
    else if (error.code === 'unauthorized' || error.code === 'forbidden') showTokenProblem(form, summary, error.code === 'forbidden' ? 'notOrganiser' : 'refused');
    else showProblem(form, summary, { code: error.code }, { fields: ['token'], focus: true, scope: SCOPE, message: () => '' });
    return;
  }
  if (!view.current) return;
  typed = '';
  signedIn(session);
}

/** Navigate to `target`; when it is the address already, the page is drawn afresh as after a navigation. */
function go(target) {
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = target;
}

/** Why a pasted token cannot be used, beside the field: notToken | noCommunity | expired | refused | notOrganiser. */
function showTokenProblem(form, summary, reason) {
  showProblem(form, summary, { code: 'tokenRefused', errors: [{ path: 'token' }] }, {
    fields: ['token'],
    focus: true,
    scope: SCOPE,
    message: () => fieldErrorText(reason, '', 'console.tokenErrors'),
  });
}

async function completeHostedLogin(view, answer) {
  view.title(t('console.signInTitle'));
  view.render(heading(t('console.signInTitle')), loading());
  let session;
  try {
    session = sessionFrom(await finishHostedLogin(answer), 'cognito');
    if (session.problem) throw Object.assign(new Error(session.problem), { code: 'loginRefused' });
  } catch (error) {
    takeReturn(); // a failed login is told here, in the console
    setFlash({ kind: 'error', code: error.code === 'network' ? 'network' : 'loginRefused' });
    return showSignIn(view, { focus: 'flash' });
  }
  keepSession(session);
  // Signed in from another page (the kiosk): back there.
  const back = takeReturn();
  if (back) {
    location.hash = back;
    return undefined;
  }
  history.replaceState(null, '', consoleHash('tonight'));
  view.route = { ...view.route, section: 'tonight', id: '', sub: '' };
  return showSection(view, session);
}

function signOut(session) {
  forgetSession();
  forgetIssuedCode();
  settingsCache = null;
  setFlash({ kind: 'ok', text: () => t('console.signedOut') });
  if (session.method === 'cognito') {
    endHostedSession();
    return;
  }
  go(consoleHash());
}

/** The token stopped working (expired, or the account changed): forget it and ask again. */
function sessionEnded() {
  forgetSession();
  forgetIssuedCode();
  settingsCache = null;
  setFlash({ kind: 'error', code: 'sessionEnded' });
  go(consoleHash());
}

// ---- a section ----

async function loadSettings(session) {
  if (settingsCache?.communityId === session.communityId) return settingsCache.settings;
  let settings;
  try {
    settings = await organiserApi(session.token).settings(session.communityId);
  } catch (error) {
    if (error.code !== 'not_found') throw error;
    settings = null; // a community not set up yet: the settings form comes first
  }
  settingsCache = { communityId: session.communityId, settings };
  return settings;
}

/**
 * What a section gets: the community, its settings and time zone, the API bound to the token, and
 * ways to draw itself under the console's bar and tabs, to fail, and to draw itself again.
 */
function context(view, session, settings, { keepPage = false, focusId } = {}) {
  const { section } = view.route;
  const ctx = {
    view,
    route: view.route,
    c: session.communityId,
    settings,
    timeZone: settings?.timezone ?? DEFAULT_TIME_ZONE,
    api: organiserApi(session.token),
    /** Draw the section: its title (the page's h1), what happened last, then its parts. */
    render(title, ...children) {
      view.title(`${title} · ${t('console.title')}`);
      view.render(
        consoleBar(session, settings),
        settings ? tabNav(t('console.tabsLabel'), section, tabs(), 'tabs tabs--console') : null,
        heading(title),
        flashBox(),
        ...children,
      );
    },
    /** While the first answer is on its way (drawing again, or a language switch, leaves the page as it is). */
    loading(title) {
      if (!view.rerendered && !keepPage) ctx.render(title, loading());
    },
    /**
     * After drawing: focus what just happened (the flash), else what the reload asked for, else `id`,
     * else the heading after a navigation.
     */
    focus(id) {
      if (view.rerendered && !keepPage) return; // a language switch: focus stays on the switch
      if (flash && document.getElementById('flash')) focusAfter(view, 'flash');
      else focusAfter(view, focusId ?? id);
    },
    /** An API failure while loading: signed out when the token is refused, otherwise said with a retry. */
    fail(title, error) {
      if (!view.current) return;
      if (SIGNED_OUT.has(error.code)) {
        sessionEnded();
        return;
      }
      ctx.render(title, errorPanel(error, () => view.rerender(), SCOPE));
      view.focusHeading();
    },
    /** An ApiError from an action: true (and handled) when it means the session is over. */
    ended(error) {
      if (!SIGNED_OUT.has(error?.code)) return false;
      sessionEnded();
      return true;
    },
    /** Draw this section again with the latest data, keeping the page until it is ready. */
    reload(focusId) {
      return showSection(view, session, { keepPage: true, focusId });
    },
    /** Navigate within the console: ctx.go(consoleHash('events')). */
    go,
    /** Say `message` ({ kind, text() }) on top of the next page drawn: ctx.say(…) then ctx.reload() or a navigation. */
    say: setFlash,
    /** New settings from the API (after saving them): the console uses them from now on. */
    settingsSaved(saved) {
      settingsCache = { communityId: session.communityId, settings: saved };
    },
  };
  return ctx;
}

async function showSection(view, session, { keepPage = false, focusId } = {}) {
  let settings;
  try {
    settings = await loadSettings(session);
  } catch (error) {
    context(view, session, null).fail(t('console.title'), error);
    return;
  }
  if (!view.current) return;
  const ctx = context(view, session, settings, { keepPage, focusId });
  // Nothing works before the community has its settings: they come first.
  if (!settings) return showSettings(ctx, { firstRun: true });
  const { section, id, sub } = view.route;
  // A volunteer's new code is shown on its own page only, and gone once the organiser moves on.
  if (section !== 'volunteers' || sub !== 'code') forgetIssuedCode();
  if (section === 'events' && id === 'new') return showEventForm(ctx, null);
  if (section === 'events' && id && sub === 'edit') return showEventForm(ctx, id);
  if (section === 'events' && id) return showEventRoster(ctx, id);
  if (section === 'tonight' && id) return showSlotRoster(ctx, id);
  return { tonight: showTonight, orders: showWorkOrders, wishes: showWishes, events: showEvents, volunteers: showVolunteersSection, hours: showHours, shop: showShop, messages: showMessages, settings: showSettings }[section](ctx);
}

function tabs() {
  return SECTIONS.map((name) => ({ name, href: consoleHash(name), label: t(`console.tabs.${name}`) }));
}

/** Who is signed in for which community, and signing out (one tap: the laptop is shared). */
function consoleBar(session, settings) {
  const out = h('button', { type: 'button', class: 'button button--secondary button--small', id: 'sign-out' }, t('console.signOut'));
  out.addEventListener('click', () => signOut(session));
  return h(
    'div',
    { class: 'console-bar' },
    h('p', { class: 'console-bar__who' }, h('strong', {}, settings?.name ?? session.communityId), ' · ', t('console.organiser')),
    out,
  );
}

/** What just happened, said on top (focused by the action that caused it) until the next navigation. */
function flashBox() {
  if (!flash) return null;
  flash.shown = true;
  const attrs = { id: 'flash', tabindex: '-1' };
  const text = flash.text ? flash.text() : errorText(flash.code, SCOPE);
  if (flash.kind === 'error') return h('div', { ...attrs, class: 'notice notice--error', role: 'alert' }, h('p', {}, text));
  return h('p', { ...attrs, class: 'notice notice--ok', role: 'status' }, text);
}

function focusAfter(view, id) {
  if (!view.current) return;
  const target = id ? document.getElementById(id) : null;
  if (target) target.focus();
  else view.focusHeading();
}
