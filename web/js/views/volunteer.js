// The volunteers' page (志愿者): the volunteer code is pasted (or comes in a QR code's link) once and
// kept on this phone; then the current shift with one big check-in / check-out button, the hours and
// points, the points supermarket (积分超市), the records, the shifts as a calendar file, and signing
// out on this phone. The code only ever travels in the Authorization header.

import { askingButton, downloadButton } from '../actions.js';
import { api, newIdempotencyKey } from '../api.js';
import { badge, DEFAULT_TIME_ZONE, errorPanel, errorText, eventDetails, fact, heading, loading, pagedList } from '../common.js';
import { h, replace, srOnly } from '../dom.js';
import { errorSummary, field, fieldErrorText, idempotencyKeyFor, input, rememberFailure, setBusy, showProblem } from '../forms.js';
import { formatDay, formatDuration, formatInstant, formatTimes, t } from '../i18n.js';
import {
  forgetToken,
  keepToken,
  ledgerKindText,
  logState,
  organiserNote,
  pickupCodeOf,
  rememberPickup,
  storedToken,
  teamName,
  tokenIn,
} from '../volunteer.js';

const SCOPE = 'volunteerErrors';
/** Hours logs and ledger entries shown at first; more a page at a time. */
const PAGE = 5;
/** After a check-in or -out the new big button waits this long, so that a double tap does not undo the first. */
const SETTLE_MS = 1000;
/** Check-in opens this long before a shift starts (the API decides; the page only says so). */
const CHECK_IN_EARLY_MS = 30 * 60_000;
/** Answers that mean the code no longer works: the phone forgets it. */
const REFUSED = new Set(['unauthorized', 'forbidden']);
/** Answers that mean the check-in state changed elsewhere: the page is drawn again as it is now. */
const STALE = new Set(['already_checked_in', 'not_checked_in', 'unauthorized', 'forbidden']);

/** A code from a QR code's link, waiting to be checked (app.js has already taken it out of the address bar). */
let offered = null;
/**
 * What the page says on top after something happened, kept through a language switch:
 * { kind: 'checkedIn' } | { kind: 'checkedOut', minutes } | { kind: 'redeemed', redemption, balance }
 * | { kind: 'signedOut' } | { kind: 'error', code }.
 */
let flash = null;
let settleUntil = 0;
/** What was typed or pasted into the sign-in form, kept through a language switch. */
let typed = '';

export function offerToken(token) {
  offered = token;
}

export async function showVolunteer(view) {
  if (!view.rerendered) flash = null;
  const fromLink = offered;
  offered = null;
  if (fromLink) return signInFromLink(view, fromLink);
  const token = storedToken();
  if (!token) return showSignIn(view);
  // A language switch leaves the page in place until it is drawn again in the new language.
  return showHome(view, token, { keepPage: view.rerendered });
}

/** Focus after drawing: an element by id (a result just announced) if it is there, else the page's heading. */
function focusAfter(view, id) {
  if (!view.current) return;
  const target = id ? document.getElementById(id) : null;
  if (target) target.focus();
  else view.focusHeading();
}

// ---- signing in ----

function showSignIn(view, { focus } = {}) {
  view.title(t('signInTitle'));
  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, t('signIn'));
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'sign-in-title' },
    field(
      'token',
      t('tokenLabel'),
      { hint: t('tokenHint') },
      input('token', { autocomplete: 'off', autocapitalize: 'none', autocorrect: 'off', spellcheck: 'false', required: true }),
    ),
    submit,
  );
  const code = form.elements.namedItem('token');
  code.value = view.rerendered ? typed : '';
  code.addEventListener('input', () => {
    typed = code.value;
  });
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    signIn(view, form, summary, submit);
  });
  view.render(
    heading(t('signInTitle'), { id: 'sign-in-title' }),
    flashBox(),
    h('p', { class: 'lead' }, t('signInIntro')),
    summary,
    form,
    h('p', { class: 'hint' }, t('scanHint')),
    h('p', { class: 'hint' }, t('tokenKeep')),
  );
  focusAfter(view, focus);
}

async function signIn(view, form, summary, submit) {
  if (submit.disabled) return; // a second tap while the first is on its way
  const token = tokenIn(form.elements.namedItem('token').value);
  if (!token) {
    showTokenProblem(form, summary, { code: 'validation_failed', errors: [{ path: 'token' }] });
    return;
  }
  setBusy(submit, true);
  try {
    await api.me(token);
  } catch (error) {
    if (!view.current) return;
    setBusy(submit, false, t('signIn'));
    showTokenProblem(form, summary, REFUSED.has(error.code) ? { code: 'unauthorized', errors: [{ path: 'token', refused: true }] } : { code: error.code });
    return;
  }
  keepToken(token);
  flash = null;
  typed = '';
  await showHome(view, token, { focus: 'volunteer-title' });
}

