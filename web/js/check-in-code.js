// The code on the community room's kiosk screen (签到码), where a community asks for it at check-in
// (API.md `checkInProof: "desk_code"`): one numeric field beside the big 签到 button, the reason
// beside the field when the code is refused. Used by the volunteer page and by the page a kiosk's QR
// code opens (#/check-in/<community>/<code>). Which shift is open for a check-in now is decided here
// too, so both pages agree.

import { errorText } from './common.js';
import { h } from './dom.js';
import { field, input, setBusy } from './forms.js';
import { t } from './i18n.js';

/** Check-in opens this long before a shift starts (the API decides; the pages only say so). */
export const CHECK_IN_EARLY_MS = 30 * 60_000;

/** The six digits in what was typed ("123 456", "123-456"), or null. */
export function deskCodeIn(text) {
  const digits = String(text ?? '').replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** Whether an hours log (open or not) was made on this shift (/me/shifts item). */
export const loggedOn = (shift, log) => (shift.kind === 'slot' ? log.slotId === shift.slotId : log.eventId === shift.eventId);

/**
 * The volunteer's shifts that can still take a check-in: those without an hours log yet (one log per
 * shift per volunteer; after 签退 the shift is done), soonest first as /me/shifts lists them.
 */
export const shiftsToCheckIn = (shifts, logs) => shifts.filter((shift) => !logs.some((log) => loggedOn(shift, log)));

/** The shift open for a check-in at `now` (from 30 minutes before it starts until it ends), or undefined. */
export function shiftOpenNow(shifts, logs, now = Date.now()) {
  return shiftsToCheckIn(shifts, logs).find((shift) => Date.parse(shift.startsAt) - CHECK_IN_EARLY_MS <= now && now < Date.parse(shift.endsAt));
}

/**
 * The 签到 form with the code field: `send(code)` checks in (rejecting with the API's error);
 * a refusal is said beside the field, which keeps the focus, unless `refused(error)` handles it
 * (returns true). `problem`: an error code to show at once (a code just refused elsewhere).
 */
export function deskCodeForm({ send, refused = () => false, problem = null, code = '', label = t('checkIn') }) {
  const control = input('deskCode', {
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]*',
    maxlength: 7,
    required: true,
    class: 'desk-code-input',
    'aria-invalid': 'false',
    value: code,
  });
  const submit = h('button', { type: 'submit', class: 'button button--huge', id: 'check-button' }, label);
  const form = h('form', { class: 'form desk-code-form', novalidate: true, 'aria-label': label }, field('deskCode', t('deskCodeLabel'), { hint: t('deskCodeHint') }, control), submit);
  const error = form.querySelector('#f-deskCode-error');
  const show = (text, { focus = true } = {}) => {
    error.textContent = text;
    error.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', 'f-deskCode-error f-deskCode-hint');
    if (focus) control.focus();
  };
  if (problem) show(errorText(problem, 'volunteerErrors'), { focus: false });
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    if (submit.disabled) return; // a second tap while the first is on its way
    const digits = deskCodeIn(control.value);
    if (!digits) {
      show(t('volunteerErrors.deskCodeShape'));
      return;
    }
    setBusy(submit, true);
    try {
      await send(digits);
    } catch (failure) {
      if (!form.isConnected || refused(failure)) return;
      setBusy(submit, false, label);
      show(errorText(failure.code, 'volunteerErrors'));
    }
  });
  return form;
}
