import { monotonicFactory, ulid } from 'ulid';
import { hashToken, MANAGE_TOKEN_PREFIX, newOpaqueToken, tokenMatchesHash } from '../auth/opaque-token';
import type { Community } from '../domain/communities';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../domain/errors';
import type { CommunityEvent } from '../domain/events';
import { messages } from '../domain/messages';
import type { Notification } from '../domain/notifications';
import {
  checkRegistrationOpen,
  heldRegistration,
  placementFor,
  promotionsFor,
  seatsLeft,
  type Registration,
  type RegistrationInput,
  type ResidentRegistration,
  type RegistrationStatus,
} from '../domain/registrations';
import { getEvent } from '../store/events';
import { readUseLog, writeUseLog, type UseLog } from '../store/rate-limits';
import { config } from '../config';
import { slidingWindow } from '../domain/limits';
import {
  cancelRegistration,
  countAhead,
  getRegistration,
  insertRegistration,
  listRegistrations,
  listWaitlist,
  listWaitlistAsStored,
  phoneHash,
  promoteRegistration,
  phoneHoldsRegistration,
  clearPromotionDue,
  addressPartiesCounter,
  listDuePromotions,
  StaleRegistrationError,
  type RegistrationPage,
} from '../store/registrations';
import { requireCommunity } from './communities';
import { ownStateFirst } from './refusals';
import { noticeOf } from './notice';
import { getCommunity } from '../store/communities';
import * as clock from '../clock';
import { AGAIN, pause, retryOptimistic, staleOn } from './retry';
import { noteOutcome, withoutRecord } from '../store/request-record';
import { consumePending, dropPending } from '../store/verifications';
import { phoneHolder } from '../store/phone-bookings';
import { keys } from '../store/keys';
import { checkCode, heldRequest, holdForCode, stillHeld } from './verification';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { drain, UNBOUNDED, type JobBudget } from './drain';
import { logger } from '../logger';
import { awaitPlacement, giveBack, placeWaitingArrivals, takeTurn, type Turn } from './admission';
import { getArrival, insertArrival, listDueArrivals } from '../store/arrivals';

/** API.md: the same phone number may register or book at most 10 times an hour. */
const PHONE_LIMIT_PER_HOUR = 10;
/**
 * Rounds of a write that counts a use of a phone's hourly log. Requests of one phone at once (a
 * double tap, one number signing up for many events) all write that one log, and each round one of
 * them wins: with a round more than the hour's uses, every request is counted or finds the hour
 * full (`429`), never `503` for that contention alone.
 */
export const PHONE_ROUNDS = PHONE_LIMIT_PER_HOUR + 2;
/** Rounds of "read the event, try to place the party" before giving up as unavailable (each also counts the phone). */
const PLACEMENT_ATTEMPTS = PHONE_ROUNDS;

export interface RegistrationResult {
  /** Stored, or held for its phone's code. */
  registration: ResidentRegistration;
  waitlistPosition?: number;
  community: Community;
}

const HOUR_MS = 3_600_000;

/** Registration ids: ULIDs, increasing within an instance even in one millisecond (their order is the queue's). */
const arrivalId = monotonicFactory();

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * API.md: one phone may register or book at most 10 times an hour, events and help desk together:
 * in any 60 minutes, not per clock hour. The phone's last uses are read (alongside the event or
 * slot) and the new one is written back as one more item of the registration's (or booking's) own
 * transaction, on condition the log is still as read: only what is stored counts, and racing
 * sign-ups of one phone are decided one after the other.
 */
export function readPhoneUses(phone: string): Promise<UseLog> {
  return readUseLog(`phone#${phoneHash(phone)}`);
}

/** The transaction item that records this use of the phone; `429` with the exact wait if it has no use left. */
export function usePhone(log: UseLog, now: Date) {
  const decision = slidingWindow(log.uses, now, HOUR_MS, PHONE_LIMIT_PER_HOUR);
  if (!decision.allowed) {
    throw new AppError('rate_limited', { detail: 'This phone number has registered too often this hour', retryAfterSeconds: decision.retryAfterSeconds });
  }
  return writeUseLog(log, decision.uses, Math.ceil((now.getTime() + HOUR_MS) / 1000));
}

