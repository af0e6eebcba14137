// What the residents' forms (event sign-up, help-desk booking) share: labelled fields with hints, the
// honeypot, errors beside their fields with a summary on top, the Idempotency-Key of a submission,
// the busy submit button, and the manage link to keep on the confirmation.

import { newIdempotencyKey } from './api.js';
import { errorText } from './common.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { manageHash } from './saved.js';

/** Answers after which the very same submission may be sent again under the same Idempotency-Key. */
const RETRYABLE = new Set(['network', 'unavailable', 'internal', 'rate_limited', 'unknown']);

/** A labelled control with its hint and its (hidden until needed) error; `mark`: 'required' | 'optional' | none. */
export function field(name, label, { mark, hint }, control) {
  const id = `f-${name}`;
  control.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label, fieldMark(mark)),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
    control,
  );
}

function fieldMark(mark) {
  if (mark === 'required') return h('span', { class: 'required', 'aria-hidden': 'true' }, ' *');
  if (mark === 'optional') return h('span', { class: 'optional' }, t('optional'));
  return null;
}

/**
 * A group of large radio buttons, one answer required: a fieldset (role radiogroup, so that it can
 * carry aria-invalid and aria-describedby like any field) with its legend, hint and error.
 * `options`: [{ value, label, hint? }]; `id`s are f-<name> for the group and f-<name>-<value> for each choice.
 */
export function radioGroup(name, legend, { mark, hint }, options) {
  const id = `f-${name}`;
  return h(
    'fieldset',
    { class: 'field choices', id, role: 'radiogroup', 'aria-required': mark === 'required' ? 'true' : null, 'aria-describedby': hint ? `${id}-hint` : null },
    h('legend', {}, legend, fieldMark(mark)),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
    options.map((option) => {
      const optionId = `${id}-${option.value}`;
      // The whole box is the label (one big target); the choice's name is its name and the hint its description.
      return h(
        'label',
        { class: 'choice', for: optionId },
        h('input', {
          type: 'radio',
          id: optionId,
          name,
          value: option.value,
          'aria-labelledby': `${optionId}-label`,
          'aria-describedby': option.hint ? `${optionId}-hint` : null,
        }),
        h('span', { class: 'choice__label', id: `${optionId}-label` }, option.label),
        option.hint ? h('span', { class: 'choice__hint', id: `${optionId}-hint` }, option.hint) : null,
      );
    }),
  );
}

export function input(name, attrs) {
  return h('input', { id: `f-${name}`, name, type: 'text', ...attrs });
}

/**
 * Who the resident is: name and mobile number (required), and (unless `building` is false) the
 * building and flat (optional), with the autocomplete a phone's keyboard understands. `phoneHint`:
 * what the number is for, where it is not an event's (活动有变动时联系您).
 */
export function contactFields({ building = true, phoneHint = t('phoneHint') } = {}) {
  return [
    field('name', t('nameLabel'), { mark: 'required', hint: t('nameHint') }, input('name', { autocomplete: 'name', maxlength: 50, required: true })),
    field('phone', t('phoneLabel'), { mark: 'required', hint: phoneHint }, input('phone', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: 32, required: true })),
    building ? buildingField() : null,
  ];
}

/** 楼栋门牌, optional; `words` ({ label, hint }) where the building is where a problem is rather than where one lives. */
export const buildingField = (words = {}) =>
  field('building', words.label ?? t('buildingLabel'), { mark: 'optional', hint: words.hint ?? t('buildingHint') }, input('building', { autocomplete: 'address-line2', maxlength: 40 }));

/** After a successful submission: the confirmation drawn in the form's place, its heading focused, the page at its top. */
export function showConfirmation(view, draw, manageEntry) {
  if (!view.current) return;
  // The address becomes the manage page's (without a navigation): a reload, or the link shared from
  // the address bar, keeps the registration instead of showing an empty form.
  if (manageEntry) history.replaceState(history.state, '', manageHash(manageEntry));
  draw();
  document.querySelector('main h1')?.focus();
  window.scrollTo(0, 0);
}

/** The honeypot: off screen, out of the tab order and hidden from assistive technology. People never fill it. */
export function honeypot() {
  return h(
    'div',
    { class: 'hp', 'aria-hidden': 'true' },
    h('label', { for: 'f-website' }, t('honeypotLabel')),
    h('input', { id: 'f-website', name: 'website', type: 'text', tabindex: '-1', autocomplete: 'off' }),
  );
}

/** The error summary's box, hidden until a submission fails. */
export function errorSummary() {
  return h('div', { class: 'error-summary', id: 'error-summary', role: 'group', tabindex: '-1', 'aria-labelledby': 'error-summary-title', hidden: true });
}

/**
 * The Idempotency-Key for sending `body`: a new key for a new submission; the same key when the
 * same answers are sent again after a failure. `state` keeps { key, keyBody } between tries.
 */
export function idempotencyKeyFor(state, body) {
  const bodyText = JSON.stringify(body);
  if (!state.key || state.keyBody !== bodyText) {
    state.key = newIdempotencyKey();
    state.keyBody = bodyText;
  }
  return state.key;
}

