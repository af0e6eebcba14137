// The volunteers' side of work orders (派单) on their page: the orders dispatched to the team, with
// 接单 (exactly one volunteer gets each; the others hear so beside it), those the volunteer took, with
// 处理完成 (what was done and the minutes, which become pending hours), and 巡查上报: a problem found on
// a round, in two taps. volunteer.js places these sections and draws the page again after each step.

import { askingButton, claimButton } from '../actions.js';
import { ApiError, api } from '../api.js';
import { errorText, fact } from '../common.js';
import { categoryName } from '../desk.js';
import { h, srOnly } from '../dom.js';
import { buildingField, errorSummary, field, fieldErrorText, idempotencyKeyFor, input, rememberFailure, setBusy, showProblem } from '../forms.js';
import { CATEGORIES } from '../glossary.js';
import { formatDuration, t } from '../i18n.js';
import { isOverdue, workOrderFacts, workOrderState } from '../work-orders.js';

const SCOPE = 'wo.volErrors';
const MAX_MINUTES = 720;
/** Refusals of 接单 after which the button cannot help any more: it goes, and the words take focus. */
const ORDER_GONE = new Set(['already_taken', 'forbidden', 'invalid_state', 'not_found']);
/** Answers that mean the code no longer works: the page is drawn again (and signs out). */
const REFUSED = new Set(['unauthorized']);
/** What was typed into the round report, its problem and key, kept through a language switch. */
const round = { values: {}, problem: null, key: null, keyBody: null };
const ROUND_FIELDS = ['category', 'description', 'building'];

/**
 * `orders`: the items of GET /me/work-orders, or null when they could not be fetched.
 * `done(message)`: say `message` ({ text() }) on top and draw the page again; `refused()`: draw it again as it is;
 * `claimBox(asking)`: the one confirmation box open on the page is this one.
 */
export function workOrdersSection({ orders, me, timeZone }, { token, view, done, refused, claimBox }) {
  const c = me.volunteer.communityId;
  let body;
  if (orders === null) body = h('p', { class: 'notice notice--error' }, t('wo.volUnavailable'));
  else {
    const waiting = orders.filter((order) => order.status === 'dispatched' && !order.acceptedBy);
    const mine = orders.filter((order) => order.acceptedBy === me.volunteer.id);
    body = [
      h('h3', { id: 'orders-waiting-title' }, t('wo.volWaiting')),
      waiting.length
        ? h('ul', { class: 'event-list', 'aria-labelledby': 'orders-waiting-title' }, waiting.map((order) => waitingCard(order, { c, token, view, timeZone, done, refused })))
        : h('p', { class: 'notice' }, t('wo.volWaitingEmpty')),
      h('h3', { id: 'orders-mine-title' }, t('wo.volMine')),
      mine.length
        ? h('ul', { class: 'event-list', 'aria-labelledby': 'orders-mine-title' }, mine.map((order) => mineCard(order, { c, token, view, timeZone, done, refused, claimBox })))
        : h('p', { class: 'notice' }, t('wo.volMineEmpty')),
    ];
  }
  return h('section', { 'aria-labelledby': 'orders-title' }, h('h2', { id: 'orders-title' }, t('wo.volTitle')), h('p', { class: 'hint' }, t('wo.volIntro')), body);
}

/** Who reported it, as a volunteer may see it: the name and the phone's last digits. */
const reporterFacts = (order) => [
  order.reporterName ? fact(t('wo.reporter'), order.reporterName) : null,
  order.reporterPhoneHint ? fact(t('wo.reporterPhone'), order.reporterPhoneHint) : null,
];

const orderTitle = (order) => `${categoryName(order.category)}${order.building ? ` · ${order.building}` : ''}`;

function badges(order) {
  return [
    h('p', { class: `badge badge--${workOrderState(order).kind}` }, workOrderState(order).text),
    isOverdue(order) ? h('p', { class: 'badge badge--cancelled' }, t('wo.overdue')) : null,
  ];
}

/** 接单: taken, the page is drawn again with it under 我接的单; taken by another first, said beside it. */
function waitingCard(order, { c, token, view, timeZone, done, refused }) {
  const title = orderTitle(order);
  return h(
    'li',
    { class: 'card card--report', 'data-order-id': order.id },
    h('h4', { class: 'card__title' }, title),
    badges(order),
    workOrderFacts(order, timeZone, { reporter: reporterFacts(order) }),
    claimButton({
      view,
      label: () => [t('wo.accept'), srOnly(t('registerFor', { title }))],
      send: (keyFor) => api.acceptWorkOrder(token, c, order.id, keyFor({ accept: order.id })),
      on: { unauthorized: refused },
      gone: ORDER_GONE,
      words: (code) => errorText(code, SCOPE),
      problemId: `accept-problem-${order.id}`,
      done: () => done({ text: () => t('wo.acceptedFlash', { category: categoryName(order.category) }) }),
    }),
  );
}

