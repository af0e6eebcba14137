// Volunteers (志愿者) in the console: the community's volunteers with their team, status, hours,
// points and phone; adding one; stopping and restarting one (停用 / 重新启用); a new code (换新志愿者码)
// that stops the old one. A new code is shown once, on a page of its own with a copy button, the
// link the volunteer opens, and a printable card (打印志愿者卡) with that link as a QR code and as text. From tonight's understaffed banner
// (or a festival short of volunteers), the active volunteers of every team with their phones to call, each to put on the shift (安排值班).

import { askingButton } from '../actions.js';
import { ApiError } from '../api.js';
import { badge, errorText, fact, pagedList } from '../common.js';
import { h, replace, srOnly } from '../dom.js';
import { errorSummary, field, fieldErrorText, idempotencyKeyFor, input, radioGroup, rememberFailure, setBusy, showProblem } from '../forms.js';
import { TEAMS } from '../glossary.js';
import { formatDuration, formatRange, t } from '../i18n.js';
import { CONSOLE_SCOPE, consoleHash, consoleWord, phoneLink } from '../organiser.js';
import { findEvent } from './console-events.js';
import { qrSvg } from '../qr.js';
import { teamName } from '../volunteer.js';

const PAGE = 100;
const FIELDS = ['name', 'phone', 'team'];

/**
 * The code just issued ({ volunteer, token }), for its one page: kept in this tab's memory only until
 * another section is opened (never stored, never in an address), so that a reload says it is gone.
 */
let issued = null;
/** The add form between drawings: what was typed, the last problem, the idempotency key. */
let addState = { values: {}, problem: null, key: null, keyBody: null };

export function forgetIssuedCode() {
  issued = null;
}

/** The section's pages: the list, the add form, a new code's page, and the lists for covering an evening or a festival. */
export function showVolunteersSection(ctx) {
  const { id, sub } = ctx.route;
  if (id === 'new') return showAddVolunteer(ctx);
  if (id === 'cover' && sub) return showVolunteers(ctx, { cover: { kind: 'slot', id: sub } });
  if (id === 'cover-event' && sub) return showVolunteers(ctx, { cover: { kind: 'event', id: sub } });
  if (id && sub === 'code') return showCode(ctx, id);
  return showVolunteers(ctx);
}

// ---- the list ----

/** Active volunteers first, then by name as the community's language sorts them. */
const byStatusThenName = (a, b) => Number(a.status !== 'active') - Number(b.status !== 'active') || a.name.localeCompare(b.name, 'zh-CN');

async function showVolunteers(ctx, { cover } = {}) {
  issued = null;
  const title = t('console.volunteers.title');
  ctx.loading(title);
  let page;
  let target = null;
  try {
    [page, target] = await Promise.all([ctx.api.volunteers(ctx.c, { limit: PAGE }), cover ? shiftTarget(ctx, cover) : null]);
    if (cover && !target) throw new ApiError('not_found');
  } catch (error) {
    ctx.fail(title, error);
    return;
  }
  if (!ctx.view.current) return;
  const add = h('a', { class: 'button', href: consoleHash('volunteers', 'new'), id: 'add-volunteer' }, t('console.volunteers.add'));
  if (target) {
    closeOpenBox = null;
    ctx.render(title, coverSection(ctx, target, page), add);
    ctx.focus();
    return;
  }
  const { list, more } = pagedList(
    { ...page, items: [...page.items].sort(byStatusThenName) },
    { item: (volunteer) => volunteerCard(ctx, volunteer), fetchPage: (cursor) => ctx.api.volunteers(ctx.c, { cursor, limit: PAGE }), moreLabel: t('console.volunteers.more') },
  );
  const active = page.items.filter((volunteer) => volunteer.status === 'active').length;
  ctx.render(
    title,
    h('div', { class: 'toolbar toolbar--spread' }, h('p', { class: 'lead', id: 'volunteers-count' }, t('console.volunteers.count', { n: page.items.length, active })), add),
    page.items.length ? list : h('p', { class: 'notice' }, t('console.volunteers.empty')),
    more,
  );
  ctx.focus();
}

