// The community room's kiosk (签到码屏幕, #/c/<community>/kiosk): a tablet by the door shows the desk
// code in huge digits and a QR code of the check-in link, so that a volunteer's check-in proves they
// are in the room (API.md `checkInProof`, `GET …/desk-code`). An organiser signs in (as in the
// console), then the screen goes full screen on a tap (the Fullscreen API needs one), keeps itself
// awake (a screen wake lock, asked again whenever the page is shown again), and fetches the next code
// when the current one changes (every 30 s), with a bar counting down to it; a failed fetch is
// retried with backoff while the code on screen is still accepted, and the code goes once it is not.
//
// The tablet stays in a public room: the organiser's token is held in this page's memory only, and
// a console session kept in this tab is signed out when the kiosk takes it, so that nobody can open
// the console (with residents' phones) on the tablet. Leaving or reloading asks for a sign-in again.

import { organiserApi } from '../api.js';
import { errorPanel, hash, heading, loading } from '../common.js';
import { h, replace, svg } from '../dom.js';
import { getLang, LANGS, t } from '../i18n.js';
import { CONSOLE_SCOPE, consoleHash, forgetSession, storedSession } from '../organiser.js';
import { qrSvg } from '../qr.js';
import { organiserSignIn } from './console.js';

/** A code is shown for this long (API.md: it changes every 30 s). */
const WINDOW_MS = 30_000;
/** Never ask again sooner than this (a clock far off must not turn into a request a millisecond). */
const MIN_DELAY_MS = 500;
/** After the server's change, so that the answer is surely the next code. */
const AFTER_CHANGE_MS = 250;
/** The first code could not be fetched: tried again after this long, unattended. */
const RETRY_FIRST_MS = 15_000;
/** Backoff after failures: 1 s, 2 s, 4 s … up to this. */
const MAX_BACKOFF_MS = 15_000;
/** Asked again when the code had not changed yet (this tablet's clock is ahead): 0.5 s, 1 s … up to this; the code on screen still works meanwhile. */
const MAX_EARLY_MS = 8_000;

/** The kiosk's organiser session ({ token, communityId, expiresAt }), in memory only. */
let held = null;
/** The running screen (timers, wake lock, listeners), stopped before the page is drawn again or left. */
let running = null;

export async function showKiosk(view) {
  running?.stop();
  running = null;
  const { c } = view.route;
  const stored = storedSession();
  if (stored) {
    // Taken from the console's tab storage into this page's memory: the tablet keeps no console session.
    held = stored;
    forgetSession();
  }
  if (held?.expiresAt && held.expiresAt <= Date.now()) return showSignIn(view, c, { said: 'expired' });
  if (!held) return showSignIn(view, c);
  if (held.communityId !== c) return showOtherCommunity(view, c);
  return showScreen(view, c, held);
}

const title = () => t('kiosk.title');

// ---- signing in ----

function showSignIn(view, c, { said } = {}) {
  held = null;
  view.title(title());
  const check = async (session) => {
    if (session.communityId !== c) throw Object.assign(new Error('otherCommunity'), { tokenProblem: 'otherCommunity' });
    await organiserApi(session.token).deskCode(c);
  };
  const signedIn = (session) => {
    held = session;
    showScreen(view, c, session);
  };
  view.render(
    heading(title()),
    said ? h('div', { class: 'notice notice--error', role: 'alert', id: 'kiosk-said' }, h('p', {}, t(`kiosk.${said}`))) : null,
    h('p', { class: 'lead' }, t('kiosk.intro')),
    h('p', {}, t('kiosk.signInIntro')),
    organiserSignIn(view, { check, signedIn, returnTo: hash('c', c, 'kiosk') }),
    h('p', { class: 'hint' }, t('kiosk.memoryOnly')),
  );
  view.focusHeading();
}

function showOtherCommunity(view, c) {
  view.title(title());
  view.render(
    heading(title()),
    h('p', { class: 'notice notice--error', role: 'alert' }, t('kiosk.otherCommunity', { community: c, own: held.communityId })),
    h('p', {}, h('a', { href: hash('c', held.communityId, 'kiosk') }, t('kiosk.ownKiosk'))),
  );
  view.focusHeading();
}

// ---- the screen ----

async function showScreen(view, c, session) {
  view.title(title());
  view.render(heading(title()), loading());
  const api = organiserApi(session.token);
  let first;
  let profile;
  const sentAt = Date.now();
  try {
    [first, profile] = await Promise.all([api.deskCode(c), view.community(c).catch(() => null)]);
  } catch (error) {
    if (!view.current) return;
    if (error.code === 'unauthorized') return showSignIn(view, c, { said: 'expired' });
    view.render(heading(title()), errorPanel(error, () => view.rerender(), CONSOLE_SCOPE), h('p', {}, h('a', { href: consoleHash('settings') }, t('kiosk.toConsole'))));
    view.focusHeading();
    // Nobody may be there to tap "retry": a tablet that lost the network tries again by itself.
    if (error.code !== 'forbidden') setTimeout(() => view.current && view.rerender(), RETRY_FIRST_MS);
    return;
  }
  if (!view.current) return;
  running = startScreen(view, c, api, { first, sentAt, receivedAt: Date.now() }, profile);
}

