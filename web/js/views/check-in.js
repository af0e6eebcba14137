// What the kiosk's QR code opens on a volunteer's phone (扫码签到, #/check-in/<community>/<code>):
// with the volunteer code this phone keeps (js/volunteer.js), the shift open for a check-in now is
// found (GET /me/shifts, less those already logged) and checked in on with the code from the link,
// in one tap; then the volunteer page, saying so. Where it cannot be done the page says why in words:
// no volunteer code on this phone (or this browser), another community's code, already checked in,
// no shift now, or a code that has expired (请重新扫码), with the field to type the one on screen.

import { api } from '../api.js';
import { CHECK_IN_EARLY_MS, deskCodeForm, deskCodeIn, shiftOpenNow, shiftsToCheckIn } from '../check-in-code.js';
import { DEFAULT_TIME_ZONE, errorPanel, errorText, eventDetails, heading, loading } from '../common.js';
import { h } from '../dom.js';
import { idempotencyKeyFor, rememberFailure, setBusy } from '../forms.js';
import { formatInstant, t } from '../i18n.js';
import { storedToken } from '../volunteer.js';
import { announce } from './volunteer.js';

/** Refusals after which the code itself is the problem: scan again, or type the one on screen. */
const CODE_REFUSED = new Set(['desk_code_invalid', 'desk_code_required']);
/** Answers that mean the volunteer code kept on this phone no longer works. */
const REFUSED = new Set(['unauthorized', 'forbidden']);

const title = () => t('scan.title');

export async function showCheckIn(view) {
  const { c, code: fromLink } = view.route;
  view.title(title());
  const code = deskCodeIn(fromLink);
  const token = storedToken();
  if (!token) return said(view, t('scan.noToken'), { hint: t('scan.noTokenHow'), link: { href: '#/volunteer', text: t('scan.toVolunteer') } });
  if (!view.rerendered) view.render(heading(title()), loading());
  let me;
  let shifts;
  let hours;
  let profile;
  try {
    [me, shifts, hours, profile] = await Promise.all([api.me(token), api.myShifts(token), api.myHours(token, { limit: 20 }), view.community(c).catch(() => null)]);
  } catch (error) {
    if (!view.current) return;
    if (REFUSED.has(error.code)) return said(view, t('scan.tokenRefused'), { link: { href: '#/volunteer', text: t('scan.toVolunteer') } });
    view.render(heading(title()), errorPanel(error, () => view.rerender(), 'volunteerErrors'));
    view.focusHeading();
    return;
  }
  if (!view.current) return;
  const timeZone = profile?.timezone ?? DEFAULT_TIME_ZONE;
  const toVolunteer = { href: '#/volunteer', text: t('scan.toVolunteer') };
  if (me.volunteer.communityId !== c) return said(view, t('scan.otherCommunity'), { link: toVolunteer });
  if (me.openCheckIn) return said(view, t('scan.alreadyIn', { time: formatInstant(me.openCheckIn.checkedInAt, timeZone) }), { kind: 'ok', link: toVolunteer });
  const shift = shiftOpenNow(shifts.items, hours.items);
  if (!shift) {
    const next = shiftsToCheckIn(shifts.items, hours.items)[0];
    const hint = next ? t('scan.nextShift', { shift: shiftName(next), time: formatInstant(Date.parse(next.startsAt) - CHECK_IN_EARLY_MS, timeZone) }) : t('scan.noShiftHow');
    return said(view, t('scan.noShift'), { hint, link: toVolunteer });
  }
  renderCheckIn(view, { token, shift, code, name: me.volunteer.name, timeZone });
}

const shiftName = (shift) => (shift.kind === 'slot' ? t('helpDeskShift') : shift.title);
const targetOf = (shift) => (shift.kind === 'slot' ? { slotId: shift.slotId } : { eventId: shift.eventId });

/** Why a check-in cannot be done here, in words, and where to go instead. */
function said(view, text, { hint = null, link = null, kind = 'warn' } = {}) {
  view.render(
    heading(title()),
    h('p', { class: `notice notice--${kind}`, id: 'scan-said' }, text),
    hint ? h('p', {}, hint) : null,
    link ? h('p', {}, h('a', { class: 'button button--secondary', href: link.href }, link.text)) : null,
  );
  view.focusHeading();
}

/**
 * The shift and one big 签到 with the code from the link; when that code is refused (expired: it is
 * accepted for a minute), the field to type the one on screen now, or scan again.
 */
function renderCheckIn(view, { token, shift, code, name, timeZone }, { refusedCode = null } = {}) {
  const state = { key: null, keyBody: null };
  const send = async (deskCode) => {
    const body = { ...targetOf(shift), deskCode };
    try {
      await api.checkIn(token, body, idempotencyKeyFor(state, body));
    } catch (error) {
      rememberFailure(state, error);
      throw error;
    }
    if (!view.current) return;
    announce({ kind: 'checkedIn' });
    // The volunteer page, in this entry of the history: back does not bring the used code again.
    history.replaceState(null, '', '#/volunteer');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  };
  const refused = (error) => {
    if (!view.current) return true;
    if (CODE_REFUSED.has(error.code)) {
      renderCheckIn(view, { token, shift, code: null, name, timeZone }, { refusedCode: error.code });
      document.getElementById('f-deskCode')?.focus();
      return true;
    }
    return false;
  };
  let action;
  if (code && !refusedCode) {
    const button = h('button', { type: 'button', class: 'button button--huge', id: 'check-button' }, t('checkIn'));
    const problem = h('div', { role: 'alert', class: 'shift__problem' });
    button.addEventListener('click', async () => {
      if (button.disabled) return;
      setBusy(button, true);
      problem.replaceChildren();
      try {
        await send(code);
      } catch (error) {
        if (refused(error)) return;
        setBusy(button, false, t('checkIn'));
        problem.replaceChildren(h('p', { class: 'field-error' }, errorText(error.code, 'volunteerErrors')));
      }
    });
    action = [h('p', { class: 'scan__code' }, t('scan.codeFromLink'), ' ', h('strong', { id: 'scan-code' }, code)), problem, button];
  } else {
    action = [
      h('p', { class: 'notice notice--warn', id: 'scan-said', role: refusedCode ? 'alert' : null }, refusedCode ? t('scan.codeExpired') : t('scan.codeMissing')),
      deskCodeForm({ send, refused: () => !view.current }),
    ];
  }
  view.title(`${title()} · ${shiftName(shift)}`);
  view.render(
    heading(title()),
    h('p', { class: 'lead' }, t('greeting', { name })),
    h(
      'section',
      { class: 'panel shift', 'aria-labelledby': 'shift-title' },
      h('h2', { id: 'shift-title' }, t('shiftNow')),
      h('p', { class: 'shift__title' }, shiftName(shift)),
      eventDetails(shift, timeZone),
      action,
    ),
    h('p', {}, h('a', { href: '#/volunteer' }, t('scan.toVolunteer'))),
  );
  view.focusHeading();
}