/**
 * The last state of each event this instance has seen, for placing the next party without reading
 * the event first. Safe whatever its age: the registration's transaction checks every fact the
 * placement is decided on (published, window open, party limit, capacity, seats) and a refusal
 * reads the event afresh. It only saves the read while it is right, which during a sign-up rush
 * is nearly always: the seats this instance took are added to it, and seats taken elsewhere only
 * matter once the event is nearly full.
 */
const lastSeen = new Map<string, CommunityEvent>();
const EVENTS_KEPT = 500;

/** Forgets every event seen (tests that swap the database under a warm instance). */
export function forgetSeenEvents(): void {
  lastSeen.clear();
}

function remember(event: CommunityEvent): void {
  const key = `${event.communityId}#${event.id}`;
  lastSeen.delete(key);
  if (lastSeen.size >= EVENTS_KEPT) lastSeen.delete(lastSeen.keys().next().value!);
  lastSeen.set(key, event);
}

function seenAfter(event: CommunityEvent, registration: Registration): CommunityEvent {
  return registration.status === 'confirmed'
    ? { ...event, confirmedSeats: event.confirmedSeats + registration.partySize }
    : { ...event, waitlistLength: event.waitlistLength + 1, waitlistPeople: (event.waitlistPeople ?? 0) + registration.partySize };
}

/**
 * Without phone verification, a number proves nothing: made-up numbers from one place could fill
 * an event. So one client address may sign up at most `PARTIES_PER_ADDRESS_PER_EVENT` parties
 * (default 10; 0 turns it off) per event, counted in the registration's transaction; cancelling
 * does not give the count back. Off under the local runtime, where every caller is 127.0.0.1.
 */
function addressCount(address: string, event: CommunityEvent) {
  const limit = config().partiesPerAddressPerEvent;
  return limit === 0 ? undefined : addressPartiesCounter(address, event, limit);
}

const addressLimitReached = () =>
  new AppError('rate_limited', { detail: 'Many households have signed up for this event from this network already', retryAfterSeconds: 3600 });

const duplicateRegistration = () => new ConflictError('duplicate_registration', 'This phone number already holds a registration for this event');

/**
 * Registers a household: confirmed if its party fits in the seats left, otherwise waitlisted.
 * Where the community verifies phones, the sign-up is held instead (no seat, no place in the
 * queue) and a code goes to the phone; {@link verifyRegistration} places it when the code comes back.
 */
export async function registerForEvent(
  communityId: string,
  eventId: string,
  input: RegistrationInput,
  caller: { address: string; arrivedAtMs?: number } = { address: '' },
): Promise<RegistrationResult & { manageToken: string }> {
  // The sign-up's place in the event's queue: when it reached the API (API Gateway's clock, the
  // same for every function instance), before any middleware or read of ours.
  const id = caller.arrivedAtMs === undefined ? arrivalId() : ulid(caller.arrivedAtMs);
  const seen = lastSeen.get(`${communityId}#${eventId}`);
  // Community and event are independent: one round trip for both when neither is at hand.
  const [community, firstRead, firstUses] = await Promise.all([
    requireCommunity(communityId),
    seen ?? getEvent(communityId, eventId),
    readPhoneUses(input.phone),
  ]);
  if (community.verifyPhone) return holdRegistration(community, eventId, input, caller.address, seen ? await getEvent(communityId, eventId) : firstRead);
  const manageToken = newOpaqueToken(MANAGE_TOKEN_PREFIX);
  noteOutcome({ registrationId: id, manageToken });
  if (config().signUpPath === 'queue') {
    // An arrival is not conditioned on the event: it is decided on the event as stored now.
    const event = seen ? await getEvent(communityId, eventId) : firstRead;
    const placed = await queueRegistration({ community, event, input, id, manageTokenHash: hashToken(manageToken), uses: firstUses, address: caller.address });
    return { ...placed, manageToken, community };
  }
  let uses = firstUses;
  const placed = await placeRegistration({
    community,
    eventId,
    input,
    id,
    manageTokenHash: hashToken(manageToken),
    read: firstRead,
    fresh: !seen,
    phoneItem: (now) => usePhone(uses, now),
    phoneItemRefused: async () => {
      // The same phone signed up elsewhere meanwhile: decide the limit again on its log as it is now.
      uses = await readPhoneUses(input.phone);
      return AGAIN;
    },
    addressCount: (event) => addressCount(caller.address, event),
  });
  return { ...placed, manageToken, community };
}

