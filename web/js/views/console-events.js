// Events (活动) in the console: every event not yet ended, drafts included, each with its fill bar
// (confirmed seats of the capacity, the waitlist, volunteers on festival duty) kept up to date while
// the page is open; editing, cancelling after a confirmation, the roster and its CSV download; where a
// festival is short of volunteers, the way to put one on (安排志愿者, console-volunteers.js).

import { askingButton, downloadButton } from '../actions.js';
import { meter } from '../charts.js';
import { badge, eventDetails, pagedList } from '../common.js';
import { h, replace, srOnly } from '../dom.js';
import { formatInstant, t } from '../i18n.js';
import { CONSOLE_SCOPE, consoleHash, eventStatus, phoneLink } from '../organiser.js';

/** Events on the list, a page at a time. */
const PAGE = 25;
/** While the list is open (and the tab visible), its numbers are fetched again this often. */
const REFRESH_MS = 10_000;

/** Seats taken of the capacity (and the waitlist), and volunteers on duty when the event needs some. */
export function eventMeters(event) {
  const full = event.confirmedSeats >= event.capacity;
  // A cancelled event has no seats to offer: say so, not "剩余 4 个名额".
  const seatsDetail =
    event.status === 'cancelled'
      ? t('cancelled')
      : event.waitlistLength > 0
        ? t('console.events.waitlist', { n: event.waitlistLength, people: event.waitlistPeople ?? event.waitlistLength })
        : full
          ? t('console.events.full')
          : t('seatsLeft', { n: event.seatsLeft });
  return [
    meter({ value: event.confirmedSeats, max: event.capacity, label: t('console.events.seatsLabel'), detail: seatsDetail, kind: full ? 'full' : 'ok' }),
    event.volunteerCapacity > 0
      ? meter({
          value: event.volunteersStaffed,
          max: event.volunteerCapacity,
          label: t('console.events.volunteersLabel'),
          kind: event.volunteersStaffed < event.volunteerCapacity ? 'short' : 'ok',
        })
      : null,
  ];
}

export async function showEvents(ctx) {
  const title = t('console.events.title');
  ctx.loading(title);
  let page;
  try {
    page = await ctx.api.events(ctx.c, { limit: PAGE });
  } catch (error) {
    ctx.fail(title, error);
    return;
  }
  if (!ctx.view.current) return;
  const changes = h('p', { class: 'visually-hidden', role: 'status', id: 'events-changes' });
  const { list, more } = pagedList(page, {
    item: (event) => eventCard(ctx, event),
    fetchPage: (cursor) => ctx.api.events(ctx.c, { cursor, limit: PAGE }),
    moreLabel: t('console.events.more'),
  });
  const refresh = h('button', { type: 'button', class: 'button button--secondary button--small', id: 'events-refresh' }, t('console.refresh'));
  const updated = h('p', { class: 'hint toolbar__note', id: 'events-updated' }, t('console.updatedAt', { time: formatInstant(new Date(), ctx.timeZone) }));
  const update = () => refreshNumbers(ctx, list, changes, updated);
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    await update();
    refresh.disabled = false;
  });
  ctx.render(
    title,
    h('div', { class: 'toolbar' }, h('a', { class: 'button button--small', href: consoleHash('events', 'new') }, t('console.events.new')), refresh, updated),
    changes,
    page.items.length ? list : h('p', { class: 'notice' }, t('console.events.empty')),
    more,
  );
  ctx.focus();
  keepFresh(ctx, list, update);
}

/** Fetch the numbers again every REFRESH_MS while this list is on screen and the tab visible. */
function keepFresh(ctx, list, update) {
  const timer = setInterval(() => {
    if (!ctx.view.current || !list.isConnected) clearInterval(timer);
    else if (document.visibilityState === 'visible') update();
  }, REFRESH_MS);
}

/**
 * The latest numbers drawn into the cards already on the page (nothing else moves, so focus and an
 * open confirmation stay put); what changed is said once in the live region.
 */
async function refreshNumbers(ctx, list, changes, updated) {
  let items;
  try {
    ({ items } = await ctx.api.events(ctx.c, { limit: 100 }));
  } catch (error) {
    if (!ctx.ended(error)) updated.textContent = t('console.updateFailed');
    return;
  }
  const said = [];
  for (const event of items) {
    const card = list.querySelector(`[data-event-id="${CSS.escape(event.id)}"]`);
    if (!card || card.dataset.numbers === numbersOf(event)) continue;
    card.dataset.numbers = numbersOf(event);
    replace(card.querySelector('.card__numbers'), eventMeters(event));
    said.push(t('console.events.changed', { title: event.title, n: event.confirmedSeats, of: event.capacity }));
  }
  updated.textContent = t('console.updatedAt', { time: formatInstant(new Date(), ctx.timeZone) });
  if (said.length) changes.textContent = said.join(' ');
}

const numbersOf = (event) => [event.confirmedSeats, event.capacity, event.waitlistLength, event.volunteersStaffed, event.volunteerCapacity].join('/');

