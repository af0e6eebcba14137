import { randomUUID } from 'node:crypto';
import * as clock from '../clock';
import { UnavailableError } from '../domain/errors';
import type { CommunityEvent } from '../domain/events';
import { placeInOrder, type Registration } from '../domain/registrations';
import { lookAtPlacement, placeArrivals, releasePlacer, takePlacer, waitingArrivals } from '../store/arrivals';
import { getEvent } from '../store/events';
import { withoutRecord } from '../store/request-record';

/**
 * A festival's sign-ups in arrival order, at the rate a WeChat group sends them (issue 14).
 *
 * Every confirmed or waitlisted party changes the event's counters, and on DynamoDB a transaction
 * on an item another transaction is writing is cancelled: one transaction per sign-up makes a rush
 * queue on that one item, retried in random order (bench 7b, the "direct" path). Here the two are
 * split, the way flat combining does it:
 *
 *  1. **Arrival.** The sign-up is stored as an arrival (store/arrivals.ts) in a transaction with
 *     only its own items (phone marker, the phone's hourly log, the address count, the request's
 *     `Idempotency-Key` record): nothing a rush shares, so nothing to conflict on. Its id, a ULID
 *     of when API Gateway received the request, is its place in the queue.
 *  2. **Placement.** One request at a time per event (the *placer*, a lease item) reads the
 *     oldest arrivals and places up to {@link BATCH} of them in one transaction with the counters:
 *     each confirmed if it fits in the seats left after those before it, otherwise waitlisted
 *     (domain `placeInOrder`). The others look until theirs is placed, and take over as placer if
 *     nobody is one. So the counters take one write per batch instead of one per sign-up, and the
 *     order of seats and waitlist is the order of arrival.
 *
 * Nothing depends on the lease for correctness: every placement is conditioned on the counters as
 * read and on its arrivals still waiting, so two placers can never place one arrival twice or pass
 * the capacity. An arrival left by a crash is placed by the next sign-up, its own request's retry,
 * or housekeeping a minute on.
 */

/** Arrivals placed per transaction: 1 + 2 × 24 = 49 items (DynamoDB takes 100). */
const BATCH = 24;
/** How long a placer's turn lasts without renewal (a crashed placer holds the others up this long at most). */
const PLACER_TERM_MS = 3_000;
/** How long one request places others' arrivals before it answers its own resident. */
const SERVE_MS = 2_000;
/** Looks at whether a sign-up is placed: the first soon, then further apart, with jitter. */
const FIRST_LOOK_MS = 50;
const LONGEST_LOOK_MS = 400;
/** A sign-up not placed after this long is answered 503 (its arrival stays, and will be placed). */
const WAIT_LIMIT_MS = 20_000;

/** Placing a batch needs no promotion due; this completes one (services/registrations.ts). */
export type CompletePromotion = (event: CommunityEvent) => Promise<void>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request's turn as the event's placer (the lease it holds). */
export interface Turn {
  readonly holder: string;
  readonly startedMs: number;
}

/**
 * Takes the event's placer lease if nobody holds it. Never carries the request's Idempotency-Key
 * record (a sign-up may ask for its turn while its arrival is still being written).
 */
export function takeTurn(communityId: string, eventId: string): Promise<Turn | undefined> {
  const holder = randomUUID();
  const startedMs = clock.nowMs();
  return withoutRecord(() => takePlacer(communityId, eventId, holder, startedMs, startedMs + PLACER_TERM_MS)).then(
    (taken) => (taken ? { holder, startedMs } : undefined),
    // Not taken (throttled, past the deadline): another request places, or this one looks again.
    () => undefined,
  );
}

/** Gives a turn back (if it was taken); not given back, it lapses. */
export async function giveBack(communityId: string, eventId: string, turn: Turn | undefined): Promise<void> {
  if (turn) await withoutRecord(() => releasePlacer(communityId, eventId, turn.holder)).catch(() => undefined);
}

/**
 * Waits until the sign-up `registration` (stored as an arrival) is placed, placing the event's
 * arrivals itself whenever nobody else is. `firstTurn`: the placer's turn this request asked for
 * while its arrival was being written (one round trip fewer for the only sign-up of a quiet
 * event). Returns the registration as placed when this request placed it (no need to read it
 * back), otherwise undefined.
 */
