// One event's sign-up form, and the confirmation that replaces it.

import { api, newIdempotencyKey } from '../api.js';
import { badge, errorPanel, errorText, eventDetails, hash, heading, loading, registrant, signUpState } from '../common.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { manageUrl, saveRegistration } from '../saved.js';

/** Per event, for this page load: what was typed, the last problem, the idempotency key, the result. */
const states = new Map();

/** Answers after which the very same submission may be sent again under the same Idempotency-Key. */
const RETRYABLE = new Set(['network', 'unavailable', 'internal', 'rate_limited', 'unknown']);

const FIELDS = ['name', 'phone', 'partySize', 'building', 'note'];

export async function showRegister(view) {
  const { c, eventId } = view.route;
  let state = states.get(eventId);
  // Arriving afresh (not a language switch) after a finished sign-up starts a new form.
  if (!state || (state.result && !view.rerendered)) {
    state = { values: {}, problem: null, key: null, keyBody: null, result: null };
    states.set(eventId, state);
  }
  const back = h('p', {}, h('a', { href: hash('c', c), class: 'back-link' }, t('back')));
  view.title(t('register'));
  view.render(back, heading(t('register')), loading());

  let profile;
  let event;
  try {
    [profile, event] = await Promise.all([view.community(c), api.event(c, eventId)]);
  } catch (error) {
    view.render(back, heading(t('register')), errorPanel(error, error.code === 'not_found' ? null : () => view.rerender()));
    view.focusHeading();
    return;
  }
  const timeZone = profile.timezone;
  if (state.result) renderConfirmation(view, c, event, timeZone, state.result);
  else renderForm(view, c, event, timeZone, state, back);
  view.focusHeading();
}

function renderForm(view, c, event, timeZone, state, back) {
  const signUp = signUpState(event, timeZone);
  view.title(`${t('register')}${t('registerFor', { title: event.title })}`);
  const intro = [
    back,
    heading(event.title),
    badge(signUp),
    eventDetails(event, timeZone),
    event.description ? h('p', { class: 'description' }, event.description) : null,
  ];
  if (!signUp.open) {
    view.render(...intro);
    return;
  }

  const summary = h('div', { class: 'error-summary', id: 'error-summary', role: 'group', tabindex: '-1', 'aria-labelledby': 'error-summary-title', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button' }, signUp.full ? t('submitWaitlist') : t('submit'));
  const partyOptions = Array.from({ length: event.maxPartySize }, (_, i) =>
    h('option', { value: i + 1, selected: String(i + 1) === String(state.values.partySize ?? 1) }, t('partyOption', { n: i + 1 })),
  );
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'form-title' },
    field('name', t('nameLabel'), { mark: 'required', hint: t('nameHint') }, input('name', { autocomplete: 'name', maxlength: 50, required: true })),
    field(
      'phone',
      t('phoneLabel'),
      { mark: 'required', hint: t('phoneHint') },
      input('phone', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: 32, required: true }),
    ),
    field('partySize', t('partyLabel'), { hint: t('partyHint', { n: event.maxPartySize }) }, h('select', { id: 'f-partySize', name: 'partySize' }, partyOptions)),
    field('building', t('buildingLabel'), { mark: 'optional', hint: t('buildingHint') }, input('building', { autocomplete: 'address-line2', maxlength: 40 })),
    field('note', t('noteLabel'), { mark: 'optional', hint: t('noteHint') }, h('textarea', { id: 'f-note', name: 'note', rows: 3, maxlength: 500 })),
    // The honeypot: off screen, out of the tab order and hidden from assistive technology. People never fill it.
    h(
      'div',
      { class: 'hp', 'aria-hidden': 'true' },
      h('label', { for: 'f-website' }, t('honeypotLabel')),
      h('input', { id: 'f-website', name: 'website', type: 'text', tabindex: '-1', autocomplete: 'off' }),
    ),
    submit,
  );
  for (const name of FIELDS) {
    const control = form.elements.namedItem(name);
    if (name !== 'partySize' && state.values[name]) control.value = state.values[name];
  }
  form.addEventListener('input', () => {
    for (const name of FIELDS) state.values[name] = form.elements.namedItem(name).value;
  });
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    send(view, c, event, timeZone, state, form, summary, submit, signUp);
  });

  view.render(
    ...intro,
    signUp.full ? h('p', { class: 'notice notice--warn' }, t('formFullNotice')) : null,
    h('h2', { id: 'form-title' }, t('formTitle')),
    h('p', { class: 'hint' }, t('formIntro')),
    summary,
    form,
  );
  if (state.problem) showProblem(form, summary, state.problem, event, { focus: false });
}

/** A labelled control with its hint and its (hidden until needed) error; `mark`: 'required' | 'optional' | none. */
function field(name, label, { mark, hint }, control) {
  const id = `f-${name}`;
  control.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { for: id },
      label,
      mark === 'required' ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null,
      mark === 'optional' ? h('span', { class: 'optional' }, t('optional')) : null,
    ),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
    control,
  );
}

function input(name, attrs) {
  return h('input', { id: `f-${name}`, name, type: 'text', ...attrs });
}

