// Work orders (派单) in the console: the problems residents and volunteers on their rounds reported,
// by state (新上报 first), each with who reported it (the phone to call with one tap), the kind, the
// problem and where; a new one is sent to one of the six teams (派给, with an optional due time) or
// turned down with a note (不受理, a dispatched one too).

import { askingButton } from '../actions.js';
import { ApiError } from '../api.js';
import { fact } from '../common.js';
import { categoryName } from '../desk.js';
import { h, srOnly } from '../dom.js';
import { field, idempotencyKeyFor, input, rememberFailure } from '../forms.js';
import { TEAMS } from '../glossary.js';
import { instantFromLocal, t } from '../i18n.js';
import { CONSOLE_SCOPE, phoneLink } from '../organiser.js';
import { teamName } from '../volunteer.js';
import { isOverdue, WORK_ORDER_STATUSES, workOrderFacts, workOrderState } from '../work-orders.js';

/** Orders fetched at once: the new ones, and the newest of all the others. */
const PAGE = 100;

/** The one dispatch / reject box open at a time: opening another closes it (their fields share ids). */
let closeOpenBox = null;

export async function showWorkOrders(ctx) {
  const title = t('console.orders.title');
  ctx.loading(title);
  let fresh;
  let all;
  try {
    [fresh, all] = await Promise.all([ctx.api.workOrders(ctx.c, { status: 'new', limit: PAGE }), ctx.api.workOrders(ctx.c, { limit: PAGE })]);
  } catch (error) {
    ctx.fail(title, error);
    return;
  }
  if (!ctx.view.current) return;
  closeOpenBox = null;
  const orders = [...fresh.items, ...all.items.filter((order) => order.status !== 'new')];
  const groups = WORK_ORDER_STATUSES.map((status) => ({ status, items: orders.filter((order) => order.status === status) }));
  ctx.render(
    title,
    h('p', { class: 'lead' }, t('console.orders.intro')),
    groups.map(({ status, items }) =>
      status === 'new' || items.length
        ? h(
            'section',
            { 'aria-labelledby': `orders-${status}` },
            h('h2', { id: `orders-${status}` }, t(`console.orders.groups.${status}`), items.length ? ` (${items.length})` : ''),
            items.length
              ? h('ul', { class: 'event-list' }, items.map((order) => orderCard(ctx, order)))
              : h('p', { class: 'notice notice--ok' }, t('console.orders.nothingNew')),
          )
        : null,
    ),
  );
  ctx.focus();
}

const orderTitle = (order) => `${categoryName(order.category)}${order.building ? ` · ${order.building}` : ''}`;

function orderCard(ctx, order) {
  const title = orderTitle(order);
  const state = { key: null, keyBody: null };
  const reporter = [
    fact(t('console.orders.reporter'), [order.reporterName ?? '—', order.reportedBy === 'volunteer' ? ` (${t('console.orders.byVolunteer')})` : '']),
    order.reporterPhone ? fact(t('console.orders.phone'), phoneLink(order.reporterPhone)) : null,
  ];
  const canDispatch = order.status === 'new';
  const canReject = order.status === 'new' || order.status === 'dispatched';
  return h(
    'li',
    { class: 'card card--console card--report', 'data-order-id': order.id },
    h('h3', { class: 'card__title' }, title),
    h('p', { class: `badge badge--${workOrderState(order).kind}` }, workOrderState(order).text),
    isOverdue(order) ? h('p', { class: 'badge badge--cancelled' }, t('wo.overdue')) : null,
    workOrderFacts(order, ctx.timeZone, { reporter }),
    canDispatch || canReject
      ? h('div', { class: 'card__actions' }, canDispatch ? dispatchButton(ctx, order, title, state) : null, canReject ? rejectButton(ctx, order, title, state) : null)
      : null,
  );
}

function oneBox(asking, options) {
  closeOpenBox?.();
  closeOpenBox = asking.close;
  return { heading: 'h4', scope: CONSOLE_SCOPE, ...options };
}

/** Send or refuse under an Idempotency-Key, then draw the section again with what happened on top. */
async function decide(ctx, order, action, body, state) {
  let result;
  try {
    const call = action === 'dispatch' ? ctx.api.dispatchWorkOrder : ctx.api.rejectWorkOrder;
    result = await call(ctx.c, order.id, body, idempotencyKeyFor(state, { action, ...body }));
  } catch (error) {
    if (ctx.ended(error)) return;
    rememberFailure(state, error);
    throw error;
  }
  const decided = result.workOrder;
  const what = orderTitle(decided);
  ctx.say({
    kind: 'ok',
    text: () => (action === 'dispatch' ? t('console.orders.dispatched', { what, team: teamName(decided.team) }) : t('console.orders.rejected', { what })),
  });
  await ctx.reload();
}

/** 派给: one of the six teams, and (optionally) when it should be done by. */
function dispatchButton(ctx, order, title, state) {
  const button = h('button', { type: 'button', class: 'button button--small' }, t('console.orders.dispatch'), srOnly(t('registerFor', { title })));
  const asking = askingButton(button, () => {
    const team = h('select', { id: 'f-team', name: 'team' }, h('option', { value: '' }, t('console.orders.chooseTeam')), TEAMS.map(({ id }) => h('option', { value: id }, teamName(id))));
    const due = input('dueBy', { type: 'datetime-local' });
    return oneBox(asking, {
      words: { title: t('console.orders.dispatchTitle', { what: title }), yes: t('console.orders.dispatchYes'), no: t('console.orders.keep'), busy: t('submitting') },
      danger: false,
      body: [
        field('team', t('console.orders.team'), { mark: 'required', hint: t('console.orders.teamHint') }, team),
        field('dueBy', t('console.orders.dueBy'), { mark: 'optional', hint: t('console.orders.dueByHint') }, due),
      ],
      onYes: async () => {
        if (!team.value) throw new ApiError('teamNeeded');
        const body = { team: team.value };
        if (due.value) {
          const dueBy = instantFromLocal(due.value, ctx.timeZone);
          if (!dueBy || Date.parse(dueBy) <= Date.now()) throw new ApiError('dueByInvalid');
          body.dueBy = dueBy;
        }
        await decide(ctx, order, 'dispatch', body, state);
      },
    });
  });
  return asking.place;
}

/** 不受理: always with a note that says why (the reporter reads it). */
function rejectButton(ctx, order, title, state) {
  const button = h('button', { type: 'button', class: 'button button--danger button--small' }, t('console.orders.reject'), srOnly(t('registerFor', { title })));
  const asking = askingButton(button, () =>
    oneBox(asking, {
      words: { title: t('console.orders.rejectTitle', { what: title }), yes: t('console.orders.rejectYes'), no: t('console.orders.keep'), busy: t('submitting') },
      body: field('note', t('console.orders.note'), { mark: 'required', hint: t('console.orders.noteHint') }, h('textarea', { id: 'f-note', name: 'note', rows: 2, maxlength: 300 })),
      onYes: async () => {
        const note = document.getElementById('f-note').value.trim();
        if (!note) throw new ApiError('orderNoteNeeded');
        await decide(ctx, order, 'reject', { note }, state);
      },
    }),
  );
  return asking.place;
}