/** After a failed submission: keep the key only if the very same submission may be retried; remember the problem. */
export function rememberFailure(state, error) {
  if (!RETRYABLE.has(error.code)) state.key = null;
  state.problem = { code: error.code, errors: error.errors };
}

/** The retry listener of each busy submit button. */
const retryListeners = new WeakMap();

/** The submit button while a submission is on its way (a second tap is ignored) and after. */
export function setBusy(submit, busy, label) {
  submit.disabled = busy;
  if (busy) submit.setAttribute('aria-busy', 'true');
  else submit.removeAttribute('aria-busy');
  submit.textContent = busy ? t('submitting') : label;
  // While it is busy, a retry of the call (api.js) shows on the button: still trying, not stuck.
  const previous = retryListeners.get(submit);
  if (previous) window.removeEventListener('linli:retrying', previous);
  retryListeners.delete(submit);
  if (busy) {
    const onRetry = () => (submit.textContent = t('stillTrying'));
    retryListeners.set(submit, onRetry);
    window.addEventListener('linli:retrying', onRetry);
  }
}

/**
 * Error summary at the top (focused on a failed submit) and each message beside its field.
 * `fields`: the names whose errors are cleared first; `message(path, serverMessage)`: the words for a field;
 * `scope`: where errorText looks first for the problem's words; `extra`: more to show in the summary.
 */
export function showProblem(form, summary, problem, { fields, focus, message, scope, extra = null }) {
  for (const name of [...fields, 'website']) setFieldError(form, name, null);
  const fieldErrors = problem.code === 'duplicate_registration' ? [{ path: 'phone' }] : (problem.errors ?? []);
  const items = [];
  for (const { path, message: serverMessage } of fieldErrors) {
    if (path === 'website') continue;
    const text = message(path, serverMessage ?? '');
    const target = form.querySelector(`#f-${CSS.escape(path)}`);
    if (target) {
      setFieldError(form, path, text);
      items.push(h('li', {}, h('a', { href: `#f-${path}`, onclick: (clicked) => focusField(clicked, target) }, text)));
    } else items.push(h('li', {}, text));
  }
  // Already signed up: the way to that registration, not only the refusal.
  const mine = problem.code === 'duplicate_registration' ? h('p', {}, h('a', { href: '#/mine' }, t('duplicateSeeMine'))) : null;
  replace(
    summary,
    h('h2', { id: 'error-summary-title' }, t('summaryTitle')),
    h('p', {}, errorText(problem.code, scope)),
    items.length ? h('ul', {}, items) : null,
    mine,
    extra,
  );
  summary.hidden = false;
  if (focus) {
    summary.focus();
    summary.scrollIntoView({ block: 'start' });
  }
}

/** The words for a field: `table.path` if there is one, else the common field errors, else the server's own words. */
export function fieldErrorText(path, serverMessage, table = 'fieldErrors') {
  for (const key of [`${table}.${path}`, `fieldErrors.${path}`]) {
    const known = t(key);
    if (known !== key) return known;
  }
  return serverMessage;
}

function focusField(clicked, target) {
  clicked.preventDefault(); // the link's own #f-… would be read as a route
  // A group of radio buttons takes focus on its chosen (or first) choice.
  const control = target.matches('fieldset') ? (target.querySelector('input:checked') ?? target.querySelector('input')) : target;
  control?.focus();
}

function setFieldError(form, name, message) {
  const control = form.querySelector(`#f-${name}`);
  const error = form.querySelector(`#f-${name}-error`);
  if (!control || !error) return;
  const hint = form.querySelector(`#f-${name}-hint`) ? `f-${name}-hint` : '';
  error.textContent = message ?? '';
  error.hidden = !message;
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
  const describedBy = [hint, message ? `f-${name}-error` : ''].filter(Boolean).join(' ');
  if (describedBy) control.setAttribute('aria-describedby', describedBy);
  else control.removeAttribute('aria-describedby');
}

/**
 * The confirmation's "keep this link" box: the manage link (token in the fragment) to copy or
 * screenshot, and a button to open it. `words`: { title, keep, label, saved, open }.
 */
export function keepLink(url, words) {
  const status = h('p', { class: 'copy-status', role: 'status' });
  const rows = Math.min(7, Math.max(3, Math.ceil(url.length / 24)));
  const link = h('textarea', { id: 'manage-link', class: 'manage-link', readonly: true, rows, spellcheck: 'false' });
  link.value = url;
  const copy = async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch {
      link.select();
      ok = document.execCommand?.('copy') ?? false;
    }
    status.textContent = ok ? t('copied') : t('copyFailed');
  };
  return h(
    'section',
    { class: 'keep', 'aria-labelledby': 'keep-title' },
    h('h2', { id: 'keep-title' }, words.title),
    h('p', {}, words.keep),
    h('label', { for: 'manage-link' }, words.label),
    link,
    h('button', { type: 'button', class: 'button', onclick: copy }, t('copy')),
    status,
    h('p', { class: 'hint' }, words.saved),
    h('a', { class: 'button button--secondary', href: url }, words.open),
  );
}