/**
 * A sign-up through the event's queue (services/admission.ts): stored as an arrival with its own
 * items (phone marker, the phone's log, the address count), then placed in arrival order, by this
 * request or whichever is placing the event's arrivals. Refusals come from the event as stored
 * when the sign-up arrived, the caller's own state first.
 */
async function queueRegistration(q: {
  community: Community;
  event: CommunityEvent | undefined;
  input: RegistrationInput;
  id: string;
  manageTokenHash: string;
  uses: UseLog;
  address: string;
}): Promise<{ registration: Registration; waitlistPosition?: number }> {
  const { community, input, id } = q;
  const ownState = async () => ((await phoneHoldsRegistration(community.id, q.event?.id ?? '', input.phone)) ? duplicateRegistration() : undefined);
  let event: CommunityEvent;
  try {
    event = checkRegistrationOpen(q.event, input.partySize, clock.now());
  } catch (error) {
    throw await ownStateFirst(error, ownState);
  }
  let uses = q.uses;
  // The placer's turn is asked for while the arrival is written: the only sign-up of a quiet event
  // then places itself with one round trip fewer.
  const turn = takeTurn(community.id, event.id);
  try {
    await retryOptimistic(async () => {
      const nowIso = clock.nowIso();
      let phoneItem;
      try {
        phoneItem = usePhone(uses, new Date(nowIso));
      } catch (error) {
        throw await ownStateFirst(error, ownState);
      }
      const arrival = {
        id,
        communityId: community.id,
        eventId: event.id,
        name: input.name,
        phone: input.phone,
        partySize: input.partySize,
        building: input.building,
        note: input.note,
        manageTokenHash: q.manageTokenHash,
        createdAt: nowIso,
        updatedAt: nowIso,
      };
      const refusal = await insertArrival(arrival, phoneItem, addressCount(q.address, event));
      if (refusal === 'duplicate_phone') throw duplicateRegistration();
      if (refusal === 'address_limit') throw await ownStateFirst(addressLimitReached(), ownState);
      if (refusal === 'phone_uses_changed') {
        // The same phone signed up elsewhere meanwhile: decide the limit again on its log as it is now.
        uses = await readPhoneUses(input.phone);
        return AGAIN;
      }
      return true;
    }, { attempts: PHONE_ROUNDS, contended: true });
  } catch (error) {
    await giveBack(community.id, event.id, await turn);
    throw error;
  }
  return placedAnswer(community.id, event.id, id, turn);
}

/** Waits for a queued sign-up's placement; the answer is what was placed (an event cancelled meanwhile refuses it). */
async function placedAnswer(
  communityId: string,
  eventId: string,
  id: string,
  turn: Promise<Turn | undefined>,
): Promise<{ registration: Registration; waitlistPosition?: number }> {
  const registration = (await awaitPlacement({ communityId, eventId, id }, completeDuePromotion, turn)) ?? (await getRegistration(communityId, eventId, id))!;
  if (registration.status === 'cancelled') throw new ConflictError('event_cancelled', 'This event was cancelled');
  return { registration, waitlistPosition: await positionOf(registration) };
}

/**
 * Housekeeping: events with arrivals no request placed within a minute of their arrival (a crash
 * between a sign-up's two steps) have them placed now. Returns how many it placed.
 */
export async function placeDueArrivals(now: Date, budget: JobBudget = UNBOUNDED): Promise<number> {
  let placed = 0;
  const done = new Set<string>();
  await drain(
    (startKey) => listDueArrivals(now, 50, startKey),
    async ({ communityId, eventId }) => {
      if (done.has(`${communityId}#${eventId}`)) return;
      done.add(`${communityId}#${eventId}`);
      try {
        placed += (await placeWaitingArrivals(communityId, eventId, completeDuePromotion)).length;
      } catch (error) {
        logger.warn('arrivals not placed', { communityId, eventId, errorName: error instanceof Error ? error.name : typeof error });
      }
    },
    budget,
  );
  return placed;
}

