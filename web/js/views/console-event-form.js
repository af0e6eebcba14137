// Creating and editing an event (新建活动 / 编辑活动): labelled fields with hints, times on the
// community's clock, and the API's field errors beside their fields with a summary on top.

import { errorPanel } from '../common.js';
import { h } from '../dom.js';
import { errorSummary, field, fieldErrorText, idempotencyKeyFor, input, radioGroup, rememberFailure, setBusy, showProblem } from '../forms.js';
import { instantFromLocal, localInputValue, t } from '../i18n.js';
import { CONSOLE_SCOPE, consoleHash, problemByField } from '../organiser.js';
import { findEvent } from './console-events.js';

const FIELDS = ['title', 'description', 'venue', 'startsAt', 'endsAt', 'capacity', 'maxPartySize', 'volunteerCapacity', 'registrationOpensAt', 'registrationClosesAt', 'status'];
const REQUIRED = ['title', 'venue', 'startsAt', 'endsAt', 'capacity'];
const TIMES = ['startsAt', 'endsAt', 'registrationOpensAt', 'registrationClosesAt'];
const NUMBERS = ['capacity', 'maxPartySize', 'volunteerCapacity'];

/** Per form ('new' or the event's id), for this page load: what was typed, the last problem, the idempotency key. */
const states = new Map();

/** `eventId`: the event to edit, or null for a new one. */
export async function showEventForm(ctx, eventId) {
  const title = eventId ? t('console.eventForm.editTitle') : t('console.eventForm.newTitle');
  const back = h('p', {}, h('a', { href: consoleHash('events'), class: 'back-link' }, t('console.events.back')));
  const stateKey = eventId ?? 'new';
  if (!states.has(stateKey) || !ctx.view.rerendered) states.set(stateKey, { values: null, problem: null, key: null, keyBody: null });
  const state = states.get(stateKey);
  let event = null;
  if (eventId) {
    ctx.loading(title);
    try {
      event = await findEvent(ctx, eventId);
    } catch (error) {
      ctx.fail(title, error);
      return;
    }
    if (!ctx.view.current) return;
    if (!event) {
      ctx.render(title, back, errorPanel({ code: 'not_found' }, null, CONSOLE_SCOPE));
      ctx.focus();
      return;
    }
  }
  state.values ??= event ? valuesOf(event, ctx.timeZone) : { maxPartySize: '4', volunteerCapacity: '0', status: 'draft' };
  renderForm(ctx, { title, back, event, state });
}

/**
 * An event's fields as the form shows them (times on the community's clock). Sign-up that closes
 * when the event starts shows as empty, so that it follows the start when the event is moved.
 */
function valuesOf(event, timeZone) {
  const values = {};
  for (const name of FIELDS) values[name] = event[name] == null ? '' : String(event[name]);
  for (const name of TIMES) values[name] = event[name] ? localInputValue(event[name], timeZone) : '';
  if (Date.parse(event.registrationClosesAt) === Date.parse(event.startsAt)) values.registrationClosesAt = '';
  return values;
}

