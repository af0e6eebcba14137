import fc from 'fast-check';
import { getRegistration, cancelRegistration } from '../../functions/store/registrations';
import * as clock from '../../functions/clock';
import { forgetSeenEvents } from '../../functions/services/registrations';
import { applyEventPatch } from '../../functions/domain/events';
import { getEvent, replaceEvent } from '../../functions/store/events';
import { eventBody, startTestApi, wholeRoster, type TestApi } from '../support/test-api';

/**
 * API.md: "A seat freed by a cancellation or a capacity raise goes to the first waiting party that
 * fits, never to a newcomer, even when the two race or the database fails between them."
 */
let api: TestApi;
let token: string;
const C = 'waitlist-first';
let phoneSeq = 0;
const nextPhone = () => `+86134${String((phoneSeq += 1)).padStart(8, '0')}`;

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '候补优先' } });
});
afterAll(async () => {
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

interface Placed { id: string; manageToken: string; status: string; partySize: number }

async function newEvent(capacity: number): Promise<string> {
  const created = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity, maxPartySize: 4 }) });
  return created.body.event.id as string;
}

const path = (eventId: string) => `/communities/${C}/events/${eventId}/registrations`;

async function register(eventId: string, partySize: number): Promise<Placed> {
  const response = await api.call('POST', path(eventId), { body: { name: '邻居', phone: nextPhone(), partySize } });
  if (response.status !== 201) throw new Error(`${response.status} ${response.text}`);
  return { id: response.body.registration.id, manageToken: response.body.manageToken, status: response.body.registration.status, partySize };
}

async function statusOf(eventId: string, placed: Placed): Promise<string> {
  const response = await api.call('GET', `${path(eventId)}/${placed.id}`, { headers: { 'x-manage-token': placed.manageToken } });
  return response.body.registration.status as string;
}

const roster = (eventId: string) => wholeRoster(api, token, path(eventId));

/** What a crash right after the cancellation's own transaction leaves: the seats freed, nobody promoted. */
async function cancelThenCrash(eventId: string, placed: Placed): Promise<void> {
  const registration = await getRegistration(C, eventId, placed.id);
  await cancelRegistration(registration!, 'resident', clock.now());
}

describe('a cancellation racing newcomers', () => {
  it.each(Array.from({ length: 8 }, (_, i) => [i + 1]))('race %i: the waiting party gets the seat, every newcomer waits', async () => {
    const eventId = await newEvent(1);
    const holder = await register(eventId, 1);
    const waiting = await register(eventId, 1);
    expect([holder.status, waiting.status]).toEqual(['confirmed', 'waitlisted']);
    // Newcomers on instances that have not seen the event: each reads it as it is stored.
    forgetSeenEvents();
    const [cancelled, ...newcomers] = await Promise.all([
      api.call('DELETE', `${path(eventId)}/${holder.id}`, { headers: { 'x-manage-token': holder.manageToken } }),
      ...Array.from({ length: 5 }, () => register(eventId, 1)),
    ]);
    expect(cancelled.status).toBe(200);
    expect(await statusOf(eventId, waiting)).toBe('confirmed');
    for (const newcomer of newcomers as Placed[]) expect(await statusOf(eventId, newcomer)).toBe('waitlisted');
  });
});

describe('a crash between the cancellation and the promotion', () => {
  async function crashed() {
    const eventId = await newEvent(4);
    const confirmed = [await register(eventId, 1), await register(eventId, 1), await register(eventId, 1), await register(eventId, 1)];
    const waiting = [await register(eventId, 2), await register(eventId, 1), await register(eventId, 3)];
    await cancelThenCrash(eventId, confirmed[0]!);
    await cancelThenCrash(eventId, confirmed[1]!);
    forgetSeenEvents();
    return { eventId, confirmed, waiting };
  }

  it('the next newcomer cannot take the freed seats: the waiting party that fits is promoted first', async () => {
    const { eventId, waiting } = await crashed();
    const newcomer = await register(eventId, 1);
    expect(newcomer.status).toBe('waitlisted');
    expect(await Promise.all(waiting.map((party) => statusOf(eventId, party)))).toEqual(['confirmed', 'waitlisted', 'waitlisted']);
  });

  it('housekeeping fills every seat a waiting party fits', async () => {
    const { eventId } = await crashed();
    expect((await api.call('POST', '/_local/jobs/housekeeping')).status).toBe(200);
    const after = await roster(eventId);
    const seats = after.filter((r) => r.status === 'confirmed').reduce((sum, r) => sum + r.partySize, 0);
    expect(seats).toBe(4); // two freed, the party of 2 promoted
  });

  it('retrying the cancellation completes the promotion', async () => {
    const { eventId, confirmed, waiting } = await crashed();
    const retried = await api.call('DELETE', `${path(eventId)}/${confirmed[0]!.id}`, { headers: { 'x-manage-token': confirmed[0]!.manageToken } });
    expect(retried.status).toBe(200);
    expect(await statusOf(eventId, waiting[0]!)).toBe('confirmed');
  });

  it('a keyed newcomer refused while a promotion is due stored nothing under its key: once the phone is free, the retry signs up', async () => {
    const { eventId, confirmed } = await crashed();
    // The newcomer's phone already holds a place: it hears duplicate_registration (a 409 writes nothing).
    const holderPhone = (await api.call('GET', `${path(eventId)}/${confirmed[2]!.id}`, { headers: { 'x-manage-token': confirmed[2]!.manageToken } })).body;
    expect(holderPhone.registration.status).toBe('confirmed');
    const roster = await api.call('GET', `${path(eventId)}?limit=100`, { token });
    const phone = roster.body.items.find((r: { id: string }) => r.id === confirmed[2]!.id).phone as string;
    const headers = { 'idempotency-key': 'helper-then-refused' };
    const first = await api.call('POST', path(eventId), { body: { name: '邻居', phone, partySize: 1 }, headers });
    expect(first.body.code).toBe('duplicate_registration');
    // Its key holds no record, so after the phone's place is given up the same request (same
    // key) is simply run again.
    const freed = await api.call('DELETE', `${path(eventId)}/${confirmed[2]!.id}`, { headers: { 'x-manage-token': confirmed[2]!.manageToken } });
    expect(freed.status).toBe(200);
    const again = await api.call('POST', path(eventId), { body: { name: '邻居', phone, partySize: 1 }, headers });
    expect(again.status).toBe(201);
  });

  it('retrying a capacity raise whose write was stored (its caller heard 503) completes the promotion', async () => {
    const eventId = await newEvent(1);
    await register(eventId, 1);
    const waiting = await register(eventId, 1);
    expect(waiting.status).toBe('waitlisted');
    // The raise's own write, stored, and then the crash: one more seat, marked due, nobody promoted.
    const before = (await getEvent(C, eventId))!;
    await replaceEvent(before, applyEventPatch(before, { capacity: 2 }, clock.now()));
    expect((await getEvent(C, eventId))!).toMatchObject({ capacity: 2, confirmedSeats: 1, promotionDueAt: expect.any(String) });
    // The organiser's retry finds the capacity already 2: the seat still goes to the waiting party.
    const retried = await api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { capacity: 2 } });
    expect(retried.status).toBe(200);
    expect(retried.body.event).toMatchObject({ capacity: 2, seatsLeft: 0, waitlistLength: 0 });
    expect(await statusOf(eventId, waiting)).toBe('confirmed');
    // …and hears so: the notice is written in the promotion's own transaction.
    const notices = await api.call('GET', `/communities/${C}/notifications?limit=100`, { token });
    expect(notices.body.items.filter((notice: { kind: string; targetId: string }) => notice.kind === 'waitlist_promoted' && notice.targetId === eventId)).toHaveLength(1);
  });

  it('the waiting party looking at its page gets the seat', async () => {
    const { eventId, waiting } = await crashed();
    expect(await statusOf(eventId, waiting[0]!)).toBe('confirmed');
  });
});