/** A sign-up held for its phone's code: refused now for what would refuse it then (closed, too large a party). */
async function holdRegistration(community: Community, eventId: string, input: RegistrationInput, address: string, event: CommunityEvent | undefined) {
  checkRegistrationOpen(event, input.partySize, clock.now());
  const { pending, manageToken } = await holdForCode({
    community,
    targetKind: 'event',
    targetId: eventId,
    phone: input.phone,
    input: { ...input },
    idName: 'registrationId',
    address,
  });
  return { registration: heldRegistration(pending), manageToken, community };
}

interface Placement {
  readonly community: Community;
  readonly eventId: string;
  readonly input: RegistrationInput;
  readonly id: string;
  readonly manageTokenHash: string;
  /** The event as read (or last seen), and whether it was read just now. */
  readonly read: CommunityEvent | undefined;
  readonly fresh: boolean;
  /** The transaction's phone item: this use of the phone (may refuse with `429`), or the held request used up. */
  phoneItem(now: Date): TransactItem;
  /** That item's condition failed: go again, or stop with the registration as stored. */
  phoneItemRefused(): Promise<typeof AGAIN | Registration>;
  addressCount(event: CommunityEvent): ReturnType<typeof addressPartiesCounter> | undefined;
}

/**
 * Places a party: the placement is decided on the event as this instance last saw it (or read
 * now, on a first visit) and enforced by the transaction's conditions; if they refuse it, the
 * event is read again and the party placed anew. Errors (closed, cancelled, too large a party)
 * are only ever given from a fresh read.
 */
async function placeRegistration(p: Placement): Promise<{ registration: Registration; waitlistPosition?: number }> {
  const { community, eventId, input, id } = p;
  const communityId = community.id;
  let read = p.read;
  let fresh = p.fresh;
  const ownState = async () => ((await phoneHoldsRegistration(communityId, eventId, input.phone)) ? duplicateRegistration() : undefined);
  return retryOptimistic(async (round) => {
    let event: CommunityEvent;
    try {
      event = checkRegistrationOpen(read, input.partySize, clock.now());
    } catch (error) {
      if (fresh) throw await ownStateFirst(error, ownState);
      // What this instance saw says no; what is stored may say otherwise (reopened, enlarged).
      read = await getEvent(communityId, eventId);
      fresh = true;
      return AGAIN;
    }
    const nowIso = clock.nowIso();
    const status = placementFor(event, input.partySize);
    const registration: Registration = {
      id,
      communityId,
      eventId,
      name: input.name,
      phone: input.phone,
      partySize: input.partySize,
      building: input.building,
      note: input.note,
      status,
      manageTokenHash: p.manageTokenHash,
      createdAt: nowIso,
      updatedAt: nowIso,
      ...(status === 'confirmed' ? { confirmedAt: nowIso } : {}),
    };
    let phoneItem;
    try {
      phoneItem = p.phoneItem(new Date(nowIso));
    } catch (error) {
      throw await ownStateFirst(error, ownState);
    }
    const refusal = await insertRegistration(registration, event.capacity, phoneItem, new Date(nowIso), p.addressCount(event));
    if (refusal === 'duplicate_phone') throw duplicateRegistration();
    if (refusal === 'address_limit') throw await ownStateFirst(addressLimitReached(), ownState);
    if (refusal === 'phone_uses_changed') {
      const next = await p.phoneItemRefused();
      if (next === AGAIN) return AGAIN;
      return { registration: next, waitlistPosition: await positionOf(next) };
    }
    if (refusal === undefined) {
      remember(seenAfter(event, registration));
      const waitlistPosition = status === 'waitlisted' ? (await countAhead(communityId, eventId, id)) + 1 : undefined;
      return { registration, waitlistPosition };
    }
    // The event is not as it was seen (seats taken, capacity moved, closed, seats freed for the
    // waitlist): look again. A copy that was not fresh is replaced at once; a fresh read that lost
    // a race waits a little first. Seats due to the waitlist are promoted before this party is
    // placed: it helps, rather than waits for, the request that freed them.
    if (fresh) await pause(round);
    read = await getEvent(communityId, eventId);
    if (read?.promotionDueAt) {
      // Not this request's effect: its writes must not carry the request's Idempotency-Key record.
      const due = read;
      await withoutRecord(() => completeDuePromotion(due));
      read = await getEvent(communityId, eventId);
    }
    fresh = true;
    if (read) remember(read);
    return AGAIN;
  }, { attempts: PLACEMENT_ATTEMPTS, detail: 'The event is very busy; please retry' });
}

