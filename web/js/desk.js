// Pieces of the evening help desk (每晚一小时延时服务) shared by its pages: the categories' names, an
// evening's booking state, the evening's facts and a booking's facts.

import { fact } from './common.js';
import { h } from './dom.js';
import { formatDay, formatTimes, named, t } from './i18n.js';

/** 家电维修 / Appliance repair; an unknown category is shown as it came. */
export const categoryName = (category) => named('categories', category);

/** Whether an evening can be booked now, and the words that say so: { open, kind: 'ok'|'full'|'cancelled'|'closed', text }. */
export function slotState(slot, now = new Date()) {
  if (slot.status === 'cancelled') return { open: false, kind: 'cancelled', text: t('cancelled') };
  if (new Date(slot.endsAt) <= now) return { open: false, kind: 'closed', text: t('deskOver') };
  if (slot.requestsLeft > 0) return { open: true, kind: 'ok', text: t('seatsLeft', { n: slot.requestsLeft }) };
  return { open: false, kind: 'full', text: t('deskFull') };
}

function slotRows(slot, timeZone, withDay) {
  return [
    withDay ? fact(t('date'), formatDay(slot.startsAt, timeZone)) : null,
    fact(t('when'), formatTimes(slot.startsAt, slot.endsAt, timeZone)),
    fact(t('where'), slot.venue),
  ];
}

/** Time and venue of an evening on its card (whose heading is the date already). */
export function slotDetails(slot, timeZone) {
  return h('dl', { class: 'facts' }, slotRows(slot, timeZone, false));
}

/**
 * A booking in one list, so that its terms line up: the evening's date, time and venue (when the
 * evening is known), then the category, the problem, the name, the last digits of the phone, the building.
 */
export function bookingDetails(slot, request, timeZone) {
  return h(
    'dl',
    { class: 'facts facts--wide' },
    slot ? slotRows(slot, timeZone, true) : null,
    request
      ? [
          fact(t('category'), categoryName(request.category)),
          fact(t('problem'), request.description, { class: 'multiline' }),
          fact(t('bookedBy'), request.name),
          fact(t('phoneUsed'), request.phoneHint),
          request.building ? fact(t('building'), request.building) : null,
        ]
      : null,
  );
}

/** 已预约 / 已取消 */
export const requestStatusText = (status) =>
  status === 'booked' ? t('deskStatusBooked') : status === 'pending_verification' ? t('statusPendingVerification') : t('statusCancelled');
