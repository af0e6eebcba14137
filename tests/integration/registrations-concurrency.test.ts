import { eventBody, startTestApi, wholeRoster, type ApiResponse, type TestApi } from '../support/test-api';

/**
 * API.md's invariants under simultaneous requests, against DynamoDB Local through the HTTP server.
 * The per-address limit is off here: every request comes from 127.0.0.1.
 */
let api: TestApi;
let token: string;
const C = 'burst';

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '幸福邻里' } });
});
afterAll(async () => {
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

const phone = (i: number) => `+86137${String(i).padStart(8, '0')}`;
const registrationsPath = (eventId: string) => `/communities/${C}/events/${eventId}/registrations`;

const roster = (eventId: string) => wholeRoster(api, token, registrationsPath(eventId));

describe('a burst of sign-ups', () => {
  // Under DynamoDB's conflicts (the contended project, jest.config.js) such a rush answers some
  // sign-ups 503 first, as the contract allows; tests/integration/aws-contention.test.ts runs it
  // there with the form's retries and holds it to the same invariants. Here, with no conflicts,
  // nobody may be told 503.
  (process.env.DYNAMODB_CONTENTION === 'aws' ? it.skip : it)('confirms exactly the seats left, waitlists the rest in order, and stores every 201', async () => {
    const created = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity: 10 }) });
    const eventId = created.body.event.id;
    for (let i = 0; i < 3; i += 1) {
      expect((await api.call('POST', registrationsPath(eventId), { body: { name: `早到${i}`, phone: phone(900 + i) } })).status).toBe(201);
    }

    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => api.call('POST', registrationsPath(eventId), { body: { name: `居民${i}`, phone: phone(i) } })),
    );

    expect(responses.filter((response) => response.status >= 500)).toEqual([]);
    expect(responses.every((response) => response.status === 201)).toBe(true);
    const statuses = responses.map((response) => response.body.registration.status);
    expect(statuses.filter((status) => status === 'confirmed')).toHaveLength(7);
    expect(statuses.filter((status) => status === 'waitlisted')).toHaveLength(293);

    const stored = await roster(eventId);
    expect(stored).toHaveLength(303);
    const storedIds = new Set(stored.map((entry) => entry.id));
    for (const response of responses) expect(storedIds.has(response.body.registration.id)).toBe(true);

    // The waitlist is in queue order: positions 1..293, following arrival order (the ULID ids).
    const waitlisted = stored.filter((entry) => entry.status === 'waitlisted');
    expect(waitlisted.map((entry) => entry.waitlistPosition)).toEqual(Array.from({ length: 293 }, (_, i) => i + 1));
    expect(waitlisted.map((entry) => entry.id)).toEqual([...waitlisted.map((entry) => entry.id)].sort());

    const event = await api.call('GET', `/communities/${C}/events/${eventId}`);
    expect(event.body).toMatchObject({ capacity: 10, seatsLeft: 0, waitlistLength: 293 });
  });

  it('lets the same phone win only once when it registers many times at once', async () => {
    const created = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity: 50 }) });
    const eventId = created.body.event.id;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => api.call('POST', registrationsPath(eventId), { body: { name: '同一人', phone: phone(5000) } })),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 409).every((response) => response.body.code === 'duplicate_registration')).toBe(true);
    expect(responses.some((response) => response.status >= 500)).toBe(false);
    expect(await roster(eventId)).toHaveLength(1);
  });
});

describe('one phone on many events at once', () => {
  it('is let through ten times in the hour, however many sign-ups race', async () => {
    const events = await Promise.all(
      Array.from({ length: 12 }, async () => (await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity: 5 }) })).body.event.id as string),
    );
    const responses = await Promise.all(events.map((eventId) => api.call('POST', registrationsPath(eventId), { body: { name: '同一部手机', phone: phone(5555) } })));
    expect(responses.filter((response) => response.status === 201)).toHaveLength(10);
    const refused = responses.filter((response) => response.status !== 201);
    expect(refused.map((response) => response.body.code)).toEqual(['rate_limited', 'rate_limited']);
    // What is stored agrees: ten registrations of that phone across the twelve events.
    const stored = (await Promise.all(events.map((eventId) => roster(eventId)))).flat();
    expect(stored).toHaveLength(10);
  });
});

describe('racing cancellations and capacity changes', () => {
  it('promotes each freed seat once, in queue order, and never passes capacity', async () => {
    const created = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ capacity: 6 }) });
    const eventId = created.body.event.id;
    const confirmed: ApiResponse[] = [];
    for (let i = 0; i < 6; i += 1) confirmed.push(await api.call('POST', registrationsPath(eventId), { body: { name: `甲${i}`, phone: phone(6000 + i) } }));
    const waiting: ApiResponse[] = [];
    for (let i = 0; i < 12; i += 1) waiting.push(await api.call('POST', registrationsPath(eventId), { body: { name: `乙${i}`, phone: phone(7000 + i) } }));

    const results = await Promise.all([
      ...confirmed.slice(0, 4).map((registration) =>
        api.call('DELETE', `${registrationsPath(eventId)}/${registration.body.registration.id}`, {
          headers: { 'x-manage-token': registration.body.manageToken },
        }),
      ),
      api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { capacity: 8 } }),
    ]);
    expect(results.every((response) => response.status === 200)).toBe(true);

    const stored = await roster(eventId);
    const seats = stored.filter((entry) => entry.status === 'confirmed').reduce((sum, entry) => sum + entry.partySize, 0);
    expect(seats).toBe(8);
    const promotedIds = stored.filter((entry) => entry.status === 'confirmed' && entry.id > confirmed[5]!.body.registration.id).map((entry) => entry.id);
    // Four cancellations and two more seats: the first six in the queue, nobody else.
    expect(promotedIds).toEqual(waiting.slice(0, 6).map((registration) => registration.body.registration.id));
    const event = await api.call('GET', `/communities/${C}/events/${eventId}`);
    expect(event.body).toMatchObject({ capacity: 8, seatsLeft: 0, waitlistLength: 6 });
  });
});

// In the contended project the races above met DynamoDB's conflicts, not DynamoDB Local's calm.
if (process.env.DYNAMODB_CONTENTION === 'aws') {
  it('ran its races under DynamoDB’s conflicts: the layer cancelled or refused writes in flight', () => {
    const stats = api.runtime.contention!;
    expect(stats.cancelled + stats.refused).toBeGreaterThan(0);
  });
}
