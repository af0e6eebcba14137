// The code a resident types from the SMS, where the community verifies phones: one field, one
// button, the reason beside the field when the code is refused. Used by the sign-up and booking
// confirmations and by both manage pages, so a held request can be finished from any of them.

import { h } from './dom.js';
import { field, input, setBusy } from './forms.js';
import { t } from './i18n.js';

/** What a refusal means for the person typing, in words they can act on (`own`: a page's own words for some codes). */
function refusalText(code, own = {}) {
  if (own[code]) return own[code];
  if (code === 'verification_failed') return t('verifyWrong');
  if (code === 'rate_limited') return t('verifyTooMany');
  if (code === 'not_found') return t('verifyGone');
  if (code === 'network') return t('errors.network');
  return t('verifyFailed');
}

/**
 * The panel: `verify(code)` sends the code and resolves with the placed request, handed to
 * `done`; a refusal is shown beside the field, which keeps the focus. `refusals`: words of the
 * page's own for some problem codes ("请重新上报" rather than "请重新报名").
 */
export function verifyPanel({ phoneHint, verify, done, refusals = {} }) {
  const submit = h('button', { type: 'submit', class: 'button' }, t('verifySubmit'));
  const control = input('code', { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 7, required: true, 'aria-invalid': 'false' });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'verify-title' }, field('code', t('verifyLabel'), { mark: 'required', hint: t('verifyHint', { phone: phoneHint }) }, control), submit);
  const error = form.querySelector('#f-code-error');
  const show = (text) => {
    error.textContent = text;
    error.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', 'f-code-error f-code-hint');
    control.focus();
  };
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    if (submit.disabled) return;
    const code = control.value.replace(/[\s-]/g, '');
    if (!/^\d{6}$/.test(code)) {
      show(t('verifyShape'));
      return;
    }
    setBusy(submit, true);
    let placed;
    try {
      placed = await verify(code);
    } catch (problem) {
      setBusy(submit, false, t('verifySubmit'));
      show(refusalText(problem.code, refusals));
      return;
    }
    done(placed);
  });
  return h('section', { class: 'panel verify', 'aria-labelledby': 'verify-title' }, h('h2', { id: 'verify-title' }, t('verifyTitle')), form);
}
