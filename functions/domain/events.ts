import * as z from 'zod';
import { ConflictError, ValidationError, type FieldError } from './errors';
import { definedOnly, instant, line, paragraph, viewOf, viewSchemaOf, withUtcInstants } from './model';

export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * An event, declared once. `eventFields` are what an organiser sets: the create and patch bodies,
 * the stored item, the public and organiser views and their response schemas all follow from
 * them (README, "How to add a field"). Instants are any RFC 3339 offset on the way in and
 * canonical UTC strings once stored.
 */
export const eventFields = z.object({
  title: line(120),
  description: paragraph(2000).optional(),
  venue: line(120),
  startsAt: instant,
  endsAt: instant,
  capacity: z.number().int().min(1).max(100000),
  maxPartySize: z.number().int().min(1).max(20),
  volunteerCapacity: z.number().int().min(0).max(1000),
  registrationOpensAt: instant.optional(),
  /** Registration closes when the event starts unless set. */
  registrationClosesAt: instant.optional(),
  status: z.enum(EVENT_STATUSES),
});

/** What Linli keeps beside the organiser's fields: identity, counters and audit times. */
export const eventRecord = eventFields.extend({
  id: z.string(),
  communityId: z.string(),
  registrationClosesAt: instant,
  /** Seats held by confirmed registrations; changed only with the registration, in one transaction. */
  confirmedSeats: z.number().int(),
  /** Parties (households) waiting; changed only with the registration, in one transaction. */
  waitlistLength: z.number().int(),
  /** People in those parties (the sum of their sizes); changed with `waitlistLength`. */
  waitlistPeople: z.number().int(),
  /** Volunteers holding a shift on the event. */
  volunteersStaffed: z.number().int(),
  /**
   * Set, in the same transaction, by whatever frees seats (a cancellation, a capacity raise);
   * cleared once no waiting party fits. While it is set no newcomer is confirmed: the seats belong
   * to the waitlist first (README, "The waitlist first").
   */
  promotionDueAt: instant.optional(),
  /** Optimistic-lock counter: every update is conditional on the version it read. */
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A festival or other event; instants stored as canonical UTC strings. */
export type CommunityEvent = Readonly<z.output<typeof eventRecord>>;

/** The fields an organiser sets, instants as any RFC 3339 offset. */
export type EventFields = z.output<typeof eventFields>;

export type EventPatch = Partial<EventFields>;

function checkTimeline(event: Pick<CommunityEvent, 'startsAt' | 'endsAt' | 'registrationOpensAt' | 'registrationClosesAt'>): void {
  const errors: FieldError[] = [];
  if (event.endsAt <= event.startsAt) errors.push({ path: 'endsAt', message: 'Must be after startsAt' });
  if (event.endsAt > event.startsAt && event.registrationClosesAt > event.endsAt) {
    errors.push({ path: 'registrationClosesAt', message: 'Must not be after endsAt' });
  }
  if (event.registrationOpensAt !== undefined && event.registrationOpensAt >= event.registrationClosesAt) {
    errors.push({ path: 'registrationOpensAt', message: 'Must be before registrationClosesAt' });
  }
  if (errors.length > 0) throw new ValidationError(errors, 'The event times do not fit together');
}

/** A new event from an organiser's fields. Registration closes when the event starts unless set. */
export function newEvent(communityId: string, id: string, fields: EventFields, now: Date): CommunityEvent {
  if (fields.status === 'cancelled') {
    throw new ValidationError([{ path: 'status', message: 'A new event is draft or published' }]);
  }
  const given = withUtcInstants(eventFields, fields);
  const nowIso = now.toISOString();
  const event: CommunityEvent = {
    ...given,
    id,
    communityId,
    registrationClosesAt: given.registrationClosesAt ?? given.startsAt,
    confirmedSeats: 0,
    waitlistLength: 0,
    waitlistPeople: 0,
    volunteersStaffed: 0,
    version: 1,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
  checkTimeline(event);
  return event;
}

/** The status changes an organiser may make. Cancelling is final. */
function checkTransition(from: EventStatus, to: EventStatus, event: CommunityEvent): void {
  if (from === to) return;
  if (from === 'cancelled') throw new ConflictError('event_cancelled', 'A cancelled event cannot be changed');
  if (to === 'draft' && (event.confirmedSeats > 0 || event.waitlistLength > 0)) {
    throw new ConflictError('invalid_state', 'An event with registrations cannot go back to draft; cancel it instead');
  }
}

/**
 * The event after an organiser's patch, or the reason it cannot be applied. Lowering capacity
 * under the seats already confirmed is refused; the store re-checks it in the write's condition,
 * so a registration landing between read and write cannot slip under it.
 */
export function applyEventPatch(event: CommunityEvent, patch: EventPatch, now: Date): CommunityEvent {
  if (event.status === 'cancelled') throw new ConflictError('event_cancelled', 'A cancelled event cannot be changed');
  const status = patch.status ?? event.status;
  checkTransition(event.status, status, event);
  const capacity = patch.capacity ?? event.capacity;
  if (capacity < event.confirmedSeats) {
    throw new ConflictError('capacity_below_confirmed', `${event.confirmedSeats} seats are already confirmed`);
  }
  const changes = withUtcInstants(eventFields, definedOnly(patch));
  const startsAt = changes.startsAt ?? event.startsAt;
  const closesFollowStart = changes.registrationClosesAt === undefined && event.registrationClosesAt === event.startsAt;
  const next: CommunityEvent = {
    ...event,
    ...changes,
    capacity,
    registrationClosesAt: changes.registrationClosesAt ?? (closesFollowStart ? startsAt : event.registrationClosesAt),
    status,
    version: event.version + 1,
    updatedAt: now.toISOString(),
  };
  if (next.volunteerCapacity < event.volunteersStaffed) {
    throw new ConflictError('invalid_state', `${event.volunteersStaffed} volunteers already hold shifts`);
  }
  checkTimeline(next);
  return next;
}

/** Published and cancelled events are visible to the public; drafts are not. */
export function isPublic(event: CommunityEvent): boolean {
  return event.status !== 'draft';
}

/** What the public and organisers read beside the organiser's fields: what is left, counted. */
const publicCounts = (event: CommunityEvent) => ({
  seatsLeft: Math.max(0, event.capacity - event.confirmedSeats),
  waitlistLength: event.waitlistLength,
  // Events stored before people were counted have no figure: 0 until their queue changes.
  waitlistPeople: event.waitlistPeople ?? 0,
  volunteersLeft: Math.max(0, event.volunteerCapacity - event.volunteersStaffed),
});

/** The public shape of an event (API.md): its fields, instants in the community's time zone, and what is left. */
export function publicEvent(event: CommunityEvent, timezone: string) {
  return { id: event.id, ...viewOf(eventFields, event, timezone), ...publicCounts(event) };
}

/** The organiser's shape: the public one plus counters and audit times. */
export function organiserEvent(event: CommunityEvent, timezone: string) {
  return {
    ...publicEvent(event, timezone),
    confirmedSeats: event.confirmedSeats,
    volunteersStaffed: event.volunteersStaffed,
    version: event.version,
    createdAt: event.createdAt,
    updatedAt: event.updatedAt,
  };
}

/** The response schemas of the two views, derived from the same declaration. */
export const publicEventSchema = z
  .object({
    id: z.string(),
    ...viewSchemaOf(eventFields).shape,
    registrationClosesAt: z.string(),
    seatsLeft: z.number().int(),
    waitlistLength: z.number().int().describe('Parties (households) waiting'),
    waitlistPeople: z.number().int().describe('People in the parties waiting'),
    volunteersLeft: z.number().int(),
  })
  .meta({ id: 'PublicEvent' });

export const organiserEventSchema = publicEventSchema
  .extend(eventRecord.pick({ confirmedSeats: true, volunteersStaffed: true, version: true, createdAt: true, updatedAt: true }).shape)
  .meta({ id: 'Event' });