function volunteerCard(ctx, volunteer) {
  const active = volunteer.status === 'active';
  const failure = h('div', { role: 'alert' });
  return h(
    'li',
    { class: `card card--console${active ? '' : ' card--cancelled'}`, 'data-volunteer-id': volunteer.id },
    h('h3', { class: 'card__title' }, volunteer.name),
    h('p', { class: 'card__kind' }, teamName(volunteer.team)),
    badge({ kind: active ? 'ok' : 'cancelled', text: consoleWord('volunteerStatus', volunteer.status) }),
    h(
      'dl',
      { class: 'facts facts--wide' },
      fact(t('phoneUsed'), phoneLink(volunteer.phone)),
      fact(t('console.volunteers.hours'), formatDuration(volunteer.hours?.approvedMinutes ?? 0)),
      volunteer.hours?.pendingMinutes ? fact(t('hoursPending'), formatDuration(volunteer.hours.pendingMinutes)) : null,
      fact(t('pointsBalance'), t('points', { n: volunteer.points?.balance ?? 0 })),
    ),
    failure,
    h('div', { class: 'card__actions' }, active ? deactivateButton(ctx, volunteer) : reactivateButton(ctx, volunteer, failure), newCodeButton(ctx, volunteer)),
  );
}

/** 停用: asked first (the code stops working at once, and the volunteer cannot take shifts). */
function deactivateButton(ctx, volunteer) {
  const button = h('button', { type: 'button', class: 'button button--danger button--small' }, t('console.volunteers.deactivate'), srOnly(t('registerFor', { title: volunteer.name })));
  return askingButton(button, () => ({
    words: {
      title: t('console.volunteers.deactivateTitle', { name: volunteer.name }),
      text: t('console.volunteers.deactivateText', { name: volunteer.name }),
      yes: t('console.volunteers.deactivateYes'),
      no: t('console.volunteers.keep'),
      busy: t('submitting'),
    },
    heading: 'h4',
    scope: CONSOLE_SCOPE,
    onYes: () => setStatus(ctx, volunteer, 'inactive'),
  })).place;
}

/** 重新启用: nothing to lose, so no question; the volunteer's code works again. */
function reactivateButton(ctx, volunteer, failure) {
  const label = () => [t('console.volunteers.reactivate'), srOnly(t('registerFor', { title: volunteer.name }))];
  const button = h('button', { type: 'button', class: 'button button--secondary button--small' }, label());
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    setBusy(button, true);
    replace(failure);
    try {
      await setStatus(ctx, volunteer, 'active');
    } catch (error) {
      setBusy(button, false, '');
      button.append(...label());
      replace(failure, h('p', { class: 'field-error' }, errorText(error.code, CONSOLE_SCOPE)));
      button.focus();
    }
  });
  return button;
}

async function setStatus(ctx, volunteer, status) {
  try {
    await ctx.api.updateVolunteer(ctx.c, volunteer.id, { status });
  } catch (error) {
    if (ctx.ended(error)) return;
    throw error;
  }
  const words = status === 'active' ? 'reactivated' : 'deactivated';
  ctx.say({ kind: 'ok', text: () => t(`console.volunteers.${words}`, { name: volunteer.name }) });
  await ctx.reload();
}

/** 换新志愿者码: asked first (the old code and its link stop working at once), then the new code's page. */
function newCodeButton(ctx, volunteer) {
  const button = h('button', { type: 'button', class: 'button button--secondary button--small' }, t('console.volunteers.newCode'), srOnly(t('registerFor', { title: volunteer.name })));
  const state = { key: null, keyBody: null };
  return askingButton(button, () => ({
    words: {
      title: t('console.volunteers.newCodeTitle', { name: volunteer.name }),
      text: t('console.volunteers.newCodeText', { name: volunteer.name }),
      yes: t('console.volunteers.newCodeYes'),
      no: t('console.volunteers.keep'),
      busy: t('submitting'),
    },
    heading: 'h4',
    danger: true,
    scope: CONSOLE_SCOPE,
    onYes: async () => {
      let answer;
      try {
        answer = await ctx.api.newVolunteerCode(ctx.c, volunteer.id, idempotencyKeyFor(state, { volunteer: volunteer.id }));
      } catch (error) {
        if (ctx.ended(error)) return;
        rememberFailure(state, error);
        throw error;
      }
      showIssued(ctx, volunteer, answer.token, t('console.volunteers.newCodeDone', { name: volunteer.name }));
    },
  })).place;
}

