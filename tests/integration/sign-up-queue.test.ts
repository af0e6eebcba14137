import { monotonicFactory } from 'ulid';
import { hashToken, MANAGE_TOKEN_PREFIX, newOpaqueToken } from '../../functions/auth/opaque-token';
import * as clock from '../../functions/clock';
import { readPhoneUses, usePhone } from '../../functions/services/registrations';
import { getArrival, insertArrival, placeArrivals, waitingArrivals } from '../../functions/store/arrivals';
import { getEvent } from '../../functions/store/events';
import { placeInOrder, type Registration } from '../../functions/domain/registrations';
import { eventBody, startTestApi, wholeRoster, type TestApi } from '../support/test-api';

/**
 * The event's sign-up queue (services/admission.ts): a sign-up is stored as an arrival, then placed
 * with others in arrival order. Run plain and under DynamoDB's conflicts (jest.config.js).
 */
let api: TestApi;
let token: string;
const C = 'sign-up-queue';
let phoneSeq = 0;
const nextId = monotonicFactory();
const nextPhone = () => `+86133${String((phoneSeq += 1)).padStart(8, '0')}`;

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '排队报名' } });
});
afterAll(async () => {
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

async function newEvent(capacity: number): Promise<string> {
  return (await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity }) })).body.event.id as string;
}
const path = (eventId: string) => `/communities/${C}/events/${eventId}/registrations`;

const roster = (eventId: string) => wholeRoster(api, token, path(eventId));

/**
 * A sign-up whose request stopped after its arrival was stored and before it was placed (a crash,
 * a timeout): its arrival, written as the request would have written it, `minutesAgo` back.
 */
async function arrivalLeftBehind(eventId: string, minutesAgo: number) {
  const manageToken = newOpaqueToken(MANAGE_TOKEN_PREFIX);
  const arrivedMs = clock.nowMs() - minutesAgo * 60_000;
  const at = new Date(arrivedMs).toISOString();
  const phone = nextPhone();
  const id = nextId(clock.nowMs()); // as the API stamps a sign-up that reaches it now
  const refusal = await insertArrival(
    { id, communityId: C, eventId, name: '留下的', phone, partySize: 1, manageTokenHash: hashToken(manageToken), createdAt: at, updatedAt: at },
    usePhone(await readPhoneUses(phone), clock.now()),
  );
  expect(refusal).toBeUndefined();
  return { id, manageToken, phone };
}

describe('seats and the waitlist in arrival order', () => {
  it('gives the seats to the first to arrive and queues the rest as they came, however many send at once', async () => {
    const eventId = await newEvent(7);
    const SIGN_UPS = 120;
    // One every 6 ms, as a WeChat group's taps arrive; each notes when it was really sent (this
    // process's loop, shared with the server, may send several late and at once).
    const sentAt: number[] = [];
    const responses = await Promise.all(
      Array.from({ length: SIGN_UPS }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 6));
        sentAt[i] = performance.now();
        // As the residents' form does: a 503 (a starved machine) is sent again with its key.
        const options = { body: { name: `居民${i}`, phone: nextPhone() }, headers: { 'idempotency-key': `queue-${eventId}-${i}` } };
        for (let attempt = 0; ; attempt += 1) {
          const response = await api.call('POST', path(eventId), options);
          if (response.status !== 503 || attempt >= 5) return response;
          await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 300));
        }
      }),
    );
    expect(responses.map((response) => response.status).filter((status) => status !== 201)).toEqual([]);
    const sender = (name: string) => Number(name.replace('居民', ''));
    const all = await roster(eventId);
    const confirmed = all.filter((r) => r.status === 'confirmed').map((r) => sender(r.name));
    const waiting = all.filter((r) => r.status === 'waitlisted').sort((a, b) => a.waitlistPosition! - b.waitlistPosition!);
    expect(confirmed).toHaveLength(7);
    expect(waiting).toHaveLength(SIGN_UPS - 7);
    // Arrival is when the API received the sign-up (its id: a ULID of requestContext.timeEpoch).
    // The seats go to the first seven arrivals, but for a sign-up that arrived a moment earlier
    // whose arrival was still being written when the seats were placed (at most three such here);
    // the direct path gives them to whichever transactions commit first, and fails this.
    const byArrival = [...all].sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => r.id);
    const confirmedIds = all.filter((r) => r.status === 'confirmed').map((r) => r.id);
    expect(confirmedIds.filter((id) => byArrival.indexOf(id) >= 10)).toEqual([]);
    // How that compares with the order the client sent them in (not asserted: on a busy machine
    // the client, its sockets and the server share one loop on two cores, so the server reads
    // and stamps requests sent close together in no fixed order; bench 7b measures it at scale).
    const order = waiting.map((r) => sender(r.name));
    let inversions = 0;
    for (let i = 0; i < order.length; i += 1) for (let j = i + 1; j < order.length; j += 1) if (sentAt[order[i]!]! > sentAt[order[j]!]!) inversions += 1;
    const pairs = (order.length * (order.length - 1)) / 2;
    process.stdout.write(`queue order: confirmed senders ${confirmed.sort((a, b) => a - b).join(',')}; ${inversions} of ${pairs} waiting pairs out of send order\n`);
    // Each answer said what the roster says. A position may since have grown: a sign-up that
    // reached the server a moment before this one, whose arrival was still being written when this
    // one was placed, queues ahead of it (by when it arrived).
    let moved = 0;
    for (const response of responses) {
      const stored = all.find((r) => r.id === response.body.registration.id)!;
      expect(response.body.registration.status).toBe(stored.status);
      if (stored.status !== 'waitlisted') continue;
      expect(response.body.registration.waitlistPosition).toBeLessThanOrEqual(stored.waitlistPosition!);
      if (response.body.registration.waitlistPosition !== stored.waitlistPosition) moved += 1;
    }
    expect(moved).toBeLessThan(waiting.length / 10);
    const event = (await api.call('GET', `/communities/${C}/events/${eventId}`)).body;
    expect(event.seatsLeft).toBe(0);
    expect(event.waitlistLength).toBe(SIGN_UPS - 7);
  }, 120_000);
});