async function send(view, c, event, timeZone, state, form, summary, submit, signUp) {
  if (submit.disabled) return; // a second tap while the first is on its way
  const value = (name) => form.elements.namedItem(name).value;
  const body = { name: value('name').trim(), phone: value('phone').trim(), partySize: Number(value('partySize')), website: value('website') };
  if (value('building').trim()) body.building = value('building').trim();
  if (value('note').trim()) body.note = value('note').trim();

  const missing = [];
  if (!body.name) missing.push({ path: 'name' });
  if (!body.phone) missing.push({ path: 'phone' });
  if (missing.length) {
    state.problem = { code: 'validation_failed', errors: missing };
    showProblem(form, summary, state.problem, event, { focus: true });
    return;
  }

  // A new key for a new submission; the same key when the same answers are sent again after a failure.
  const bodyText = JSON.stringify(body);
  if (!state.key || state.keyBody !== bodyText) {
    state.key = newIdempotencyKey();
    state.keyBody = bodyText;
  }
  submit.disabled = true;
  submit.setAttribute('aria-busy', 'true');
  submit.textContent = t('submitting');
  try {
    const { registration, manageToken } = await api.register(c, event.id, body, state.key);
    state.result = { registration, token: manageToken };
    state.problem = null;
    state.values = {};
    saveRegistration({
      communityId: c,
      eventId: event.id,
      id: registration.id,
      token: manageToken,
      title: event.title,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      timeZone,
      status: registration.status,
      waitlistPosition: registration.waitlistPosition ?? null,
    });
    if (!view.current) return;
    renderConfirmation(view, c, event, timeZone, state.result);
    document.querySelector('main h1')?.focus();
    window.scrollTo(0, 0);
  } catch (error) {
    if (!RETRYABLE.has(error.code)) state.key = null;
    state.problem = { code: error.code, errors: error.errors };
    if (!view.current) return;
    submit.disabled = false;
    submit.removeAttribute('aria-busy');
    submit.textContent = signUp.full ? t('submitWaitlist') : t('submit');
    showProblem(form, summary, state.problem, event, { focus: true });
  }
}

/** The words beside a field for an error the API (or the page) found there. */
function fieldMessage(path, serverMessage, event, code) {
  if (code === 'duplicate_registration') return t('fieldErrors.phoneDuplicate');
  if (path === 'partySize') return t('fieldErrors.partySize', { n: event.maxPartySize });
  const known = t(`fieldErrors.${path}`);
  return known === `fieldErrors.${path}` ? serverMessage : known;
}

/** Error summary at the top (focused on a failed submit) and each message beside its field. */
function showProblem(form, summary, problem, event, { focus }) {
  for (const name of [...FIELDS, 'website']) setFieldError(form, name, null);
  const fieldErrors = problem.code === 'duplicate_registration' ? [{ path: 'phone' }] : (problem.errors ?? []);
  const items = [];
  for (const { path, message } of fieldErrors) {
    const text = fieldMessage(path, message ?? '', event, problem.code);
    const target = form.querySelector(`#f-${CSS.escape(path)}`);
    if (target && path !== 'website') {
      setFieldError(form, path, text);
      items.push(h('li', {}, h('a', { href: `#f-${path}`, onclick: (clicked) => focusField(clicked, target) }, text)));
    } else if (path !== 'website') items.push(h('li', {}, text));
  }
  replace(
    summary,
    h('h2', { id: 'error-summary-title' }, t('summaryTitle')),
    h('p', {}, errorText(problem.code)),
    items.length ? h('ul', {}, items) : null,
  );
  summary.hidden = false;
  if (focus) {
    summary.focus();
    summary.scrollIntoView({ block: 'start' });
  }
}

function focusField(clicked, target) {
  clicked.preventDefault(); // the link's own #f-… would be read as a route
  target.focus();
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

function renderConfirmation(view, c, event, timeZone, { registration, token }) {
  const waitlisted = registration.status === 'waitlisted';
  const url = manageUrl({ communityId: c, eventId: event.id, id: registration.id, token });
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
  view.title(waitlisted ? t('doneWaitlisted') : t('doneConfirmed'));
  view.render(
    h(
      'div',
      { class: `result result--${waitlisted ? 'waitlisted' : 'confirmed'}` },
      heading(waitlisted ? t('doneWaitlisted') : t('doneConfirmed')),
      waitlisted && registration.waitlistPosition ? h('p', { class: 'result__position' }, t('waitlistPosition', { n: registration.waitlistPosition })) : null,
      h('p', {}, waitlisted ? t('doneWaitlistedText') : t('doneConfirmedText')),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'done-event' },
      h('h2', { id: 'done-event' }, event.title),
      eventDetails(event, timeZone),
      registrant(registration),
    ),
    h(
      'section',
      { class: 'keep', 'aria-labelledby': 'keep-title' },
      h('h2', { id: 'keep-title' }, t('manageTitle')),
      h('p', {}, t('manageKeep')),
      h('label', { for: 'manage-link' }, t('manageLinkLabel')),
      link,
      h('button', { type: 'button', class: 'button', onclick: copy }, t('copy')),
      status,
      h('p', { class: 'hint' }, t('manageSaved')),
      h('a', { class: 'button button--secondary', href: url }, t('openManage')),
    ),
    h('p', {}, h('a', { href: hash('c', c) }, t('moreEvents'))),
  );
}