/** Keep the code for its page and go there, saying what happened on top. */
function showIssued(ctx, volunteer, token, said) {
  issued = { volunteer, token };
  ctx.say({ kind: 'ok', text: () => said });
  ctx.go(consoleHash('volunteers', volunteer.id, 'code'));
}

// ---- covering an evening (or a festival) short of volunteers ----

/** The one 安排值班 box open at a time: opening another closes it (their titles share an id). */
let closeOpenBox = null;

/**
 * What is to be covered, in one shape for an evening and a festival: kind and id for the API, its
 * words, places short, and who is on it already. The organiser's list of events says how many
 * volunteers a festival has but not who (no route names them): `onDuty` is null there, and a
 * volunteer already on it is refused by the API with already_signed_up.
 */
async function shiftTarget(ctx, { kind, id }) {
  if (kind === 'slot') {
    const evening = await ctx.api.slot(ctx.c, id);
    return {
      kind,
      id,
      status: evening.status,
      what: formatRange(evening.startsAt, evening.endsAt, ctx.timeZone),
      short: Math.max(0, evening.volunteerCapacity - evening.volunteers.length),
      onDuty: new Set(evening.volunteers.map((volunteer) => volunteer.id)),
      back: { href: consoleHash('tonight'), label: t('console.tonight.back') },
    };
  }
  const event = await findEvent(ctx, id);
  if (!event) return null;
  return {
    kind,
    id,
    status: event.status,
    what: `${event.title} · ${formatRange(event.startsAt, event.endsAt, ctx.timeZone)}`,
    short: Math.max(0, event.volunteerCapacity - event.volunteersStaffed),
    onDuty: null,
    back: { href: consoleHash('events', id), label: t('console.volunteers.backToEvent') },
  };
}

/**
 * The active volunteers of every team not yet on the shift, with their phones: call first, then put
 * the one who said yes on it (安排值班), under the same rules as taking it on their own page.
 */
function coverSection(ctx, target, page) {
  const free = page.items.filter((volunteer) => volunteer.status === 'active' && !target.onDuty?.has(volunteer.id)).sort(byStatusThenName);
  const cancelled = target.status === 'cancelled';
  const status = cancelled ? t('cancelled') : target.short ? t('console.volunteers.coverShort', { short: target.short }) : t('console.volunteers.coverFull');
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'cover-title' },
    h('h2', { id: 'cover-title' }, t('console.volunteers.coverTitle', { time: target.what })),
    h('p', { class: target.short || cancelled ? 'notice notice--warn' : 'notice notice--ok', id: 'cover-short' }, status),
    cancelled ? null : h('p', {}, t(target.onDuty ? 'console.volunteers.coverHow' : 'console.volunteers.coverHowEvent')),
    cancelled
      ? null
      : free.length
        ? h('ul', { class: 'people', 'aria-labelledby': 'cover-title' }, free.map((volunteer) => coverRow(ctx, target, volunteer)))
        : h('p', { class: 'notice' }, t('console.volunteers.coverNobody')),
    h('p', {}, h('a', { href: target.back.href, class: 'back-link' }, target.back.label)),
    h('p', {}, h('a', { href: consoleHash('volunteers') }, t('console.volunteers.all'))),
  );
}

function coverRow(ctx, target, volunteer) {
  return h(
    'li',
    { class: 'person person--assign', 'data-volunteer-id': volunteer.id },
    h('span', { class: 'person__name' }, volunteer.name),
    h('span', { class: 'person__team' }, teamName(volunteer.team)),
    phoneLink(volunteer.phone),
    target.short ? assignButton(ctx, target, volunteer) : null,
  );
}

