// One event's sign-up form, and the confirmation that replaces it.

import { api } from '../api.js';
import { badge, errorPanel, eventDetails, hash, heading, loading, registrant, signUpState } from '../common.js';
import { h } from '../dom.js';
import {
  buildingField,
  contactFields,
  errorSummary,
  field,
  fieldErrorText,
  honeypot,
  idempotencyKeyFor,
  input,
  keepLink,
  rememberFailure,
  setBusy,
  showConfirmation,
  showProblem as showFormProblem,
} from '../forms.js';
import { t } from '../i18n.js';
import { manageUrl, saveRegistration, updateSaved } from '../saved.js';
import { verifyPanel } from '../verify.js';

/** Per event, for this page load: what was typed, the last problem, the idempotency key, the result. */
const states = new Map();

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

  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, signUp.full ? t('submitWaitlist') : t('submit'));
  const partyOptions = Array.from({ length: event.maxPartySize }, (_, i) =>
    h('option', { value: i + 1, selected: String(i + 1) === String(state.values.partySize ?? 1) }, t('partyOption', { n: i + 1 })),
  );
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'form-title' },
    contactFields({ building: false }),
    field('partySize', t('partyLabel'), { hint: t('partyHint', { n: event.maxPartySize }) }, h('select', { id: 'f-partySize', name: 'partySize' }, partyOptions)),
    buildingField(),
    field('note', t('noteLabel'), { mark: 'optional', hint: t('noteHint') }, h('textarea', { id: 'f-note', name: 'note', rows: 3, maxlength: 500 })),
    honeypot(),
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
  const key = idempotencyKeyFor(state, body);
  setBusy(submit, true);
  try {
    const { registration, manageToken } = await api.register(c, event.id, body, key);
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
    showConfirmation(view, () => renderConfirmation(view, c, event, timeZone, state.result), {
      communityId: c,
      eventId: event.id,
      id: registration.id,
      token: manageToken,
    });
  } catch (error) {
    rememberFailure(state, error);
    if (!view.current) return;
    setBusy(submit, false, signUp.full ? t('submitWaitlist') : t('submit'));
    showProblem(form, summary, state.problem, event, { focus: true });
  }
}

/** The words beside a field for an error the API (or the page) found there. */
function fieldMessage(path, serverMessage, event, code) {
  if (code === 'duplicate_registration') return t('fieldErrors.phoneDuplicate');
  if (path === 'partySize') return t('fieldErrors.partySize', { n: event.maxPartySize });
  return fieldErrorText(path, serverMessage);
}

function showProblem(form, summary, problem, event, { focus }) {
  showFormProblem(form, summary, problem, { fields: FIELDS, focus, message: (path, serverMessage) => fieldMessage(path, serverMessage, event, problem.code) });
}

function renderConfirmation(view, c, event, timeZone, result) {
  const { registration, token } = result;
  if (registration.status === 'pending_verification') {
    renderCodeStep(view, c, event, timeZone, result);
    return;
  }
  const waitlisted = registration.status === 'waitlisted';
  const url = manageUrl({ communityId: c, eventId: event.id, id: registration.id, token });
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
    keepLink(url, { title: t('manageTitle'), keep: t('manageKeep'), label: t('manageLinkLabel'), saved: t('manageSaved'), open: t('openManage') }),
    h('p', {}, h('a', { href: hash('c', c) }, t('moreEvents'))),
  );
}

/** Where the community verifies phones: the sign-up is held until the code from the SMS is typed here. */
function renderCodeStep(view, c, event, timeZone, result) {
  const { registration, token } = result;
  view.title(t('verifyTitle'));
  view.render(
    heading(t('verifyTitle')),
    verifyPanel({
      phoneHint: registration.phoneHint,
      verify: async (code) => (await api.verifyRegistration(c, event.id, registration.id, token, code)).registration,
      done: (placed) => {
        if (!view.current) return;
        result.registration = placed;
        updateSaved(placed.id, { status: placed.status, waitlistPosition: placed.waitlistPosition ?? null });
        renderConfirmation(view, c, event, timeZone, result);
        document.querySelector('main h1')?.focus();
      },
    }),
    h('section', { class: 'panel', 'aria-labelledby': 'done-event' }, h('h2', { id: 'done-event' }, event.title), eventDetails(event, timeZone), registrant(registration)),
  );
}