function showTokenProblem(form, summary, problem) {
  const refused = problem.errors?.some((error) => error.refused);
  showProblem(form, summary, problem, {
    fields: ['token'],
    focus: true,
    scope: SCOPE,
    message: (path, serverMessage) => (refused ? t('volunteerFieldErrors.tokenRefused') : fieldErrorText(path, serverMessage, 'volunteerFieldErrors')),
  });
}

/** A code from a QR code's link: checked, then kept; a refused one is said in words (a code kept before stays). */
async function signInFromLink(view, token) {
  view.title(t('signInTitle'));
  view.render(heading(t('signInTitle')), loading());
  try {
    await api.me(token);
  } catch (error) {
    if (!REFUSED.has(error.code)) {
      view.render(
        heading(t('signInTitle')),
        errorPanel(error, () => {
          offered = token;
          view.rerender();
        }, SCOPE),
      );
      view.focusHeading();
      return undefined;
    }
    flash = { kind: 'error', code: 'linkRefused' };
    const kept = storedToken();
    return kept ? showHome(view, kept) : showSignIn(view);
  }
  keepToken(token);
  return showHome(view, token);
}

// ---- the volunteer's home ----

async function loadHome(view, token) {
  const [me, shifts, hours, points] = await Promise.all([
    api.me(token),
    api.myShifts(token),
    api.myHours(token, { limit: PAGE }),
    api.myPoints(token, { limit: PAGE }),
  ]);
  const c = me.volunteer.communityId;
  const [profile, catalogue] = await Promise.all([view.community(c).catch(() => null), api.catalogue(c).catch(() => null)]);
  return { me, shifts: shifts.items, hours, points, catalogue: catalogue?.items ?? null, timeZone: profile?.timezone ?? DEFAULT_TIME_ZONE, communityName: profile?.name };
}

/**
 * Fetch everything and draw the home. `keepPage`: after an action or a language switch, the page
 * stays as it is until the new one is ready (no flash of "loading"); `focus`: the id to focus afterwards.
 */
async function showHome(view, token, { keepPage = false, focus } = {}) {
  view.title(t('volunteerTitle'));
  if (!keepPage) view.render(heading(t('volunteerTitle')), loading());
  let data;
  try {
    data = await loadHome(view, token);
  } catch (error) {
    if (!view.current) return;
    if (REFUSED.has(error.code) && storedToken() === token) {
      forgetToken();
      flash = { kind: 'error', code: 'tokenRefused' };
      showSignIn(view, { focus: focus ? 'flash' : undefined });
      return;
    }
    view.render(heading(t('volunteerTitle')), flashBox(), errorPanel(error, () => view.rerender(), SCOPE));
    focusAfter(view, focus === 'flash' ? 'flash' : undefined);
    return;
  }
  if (!view.current) return;
  renderHome(view, token, data);
  focusAfter(view, focus);
}

function renderHome(view, token, data) {
  const { me, communityName } = data;
  view.title(`${t('volunteerTitle')} · ${me.volunteer.name}`);
  view.render(
    heading(t('greeting', { name: me.volunteer.name }), { id: 'volunteer-title' }),
    h('p', { class: 'lead' }, teamName(me.volunteer.team), communityName ? ` · ${communityName}` : ''),
    flashBox(),
    shiftPanel(view, token, data),
    statsPanel(data),
    shopSection(view, token, data),
    hoursSection(token, data),
    ledgerSection(token, data),
    shiftsSection(token, data),
    phoneSection(view),
  );
}

/** What just happened, said on top (a live region, focused by the action that caused it). */
function flashBox() {
  if (!flash) return null;
  const attrs = { id: 'flash', tabindex: '-1' };
  if (flash.kind === 'error') return h('div', { ...attrs, class: 'notice notice--error', role: 'alert' }, h('p', {}, errorText(flash.code, SCOPE)));
  if (flash.kind === 'redeemed') return pickupBox(attrs, flash);
  const text = { checkedIn: () => t('checkInDone'), checkedOut: () => t('checkOutDone', { duration: formatDuration(flash.minutes) }), signedOut: () => t('signedOut') }[flash.kind];
  return text ? h('p', { ...attrs, class: 'notice notice--ok', role: 'status' }, text()) : null;
}