function renderForm(ctx, { title, back, event, state }) {
  const summary = errorSummary();
  const submitLabel = event ? t('console.eventForm.save') : t('console.eventForm.create');
  const submit = h('button', { type: 'submit', class: 'button' }, submitLabel);
  const number = (name, attrs) => input(name, { type: 'number', inputmode: 'numeric', step: 1, ...attrs });
  const time = (name, attrs = {}) => input(name, { type: 'datetime-local', ...attrs });
  const words = (name) => ({ mark: REQUIRED.includes(name) ? 'required' : 'optional', hint: t(`console.eventForm.hints.${name}`) });
  const label = (name) => t(`console.eventForm.labels.${name}`);
  const statuses = ['draft', 'published'].map((value) => ({ value, label: t(`console.eventForm.status.${value}`), hint: t(`console.eventForm.statusHints.${value}`) }));
  const form = h(
    'form',
    { class: 'form form--console', novalidate: true, 'aria-label': title },
    field('title', label('title'), words('title'), input('title', { maxlength: 120, required: true })),
    field('venue', label('venue'), words('venue'), input('venue', { maxlength: 120, required: true })),
    h('div', { class: 'field-row' }, field('startsAt', label('startsAt'), words('startsAt'), time('startsAt', { required: true })), field('endsAt', label('endsAt'), words('endsAt'), time('endsAt', { required: true }))),
    h(
      'div',
      { class: 'field-row field-row--three' },
      field('capacity', label('capacity'), words('capacity'), number('capacity', { min: 1, max: 100000, required: true })),
      field('maxPartySize', label('maxPartySize'), { hint: t('console.eventForm.hints.maxPartySize') }, number('maxPartySize', { min: 1, max: 20 })),
      field('volunteerCapacity', label('volunteerCapacity'), { hint: t('console.eventForm.hints.volunteerCapacity') }, number('volunteerCapacity', { min: 0, max: 1000 })),
    ),
    h('div', { class: 'field-row' }, field('registrationOpensAt', label('registrationOpensAt'), words('registrationOpensAt'), time('registrationOpensAt')), field('registrationClosesAt', label('registrationClosesAt'), words('registrationClosesAt'), time('registrationClosesAt'))),
    field('description', label('description'), words('description'), h('textarea', { id: 'f-description', name: 'description', rows: 4, maxlength: 2000 })),
    event?.status === 'cancelled' ? null : radioGroup('status', t('console.eventForm.labels.status'), {}, statuses),
    submit,
  );
  for (const name of FIELDS) {
    const control = form.elements.namedItem(name);
    if (control && state.values[name] !== undefined) control.value = state.values[name];
  }
  const remember = () => {
    for (const name of FIELDS) state.values[name] = form.elements.namedItem(name)?.value ?? state.values[name];
  };
  form.addEventListener('input', remember);
  form.addEventListener('change', remember);
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    send(ctx, { event, state, form, summary, submit, submitLabel });
  });
  ctx.render(title, back, h('p', { class: 'hint' }, t('console.eventForm.intro', { zone: ctx.timeZone })), summary, form);
  if (state.problem) showEventProblem(form, summary, state.problem, event, false);
  ctx.focus();
}

/** The body to send: the API's field names, times with the community's offset, numbers as numbers. */
function bodyOf(form, timeZone, editing) {
  const value = (name) => String(form.elements.namedItem(name)?.value ?? '').trim();
  const body = {};
  const problems = [];
  for (const name of FIELDS) {
    const text = value(name);
    if (!text) {
      if (REQUIRED.includes(name)) problems.push({ path: name });
      else if (name === 'description' && editing) body.description = '';
      continue;
    }
    if (TIMES.includes(name)) {
      body[name] = instantFromLocal(text, timeZone);
      if (!body[name]) problems.push({ path: name });
    } else if (NUMBERS.includes(name)) body[name] = Number(text);
    else body[name] = text;
  }
  // Editing with no closing time: sign-up closes when the (perhaps moved) event starts, as when it was made.
  if (editing && !body.registrationClosesAt && body.startsAt) body.registrationClosesAt = body.startsAt;
  return { body, problems };
}

async function send(ctx, { event, state, form, summary, submit, submitLabel }) {
  if (submit.disabled) return; // a second tap while the first is on its way
  const { body, problems } = bodyOf(form, ctx.timeZone, Boolean(event));
  if (problems.length) {
    state.problem = { code: 'validation_failed', errors: problems };
    showEventProblem(form, summary, state.problem, event, true);
    return;
  }
  setBusy(submit, true);
  let saved;
  try {
    saved = event ? (await ctx.api.updateEvent(ctx.c, event.id, body)).event : (await ctx.api.createEvent(ctx.c, body, idempotencyKeyFor(state, body))).event;
  } catch (error) {
    if (ctx.ended(error)) return;
    rememberFailure(state, error);
    if (!ctx.view.current) return;
    setBusy(submit, false, submitLabel);
    showEventProblem(form, summary, state.problem, event, true);
    return;
  }
  states.delete(event?.id ?? 'new');
  ctx.say({ kind: 'ok', text: () => t(event ? 'console.eventForm.saved' : 'console.eventForm.created', { title: saved.title }) });
  ctx.go(consoleHash('events'));
}

function showEventProblem(form, summary, problem, event, focus) {
  // Lowering the capacity below the seats already confirmed is the capacity field's problem.
  const shown = problem.code === 'capacity_below_confirmed' ? { ...problem, errors: [{ path: 'capacity' }] } : problemByField(problem);
  showProblem(form, summary, shown, {
    fields: FIELDS,
    focus,
    scope: CONSOLE_SCOPE,
    message: (path, serverMessage) =>
      problem.code === 'capacity_below_confirmed'
        ? t('console.fieldErrors.capacityBelowConfirmed', { n: event?.confirmedSeats ?? 0 })
        : fieldErrorText(path, serverMessage, 'console.fieldErrors'),
  });
}