export async function awaitPlacement(
  registration: { communityId: string; eventId: string; id: string },
  completePromotion: CompletePromotion,
  firstTurn?: Promise<Turn | undefined>,
): Promise<Registration | undefined> {
  const { communityId, eventId } = registration;
  const started = clock.nowMs();
  let placerUntil: number | undefined;
  for (let look = 0; ; look += 1) {
    // The first look is a try at placing; later ones try whenever nobody is placing.
    const turn =
      look === 0 && firstTurn ? await firstTurn : placerUntil === undefined || placerUntil < clock.nowMs() ? await takeTurn(communityId, eventId) : undefined;
    if (turn) {
      const own = (await placeWaitingArrivals(communityId, eventId, completePromotion, turn)).find((placed) => placed.id === registration.id);
      if (own) return own;
    }
    const seen = await lookAtPlacement(registration);
    if (seen.placed) return undefined;
    placerUntil = seen.placerUntil;
    if (clock.nowMs() - started > WAIT_LIMIT_MS) throw new UnavailableError(undefined, 1);
    const gap = Math.min(LONGEST_LOOK_MS, FIRST_LOOK_MS * 1.5 ** look);
    await sleep(gap / 2 + Math.random() * gap);
  }
}

/**
 * Places the event's waiting arrivals, oldest first, a batch per transaction, in `turn` (or in a
 * turn of its own, if it can take one); for at most {@link SERVE_MS}. Housekeeping calls it for
 * arrivals left behind. Gives the turn back, and returns the registrations it placed.
 */
export async function placeWaitingArrivals(communityId: string, eventId: string, completePromotion: CompletePromotion, turn?: Turn): Promise<Registration[]> {
  const mine = turn ?? (await takeTurn(communityId, eventId));
  if (!mine) return [];
  const { holder, startedMs: started } = mine;
  let termEnds = started + PLACER_TERM_MS;
  const placed: Registration[] = [];
  try {
    // The placements are nobody's request: they never carry the placer's own Idempotency-Key record.
    await withoutRecord(async () => {
      // The event and the oldest arrivals, read side by side; after a batch the event is as written.
      let [event, arrivals] = await Promise.all([getEvent(communityId, eventId), waitingArrivals(communityId, eventId, BATCH)]);
      while (event && clock.nowMs() - started < SERVE_MS) {
        if (event.promotionDueAt) {
          // Freed seats go to the waitlist before any newcomer.
          await completePromotion(event);
          [event, arrivals] = await Promise.all([getEvent(communityId, eventId), waitingArrivals(communityId, eventId, BATCH)]);
          continue;
        }
        if (arrivals.length === 0) break;
        const { statuses, tally } = placeInOrder({ ...event, waitlistPeople: event.waitlistPeople ?? 0 }, arrivals.map((arrival) => arrival.registration));
        const nowIso = clock.nowIso();
        const registrations = arrivals.map(({ registration }, i): Registration => {
          const status = statuses[i]!;
          return {
            ...registration,
            status,
            updatedAt: nowIso,
            ...(status === 'confirmed' ? { confirmedAt: nowIso } : {}),
            ...(status === 'cancelled' ? { cancelledAt: nowIso, cancelledBy: 'organiser' as const } : {}),
          };
        });
        if (await placeArrivals(event, tally, registrations)) {
          placed.push(...registrations);
          event = { ...event, ...tally };
          // A short batch emptied the queue as it was read: later arrivals' own requests place them.
          if (registrations.length < BATCH) break;
          // Another term once half of this one is spent; if it lapsed and another request took
          // over, that one goes on instead.
          const now = clock.nowMs();
          if (now > termEnds - PLACER_TERM_MS / 2) {
            if (!(await takePlacer(communityId, eventId, holder, now, now + PLACER_TERM_MS))) break;
            termEnds = now + PLACER_TERM_MS;
          }
          arrivals = await waitingArrivals(communityId, eventId, BATCH);
        } else {
          // The event changed (a cancellation, an organiser's edit) or another placer was quicker.
          [event, arrivals] = await Promise.all([getEvent(communityId, eventId), waitingArrivals(communityId, eventId, BATCH)]);
        }
      }
    });
  } finally {
    await giveBack(communityId, eventId, mine);
  }
  return placed;
}