/** After redeeming: the pickup code, large, to show at the counter. */
function pickupBox(attrs, { redemption, balance }) {
  return h(
    'div',
    { ...attrs, class: 'result pickup', role: 'status', 'aria-labelledby': 'pickup-title' },
    h('h2', { id: 'pickup-title' }, t('redeemDone')),
    h('p', { class: 'pickup__label' }, t('pickupCode')),
    h('p', { class: 'pickup__code', id: 'pickup-code' }, redemption.pickupCode),
    h('p', {}, t('redeemDoneText', { item: redemption.itemName, quantity: redemption.quantity, points: redemption.points })),
    h('p', { class: 'pickup__balance' }, t('balanceNow', { n: balance })),
  );
}

const sameTarget = (shift, log) => (shift.kind === 'slot' ? shift.slotId === log.slotId : shift.eventId === log.eventId);

/** The current (or next) shift and the one big button: 签到 when no log is open, 签退 when one is. */
function shiftPanel(view, token, { me, shifts, timeZone }) {
  const open = me.openCheckIn;
  const shift = open ? shifts.find((item) => sameTarget(item, open)) : shifts[0];
  const now = Date.now();
  const started = open || (shift && Date.parse(shift.startsAt) <= now);
  const problem = h('div', { role: 'alert', class: 'shift__problem' });
  let action = null;
  if (open || shift) {
    const label = open ? t('checkOut') : t('checkIn');
    action = h('button', { type: 'button', class: `button button--huge${open ? ' button--checkout' : ''}`, id: 'check-button' }, label);
    action.addEventListener('click', () =>
      open ? act(view, token, action, label, problem, (key) => checkOut(token, key)) : act(view, token, action, label, problem, (key) => checkIn(token, shift, key)),
    );
    settle(action);
  }
  let hint = null;
  if (open) hint = t('checkOutHint');
  else if (shift && Date.parse(shift.startsAt) - CHECK_IN_EARLY_MS > now) hint = t('checkInOpensAt', { time: formatInstant(Date.parse(shift.startsAt) - CHECK_IN_EARLY_MS, timeZone) });
  else if (shift) hint = t('checkInHint');
  return h(
    'section',
    { class: `panel shift${open ? ' shift--on' : ''}`, 'aria-labelledby': 'shift-title' },
    h('h2', { id: 'shift-title' }, started ? t('shiftNow') : t('shiftNext')),
    shift ? [h('p', { class: 'shift__title' }, shift.title), eventDetails(shift, timeZone)] : null,
    !shift && !open ? h('p', {}, t('noShift')) : null,
    open ? checkedInBox(view, open, timeZone) : null,
    problem,
    action,
    hint ? h('p', { class: 'hint' }, hint) : null,
  );
}

/** A new big button right after a check-in or -out: unavailable for a moment. */
function settle(button) {
  const wait = settleUntil - Date.now();
  if (wait <= 0) return;
  button.disabled = true;
  setTimeout(() => {
    button.disabled = false;
  }, wait);
}

/** 已签到, when, and the minutes served so far (counted on the phone, not announced each minute). */
function checkedInBox(view, open, timeZone) {
  const served = h('p', { class: 'status__value', id: 'served' });
  const tick = () => {
    served.textContent = t('servedFor', { duration: formatDuration((Date.now() - Date.parse(open.checkedInAt)) / 60_000) });
  };
  tick();
  const timer = setInterval(() => {
    if (view.current && served.isConnected) tick();
    else clearInterval(timer);
  }, 15_000);
  return h(
    'div',
    { class: 'status status--checked-in', id: 'check-in-status' },
    h('p', { class: 'status__label' }, t('checkedIn')),
    served,
    h('p', {}, t('checkedInAt', { time: formatInstant(open.checkedInAt, timeZone) })),
  );
}

async function checkIn(token, shift, key) {
  await api.checkIn(token, shift.kind === 'slot' ? { slotId: shift.slotId } : { eventId: shift.eventId }, key);
  return { kind: 'checkedIn' };
}

async function checkOut(token, key) {
  const { hoursLog } = await api.checkOut(token, key);
  return { kind: 'checkedOut', minutes: hoursLog.minutes ?? 0 };
}

/**
 * A tap on the big button: one call (retried under the same Idempotency-Key), then the page drawn
 * again with what happened on top. A refusal is said beside the button; an answer that means the
 * state changed elsewhere draws the page as it is now.
 */
async function act(view, token, button, label, problem, call) {
  if (button.disabled) return;
  setBusy(button, true);
  replace(problem);
  try {
    flash = await call(newIdempotencyKey());
  } catch (error) {
    if (!view.current) return;
    if (!STALE.has(error.code)) {
      setBusy(button, false, label);
      replace(problem, h('p', { class: 'field-error' }, errorText(error.code, SCOPE)));
      return;
    }
    flash = { kind: 'error', code: error.code };
  }
  settleUntil = Date.now() + SETTLE_MS;
  await showHome(view, token, { keepPage: true, focus: 'flash' });
}

