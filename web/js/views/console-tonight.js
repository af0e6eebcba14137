// Tonight (今晚) in the console: the next evening of the help desk at a glance — who is on duty, an
// unmistakable banner when volunteers are short, residents' requests by category, today's events —
// and the evening's roster (names and phones) one tap away.

import { api } from '../api.js';
import { barChart, fillBar, meter, warningIcon } from '../charts.js';
import { badge, fact } from '../common.js';
import { categoryName, requestStatusText } from '../desk.js';
import { h, srOnly } from '../dom.js';
import { CATEGORIES } from '../glossary.js';
import { formatDay, formatRange, formatTimes, t } from '../i18n.js';
import { consoleHash, phoneLink } from '../organiser.js';
import { teamName } from '../volunteer.js';
import { eventMeters } from './console-events.js';

/** The evenings after the next one shown under it. */
const LATER_EVENINGS = 6;

const isBooked = (request) => request.status === 'booked';

export async function showTonight(ctx) {
  const title = t('console.tonight.title');
  ctx.loading(title);
  let slot = null;
  let roster = null;
  let later = [];
  let events = [];
  try {
    const [slots, upcoming] = await Promise.all([api.slots(ctx.c, { limit: LATER_EVENINGS + 2 }), ctx.api.events(ctx.c, { limit: 100 })]);
    const open = slots.items.filter((item) => item.status !== 'cancelled');
    slot = open[0] ?? null;
    later = open.slice(1, LATER_EVENINGS + 1);
    events = upcoming.items;
    roster = slot ? await ctx.api.slot(ctx.c, slot.id) : null;
  } catch (error) {
    ctx.fail(title, error);
    return;
  }
  if (!ctx.view.current) return;
  const today = formatDay(new Date(), ctx.timeZone);
  const todays = events.filter((event) => event.status !== 'cancelled' && formatDay(event.startsAt, ctx.timeZone) === today);
  const refresh = h('button', { type: 'button', class: 'button button--secondary button--small', id: 'tonight-refresh', onclick: () => ctx.reload('tonight-refresh') }, t('console.refresh'));
  ctx.render(
    title,
    roster ? evening(ctx, roster, today, refresh) : [h('p', { class: 'notice' }, t('console.tonight.noEvening')), refresh],
    todays.length ? todaysEvents(ctx, todays) : null,
    later.length ? laterEvenings(ctx, later) : null,
  );
  ctx.focus();
}

/** The next evening: when and where, the staffing banner, volunteers on duty and residents' requests. */
function evening(ctx, roster, today, refresh) {
  const isToday = formatDay(roster.startsAt, ctx.timeZone) === today;
  const when = isToday ? t('console.tonight.when', { time: formatTimes(roster.startsAt, roster.endsAt, ctx.timeZone) }) : t('console.tonight.next', { time: formatRange(roster.startsAt, roster.endsAt, ctx.timeZone) });
  return [
    h('div', { class: 'toolbar toolbar--spread' }, h('p', { class: 'lead', id: 'tonight-when' }, when, ' · ', roster.venue), refresh),
    staffingBanner(roster),
    h(
      'div',
      { class: 'console-grid' },
      volunteersPanel(roster),
      requestsPanel(roster),
    ),
    h('a', { class: 'button', href: consoleHash('tonight', roster.id) }, t('console.tonight.openRoster')),
  ];
}

/**
 * Red, with a sign and words, when fewer volunteers hold shifts than the evening needs, and the way to
 * the volunteers to call and put on the shift (安排志愿者补位); a quiet green line when all are there.
 */
function staffingBanner(roster) {
  const onDuty = roster.volunteers.length;
  const needed = roster.volunteerCapacity;
  const short = Math.max(0, needed - onDuty);
  if (!short) return h('p', { class: 'notice notice--ok', id: 'staffing' }, t('console.tonight.staffed', { onDuty }));
  return h(
    'div',
    { class: 'alarm', id: 'staffing', role: 'alert' },
    warningIcon(),
    h(
      'div',
      {},
      h('p', { class: 'alarm__title' }, t('console.tonight.understaffed')),
      h('p', {}, t('console.tonight.understaffedText', { short, onDuty, needed })),
      h('a', { class: 'alarm__link', href: consoleHash('volunteers', 'cover', roster.id), id: 'find-cover' }, t('console.tonight.cover')),
    ),
  );
}

function volunteersPanel(roster) {
  const onDuty = roster.volunteers.length;
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'on-duty-title' },
    h('h2', { id: 'on-duty-title' }, t('console.tonight.onDuty')),
    meter({ value: onDuty, max: roster.volunteerCapacity, label: t('console.tonight.onDutyLabel'), kind: onDuty < roster.volunteerCapacity ? 'short' : 'ok', id: 'on-duty-meter' }),
    onDuty ? h('ul', { class: 'people' }, roster.volunteers.map(volunteerRow)) : h('p', {}, t('console.tonight.nobody')),
  );
}

const volunteerRow = (volunteer) =>
  h('li', { class: 'person' }, h('span', { class: 'person__name' }, volunteer.name), h('span', { class: 'person__team' }, teamName(volunteer.team)), phoneLink(volunteer.phone));