/**
 * The code sent to a held sign-up's phone comes back: the sign-up is placed as it would have been
 * without verification (confirmed or waitlisted, from the event as it is now), and the held request
 * used up in the same transaction, so racing verifies place it once. If the phone already holds a
 * registration for the event (someone else signed up with this number), verifying takes it over:
 * that one is cancelled, its seats going to the waitlist. Again after it was placed: the
 * registration as it is.
 */
export async function verifyRegistration(communityId: string, eventId: string, id: string, manageToken: string, code: string): Promise<RegistrationResult> {
  const community = await requireCommunity(communityId);
  const asPlaced = async () => {
    if (!(await getRegistration(communityId, eventId, id))) return undefined;
    const registration = await requireOwnRegistration(communityId, eventId, id, manageToken);
    return { registration, waitlistPosition: await positionOf(registration), community };
  };
  const placed = await asPlaced();
  if (placed) return placed;
  try {
    const pending = await checkCode(await heldRequest(communityId, 'event', eventId, id, manageToken), code);
    const input = pending.input as unknown as RegistrationInput;
    const holder = await phoneHolder(keys.phoneMarker(communityId, eventId, phoneHash(input.phone)));
    if (holder && holder !== id) {
      const other = await getRegistration(communityId, eventId, holder);
      if (other && other.status !== 'cancelled') await cancelAndPromote(other, 'resident');
    }
    const result = await placeRegistration({
      community,
      eventId,
      input,
      id,
      manageTokenHash: pending.manageTokenHash,
      read: await getEvent(communityId, eventId),
      fresh: true,
      phoneItem: () => consumePending(pending),
      // Used up by a verify that raced this one: the registration it placed.
      phoneItemRefused: async () => (await getRegistration(communityId, eventId, id)) ?? AGAIN,
      addressCount: () => undefined,
    });
    return { ...result, community };
  } catch (error) {
    // A verify racing this one placed it first (the held request is gone, or its phone marker is ours now).
    const placedMeanwhile = await asPlaced();
    if (placedMeanwhile) return placedMeanwhile;
    throw error;
  }
}

/** The registration behind a manage token: 404 if there is none, 403 if the token is another's. */
async function requireOwnRegistration(communityId: string, eventId: string, registrationId: string, manageToken: string) {
  let registration = await getRegistration(communityId, eventId, registrationId);
  if (!registration) {
    // Still in the event's queue (its first answer was lost, say, and this is the replay): placed first.
    const arrival = await getArrival(communityId, eventId, registrationId);
    if (arrival && tokenMatchesHash(manageToken, arrival.registration.manageTokenHash)) {
      await awaitPlacement({ communityId, eventId, id: registrationId }, completeDuePromotion);
    }
    // Placed by now, or between the two reads above.
    if (!arrival || tokenMatchesHash(manageToken, arrival.registration.manageTokenHash)) registration = await getRegistration(communityId, eventId, registrationId);
  }
  if (!registration || registration.communityId !== communityId) throw new NotFoundError('No such registration');
  if (!tokenMatchesHash(manageToken, registration.manageTokenHash)) throw new ForbiddenError('This manage token is for another registration');
  return registration;
}

async function positionOf(registration: Registration): Promise<number | undefined> {
  if (registration.status !== 'waitlisted') return undefined;
  return (await countAhead(registration.communityId, registration.eventId, registration.id)) + 1;
}

