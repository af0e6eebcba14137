// One event's sign-up form, and the confirmation that replaces it.

import { api } from '../api.js';
import { badge, errorPanel, eventDetails, hash, heading, loading, registrant, signUpState } from '../common.js';
import { h } from '../dom.js';
import { buildingField, contactFields, field, fieldErrorText, keepLink } from '../forms.js';
import { t } from '../i18n.js';
import { codeStep, formState, residentForm } from '../resident-items.js';
import { manageUrl, updateSaved } from '../saved.js';

/** Per event, for this page load: the sign-up form's state (resident-items.js). */
const states = new Map();

export async function showRegister(view) {
  const { c, eventId } = view.route;
  const state = formState(states, eventId, view);
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

  const partyOptions = Array.from({ length: event.maxPartySize }, (_, i) =>
    h('option', { value: i + 1, selected: String(i + 1) === String(state.values.partySize ?? 1) }, t('partyOption', { n: i + 1 })),
  );
  const form = residentForm(view, state, {
    fields: ['name', 'phone', 'partySize', 'building', 'note'],
    preset: ['partySize'],
    controls: [
      contactFields({ building: false }),
      field('partySize', t('partyLabel'), { hint: t('partyHint', { n: event.maxPartySize }) }, h('select', { id: 'f-partySize', name: 'partySize' }, partyOptions)),
      buildingField(),
      field('note', t('noteLabel'), { mark: 'optional', hint: t('noteHint') }, h('textarea', { id: 'f-note', name: 'note', rows: 3, maxlength: 500 })),
    ],
    words: { title: t('formTitle'), hint: t('formIntro'), submit: signUp.full ? t('submitWaitlist') : t('submit') },
    answers: ['name', 'phone', 'partySize'],
    parse: { partySize: Number },
    optional: ['building', 'note'],
    required: ['name', 'phone'],
    errors: { message: (path, serverMessage, problem) => fieldMessage(path, serverMessage, event, problem.code) },
    send: (body, key) => api.register(c, event.id, body, key),
    sent: ({ registration, manageToken }) => {
      const result = { registration, token: manageToken };
      const entry = { communityId: c, eventId: event.id, id: registration.id, token: manageToken };
      return {
        result,
        entry,
        details: {
          title: event.title,
          startsAt: event.startsAt,
          endsAt: event.endsAt,
          timeZone,
          status: registration.status,
          waitlistPosition: registration.waitlistPosition ?? null,
        },
        draw: () => renderConfirmation(view, c, event, timeZone, result),
      };
    },
  });
  view.render(...intro, signUp.full ? h('p', { class: 'notice notice--warn' }, t('formFullNotice')) : null, ...form);
}

/** The words beside a field for an error the API (or the page) found there. */
function fieldMessage(path, serverMessage, event, code) {
  if (code === 'duplicate_registration') return t('fieldErrors.phoneDuplicate');
  if (path === 'partySize') return t('fieldErrors.partySize', { n: event.maxPartySize });
  return fieldErrorText(path, serverMessage);
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
  codeStep(view, {
    phoneHint: registration.phoneHint,
    verify: async (code) => (await api.verifyRegistration(c, event.id, registration.id, token, code)).registration,
    placed: (placed) => {
      result.registration = placed;
      updateSaved(placed.id, { status: placed.status, waitlistPosition: placed.waitlistPosition ?? null });
      renderConfirmation(view, c, event, timeZone, result);
    },
    details: h('section', { class: 'panel', 'aria-labelledby': 'done-event' }, h('h2', { id: 'done-event' }, event.title), eventDetails(event, timeZone), registrant(registration)),
  });
}