/** A taken order: 处理完成 while it is in hand; afterwards 已处理 and the hours waiting for approval. */
function mineCard(order, { c, token, view, timeZone, done, refused, claimBox }) {
  const title = orderTitle(order);
  let action = null;
  if (order.status === 'accepted') {
    const state = { key: null, keyBody: null };
    const button = h('button', { type: 'button', class: 'button' }, t('wo.resolve'), srOnly(t('registerFor', { title })));
    const asking = askingButton(button, () => {
      claimBox(asking);
      const note = h('textarea', { id: 'f-note', name: 'note', rows: 3, maxlength: 500 });
      const minutes = input('minutes', { type: 'number', inputmode: 'numeric', min: 1, max: MAX_MINUTES, step: 1 });
      return {
        words: { title: t('wo.resolveTitle', { category: categoryName(order.category) }), yes: t('wo.resolveYes'), no: t('wo.resolveNo'), busy: t('wo.resolving') },
        body: [
          field('note', t('wo.resolveNote'), { mark: 'required', hint: t('wo.resolveNoteHint') }, note),
          field('minutes', t('wo.minutes'), { mark: 'required', hint: t('wo.minutesHint') }, minutes),
        ],
        heading: 'h5',
        danger: false,
        scope: SCOPE,
        onYes: async () => {
          const body = { note: note.value.trim(), minutes: Number(minutes.value) };
          if (!body.note) throw new ApiError('resolveNoteNeeded');
          if (!minutes.value || !Number.isInteger(body.minutes) || body.minutes < 1 || body.minutes > MAX_MINUTES) throw new ApiError('minutesInvalid');
          try {
            await api.resolveWorkOrder(token, c, order.id, body, idempotencyKeyFor(state, body));
          } catch (error) {
            rememberFailure(state, error);
            if (REFUSED.has(error.code)) return refused();
            throw error;
          }
          return done({ text: () => t('wo.resolvedFlash', { category: categoryName(order.category), duration: formatDuration(body.minutes) }) });
        },
      };
    });
    action = asking.place;
  }
  return h(
    'li',
    { class: 'card card--report', 'data-order-id': order.id },
    h('h4', { class: 'card__title' }, title),
    badges(order),
    order.status === 'resolved' ? h('p', { class: 'badge badge--full' }, t('wo.hoursPending')) : null,
    workOrderFacts(order, timeZone, {
      reporter: [...reporterFacts(order), order.minutes ? fact(t('logMinutes'), formatDuration(order.minutes)) : null],
    }),
    action,
  );
}

// ---- 巡查上报 ----

/** A problem found on a round: the kind (one select), a sentence, where; sent under an Idempotency-Key. */
export function roundReportSection({ view, token, done, refused }) {
  const summary = errorSummary();
  const submit = h('button', { type: 'submit', class: 'button' }, t('wo.roundSubmit'));
  const category = h(
    'select',
    { id: 'f-category', name: 'category', required: true },
    h('option', { value: '' }, t('categoryHint')),
    CATEGORIES.map(({ id }) => h('option', { value: id }, categoryName(id))),
  );
  const form = h(
    'form',
    { class: 'form round-report', novalidate: true, 'aria-labelledby': 'round-title' },
    field('category', t('wo.roundCategory'), { mark: 'required' }, category),
    field('description', t('wo.roundDescription'), { mark: 'required', hint: t('wo.roundDescriptionHint') }, h('textarea', { id: 'f-description', name: 'description', rows: 2, maxlength: 500 })),
    buildingField({ label: t('wo.whereLabel'), hint: t('wo.whereHint') }),
    submit,
  );
  for (const name of ROUND_FIELDS) if (round.values[name]) form.elements.namedItem(name).value = round.values[name];
  const remember = () => {
    for (const name of ROUND_FIELDS) round.values[name] = form.elements.namedItem(name).value;
  };
  form.addEventListener('input', remember);
  form.addEventListener('change', remember);
  const show = (focus) =>
    showProblem(form, summary, round.problem, {
      fields: ROUND_FIELDS,
      focus,
      scope: SCOPE,
      message: (path, serverMessage) => fieldErrorText(path, serverMessage, 'wo.fieldErrors'),
    });
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    if (submit.disabled) return; // a second tap while the first is on its way
    const value = (name) => form.elements.namedItem(name).value.trim();
    const body = { category: value('category'), description: value('description') };
    if (value('building')) body.building = value('building');
    const missing = ['category', 'description'].filter((name) => !body[name]).map((path) => ({ path }));
    if (missing.length) {
      round.problem = { code: 'validation_failed', errors: missing };
      show(true);
      return;
    }
    setBusy(submit, true);
    try {
      await api.reportOnRound(token, body, idempotencyKeyFor(round, body));
    } catch (error) {
      rememberFailure(round, error);
      if (!view.current) return;
      if (REFUSED.has(error.code)) {
        refused();
        return;
      }
      setBusy(submit, false, t('wo.roundSubmit'));
      show(true);
      return;
    }
    Object.assign(round, { values: {}, problem: null, key: null, keyBody: null });
    done({ text: () => t('wo.roundDone', { category: categoryName(body.category) }) });
  });
  const section = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'round-title' },
    h('h2', { id: 'round-title' }, t('wo.roundTitle')),
    h('p', { class: 'hint' }, t('wo.roundIntro')),
    summary,
    form,
  );
  if (round.problem) show(false);
  return section;
}