/** A resident's own registration and, while waitlisted, its live position. */
export async function viewOwnRegistration(
  communityId: string,
  eventId: string,
  registrationId: string,
  manageToken: string,
): Promise<RegistrationResult & { event: CommunityEvent | undefined }> {
  const community = await requireCommunity(communityId);
  const held = await heldRequest(communityId, 'event', eventId, registrationId, manageToken);
  if (stillHeld(held) && !(await getRegistration(communityId, eventId, registrationId))) {
    return { registration: heldRegistration(held), community, event: await getEvent(communityId, eventId) };
  }
  let registration = await requireOwnRegistration(communityId, eventId, registrationId, manageToken);
  let event = await getEvent(communityId, eventId);
  // A waiting party looking at its place finishes a promotion left due, and sees the outcome.
  if (registration.status === 'waitlisted' && event?.promotionDueAt) {
    await completeDuePromotion(event);
    [registration, event] = await Promise.all([requireOwnRegistration(communityId, eventId, registrationId, manageToken), getEvent(communityId, eventId)]);
  }
  return { registration, waitlistPosition: await positionOf(registration), community, event };
}

/**
 * Cancels a registration (idempotent: cancelling a cancelled one returns it as it is) and, if it
 * held seats, promotes the waitlist into them. The cancellation marks the seats for the waitlist
 * in its own transaction, so a crash before the promotion leaves them to the waitlist still: the
 * next newcomer, the waiting party's own page, a retry of this request or housekeeping completes it.
 */
export async function cancelOwnRegistration(
  communityId: string,
  eventId: string,
  registrationId: string,
  manageToken: string,
): Promise<RegistrationResult> {
  const community = await requireCommunity(communityId);
  const held = await heldRequest(communityId, 'event', eventId, registrationId, manageToken);
  if (held && !(await getRegistration(communityId, eventId, registrationId))) {
    // Withdrawn before its code came back: nothing was placed, so nothing is freed.
    await dropPending(held);
    const nowIso = clock.nowIso();
    return { registration: { ...heldRegistration(held), status: 'cancelled', cancelledAt: nowIso, updatedAt: nowIso }, community };
  }
  // Promoted (or cancelled) between our read and write: read again and cancel what it is now.
  return retryOptimistic(async () => {
    const registration = await requireOwnRegistration(communityId, eventId, registrationId, manageToken);
    if (registration.status === 'cancelled') {
      // A retry of a cancellation that stopped before its promotion: finish it.
      await completeDuePromotion(await getEvent(communityId, eventId));
      return { registration, community };
    }
    return { registration: await cancelAndPromote(registration, 'resident'), community };
  }, { attempts: PLACEMENT_ATTEMPTS, staleOn: staleOn(StaleRegistrationError) });
}

/** Cancels a registration read a moment ago (stale: {@link StaleRegistrationError}) and gives its seats to the waitlist. */
async function cancelAndPromote(registration: Registration, by: 'resident' | 'organiser'): Promise<Registration> {
  const cancelled = await cancelRegistration(registration, by, clock.now());
  if (registration.status === 'confirmed') await promoteWaitlist(registration.communityId, registration.eventId);
  return cancelled;
}

/** Upper bound on rounds of "read, plan, promote": each round either promotes or ends. */
const PROMOTION_ROUNDS = 50;

/**
 * Fills free seats from the waitlist and then clears the event's promotion marker. Each round
 * reads the event and the queue, plans with the domain rule (the first party in queue order that
 * fits, again and again) and carries the plan out one transaction per party. When the plan is
 * empty, the marker is cleared on condition the event is still as planned on; only then may a
 * newcomer be confirmed in the seats left. Safe to run concurrently (two cancellations, a
 * newcomer helping, housekeeping): every promotion is conditioned on the seats and on the party
 * still waiting, so nobody is promoted twice and capacity is never passed; a step that loses a
 * race ends the round, and the next round plans again from what is now stored. Returns the
 * promoted registrations' ids.
 */