/** "Volunteer check-in code" under 志愿者签到码: the other language's words, for whoever reads it. */
function otherLanguage() {
  const other = getLang() === 'zh' ? 'en' : 'zh';
  return h('p', { class: 'kiosk__other', lang: LANGS[other] }, t('kiosk.otherLanguage'));
}

/**
 * Draw the screen once, then keep it current in place: the code and the QR code when a new one
 * comes, the bar and the seconds every second. Returns { stop }.
 */
function startScreen(view, c, api, { first, sentAt, receivedAt }, profile) {
  const codeBox = h('p', { class: 'kiosk__code', id: 'desk-code' });
  const qrBox = h('figure', { class: 'kiosk__qr', id: 'desk-qr' });
  const bar = svg('rect', { class: 'kiosk__bar-fill', x: 0, y: 0, width: '100%', height: '100%', rx: 8 });
  const countdown = h('p', { class: 'kiosk__countdown', id: 'desk-countdown' });
  const status = h('p', { class: 'kiosk__status', role: 'status', id: 'kiosk-status' });
  const awake = h('p', { class: 'kiosk__awake hint', id: 'kiosk-awake' });
  const full = h('button', { type: 'button', class: 'button', id: 'kiosk-fullscreen' });
  const proofOff = profile && profile.checkInProof !== 'desk_code';
  view.render(
    h(
      'div',
      { class: 'kiosk' },
      h('div', { class: 'kiosk__head' }, heading(t('kiosk.screenTitle'), { class: 'kiosk__title' }), otherLanguage(), profile?.name ? h('p', { class: 'kiosk__community' }, profile.name) : null),
      proofOff ? h('p', { class: 'notice notice--warn kiosk__off', id: 'kiosk-off' }, t('kiosk.proofOff')) : null,
      h(
        'div',
        { class: 'kiosk__body' },
        h(
          'section',
          { class: 'kiosk__code-box', 'aria-labelledby': 'desk-code-label' },
          h('h2', { class: 'kiosk__label', id: 'desk-code-label' }, t('kiosk.typeIt')),
          codeBox,
          svg('svg', { class: 'kiosk__bar', width: '100%', height: '1rem', 'aria-hidden': 'true', focusable: 'false' }, svg('rect', { class: 'kiosk__bar-track', x: 0, y: 0, width: '100%', height: '100%', rx: 8 }), bar),
          countdown,
        ),
        h('section', { class: 'kiosk__scan', 'aria-labelledby': 'desk-qr-label' }, h('h2', { class: 'kiosk__label', id: 'desk-qr-label' }, t('kiosk.scanIt')), qrBox),
      ),
      status,
      h('div', { class: 'kiosk__controls' }, full, h('a', { href: consoleHash('settings'), class: 'button button--secondary', id: 'kiosk-leave' }, t('kiosk.leave'))),
      awake,
    ),
  );
  view.focusHeading();

  let shown = null;
  /** The server's clock minus this tablet's, as far as the answers tell (see learnClock). */
  let skew = 0;
  let failures = 0;
  let early = 0;
  let fetchTimer = null;
  let fetching = false;
  let stopped = false;
  let wakeLock = null;
  let enteredFullscreen = false;

  const serverNow = () => Date.now() + skew;

  /**
   * Each answer says the server's clock was in [changesAt − 30 s, changesAt) while it answered,
   * that is between this tablet's `sentAt` and `receivedAt`: the skew is kept inside those bounds,
   * so a tablet whose clock is off still asks for the next code just after it changes.
   */
  const learnClock = (answer, sentAt, receivedAt) => {
    const changesAt = Date.parse(answer.changesAt);
    const low = changesAt - WINDOW_MS - receivedAt;
    const high = changesAt - sentAt;
    if (low < high) skew = Math.min(Math.max(skew, low), high);
  };

  const draw = (answer) => {
    shown = answer;
    codeBox.classList.remove('kiosk__code--gone');
    replace(codeBox, h('span', {}, answer.code.slice(0, 3)), h('span', {}, answer.code.slice(3)));
    replace(qrBox, qrSvg(answer.checkInUrl, { label: t('kiosk.qrLabel'), className: 'qr kiosk__qr-code' }), h('figcaption', { class: 'hint' }, t('kiosk.qrCaption')));
    tick();
  };

  /** Every second: the bar and the seconds left; a code no longer accepted goes (with its QR code). */
  const tick = () => {
    if (!view.current) return stop();
    if (!shown) return;
    const now = serverNow();
    if (now >= Date.parse(shown.expiresAt)) {
      codeBox.classList.add('kiosk__code--gone');
      replace(codeBox, '— — —');
      replace(qrBox);
      countdown.textContent = t('kiosk.gone');
      bar.setAttribute('width', '0%');
      return;
    }
    const left = Math.max(0, Math.min(WINDOW_MS, Date.parse(shown.changesAt) - now));
    bar.setAttribute('width', `${(left / WINDOW_MS) * 100}%`);
    countdown.textContent = left > 0 ? t('kiosk.changesIn', { n: Math.ceil(left / 1000) }) : t('kiosk.changing');
  };

  const schedule = (delay) => {
    clearTimeout(fetchTimer);
    if (!stopped) fetchTimer = setTimeout(fetchCode, Math.max(MIN_DELAY_MS, delay));
  };

  async function fetchCode() {
    if (stopped || fetching) return;
    if (!view.current) return stop();
    fetching = true;
    const sentAt = Date.now();
    let answer;
    try {
      answer = await api.deskCode(c);
    } catch (error) {
      fetching = false;
      if (stopped) return;
      if (!view.current) return stop();
      if (error.code === 'unauthorized' || error.code === 'forbidden') {
        // The sign-in ran out (an ID token lasts an hour on AWS): ask for it again, saying why.
        stop();
        return showSignIn(view, c, { said: error.code === 'forbidden' ? 'refused' : 'expired' });
      }
      failures += 1;
      status.textContent = t('kiosk.retrying');
      schedule(Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1)) * (0.75 + Math.random() * 0.5));
      return;
    }
    fetching = false;
    if (stopped) return;
    failures = 0;
    status.textContent = '';
    learnClock(answer, sentAt, Date.now());
    if (answer.code !== shown?.code || answer.changesAt !== shown?.changesAt) {
      early = 0;
      draw(answer);
      schedule(Date.parse(answer.changesAt) - serverNow() + AFTER_CHANGE_MS);
    } else {
      // Not changed yet: ask again soon, then less often, rather than every half second until it does.
      early += 1;
      schedule(Math.max(Date.parse(answer.changesAt) - serverNow() + AFTER_CHANGE_MS, Math.min(MAX_EARLY_MS, MIN_DELAY_MS * 2 ** (early - 1))));
    }
  }

  // ---- awake and full screen ----

  const keepAwake = async () => {
    if (!('wakeLock' in navigator)) {
      awake.textContent = t('kiosk.awakeUnsupported');
      return;
    }
    if (wakeLock && !wakeLock.released) return;
    try {
      wakeLock = await navigator.wakeLock.request('screen');
      if (stopped) {
        wakeLock.release().catch(() => undefined);
        return;
      }
      awake.textContent = t('kiosk.awakeOn');
    } catch {
      awake.textContent = t('kiosk.awakeRefused');
    }
  };

  const fullscreenLabel = () => {
    full.textContent = document.fullscreenElement ? t('kiosk.exitFullscreen') : t('kiosk.fullscreen');
  };
  full.hidden = !document.fullscreenEnabled;
  fullscreenLabel();
  full.addEventListener('click', async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else {
        await document.documentElement.requestFullscreen({ navigationUI: 'hide' });
        enteredFullscreen = true;
      }
    } catch {
      // Refused (a browser setting): the screen works as it is.
    }
    // A tap is also a good moment to ask for the wake lock again (some browsers want one).
    keepAwake();
  });

  const onVisibility = () => {
    if (document.visibilityState !== 'visible') return;
    // Timers sleep in the background, and the wake lock is let go whenever the page is hidden.
    keepAwake();
    fetchCode();
  };

  const second = setInterval(tick, 1000);
  document.addEventListener('visibilitychange', onVisibility);
  document.addEventListener('fullscreenchange', fullscreenLabel);

  function stop() {
    if (stopped) return;
    stopped = true;
    clearTimeout(fetchTimer);
    clearInterval(second);
    document.removeEventListener('visibilitychange', onVisibility);
    document.removeEventListener('fullscreenchange', fullscreenLabel);
    wakeLock?.release().catch(() => undefined);
    if (enteredFullscreen && document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
    document.documentElement.classList.remove('kiosk-live');
    if (running?.stop === stop) running = null;
  }

  document.documentElement.classList.add('kiosk-live');
  learnClock(first, sentAt, receivedAt);
  draw(first);
  schedule(Date.parse(first.changesAt) - serverNow() + AFTER_CHANGE_MS);
  keepAwake();
  return { stop };
}
