// The volunteers' page (志愿者): the volunteer code is pasted (or comes in a QR code's link) once and
// kept on this phone; then the current shift with one big check-in / check-out button (and, where the
// community asks for it, the field for the code on the community room's kiosk screen), the hours and
// points, the shifts still needing volunteers in the next two weeks (报名值班) and the volunteer's own
// (退出值班), work orders (派单: 接单, 处理完成) and 巡查上报 (volunteer-work-orders.js), micro-wishes
// (微心愿: 认领, 已实现; volunteer-wishes.js), the points supermarket (积分超市), the records, the shifts
// as a calendar file, and signing out on this phone. The code only ever travels in the Authorization header.

import { askingButton, claimButton, downloadButton } from '../actions.js';
import { api, newIdempotencyKey } from '../api.js';
import { CHECK_IN_EARLY_MS, deskCodeForm, loggedOn, shiftsToCheckIn } from '../check-in-code.js';
import { badge, DEFAULT_TIME_ZONE, errorPanel, errorText, eventDetails, fact, heading, loading, pagedList } from '../common.js';
import { h, replace, srOnly } from '../dom.js';
import { errorSummary, field, fieldErrorText, idempotencyKeyFor, input, rememberFailure, setBusy, showProblem } from '../forms.js';
import { formatDay, formatDuration, formatInstant, formatRange, formatTimes, t } from '../i18n.js';
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
import { wishesSection } from './volunteer-wishes.js';
import { roundReportSection, workOrdersSection } from './volunteer-work-orders.js';

const SCOPE = 'volunteerErrors';
/** Hours logs and ledger entries shown at first; more a page at a time. */
const PAGE = 5;
/** After a check-in or -out the new big button waits this long, so that a double tap does not undo the first. */
const SETTLE_MS = 1000;
/** Answers that mean the code no longer works: the phone forgets it. */
const REFUSED = new Set(['unauthorized', 'forbidden']);
/** Shifts open to take are looked for this many days ahead. */
const OPEN_SHIFT_DAYS = 14;
/** Under this long before a shift starts, giving it back alerts the organisers (the API's rule; the page says so). */
const LATE_GIVE_BACK_MS = 24 * 60 * 60_000;
/** Refusals of 报名值班 after which the button cannot help any more: it goes, and the words take focus. */
const SHIFT_GONE = new Set(['slot_full', 'already_signed_up', 'slot_cancelled', 'event_cancelled', 'invalid_state', 'not_found']);
/** Answers that mean the check-in state changed elsewhere: the page is drawn again as it is now. */
const STALE = new Set(['already_checked_in', 'not_checked_in', 'unauthorized', 'forbidden']);

/** A code from a QR code's link, waiting to be checked (app.js has already taken it out of the address bar). */
let offered = null;
/** What another page did for the volunteer (a check-in from the kiosk's QR code), to say on top when this page opens. */
let announced = null;
/**
 * What the page says on top after something happened, kept through a language switch:
 * { kind: 'checkedIn' } | { kind: 'checkedOut', minutes } | { kind: 'redeemed', redemption, balance }
 * | { kind: 'shiftTaken' | 'shiftGivenBack', shift } | { kind: 'signedOut' } | { kind: 'error', code }
 * | { kind: 'said' | 'saidError', text() } (what a work order's or a wish's step said).
 */
let flash = null;
let settleUntil = 0;
/** What was typed or pasted into the sign-in form, kept through a language switch. */
let typed = '';

export function offerToken(token) {
  offered = token;
}

/** Say `message` (a flash, e.g. { kind: 'checkedIn' }) on top of this page when it opens next. */
export function announce(message) {
  announced = message;
}

export async function showVolunteer(view) {
  if (!view.rerendered) {
    flash = announced;
    announced = null;
  }
  const fromLink = offered;
  offered = null;
  if (fromLink) return signInFromLink(view, fromLink);
  const token = storedToken();
  if (!token) return showSignIn(view);
  // A language switch leaves the page in place until it is drawn again in the new language.
  return showHome(view, token, { keepPage: view.rerendered, focus: !view.rerendered && flash ? 'flash' : undefined });
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
  const [profile, catalogue, open, orders, wishes] = await Promise.all([
    view.community(c).catch(() => null),
    api.catalogue(c).catch(() => null),
    openShifts(c, shifts.items).catch(() => null),
    api
      .myWorkOrders(token, { limit: 100 })
      .then((page) => page.items)
      .catch(() => null),
    api
      .myWishes(token, { limit: 100 })
      .then((page) => page.items)
      .catch(() => null),
  ]);
  return {
    me,
    shifts: shifts.items,
    open,
    orders,
    wishes,
    hours,
    points,
    catalogue: catalogue?.items ?? null,
    timeZone: profile?.timezone ?? DEFAULT_TIME_ZONE,
    communityName: profile?.name,
    // Whether a check-in needs the kiosk's code; unknown (null) when the profile did not load: the API says so then.
    deskCodeNeeded: profile ? profile.checkInProof === 'desk_code' : null,
  };
}

