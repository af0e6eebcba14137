import { ulid } from 'ulid';
import type { Community } from '../domain/communities';
import { NotFoundError } from '../domain/errors';
import { applyEventPatch, isPublic, newEvent, type CommunityEvent, type EventFields, type EventPatch } from '../domain/events';
import { boundaryToUtc } from '../domain/time';
import { getEvent, insertEvent, listAllEvents, listPublicEvents, replaceEvent, StaleEventError, type EventPage } from '../store/events';
import { requireCommunity } from './communities';
import { recordEventCancelled } from './notices';
import { patchChangesNothing } from '../domain/model';
import { planEventReminders } from './reminder-plans';
import { planErasure } from './erasure';
import { promoteWaitlist } from './registrations';
import { eventTarget } from '../domain/shifts';
import { refreshShiftsOfTarget } from '../store/shifts';
import * as clock from '../clock';
import { retryOptimistic, staleOn } from './retry';
import { noteOutcome } from '../store/request-record';

export interface EventWithCommunity {
  event: CommunityEvent;
  community: Community;
}

/** Creates an event in a community that exists. */
export async function createEvent(communityId: string, fields: EventFields): Promise<EventWithCommunity> {
  const community = await requireCommunity(communityId, { fresh: true });
  const event = newEvent(communityId, ulid(), fields, clock.now());
  noteOutcome({ eventId: event.id });
  await insertEvent(event);
  await afterEventWrite(community, event);
  return { event, community };
}

/**
 * A created event as its creation answered, for a retry of the creation with its Idempotency-Key
 * whose first attempt stored the event and stopped: what followed the write is done again (it is
 * idempotent), so nothing the creation starts is lost to the interruption.
 */
export async function resumeEventCreation(communityId: string, eventId: string): Promise<EventWithCommunity> {
  const community = await requireCommunity(communityId);
  const event = await getEvent(communityId, eventId);
  if (!event) throw new NotFoundError('No such event');
  await afterEventWrite(community, event);
  return { event, community };
}

/**
 * What follows every write of an event: its reminders (re)planned or cancelled, and its
 * personal-data erasure planned for `endsAt` + the retention period. Both are idempotent, so
 * a retried request plans the same again.
 */
async function afterEventWrite(community: Community, event: CommunityEvent): Promise<void> {
  await planEventReminders(community, event);
  await planErasure(community.id, 'event', event.id, event.endsAt);
}

/**
 * Applies an organiser's patch with optimistic locking: read, apply the domain rules, write on
 * condition of the version read; if a registration or another patch landed in between, do it again.
 */
export async function updateEvent(communityId: string, eventId: string, patch: EventPatch): Promise<EventWithCommunity> {
  const community = await requireCommunity(communityId, { fresh: true });
  return retryOptimistic(async () => {
    const current = await getEvent(communityId, eventId);
    if (!current) throw new NotFoundError('No such event');
    if (current.status === 'cancelled' && patch.status === 'cancelled' && patchChangesNothing(current, patch)) {
      // The cancellation sent again (see updateSlot): its notices recorded again, each once.
      await recordEventCancelled(community, current);
      return { event: current, community };
    }
    const next = applyEventPatch(current, patch, clock.now());
    await replaceEvent(current, next);
    await afterEventWrite(community, next);
    if (current.status !== 'cancelled' && next.status === 'cancelled') await recordEventCancelled(community, next);
    if (['title', 'venue', 'startsAt', 'endsAt'].some((field) => current[field as keyof CommunityEvent] !== next[field as keyof CommunityEvent])) {
      await refreshShiftsOfTarget(eventTarget(next));
    }
    if (next.capacity > current.capacity || current.promotionDueAt) {
      // More seats, marked for the waitlist by the write itself: it moves up at once, and the
      // answer shows it. So too when seats were left due by an earlier write (this patch's first
      // attempt, stored though its caller heard 503, or a cancellation that stopped between its
      // two steps): the retry finds the capacity already raised, and completes the promotion.
      await promoteWaitlist(communityId, eventId);
      return { event: (await getEvent(communityId, eventId)) ?? next, community };
    }
    return { event: next, community };
  }, { staleOn: staleOn(StaleEventError), attempts: 10, contended: true });
}

/** A published (or cancelled) event as the public may see it; drafts are 404. */
export async function getPublicEvent(communityId: string, eventId: string): Promise<EventWithCommunity> {
  const [community, event] = await Promise.all([requireCommunity(communityId), getEvent(communityId, eventId)]);
  if (!event || !isPublic(event)) throw new NotFoundError('No such event');
  return { event, community };
}

/** Published events in a window; without `from`, those that have not yet ended. */
export async function listEvents(
  communityId: string,
  query: { from?: string; to?: string; limit: number; cursor?: string },
): Promise<EventPage & { community: Community }> {
  const page = { limit: query.limit, cursor: query.cursor };
  if (query.from || query.to) {
    // Dates are days in the community's time zone: the profile first.
    const community = await requireCommunity(communityId);
    const fromUtc = query.from ? boundaryToUtc(query.from, community.timezone, 'start') : clock.nowIso();
    const toUtc = query.to ? boundaryToUtc(query.to, community.timezone, 'end') : undefined;
    return { ...(await listPublicEvents(communityId, { fromUtc, toUtc }, page)), community };
  }
  // "From now" needs no time zone: both reads in one round trip.
  const [community, events] = await Promise.all([requireCommunity(communityId), listPublicEvents(communityId, { fromUtc: clock.nowIso() }, page)]);
  return { ...events, community };
}

/** Organisers see every event, drafts too, that has not yet ended (or from `from`). */
export async function listEventsForOrganisers(communityId: string, query: { from?: string; limit: number; cursor?: string }) {
  const community = await requireCommunity(communityId);
  const fromUtc = query.from ? boundaryToUtc(query.from, community.timezone, 'start') : clock.nowIso();
  const page = await listAllEvents(communityId, fromUtc, { limit: query.limit, cursor: query.cursor });
  return { ...page, community };
}