export async function promoteWaitlist(communityId: string, eventId: string): Promise<string[]> {
  const promoted: string[] = [];
  let community: Community | undefined;
  for (let round = 0; round < PROMOTION_ROUNDS; round += 1) {
    if (round > 0) await pause(Math.min(round, 5));
    const event = await getEvent(communityId, eventId);
    if (!event) break;
    const open = event.status === 'published' && clock.nowIso() < event.startsAt;
    // The queue as stored (a consistent read, not the index that may lag a write behind). Every
    // party waiting when the seats were freed is in it. One that joins while the marker is set
    // cannot fit (its own write is conditioned on not fitting, and confirmations wait for the
    // marker), so a plan that misses it is still right; and the marker is cleared only on
    // condition that seats, queue length and capacity are as read here.
    const queue = open && event.waitlistLength > 0 ? await listWaitlistAsStored(communityId, eventId) : [];
    const plan = promotionsFor(queue, seatsLeft(event));
    if (plan.length === 0) {
      if (!event.promotionDueAt || (await clearPromotionDue(event))) break;
      continue;
    }
    // Each household promoted hears at once that it has a place: the notice is in the promotion's transaction.
    community ??= await getCommunity(communityId);
    if (!community) break;
    for (const party of plan) {
      if (!(await promoteRegistration(communityId, eventId, party, event.capacity, clock.now(), promotedNotice(community, event, party.id)))) break;
      promoted.push(party.id);
    }
  }
  return promoted;
}

/** The notice a household moved up from the waitlist gets: they have a place. */
function promotedNotice(community: Community, event: CommunityEvent, registrationId: string): Notification {
  const text = messages.promoted(community.name, event.title, event.startsAt, community.timezone);
  return noticeOf(community, 'waitlist_promoted', event.id, { type: 'registration', id: registrationId }, text, clock.nowIso());
}

/** Completes a promotion left due (by a crash, a timeout) before acting on the event. */
async function completeDuePromotion(event: CommunityEvent | undefined): Promise<void> {
  if (event?.promotionDueAt) await promoteWaitlist(event.communityId, event.id);
}

/**
 * Housekeeping: every event whose freed seats were not promoted (the request that freed them
 * stopped between its two steps) is promoted now. Returns how many events it completed.
 */
export async function completeDuePromotions(now: Date, budget: JobBudget = UNBOUNDED): Promise<number> {
  let completed = 0;
  await drain(
    (startKey) => listDuePromotions(now, 50, startKey),
    async ({ communityId, eventId }) => {
      try {
        await promoteWaitlist(communityId, eventId);
        completed += 1;
      } catch (error) {
        // One event that cannot be promoted now must not stop the others; it stays due for the next run.
        logger.warn('promotion not completed', { communityId, eventId, errorName: error instanceof Error ? error.name : typeof error });
      }
    },
    budget,
  );
  return completed;
}

/** The organiser's roster, with live waitlist positions. */
export async function eventRoster(
  communityId: string,
  eventId: string,
  options: { status?: RegistrationStatus; limit: number; cursor?: string },
): Promise<RegistrationPage & { community: Community; positions: Map<string, number> }> {
  // Three independent reads, one round trip (a missing event costs an empty query).
  const [community, event, page] = await Promise.all([
    requireCommunity(communityId),
    getEvent(communityId, eventId),
    listRegistrations(communityId, eventId, options),
  ]);
  if (!event) throw new NotFoundError('No such event');
  const positions = new Map<string, number>();
  if (page.items.some((registration) => registration.status === 'waitlisted')) {
    (await listWaitlist(communityId, eventId)).forEach((party, index) => positions.set(party.id, index + 1));
  }
  return { ...page, community, positions };
}

/** Every registration of an event with live waitlist positions, for the CSV export. */
export async function allRegistrations(communityId: string, eventId: string) {
  const community = await requireCommunity(communityId);
  if (!(await getEvent(communityId, eventId))) throw new NotFoundError('No such event');
  const items: Registration[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRegistrations(communityId, eventId, { limit: 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const positions = new Map<string, number>();
  (await listWaitlist(communityId, eventId)).forEach((party, index) => positions.set(party.id, index + 1));
  return { items, positions, community };
}