/**
 * The shifts a volunteer could take: evenings of the help desk and published festivals in the next
 * OPEN_SHIFT_DAYS days with volunteer places left, not already the volunteer's, soonest first.
 * Each as /me/shifts has them ({ kind, slotId | eventId, title, venue, startsAt, endsAt }) with `left`.
 */
async function openShifts(c, mine) {
  const to = new Date(Date.now() + OPEN_SHIFT_DAYS * 86_400_000).toISOString();
  const [slots, events] = await Promise.all([api.slots(c, { to, limit: 100 }), api.eventsBetween(c, { to, limit: 100 })]);
  const held = new Set(mine.map((shift) => shift.slotId ?? `event:${shift.eventId}`));
  const now = Date.now();
  return [
    ...slots.items
      .filter((slot) => slot.status === 'open' && slot.volunteersLeft > 0 && !held.has(slot.id))
      .map((slot) => ({ kind: 'slot', slotId: slot.id, venue: slot.venue, startsAt: slot.startsAt, endsAt: slot.endsAt, left: slot.volunteersLeft })),
    ...events.items
      .filter((event) => event.status === 'published' && event.volunteersLeft > 0 && !held.has(`event:${event.id}`))
      .map((event) => ({ kind: 'event', eventId: event.id, title: event.title, venue: event.venue, startsAt: event.startsAt, endsAt: event.endsAt, left: event.volunteersLeft })),
  ]
    .filter((shift) => Date.parse(shift.endsAt) > now)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

/** A shift's name: the festival's title, or the help desk's in the page's language (the API's title has both). */
const shiftTitle = (shift) => (shift.kind === 'slot' ? t('helpDeskShift') : shift.title);
/** "12月5日 周六 19:30–20:30 每晚一小时延时服务": which shift, for a button's accessible name and the words on top. */
const shiftWhen = (shift, timeZone) => `${formatRange(shift.startsAt, shift.endsAt, timeZone)} ${shiftTitle(shift)}`;
const shiftTarget = (shift) => (shift.kind === 'slot' ? { slotId: shift.slotId } : { eventId: shift.eventId });
const shiftError = (code) => errorText(code, 'shiftErrors');

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
  closeOpenBox = null;
  view.title(`${t('volunteerTitle')} · ${me.volunteer.name}`);
  view.render(
    heading(t('greeting', { name: me.volunteer.name }), { id: 'volunteer-title' }),
    h('p', { class: 'lead' }, teamName(me.volunteer.team), communityName ? ` · ${communityName}` : ''),
    flashBox(),
    shiftPanel(view, token, data),
    statsPanel(data),
    shiftsSection(view, token, data),
    openShiftsSection(view, token, data),
    workOrdersSection(data, orderActions(view, token)),
    roundReportSection(orderActions(view, token)),
    wishesSection(data, orderActions(view, token)),
    shopSection(view, token, data),
    hoursSection(token, data),
    ledgerSection(token, data),
    phoneSection(view),
  );
}

/**
 * What the work-order and wish sections need to say what happened (done, or failed: a refusal after
 * which the page is drawn as it is now) and draw the page again (volunteer-work-orders.js, volunteer-wishes.js).
 */
function orderActions(view, token) {
  return {
    view,
    token,
    done: (message) => {
      flash = { kind: 'said', text: message.text };
      return showHome(view, token, { keepPage: true, focus: 'flash' });
    },
    failed: (message) => {
      flash = { kind: 'saidError', text: message.text };
      return showHome(view, token, { keepPage: true, focus: 'flash' });
    },
    refused: () => showHome(view, token, { keepPage: true, focus: 'flash' }),
    claimBox: (asking) => {
      closeOpenBox?.();
      closeOpenBox = asking.close;
    },
  };
}

