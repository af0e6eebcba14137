// Pieces of work orders (派单) shared by the resident's report pages, the volunteer's page and the
// console: where an order stands in words, the colour of its badge, and its facts.

import { fact } from './common.js';
import { categoryName } from './desk.js';
import { h } from './dom.js';
import { formatInstant, named, t } from './i18n.js';

/** The states in the order the console lists them: what needs an organiser first. */
export const WORK_ORDER_STATUSES = ['new', 'dispatched', 'accepted', 'resolved', 'closed', 'rejected'];

/** 待验证手机 / 已提交 / 已派给惠邻便民队 / 王师傅 已接单 / 已处理 / 已完成 / 未受理 */
export function workOrderStatusText(order) {
  if (order.status === 'dispatched') return t('wo.statusDispatched', { team: named('teams', order.team) });
  if (order.status === 'accepted') return order.acceptedByName ? t('wo.statusAccepted', { name: order.acceptedByName }) : t('wo.statusAcceptedNoName');
  return named('wo.status', order.status);
}

/** The badge's colour: waiting (held for the phone's code, new, dispatched), in hand (accepted), done (resolved, closed), turned down. */
export function workOrderState(order) {
  const kind = { pending_verification: 'full', new: 'full', dispatched: 'full', accepted: 'ok', resolved: 'ok', closed: 'ok', rejected: 'cancelled' }[order.status] ?? 'closed';
  return { kind, text: workOrderStatusText(order) };
}

/** A dispatched or accepted order past its due time. */
export const isOverdue = (order, now = Date.now()) => ['dispatched', 'accepted'].includes(order.status) && order.dueBy && Date.parse(order.dueBy) < now;

/**
 * What an order says, in one list: the category, the problem, where, when it was reported, and as it
 * moves on the team, the due time, who took it, how it was resolved, the rating, or why it was refused.
 */
export function workOrderFacts(order, timeZone, { reporter = null } = {}) {
  return h(
    'dl',
    { class: 'facts facts--wide' },
    fact(t('category'), categoryName(order.category)),
    fact(t('wo.problem'), order.description, { class: 'multiline' }),
    order.building ? fact(t('wo.where'), order.building) : null,
    reporter,
    order.createdAt ? fact(t('wo.reportedAt'), formatInstant(order.createdAt, timeZone)) : null,
    order.team ? fact(t('wo.team'), named('teams', order.team)) : null,
    order.dueBy && ['dispatched', 'accepted'].includes(order.status) ? fact(t('wo.dueBy'), formatInstant(order.dueBy, timeZone)) : null,
    order.acceptedByName && order.status !== 'accepted' ? fact(t('wo.acceptedBy'), order.acceptedByName) : null,
    order.resolutionNote ? fact(t('wo.resolution'), order.resolutionNote, { class: 'multiline' }) : null,
    order.rating ? fact(t('wo.rating'), t('wo.ratingValue', { n: order.rating })) : null,
    order.feedback ? fact(t('wo.feedback'), order.feedback, { class: 'multiline' }) : null,
    order.rejectionNote ? fact(t('wo.rejectionNote'), order.rejectionNote, { class: 'multiline' }) : null,
  );
}