/**
 * The model: after any interleaving of sign-ups, cancellations and capacity raises sent at once,
 * once everything has answered, capacity holds, the counters agree with the registrations, no
 * waiting party fits in the seats left, and no party that waited before the batch was passed over
 * for a newcomer of the batch it would have fitted in place of.
 */
type Step = { kind: 'register'; partySize: number } | { kind: 'cancel'; pick: number } | { kind: 'raise'; by: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('register' as const), partySize: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raise' as const), by: fc.integer({ min: 1, max: 3 }) }) },
);

it('no waiting party fits in the seats left after any batch of concurrent requests', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }), async (capacity, batches) => {
      const eventId = await newEvent(capacity);
      let current = capacity;
      const placed: Placed[] = [];
      let waitingBefore: { id: string; partySize: number }[] = [];
      for (const batch of batches) {
        const active = placed.filter((p) => p.status !== 'cancelled');
        const before = new Set(placed.map((p) => p.id));
        const picked = new Set<string>();
        await Promise.all(
          batch.map(async (s) => {
            if (s.kind === 'register') placed.push(await register(eventId, s.partySize));
            else if (s.kind === 'cancel') {
              const target = active[s.pick % Math.max(1, active.length)];
              if (!target || picked.has(target.id)) return;
              picked.add(target.id);
              const response = await api.call('DELETE', `${path(eventId)}/${target.id}`, { headers: { 'x-manage-token': target.manageToken } });
              expect(response.status).toBe(200);
              target.status = 'cancelled';
            } else {
              current += s.by;
              const response = await api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { capacity: current } });
              // Two raises at once may land out of order: the smaller one, second, can be below the seats the larger one filled.
              expect([200, 409]).toContain(response.status);
            }
          }),
        );
        const [rows, event] = await Promise.all([roster(eventId), api.call('GET', `/communities/${C}/events/${eventId}`)]);
        const seats = rows.filter((r) => r.status === 'confirmed').reduce((sum, r) => sum + r.partySize, 0);
        const waitingSizes = rows.filter((r) => r.status === 'waitlisted').map((r) => r.partySize);
        const capacityNow = event.body.capacity as number;
        expect(seats).toBeLessThanOrEqual(capacityNow);
        expect(capacityNow - event.body.seatsLeft).toBe(seats);
        expect(event.body.waitlistLength).toBe(waitingSizes.length);
        expect(event.body.waitlistPeople).toBe(waitingSizes.reduce((sum, size) => sum + size, 0));
        expect(waitingSizes.filter((size) => size <= capacityNow - seats)).toEqual([]);
        // Nobody jumped the queue: a party that waited before the batch and waits still was never
        // passed over for a newcomer of the batch at least its size (that newcomer's seats would
        // have fitted it first, directly or by promotion).
        const stillWaiting = waitingBefore.filter((w) => rows.some((r) => r.id === w.id && r.status === 'waitlisted'));
        const newcomersConfirmed = rows.filter((r) => !before.has(r.id) && r.status === 'confirmed');
        expect(stillWaiting.flatMap((w) => newcomersConfirmed.filter((n) => n.partySize >= w.partySize).map((n) => ({ waiting: w, confirmed: n })))).toEqual([]);
        waitingBefore = rows.filter((r) => r.status === 'waitlisted').map((r) => ({ id: r.id, partySize: r.partySize }));
      }
    }),
    { numRuns: 12 },
  );
}, 120_000);
