import { ConflictError, ValidationError, type FieldError } from './errors';
import { inZone, toUtcIso } from './time';

export type EventStatus = 'draft' | 'published' | 'cancelled';

/** A festival or other event; instants stored as canonical UTC strings. */
export interface CommunityEvent {
  readonly id: string;
  readonly communityId: string;
  readonly title: string;
  readonly description?: string;
  readonly venue: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly capacity: number;
  readonly maxPartySize: number;
  readonly volunteerCapacity: number;
  readonly registrationOpensAt?: string;
  readonly registrationClosesAt: string;
  readonly status: EventStatus;
  /** Seats held by confirmed registrations; changed only with the registration, in one transaction. */
  readonly confirmedSeats: number;
  /** Parties waiting; changed only with the registration, in one transaction. */
  readonly waitlistLength: number;
  /** Volunteers holding a shift on the event. */
  readonly volunteersStaffed: number;
  /** Optimistic-lock counter: every update is conditional on the version it read. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The fields an organiser sets, instants as any RFC 3339 offset. */
export interface EventFields {
  title: string;
  description?: string;
  venue: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  maxPartySize: number;
  volunteerCapacity: number;
  registrationOpensAt?: string;
  registrationClosesAt?: string;
  status: EventStatus;
}

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
  const startsAt = toUtcIso(fields.startsAt);
  const nowIso = now.toISOString();
  const event: CommunityEvent = {
    id,
    communityId,
    title: fields.title,
    description: fields.description,
    venue: fields.venue,
    startsAt,
    endsAt: toUtcIso(fields.endsAt),
    capacity: fields.capacity,
    maxPartySize: fields.maxPartySize,
    volunteerCapacity: fields.volunteerCapacity,
    registrationOpensAt: fields.registrationOpensAt === undefined ? undefined : toUtcIso(fields.registrationOpensAt),
    registrationClosesAt: fields.registrationClosesAt === undefined ? startsAt : toUtcIso(fields.registrationClosesAt),
    status: fields.status,
    confirmedSeats: 0,
    waitlistLength: 0,
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
  const startsAt = patch.startsAt === undefined ? event.startsAt : toUtcIso(patch.startsAt);
  const closesFollowStart = patch.registrationClosesAt === undefined && event.registrationClosesAt === event.startsAt;
  const next: CommunityEvent = {
    ...event,
    title: patch.title ?? event.title,
    description: patch.description ?? event.description,
    venue: patch.venue ?? event.venue,
    startsAt,
    endsAt: patch.endsAt === undefined ? event.endsAt : toUtcIso(patch.endsAt),
    capacity,
    maxPartySize: patch.maxPartySize ?? event.maxPartySize,
    volunteerCapacity: patch.volunteerCapacity ?? event.volunteerCapacity,
    registrationOpensAt:
      patch.registrationOpensAt === undefined ? event.registrationOpensAt : toUtcIso(patch.registrationOpensAt),
    registrationClosesAt:
      patch.registrationClosesAt !== undefined
        ? toUtcIso(patch.registrationClosesAt)
        : closesFollowStart
          ? startsAt
          : event.registrationClosesAt,
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

/** The public shape of an event (API.md), instants in the community's time zone. */
export function publicEvent(event: CommunityEvent, timezone: string) {
  return {
    id: event.id,
    title: event.title,
    description: event.description ?? null,
    venue: event.venue,
    startsAt: inZone(event.startsAt, timezone),
    endsAt: inZone(event.endsAt, timezone),
    capacity: event.capacity,
    seatsLeft: Math.max(0, event.capacity - event.confirmedSeats),
    waitlistLength: event.waitlistLength,
    maxPartySize: event.maxPartySize,
    volunteerCapacity: event.volunteerCapacity,
    volunteersLeft: Math.max(0, event.volunteerCapacity - event.volunteersStaffed),
    registrationOpensAt: event.registrationOpensAt === undefined ? null : inZone(event.registrationOpensAt, timezone),
    registrationClosesAt: inZone(event.registrationClosesAt, timezone),
    status: event.status,
  };
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