describe('a sign-up whose request stopped after it arrived', () => {
  it('is placed first by the next sign-up, in arrival order: the earlier arrival takes the last seat', async () => {
    const eventId = await newEvent(1);
    const left = await arrivalLeftBehind(eventId, 0.1);
    const newcomer = await api.call('POST', path(eventId), { body: { name: '新来的', phone: nextPhone() } });
    expect(newcomer.status).toBe(201);
    expect(newcomer.body.registration).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const view = await api.call('GET', `${path(eventId)}/${left.id}`, { headers: { 'x-manage-token': left.manageToken } });
    expect(view.body.registration.status).toBe('confirmed');
    expect(await getArrival(C, eventId, left.id)).toBeUndefined();
  });

  it('is placed by its own retry: the resident’s page (or a replay) waits for it and shows the place', async () => {
    const eventId = await newEvent(3);
    const left = await arrivalLeftBehind(eventId, 0.1);
    const view = await api.call('GET', `${path(eventId)}/${left.id}`, { headers: { 'x-manage-token': left.manageToken } });
    expect(view.status).toBe(200);
    expect(view.body.registration).toMatchObject({ id: left.id, status: 'confirmed' });
    // Another's token does not place it, nor see it.
    const other = await arrivalLeftBehind(eventId, 0.1);
    const wrong = await api.call('GET', `${path(eventId)}/${other.id}`, { headers: { 'x-manage-token': left.manageToken } });
    expect(wrong.status).toBe(404);
  });

  it('is placed by housekeeping a minute on, if nobody came', async () => {
    const eventId = await newEvent(2);
    const left = [await arrivalLeftBehind(eventId, 3), await arrivalLeftBehind(eventId, 2), await arrivalLeftBehind(eventId, 2)];
    const run = await api.call('POST', '/_local/jobs/housekeeping');
    expect(run.status).toBe(200);
    const statuses = Object.fromEntries((await roster(eventId)).map((r) => [r.id, r.status]));
    expect(left.map((arrival) => statuses[arrival.id])).toEqual(['confirmed', 'confirmed', 'waitlisted']);
    const event = (await api.call('GET', `/communities/${C}/events/${eventId}`)).body;
    expect(event).toMatchObject({ seatsLeft: 0, waitlistLength: 1 });
  });

  it('is placed as cancelled if the event was cancelled meanwhile: its phone may sign up again, no seat is counted', async () => {
    const eventId = await newEvent(5);
    const left = await arrivalLeftBehind(eventId, 2);
    expect((await api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { status: 'cancelled' } })).status).toBe(200);
    expect((await api.call('POST', '/_local/jobs/housekeeping')).status).toBe(200);
    const view = await api.call('GET', `${path(eventId)}/${left.id}`, { headers: { 'x-manage-token': left.manageToken } });
    expect(view.body.registration.status).toBe('cancelled');
    const event = (await api.call('GET', `/communities/${C}/events/${eventId}`)).body;
    expect(event.waitlistLength).toBe(0);
    expect(event.seatsLeft).toBe(5);
  });
});

describe('two placers at once (a lease that lapsed mid-batch)', () => {
  it('place each arrival once: the second, planned on the same counters, is refused whole', async () => {
    const eventId = await newEvent(2);
    const left = [await arrivalLeftBehind(eventId, 0.1), await arrivalLeftBehind(eventId, 0.1), await arrivalLeftBehind(eventId, 0.1)];
    const event = (await getEvent(C, eventId))!;
    const arrivals = await waitingArrivals(C, eventId, 24);
    const plan = () => {
      const { statuses, tally } = placeInOrder({ ...event, waitlistPeople: event.waitlistPeople ?? 0 }, arrivals.map((arrival) => arrival.registration));
      const registrations = arrivals.map(({ registration }, i): Registration => ({ ...registration, status: statuses[i]! }));
      return { tally, registrations };
    };
    const [first, second] = [plan(), plan()];
    const outcomes = await Promise.all([placeArrivals(event, first.tally, first.registrations), placeArrivals(event, second.tally, second.registrations)]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const statuses = Object.fromEntries((await roster(eventId)).map((r) => [r.id, r.status]));
    expect(left.map((arrival) => statuses[arrival.id])).toEqual(['confirmed', 'confirmed', 'waitlisted']);
    const after = (await api.call('GET', `/communities/${C}/events/${eventId}`)).body;
    expect(after).toMatchObject({ seatsLeft: 0, waitlistLength: 1 });
  });
});