function statsPanel({ me }) {
  const stat = (label, value, id, wide = false) => h('div', { class: wide ? 'stat stat--wide' : 'stat' }, h('dt', {}, label), h('dd', { id }, value));
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'stats-title' },
    h('h2', { id: 'stats-title' }, t('statsTitle')),
    h(
      'dl',
      { class: 'stats' },
      stat(t('hoursApproved'), formatDuration(me.hours.approvedMinutes), 'hours-approved'),
      stat(t('hoursPending'), formatDuration(me.hours.pendingMinutes), 'hours-pending'),
      stat(t('pointsBalance'), t('points', { n: me.points.balance }), 'points-balance', true),
    ),
  );
}

// ---- the points supermarket ----

/** The one redemption box open at a time: opening another closes it. */
let closeOpenRedemption = null;

function shopSection(view, token, { catalogue, me }) {
  closeOpenRedemption = null;
  let body;
  if (catalogue === null) body = h('p', { class: 'notice notice--error' }, t('shopUnavailable'));
  else if (!catalogue.length) body = h('p', { class: 'notice' }, t('shopEmpty'));
  else body = h('ul', { class: 'event-list' }, catalogue.map((item) => itemCard(view, token, item, me.points.balance)));
  return h('section', { 'aria-labelledby': 'shop-title' }, h('h2', { id: 'shop-title' }, t('shopTitle')), h('p', { class: 'hint' }, t('shopIntro')), body);
}

function itemCard(view, token, item, balance) {
  let actions = null;
  if (item.stock > 0) {
    const button = h('button', { type: 'button', class: 'button' }, t('redeem'), srOnly(t('registerFor', { title: item.name })));
    const asking = askingButton(button, () => askToRedeem(view, token, item, balance, asking));
    actions = asking.place;
  }
  return h(
    'li',
    { class: 'card' },
    h('h3', { class: 'card__title' }, item.name),
    h(
      'dl',
      { class: 'facts facts--wide' },
      fact(t('itemCost'), t('points', { n: item.pointsCost })),
      fact(t('itemStock'), item.stock > 0 ? t('stockLeft', { n: item.stock }) : t('soldOut')),
    ),
    actions,
  );
}

/**
 * The confirmation step of a redemption: the quantity, what it costs and the balance after (or how
 * many points are missing), then one call under an Idempotency-Key of its own.
 */
function askToRedeem(view, token, item, balance, asking) {
  closeOpenRedemption?.();
  closeOpenRedemption = asking.close;
  const state = { key: null, keyBody: null };
  const most = Math.max(1, Math.min(10, item.stock));
  const quantity = h(
    'select',
    { id: 'f-quantity', name: 'quantity' },
    Array.from({ length: most }, (_, i) => h('option', { value: i + 1 }, t('quantityOption', { n: i + 1 }))),
  );
  const cost = h('p', { class: 'redeem-cost', id: 'redeem-cost', 'aria-live': 'polite' });
  return {
    words: { title: t('redeemTitle', { name: item.name }), yes: t('redeemYes'), no: t('redeemNo'), busy: t('redeeming') },
    body: [field('quantity', t('quantityLabel'), { hint: t('quantityHint', { n: most }) }, quantity), cost],
    heading: 'h4',
    danger: false,
    scope: SCOPE,
    opened: ({ yes }) => {
      const update = () => {
        const total = Number(quantity.value) * item.pointsCost;
        const short = total > balance;
        cost.textContent = short ? t('redeemShort', { cost: total, balance, missing: total - balance }) : t('redeemCost', { cost: total, after: balance - total });
        cost.className = short ? 'redeem-cost notice notice--warn' : 'redeem-cost';
        yes.hidden = short;
      };
      quantity.addEventListener('change', update);
      update();
    },
    onYes: async () => {
      const body = { itemId: item.id, quantity: Number(quantity.value) };
      let result;
      try {
        result = await api.redeem(token, body, idempotencyKeyFor(state, body));
      } catch (error) {
        rememberFailure(state, error);
        throw error;
      }
      rememberPickup(result.redemption);
      flash = { kind: 'redeemed', redemption: result.redemption, balance: result.balance };
      await showHome(view, token, { keepPage: true, focus: 'flash' });
    },
  };
}

// ---- records: hours logs and the points ledger ----

function listSection(id, title, page, { item, fetchPage, moreLabel, empty }) {
  const { list, more } = pagedList(page, { item, fetchPage, moreLabel });
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), page.items.length ? list : h('p', { class: 'notice' }, empty), more);
}

