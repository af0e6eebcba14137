import * as z from 'zod';
import { ConflictError, NotFoundError, ValidationError } from './errors';
import type { CommunityEvent } from './events';
import { inZone } from './time';
import { heldBasics, type PendingVerification } from './verification';

export const REGISTRATION_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** A household's registration for an event, declared once. `id` is a ULID: its order is the queue order. */
export const registrationRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  eventId: z.string(),
  name: z.string(),
  /** E.164. Personal data: shown only on the organiser's roster and export; erased N days after the event. */
  phone: z.string(),
  partySize: z.number().int(),
  building: z.string().optional(),
  note: z.string().optional(),
  status: z.enum(REGISTRATION_STATUSES),
  /** SHA-256 of the manage token; the token itself is returned once and never stored. */
  manageTokenHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  confirmedAt: z.string().optional(),
  cancelledAt: z.string().optional(),
  cancelledBy: z.enum(['resident', 'organiser']).optional(),
});

export type Registration = Readonly<z.output<typeof registrationRecord>>;

export interface RegistrationInput {
  name: string;
  phone: string;
  partySize: number;
  building?: string;
  note?: string;
}

/**
 * Whether anyone may register for this event now. Drafts are invisible (404); the window is
 * `[registrationOpensAt, registrationClosesAt]`. The store re-checks all of it in the write's
 * condition, so an organiser's change landing in between cannot be slipped past.
 */
export function checkRegistrationOpen(event: CommunityEvent | undefined, partySize: number, now: Date): CommunityEvent {
  if (!event || event.status === 'draft') throw new NotFoundError('No such event');
  if (event.status === 'cancelled') throw new ConflictError('event_cancelled', 'This event was cancelled');
  const nowIso = now.toISOString();
  if (event.registrationOpensAt !== undefined && nowIso < event.registrationOpensAt) {
    throw new ConflictError('registration_closed', 'Registration has not opened yet');
  }
  if (nowIso > event.registrationClosesAt) throw new ConflictError('registration_closed', 'Registration has closed');
  if (partySize > event.maxPartySize) {
    throw new ValidationError([{ path: 'partySize', message: `At most ${event.maxPartySize} people per registration` }]);
  }
  return event;
}

export function seatsLeft(event: Pick<CommunityEvent, 'capacity' | 'confirmedSeats'>): number {
  return Math.max(0, event.capacity - event.confirmedSeats);
}

/** A party that fits in the seats left is confirmed at once, even while a larger party waits. */
export function placementFor(event: Pick<CommunityEvent, 'capacity' | 'confirmedSeats'>, partySize: number): 'confirmed' | 'waitlisted' {
  return partySize <= seatsLeft(event) ? 'confirmed' : 'waitlisted';
}

export interface QueuedParty {
  readonly id: string;
  readonly partySize: number;
}

/**
 * The next waitlisted party to promote: the first in queue order whose party fits in the seats
 * left. Parties that do not fit are skipped, not dropped: they keep their place for later.
 */
export function nextToPromote(queue: readonly QueuedParty[], seats: number): QueuedParty | undefined {
  return queue.find((party) => party.partySize <= seats);
}

/** Whether cancelling a registration in this status frees seats that the waitlist may take. */
export function freesSeats(status: RegistrationStatus): boolean {
  return status === 'confirmed';
}

/** The promotion rule, whole: which queued parties a number of free seats confirms, in order. */
export function promotionsFor(queue: readonly QueuedParty[], seats: number): QueuedParty[] {
  const promoted: QueuedParty[] = [];
  let left = seats;
  let remaining = [...queue];
  for (let party = nextToPromote(remaining, left); party; party = nextToPromote(remaining, left)) {
    promoted.push(party);
    left -= party.partySize;
    remaining = remaining.filter((candidate) => candidate.id !== party!.id);
  }
  return promoted;
}

/** An event's seat and waitlist counters. */
export interface Tally {
  readonly confirmedSeats: number;
  readonly waitlistLength: number;
  readonly waitlistPeople: number;
}

/**
 * The placement rule for sign-ups in arrival order (services/admission.ts), whole: each party in
 * turn is confirmed if it fits in the seats left after those before it, otherwise waitlisted
 * (so a small party behind a large one that waits can still take the seats it fits in, as
 * {@link placementFor} decides one at a time). An event that is no longer published (cancelled
 * while the parties waited) places every one as cancelled. Returns each party's status, in order,
 * and the counters after them.
 */
export function placeInOrder(
  event: Pick<CommunityEvent, 'status' | 'capacity'> & Tally,
  parties: readonly { readonly partySize: number }[],
): { statuses: RegistrationStatus[]; tally: Tally } {
  let { confirmedSeats, waitlistLength, waitlistPeople } = event;
  const statuses = parties.map((party): RegistrationStatus => {
    if (event.status !== 'published') return 'cancelled';
    if (placementFor({ capacity: event.capacity, confirmedSeats }, party.partySize) === 'confirmed') {
      confirmedSeats += party.partySize;
      return 'confirmed';
    }
    waitlistLength += 1;
    waitlistPeople += party.partySize;
    return 'waitlisted';
  });
  return { statuses, tally: { confirmedSeats, waitlistLength, waitlistPeople } };
}

/** The last four digits, so a resident can tell which phone they used without it being exposed. */
export function phoneHint(phone: string): string {
  return `••••${phone.slice(-4)}`;
}

/** What the resident who holds the manage token sees. */
/**
 * A registration as its resident sees it: stored, or held for its phone's code
 * (`pending_verification`: no seat, no place in the queue, not the phone's registration yet).
 */
export type ResidentRegistration = Omit<Registration, 'status'> & { readonly status: RegistrationStatus | 'pending_verification' };

/** A sign-up held for its code, in a registration's shape (the input it was sent with). */
export function heldRegistration(pending: PendingVerification): ResidentRegistration {
  const input = pending.input as unknown as RegistrationInput;
  return {
    ...heldBasics(pending),
    eventId: pending.targetId,
    name: input.name,
    phone: input.phone,
    partySize: input.partySize,
    ...(input.note ? { note: input.note } : {}),
  };
}

export function residentView(registration: ResidentRegistration, waitlistPosition: number | undefined, timezone: string) {
  return {
    id: registration.id,
    eventId: registration.eventId,
    status: registration.status,
    partySize: registration.partySize,
    ...(registration.status === 'waitlisted' && waitlistPosition !== undefined ? { waitlistPosition } : {}),
    name: registration.name,
    phoneHint: phoneHint(registration.phone),
    building: registration.building ?? null,
    createdAt: inZone(registration.createdAt, timezone),
    ...(registration.cancelledAt ? { cancelledAt: inZone(registration.cancelledAt, timezone) } : {}),
  };
}

/** A roster line for organisers: contact details in full. */
export function rosterEntry(registration: Registration, waitlistPosition: number | undefined, timezone: string) {
  return {
    id: registration.id,
    status: registration.status,
    ...(registration.status === 'waitlisted' && waitlistPosition !== undefined ? { waitlistPosition } : {}),
    name: registration.name,
    // Erased with the name once the retention period is over (docs/data-model.md): null from then on.
    phone: registration.phone ?? null,
    partySize: registration.partySize,
    building: registration.building ?? null,
    note: registration.note ?? null,
    createdAt: inZone(registration.createdAt, timezone),
    confirmedAt: registration.confirmedAt ? inZone(registration.confirmedAt, timezone) : null,
    cancelledAt: registration.cancelledAt ? inZone(registration.cancelledAt, timezone) : null,
  };
}