/** What just happened, said on top (a live region, focused by the action that caused it). */
function flashBox() {
  if (!flash) return null;
  const attrs = { id: 'flash', tabindex: '-1' };
  if (flash.kind === 'error') return h('div', { ...attrs, class: 'notice notice--error', role: 'alert' }, h('p', {}, errorText(flash.code, SCOPE)));
  if (flash.kind === 'saidError') return h('div', { ...attrs, class: 'notice notice--error', role: 'alert' }, h('p', {}, flash.text()));
  if (flash.kind === 'redeemed') return pickupBox(attrs, flash);
  const text = {
    checkedIn: () => t('checkInDone'),
    checkedOut: () => t('checkOutDone', { duration: formatDuration(flash.minutes) }),
    shiftTaken: () => t('shiftTaken', { shift: shiftWhen(flash.shift, flash.timeZone) }),
    shiftGivenBack: () => t('shiftGivenBack', { shift: shiftWhen(flash.shift, flash.timeZone) }),
    signedOut: () => t('signedOut'),
    said: () => flash.text(),
  }[flash.kind];
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

/**
 * Whether the API asked for the kiosk's code at check-in although the public profile did not
 * (`desk_code_required`: the setting changed since the profile was read), for this page load:
 * false, true, or 'required' right after the refusal (the field then says why).
 */
let deskCodeAsked = false;

/**
 * The current (or next) shift and the one big button: 签到 when no log is open, 签退 when one is.
 * A shift already logged (checked out of, one log per shift) is done: the next one is shown. Where
 * the community asks for the kiosk's code, 签到 comes with the field for it.
 */
function shiftPanel(view, token, { me, shifts, hours, timeZone, deskCodeNeeded }) {
  const open = me.openCheckIn;
  const shift = open ? shifts.find((item) => sameTarget(item, open)) : shiftsToCheckIn(shifts, hours.items)[0];
  const now = Date.now();
  const started = open || (shift && Date.parse(shift.startsAt) <= now);
  const problem = h('div', { role: 'alert', class: 'shift__problem' });
  let action = null;
  if (!open && shift && (deskCodeNeeded || deskCodeAsked)) action = deskCodeCheckIn(view, token, shift);
  else if (open || shift) {
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
  else if (shift) hint = deskCodeNeeded || deskCodeAsked ? t('deskCodeScanHint') : t('checkInHint');
  return h(
    'section',
    { class: `panel shift${open ? ' shift--on' : ''}`, 'aria-labelledby': 'shift-title' },
    h('h2', { id: 'shift-title' }, started ? t('shiftNow') : t('shiftNext')),
    shift ? [h('p', { class: 'shift__title' }, shiftTitle(shift)), eventDetails(shift, timeZone)] : null,
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
  await api.checkIn(token, shiftTarget(shift), key);
  return { kind: 'checkedIn' };
}

/**
 * 签到 with the kiosk's code: the field and the big button. Checked in, the page is drawn again with
 * what happened on top; a refusal (a wrong or expired code, too many wrong codes, outside the
 * window) is said beside the field; an answer that means the state changed elsewhere draws the page
 * as it is now. The same code sent again after a lost answer goes under the same Idempotency-Key.
 */
function deskCodeCheckIn(view, token, shift) {
  const state = { key: null, keyBody: null };
  const form = deskCodeForm({
    problem: deskCodeAsked === 'required' ? 'desk_code_required' : null,
    send: async (deskCode) => {
      const body = { ...shiftTarget(shift), deskCode };
      try {
        await api.checkIn(token, body, idempotencyKeyFor(state, body));
      } catch (error) {
        rememberFailure(state, error);
        throw error;
      }
      flash = { kind: 'checkedIn' };
      settleUntil = Date.now() + SETTLE_MS;
      await showHome(view, token, { keepPage: true, focus: 'flash' });
    },
    refused: (error) => {
      if (!view.current) return true;
      if (!STALE.has(error.code)) return false;
      flash = { kind: 'error', code: error.code };
      showHome(view, token, { keepPage: true, focus: 'flash' });
      return true;
    },
  });
  if (deskCodeAsked === 'required') deskCodeAsked = true;
  return form;
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
    if (error.code === 'desk_code_required') {
      // The community asks for the kiosk's code now (its setting changed since this page read it): the field comes.
      deskCodeAsked = 'required';
      await showHome(view, token, { keepPage: true, focus: 'f-deskCode' });
      return;
    }
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

// ---- shifts to take ----

/** 可以报名的值班: the evenings and festivals of the next two weeks that still need volunteers. */
function openShiftsSection(view, token, { open, me, timeZone }) {
  let body;
  if (open === null) body = h('p', { class: 'notice notice--error' }, t('openShiftsUnavailable'));
  else if (!open.length) body = h('p', { class: 'notice' }, t('openShiftsEmpty', { days: OPEN_SHIFT_DAYS }));
  else body = h('ul', { class: 'event-list' }, open.map((shift, index) => openShiftCard(view, token, me.volunteer.communityId, shift, timeZone, index)));
  return h(
    'section',
    { 'aria-labelledby': 'open-shifts-title' },
    h('h2', { id: 'open-shifts-title' }, t('openShiftsTitle')),
    h('p', { class: 'hint' }, t('openShiftsIntro', { days: OPEN_SHIFT_DAYS })),
    body,
  );
}

/**
 * One shift to take, with 报名值班 (its accessible name says which). Taken, the page is drawn again with
 * it among the volunteer's own; refused, the reason is said beside it: where the button can no longer
 * help (full, taken already, cancelled, over) it goes and the words take focus, otherwise the button
 * stays focused to try again (under the same Idempotency-Key).
 */
function openShiftCard(view, token, c, shift, timeZone, index) {
  const when = shiftWhen(shift, timeZone);
  const home = () => showHome(view, token, { keepPage: true, focus: 'flash' });
  return h(
    'li',
    { class: 'card' },
    h('h3', { class: 'card__title' }, shiftTitle(shift)),
    eventDetails(shift, timeZone),
    h('p', { class: 'badge badge--full' }, t('volunteersNeeded', { n: shift.left })),
    claimButton({
      view,
      label: () => [t('takeShift'), srOnly(t('registerFor', { title: when }))],
      send: (keyFor) => {
        const target = shiftTarget(shift);
        return api.takeShift(token, c, target, keyFor(target));
      },
      on: Object.fromEntries([...REFUSED].map((code) => [code, home])),
      gone: SHIFT_GONE,
      words: shiftError,
      problemId: `take-problem-${index}`,
      done: () => {
        flash = { kind: 'shiftTaken', shift, timeZone };
        return home();
      },
    }),
  );
}

// ---- the points supermarket ----

/** The one confirmation box open at a time (a redemption, giving back a shift): opening another closes it (their parts share ids). */
let closeOpenBox = null;

function shopSection(view, token, { catalogue, me }) {
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
  closeOpenBox?.();
  closeOpenBox = asking.close;
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
      log.shift && (log.shift.kind === 'slot' || log.shift.title) ? fact(t('logShift'), log.shift.kind === 'slot' ? t('helpDeskShift') : log.shift.title) : null,
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

// ---- the volunteer's shifts, giving one back, and the calendar file ----

/**
 * Every upcoming shift with 退出值班 (asked first), except the one checked in on and those already
 * served (an hours log on it: the API refuses to give those back); then the calendar file.
 */
function shiftsSection(view, token, { shifts, me, hours, timeZone }) {
  if (!shifts.length) return null;
  return h(
    'section',
    { 'aria-labelledby': 'shifts-title' },
    h('h2', { id: 'shifts-title' }, t('shiftsTitle')),
    h(
      'ul',
      { class: 'event-list' },
      shifts.map((shift) => {
        const on = me.openCheckIn && sameTarget(shift, me.openCheckIn);
        const served = !on && hours.items.some((log) => loggedOn(shift, log));
        let end;
        if (on) end = h('p', { class: 'hint' }, t('giveBackCheckedIn'));
        else if (served) end = h('p', { class: 'hint' }, t('shiftServed'));
        else end = giveBackButton(view, token, me.volunteer.communityId, shift, timeZone);
        return h('li', { class: 'card' }, h('h3', { class: 'card__title' }, shiftTitle(shift)), eventDetails(shift, timeZone), end);
      }),
    ),
    calendarDownload(token),
  );
}

/** 退出值班: asked first (with the organisers' alert said when it is under 24 h away); a refusal is said in the box. */
function giveBackButton(view, token, c, shift, timeZone) {
  const when = shiftWhen(shift, timeZone);
  const button = h('button', { type: 'button', class: 'button button--secondary' }, t('giveBack'), srOnly(t('registerFor', { title: when })));
  const asking = askingButton(button, () => {
    closeOpenBox?.();
    closeOpenBox = asking.close;
    const late = Date.parse(shift.startsAt) - Date.now() < LATE_GIVE_BACK_MS;
    return {
      words: { title: t('giveBackTitle', { shift: when }), text: late ? t('giveBackLate') : t('giveBackText'), yes: t('giveBackYes'), no: t('giveBackNo'), busy: t('givingBack') },
      heading: 'h4',
      scope: 'shiftErrors',
      onYes: async () => {
        try {
          await api.giveBackShift(token, c, shiftTarget(shift));
        } catch (error) {
          if (!REFUSED.has(error.code)) throw error;
          // The code stopped working: the page as it is now (it signs out on this phone and says why).
          await showHome(view, token, { keepPage: true, focus: 'flash' });
          return;
        }
        flash = { kind: 'shiftGivenBack', shift, timeZone };
        await showHome(view, token, { keepPage: true, focus: 'flash' });
      },
    };
  });
  return asking.place;
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