function eventCard(ctx, event) {
  const cancelled = event.status === 'cancelled';
  const forTitle = srOnly(t('registerFor', { title: event.title }));
  return h(
    'li',
    { class: `card card--console${cancelled ? ' card--cancelled' : ''}`, 'data-event-id': event.id, 'data-numbers': numbersOf(event) },
    h('h2', { class: 'card__title' }, event.title),
    badge(eventStatus(event)),
    eventDetails(event, ctx.timeZone),
    h('div', { class: 'card__numbers' }, eventMeters(event)),
    h(
      'div',
      { class: 'card__actions' },
      h('a', { class: 'button button--secondary button--small', href: consoleHash('events', event.id) }, t('console.events.roster'), forTitle),
      cancelled ? null : h('a', { class: 'button button--secondary button--small', href: consoleHash('events', event.id, 'edit') }, t('console.events.edit'), forTitle.cloneNode(true)),
      coverLink(event, forTitle),
      cancelled ? null : cancelButton(ctx, event),
    ),
  );
}

/** 安排志愿者, on a live event still short of volunteers: the active volunteers to call and put on. */
function coverLink(event, forTitle) {
  if (event.status === 'cancelled' || event.volunteersStaffed >= event.volunteerCapacity) return null;
  return h('a', { class: 'button button--small', href: consoleHash('volunteers', 'cover-event', event.id) }, t('console.volunteers.coverEvent'), forTitle.cloneNode(true));
}

/** 取消活动: asks first, then cancels (residents who registered are told by the reminders job). */
function cancelButton(ctx, event) {
  const button = h('button', { type: 'button', class: 'button button--danger button--small' }, t('console.events.cancel'), srOnly(t('registerFor', { title: event.title })));
  return askingButton(button, () => ({
    words: {
      title: t('console.events.cancelTitle', { title: event.title }),
      text: t('console.events.cancelText'),
      yes: t('console.events.cancelYes'),
      no: t('console.events.cancelNo'),
      busy: t('cancelling'),
    },
    heading: 'h3',
    scope: CONSOLE_SCOPE,
    onYes: async () => {
      try {
        await ctx.api.updateEvent(ctx.c, event.id, { status: 'cancelled' });
      } catch (error) {
        if (ctx.ended(error)) return;
        throw error;
      }
      ctx.say({ kind: 'ok', text: () => t('console.events.cancelled', { title: event.title }) });
      await ctx.reload();
    },
  })).place;
}

// ---- one event's roster ----

/** An organiser's event by id: there is no single-event organiser call, so it is found in the list. */
export async function findEvent(ctx, eventId) {
  let cursor;
  for (let page = 0; page < 10; page++) {
    const { items, nextCursor } = await ctx.api.events(ctx.c, { cursor, limit: 100 });
    const found = items.find((event) => event.id === eventId);
    if (found || !nextCursor) return found;
    cursor = nextCursor;
  }
  return undefined;
}

export async function showEventRoster(ctx, eventId) {
  const title = t('console.events.rosterTitle');
  const back = h('p', {}, h('a', { href: consoleHash('events'), class: 'back-link' }, t('console.events.back')));
  ctx.loading(title);
  let event;
  let page;
  try {
    [event, page] = await Promise.all([findEvent(ctx, eventId), ctx.api.roster(ctx.c, eventId, { limit: 100 })]);
  } catch (error) {
    ctx.fail(title, error);
    return;
  }
  if (!ctx.view.current) return;
  const { list, more } = pagedList(page, {
    item: registrationRow,
    fetchPage: (cursor) => ctx.api.roster(ctx.c, eventId, { cursor, limit: 100 }),
    moreLabel: t('console.events.moreRegistrations'),
  });
  ctx.render(
    event ? t('console.events.rosterOf', { title: event.title }) : title,
    back,
    event ? [badge(eventStatus(event)), eventDetails(event, ctx.timeZone), eventMeters(event)] : null,
    h('div', { class: 'toolbar' }, csvButton(ctx, eventId), event ? coverLink(event, srOnly(t('registerFor', { title: event.title }))) : null),
    page.items.length ? list : h('p', { class: 'notice' }, t('console.events.noRegistrations')),
    more,
  );
  ctx.focus();
}

function csvButton(ctx, eventId) {
  return downloadButton({
    words: { label: t('console.events.csv'), done: t('console.downloaded') },
    fileName: `linli-roster-${eventId}.csv`,
    type: 'text/csv',
    fetchFile: () => ctx.api.rosterCsv(ctx.c, eventId),
    scope: CONSOLE_SCOPE,
    id: 'roster-csv',
  });
}

function registrationStatus(registration) {
  if (registration.status === 'confirmed') return { kind: 'ok', text: t('statusConfirmed') };
  if (registration.status === 'waitlisted') {
    return { kind: 'full', text: registration.waitlistPosition ? t('statusWaitlisted', { n: registration.waitlistPosition }) : t('statusWaitlistedNoPos') };
  }
  return { kind: 'cancelled', text: t('statusCancelled') };
}

function registrationRow(registration) {
  return h(
    'li',
    { class: `person person--wide${registration.status === 'cancelled' ? ' person--cancelled' : ''}` },
    h('span', { class: 'person__name' }, registration.name),
    badge(registrationStatus(registration)),
    h('span', {}, t('people', { n: registration.partySize })),
    phoneLink(registration.phone),
    registration.building ? h('span', {}, registration.building) : null,
    registration.note ? h('span', { class: 'person__note' }, registration.note) : null,
  );
}