/** 安排值班: asked once (call first), then the shift is taken under an Idempotency-Key, and the list drawn again with what happened on top. */
function assignButton(ctx, target, volunteer) {
  const state = { key: null, keyBody: null };
  const button = h('button', { type: 'button', class: 'button button--small' }, t('console.volunteers.assign'), srOnly(t('console.volunteers.assignWho', { name: volunteer.name })));
  const asking = askingButton(button, () => {
    closeOpenBox?.();
    closeOpenBox = asking.close;
    return {
      heading: 'h3',
      scope: 'console.assignErrors',
      danger: false,
      words: {
        title: t('console.volunteers.assignTitle', { name: volunteer.name, what: target.what }),
        text: t('console.volunteers.assignText', { name: volunteer.name }),
        yes: t('console.volunteers.assignYes'),
        no: t('console.volunteers.keep'),
        busy: t('submitting'),
      },
      onYes: async () => {
        const body = { volunteerId: volunteer.id };
        try {
          await ctx.api.assignShift(ctx.c, target.kind, target.id, body, idempotencyKeyFor(state, body));
        } catch (error) {
          if (ctx.ended(error)) return;
          rememberFailure(state, error);
          throw error;
        }
        const left = target.short - 1;
        ctx.say({
          kind: 'ok',
          text: () => t('console.volunteers.assigned', { name: volunteer.name, team: teamName(volunteer.team), what: target.what, left }),
        });
        await ctx.reload();
      },
    };
  });
  return asking.place;
}

// ---- adding a volunteer ----

function showAddVolunteer(ctx) {
  issued = null;
  const title = t('console.volunteers.addTitle');
  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, t('console.volunteers.addSubmit'));
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-label': title },
    field('name', t('console.volunteers.name'), { mark: 'required', hint: t('console.volunteers.nameHint') }, input('name', { autocomplete: 'off', maxlength: 50, required: true })),
    field('phone', t('phoneLabel'), { mark: 'required', hint: t('console.volunteers.phoneHint') }, input('phone', { type: 'tel', inputmode: 'tel', autocomplete: 'off', maxlength: 32, required: true })),
    radioGroup('team', t('console.volunteers.team'), { mark: 'required' }, TEAMS.map(({ id }) => ({ value: id, label: teamName(id) }))),
    submit,
  );
  for (const name of ['name', 'phone']) if (addState.values[name]) form.elements.namedItem(name).value = addState.values[name];
  if (addState.values.team) form.querySelector(`#f-team-${CSS.escape(addState.values.team)}`)?.click();
  form.addEventListener('input', () => {
    for (const name of ['name', 'phone']) addState.values[name] = form.elements.namedItem(name).value;
    addState.values.team = form.querySelector('input[name="team"]:checked')?.value ?? '';
  });
  const problem = (focus) =>
    showProblem(form, summary, addState.problem, {
      fields: FIELDS,
      focus,
      scope: CONSOLE_SCOPE,
      message: (path, serverMessage) => fieldErrorText(path, serverMessage, 'console.volunteerFieldErrors'),
    });
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    if (submit.disabled) return;
    const body = {
      name: form.elements.namedItem('name').value.trim(),
      phone: form.elements.namedItem('phone').value.trim(),
      team: form.querySelector('input[name="team"]:checked')?.value ?? '',
    };
    const missing = FIELDS.filter((name) => !body[name]).map((path) => ({ path }));
    if (missing.length) {
      addState.problem = { code: 'validation_failed', errors: missing };
      problem(true);
      return;
    }
    setBusy(submit, true);
    let answer;
    try {
      answer = await ctx.api.addVolunteer(ctx.c, body, idempotencyKeyFor(addState, body));
    } catch (error) {
      if (ctx.ended(error)) return;
      rememberFailure(addState, error);
      setBusy(submit, false, t('console.volunteers.addSubmit'));
      problem(true);
      return;
    }
    addState = { values: {}, problem: null, key: null, keyBody: null };
    showIssued(ctx, answer.volunteer, answer.token, t('console.volunteers.added', { name: answer.volunteer.name }));
  });
  ctx.render(
    title,
    h('p', {}, h('a', { href: consoleHash('volunteers'), class: 'back-link' }, t('console.volunteers.back'))),
    h('p', { class: 'lead' }, t('console.volunteers.addIntro')),
    summary,
    form,
  );
  if (addState.problem) problem(false);
  ctx.focus();
}