function requestsPanel(roster) {
  const booked = roster.requests.filter(isBooked);
  const counts = CATEGORIES.map(({ id: category }) => ({ category, n: booked.filter((request) => request.category === category).length })).filter((row) => row.n > 0);
  counts.sort((a, b) => b.n - a.n);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'requests-title' },
    h('h2', { id: 'requests-title' }, t('console.tonight.requests')),
    meter({ value: booked.length, max: roster.requestCapacity, label: t('console.tonight.requestsLabel'), kind: booked.length >= roster.requestCapacity ? 'full' : 'ok', id: 'requests-meter' }),
    counts.length
      ? barChart({
          id: 'categories-chart',
          title: t('console.tonight.byCategory'),
          columns: [t('category'), t('console.tonight.count')],
          rows: counts.map(({ category, n }) => ({ key: category, label: categoryName(category), value: n, valueText: t('console.tonight.requestCount', { n }) })),
        })
      : h('p', {}, t('console.tonight.noRequests')),
  );
}

function todaysEvents(ctx, events) {
  return h(
    'section',
    { 'aria-labelledby': 'today-events-title' },
    h('h2', { id: 'today-events-title' }, t('console.tonight.todaysEvents')),
    h(
      'ul',
      { class: 'event-list console-grid' },
      events.map((event) =>
        h(
          'li',
          { class: 'card' },
          h('h3', { class: 'card__title' }, event.title),
          h('p', {}, formatTimes(event.startsAt, event.endsAt, ctx.timeZone), ' · ', event.venue),
          eventMeters(event),
          h('a', { class: 'button button--secondary', href: consoleHash('events', event.id) }, t('console.events.roster'), srOnly(t('registerFor', { title: event.title }))),
        ),
      ),
    ),
  );
}

/** The evenings after: a small bar of volunteers each, red words where some are missing. */
function laterEvenings(ctx, slots) {
  return h(
    'section',
    { 'aria-labelledby': 'later-title' },
    h('h2', { id: 'later-title' }, t('console.tonight.later')),
    h(
      'ul',
      { class: 'evenings' },
      slots.map((slot) => {
        const staffed = slot.volunteerCapacity - slot.volunteersLeft;
        const day = formatDay(slot.startsAt, ctx.timeZone);
        return h(
          'li',
          { class: 'evening' },
          h('p', { class: 'evening__day' }, day, ' ', h('span', { class: 'evening__time' }, formatTimes(slot.startsAt, slot.endsAt, ctx.timeZone))),
          fillBar(staffed, slot.volunteerCapacity, { kind: slot.volunteersLeft > 0 ? 'short' : 'ok' }),
          h(
            'p',
            { class: 'evening__numbers' },
            t('console.tonight.volunteersOf', { n: staffed, of: slot.volunteerCapacity }),
            slot.volunteersLeft > 0 ? h('span', { class: 'badge badge--cancelled' }, t('console.tonight.missing', { n: slot.volunteersLeft })) : null,
            ' · ',
            t('console.tonight.requestsOf', { n: slot.requestCapacity - slot.requestsLeft, of: slot.requestCapacity }),
          ),
          h('a', { class: 'evening__link', href: consoleHash('tonight', slot.id) }, t('console.tonight.roster'), srOnly(t('registerFor', { title: day }))),
        );
      }),
    ),
  );
}

// ---- one evening's roster ----

export async function showSlotRoster(ctx, slotId) {
  const title = t('console.slotRoster.title');
  const back = h('p', {}, h('a', { href: consoleHash('tonight'), class: 'back-link' }, t('console.tonight.back')));
  ctx.loading(title);
  let roster;
  try {
    roster = await ctx.api.slot(ctx.c, slotId);
  } catch (error) {
    ctx.fail(title, error);
    return;
  }
  if (!ctx.view.current) return;
  const requests = [...roster.requests].sort((a, b) => Number(isBooked(b)) - Number(isBooked(a)));
  ctx.render(
    title,
    back,
    h('p', { class: 'lead' }, formatRange(roster.startsAt, roster.endsAt, ctx.timeZone), ' · ', roster.venue),
    roster.status === 'cancelled' ? h('p', { class: 'notice notice--warn' }, t('cancelled')) : staffingBanner(roster),
    h(
      'section',
      { 'aria-labelledby': 'roster-volunteers' },
      h('h2', { id: 'roster-volunteers' }, t('console.tonight.onDuty'), ` (${roster.volunteers.length}/${roster.volunteerCapacity})`),
      roster.volunteers.length ? h('ul', { class: 'people' }, roster.volunteers.map(volunteerRow)) : h('p', {}, t('console.tonight.nobody')),
    ),
    h(
      'section',
      { 'aria-labelledby': 'roster-requests' },
      h('h2', { id: 'roster-requests' }, t('console.tonight.requests'), ` (${roster.requests.filter(isBooked).length}/${roster.requestCapacity})`),
      requests.length ? h('ul', { class: 'event-list console-grid' }, requests.map(requestCard)) : h('p', {}, t('console.tonight.noRequests')),
    ),
  );
  ctx.focus();
}

function requestCard(request) {
  return h(
    'li',
    { class: `card${isBooked(request) ? '' : ' card--cancelled'}` },
    h('h3', { class: 'card__title' }, categoryName(request.category)),
    badge({ kind: isBooked(request) ? 'ok' : 'cancelled', text: requestStatusText(request.status) }),
    h(
      'dl',
      { class: 'facts facts--wide' },
      fact(t('problem'), request.description, { class: 'multiline' }),
      fact(t('bookedBy'), request.name),
      fact(t('phoneUsed'), phoneLink(request.phone)),
      request.building ? fact(t('building'), request.building) : null,
    ),
  );
}