function hoursSection(token, { hours, timeZone }) {
  return listSection('logs-title', t('logsTitle'), hours, {
    item: (log) => logCard(log, timeZone),
    fetchPage: (cursor) => api.myHours(token, { cursor, limit: PAGE }),
    moreLabel: t('logsMore'),
    empty: t('logsEmpty'),
  });
}

function logCard(log, timeZone) {
  const minutes = log.approvedMinutes ?? log.minutes;
  const note = organiserNote(log);
  return h(
    'li',
    { class: 'card card--log' },
    h('h3', { class: 'card__title' }, formatDay(log.checkedInAt, timeZone)),
    badge(logState(log.status)),
    h(
      'dl',
      { class: 'facts facts--wide' },
      fact(t('logTime'), log.checkedOutAt ? formatTimes(log.checkedInAt, log.checkedOutAt, timeZone) : t('logSince', { time: formatInstant(log.checkedInAt, timeZone) })),
      minutes !== undefined ? fact(t('logMinutes'), formatDuration(minutes)) : null,
      log.status === 'approved' && log.points !== undefined ? fact(t('logPoints'), t('points', { n: log.points })) : null,
      note ? fact(t('organiserNote'), note, { class: 'multiline' }) : null,
    ),
    log.autoClosed ? h('p', { class: 'hint' }, t('autoClosed')) : null,
  );
}

function ledgerSection(token, { points, timeZone }) {
  return listSection('ledger-title', t('ledgerTitle'), points, {
    item: (entry) => ledgerRow(entry, timeZone),
    fetchPage: (cursor) => api.myPoints(token, { cursor, limit: PAGE }),
    moreLabel: t('ledgerMore'),
    empty: t('ledgerEmpty'),
  });
}

function ledgerRow(entry, timeZone) {
  const code = entry.kind === 'redeem' ? pickupCodeOf(entry.ref) : null;
  return h(
    'li',
    { class: 'ledger' },
    h(
      'div',
      { class: 'ledger__what' },
      h('p', { class: 'ledger__kind' }, ledgerKindText(entry.kind)),
      entry.note ? h('p', {}, entry.note) : null,
      code ? h('p', { class: 'ledger__code' }, t('pickupCodeShort', { code })) : null,
      h('p', { class: 'hint' }, formatInstant(entry.createdAt, timeZone)),
    ),
    h('p', { class: `ledger__points${entry.points < 0 ? ' ledger__points--spent' : ''}` }, t('pointsSigned', { n: entry.points })),
  );
}

// ---- later shifts and the calendar file ----

function shiftsSection(token, { shifts, me, timeZone }) {
  if (!shifts.length) return null;
  const current = me.openCheckIn ? shifts.find((item) => sameTarget(item, me.openCheckIn)) : shifts[0];
  const later = shifts.filter((item) => item !== current);
  return h(
    'section',
    { 'aria-labelledby': 'shifts-title' },
    h('h2', { id: 'shifts-title' }, t('shiftsTitle')),
    later.length
      ? h(
          'ul',
          { class: 'event-list' },
          later.map((item) => h('li', { class: 'card' }, h('h3', { class: 'card__title' }, item.title), eventDetails(item, timeZone))),
        )
      : null,
    calendarDownload(token),
  );
}

/** "加入日历": the shifts as an .ics file, fetched with the code in its header and handed over as a download. */
function calendarDownload(token) {
  return [
    h('p', { class: 'hint', id: 'calendar-hint' }, t('calendarHint')),
    downloadButton({
      words: { label: t('addToCalendar'), done: t('calendarDone') },
      fileName: 'linli-shifts.ics',
      type: 'text/calendar',
      fetchFile: () => api.myCalendar(token),
      scope: SCOPE,
      describedBy: 'calendar-hint',
    }),
  ];
}

// ---- signing out on this phone ----

function phoneSection(view) {
  const button = h('button', { type: 'button', class: 'button button--secondary' }, t('signOut'));
  const { place } = askingButton(button, () => ({
    words: { title: t('signOutTitle'), text: t('signOutText'), yes: t('signOutYes'), no: t('signOutNo'), busy: t('signingOut') },
    heading: 'h3',
    onYes: () => {
      forgetToken();
      flash = { kind: 'signedOut' };
      showSignIn(view, { focus: 'flash' });
    },
  }));
  return h('section', { class: 'panel', 'aria-labelledby': 'phone-title' }, h('h2', { id: 'phone-title' }, t('phoneTitle')), h('p', {}, t('phoneIntro')), place);
}