// ---- a new code, shown once, and its printable card ----

/** The address a volunteer opens (or scans) to sign in on their phone: the volunteer page takes the code out of the bar at once. */
const volunteerLink = (token) => `${location.origin}${location.pathname}#/volunteer/${token}`;

function showCode(ctx, volunteerId) {
  const title = t('console.volunteers.codeTitle');
  const back = h('p', {}, h('a', { href: consoleHash('volunteers'), class: 'back-link' }, t('console.volunteers.back')));
  if (issued?.volunteer.id !== volunteerId) {
    ctx.render(title, back, h('p', { class: 'notice notice--warn', id: 'code-gone' }, t('console.volunteers.codeGone')));
    ctx.focus();
    return;
  }
  const { volunteer, token } = issued;
  const link = volunteerLink(token);
  const community = ctx.settings?.name ?? ctx.c;
  ctx.render(
    t('console.volunteers.codeFor', { name: volunteer.name }),
    back,
    h('p', { class: 'notice notice--warn', id: 'code-once' }, t('console.volunteers.codeOnce', { name: volunteer.name })),
    copyBox('volunteer-link', t('console.volunteers.linkLabel'), link, t('copy')),
    copyBox('volunteer-code', t('console.volunteers.codeLabel'), token, t('console.volunteers.copyCode')),
    h('button', { type: 'button', class: 'button button--secondary', id: 'print-card', onclick: () => window.print() }, t('console.volunteers.print')),
    h('p', { class: 'hint' }, t('console.volunteers.printHint')),
    h(
      'section',
      { class: 'volunteer-card', id: 'volunteer-card', 'aria-labelledby': 'card-title' },
      h('h2', { id: 'card-title', class: 'volunteer-card__title' }, t('console.volunteers.cardTitle', { community })),
      h(
        'div',
        { class: 'volunteer-card__body' },
        qrSvg(link, { label: t('console.volunteers.cardQr', { name: volunteer.name }), className: 'qr volunteer-card__qr' }),
        h(
          'div',
          { class: 'volunteer-card__who' },
          h('p', { class: 'volunteer-card__name' }, volunteer.name),
          h('p', { class: 'volunteer-card__team' }, teamName(volunteer.team), ' · ', community),
          h('p', {}, t('console.volunteers.cardHow')),
        ),
      ),
      h('p', { class: 'volunteer-card__link' }, link),
      h('p', { class: 'volunteer-card__keep' }, t('tokenKeep')),
    ),
  );
  ctx.focus();
}

/** A labelled read-only box with the text selected on focus, a copy button, and the line that says how it went. */
function copyBox(id, label, value, buttonLabel) {
  const status = h('p', { class: 'copy-status', role: 'status', id: `${id}-status` });
  const rows = Math.min(5, Math.max(2, Math.ceil(value.length / 40)));
  const box = h('textarea', { id, class: 'manage-link', readonly: true, rows, spellcheck: 'false' });
  box.value = value;
  box.addEventListener('focus', () => box.select());
  const copy = async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(value);
      ok = true;
    } catch {
      box.select();
      ok = document.execCommand?.('copy') ?? false;
    }
    status.textContent = ok ? t('copied') : t('copyFailed');
  };
  return h('div', { class: 'field copy-box' }, h('label', { for: id }, label), box, h('button', { type: 'button', class: 'button', id: `${id}-copy`, onclick: copy }, buttonLabel), status);
}
