// Work orders (派单) in the console: the problems residents and volunteers on their rounds reported,
// by state (新上报 first), each with who reported it (the phone to call with one tap), the kind, the
// problem and where; a new one is sent to one of the six teams (派给, with an optional due time) or
// turned down with a note (不受理, a dispatched one too). Under them, the report for a month or all
// time: orders by state and by kind, and each team's median time from report to resolution (SVG).

import { askingButton } from '../actions.js';
import { ApiError } from '../api.js';
import { barChart } from '../charts.js';
import { errorText, fact } from '../common.js';
import { categoryName } from '../desk.js';
import { h, replace, srOnly } from '../dom.js';
import { field, idempotencyKeyFor, input, rememberFailure } from '../forms.js';
import { CATEGORIES, TEAMS } from '../glossary.js';
import { formatMonth, instantFromLocal, t } from '../i18n.js';
import { CONSOLE_SCOPE, monthOf, phoneLink, shiftMonth } from '../organiser.js';
import { teamName } from '../volunteer.js';
import { isOverdue, WORK_ORDER_STATUSES, workOrderFacts, workOrderState } from '../work-orders.js';

/** Orders fetched at once: the new ones, and the newest of all the others. */
const PAGE = 100;

/** The one dispatch / reject box open at a time: opening another closes it (their fields share ids). */
let closeOpenBox = null;
/** The report's month ("YYYY-MM", or '' for all time), kept while moving between sections. */
let shownMonth = null;
/** The months the report's picker offers before this one. */
const EARLIER_MONTHS = 11;

export async function showWorkOrders(ctx) {
  const title = t('console.orders.title');
  ctx.loading(title);
  let fresh;
  let all;
  let report;
  const thisMonth = monthOf(new Date(), ctx.timeZone);
  shownMonth ??= thisMonth;
  try {
    [fresh, all, report] = await Promise.all([
      ctx.api.workOrders(ctx.c, { status: 'new', limit: PAGE }),
      ctx.api.workOrders(ctx.c, { limit: PAGE }),
      ctx.api.workOrderReport(ctx.c, shownMonth || undefined),
    ]);
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
    reportSection(ctx, report, thisMonth),
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

// ---- the report ----

/** The report's panel: the month picker (this month, the months before, all time) over what it shows. */
function reportSection(ctx, report, thisMonth) {
  const box = h('div', { id: 'orders-report' });
  const failure = h('div', { role: 'alert' });
  const months = Array.from({ length: EARLIER_MONTHS + 1 }, (_, back) => shiftMonth(thisMonth, -back));
  const picker = h(
    'select',
    { id: 'f-report-month', name: 'reportMonth' },
    months.map((month, index) => h('option', { value: month }, index === 0 ? t('console.orders.report.thisMonth', { month: formatMonth(month) }) : formatMonth(month))),
    h('option', { value: '' }, t('console.orders.report.allTime')),
  );
  picker.value = shownMonth;
  picker.addEventListener('change', async () => {
    const month = picker.value;
    picker.disabled = true;
    replace(failure);
    try {
      const next = await ctx.api.workOrderReport(ctx.c, month || undefined);
      shownMonth = month;
      drawReport(box, next);
    } catch (error) {
      if (ctx.ended(error)) return;
      picker.value = shownMonth;
      replace(failure, h('p', { class: 'field-error' }, errorText(error.code, CONSOLE_SCOPE)));
    } finally {
      picker.disabled = false;
    }
  });
  drawReport(box, report);
  return h(
    'section',
    { class: 'panel report', 'aria-labelledby': 'orders-report-title' },
    h('h2', { id: 'orders-report-title' }, t('console.orders.report.title')),
    h('div', { class: 'field field--inline' }, h('label', { for: 'f-report-month' }, t('console.orders.report.month')), picker),
    failure,
    box,
  );
}

/** The period's words: "2026年12月" or 全部时间. */
const periodOf = (report) => (report.month ? formatMonth(report.month) : t('console.orders.report.allTime'));

/** Counts by state and by kind, then each team's median time to resolve as a bar chart with its table. */
function drawReport(box, report) {
  const period = periodOf(report);
  const chartTitle = t('console.orders.report.chartTitle', { period });
  const teams = TEAMS.map(({ id: team }) => report.teams.find((row) => row.team === team) ?? { team, resolved: 0, medianHoursToResolve: null });
  replace(
    box,
    h('p', { class: 'lead', id: 'orders-report-total', 'aria-live': 'polite' }, t('console.orders.report.total', { period, n: report.total })),
    h(
      'div',
      { class: 'console-grid' },
      countList('orders-by-status', t('console.orders.report.byStatus'), WORK_ORDER_STATUSES.map((status) => ({ label: t(`console.orders.report.status.${status}`), n: report.byStatus[status] ?? 0 }))),
      countList('orders-by-category', t('console.orders.report.byCategory'), CATEGORIES.map(({ id }) => ({ label: categoryName(id), n: report.byCategory[id] ?? 0 }))),
    ),
    h('h3', { id: 'orders-chart-title' }, chartTitle),
    barChart({
      id: 'orders-chart',
      title: chartTitle,
      columns: [t('console.orders.report.team'), t('console.orders.report.median'), t('console.orders.report.resolved')],
      rows: teams.map((row) => ({
        key: row.team,
        label: teamName(row.team),
        value: row.medianHoursToResolve ?? 0,
        valueText: row.resolved ? t('console.orders.report.hours', { n: row.medianHoursToResolve }) : t('console.orders.report.noneResolved'),
        cells: [t('console.orders.report.orders', { n: row.resolved })],
      })),
    }),
    h('p', { class: 'hint' }, t('console.orders.report.chartHint')),
  );
}

/** A titled list of counts: the words, then the number. */
function countList(id, title, rows) {
  return h(
    'div',
    {},
    h('h3', { id: `${id}-title` }, title),
    h('dl', { class: 'counts', id }, rows.map(({ label, n }) => h('div', { class: 'counts__row' }, h('dt', {}, label), h('dd', {}, String(n))))),
  );
}
