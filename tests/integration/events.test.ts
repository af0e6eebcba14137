import { eventBody, startTestApi, type TestApi } from '../support/test-api';
import * as clock from '../../functions/clock';
import { applyEventPatch } from '../../functions/domain/events';
import { getEvent, replaceEvent } from '../../functions/store/events';

let api: TestApi;
let token: string;
const C = 'events-c';

beforeAll(async () => {
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '幸福邻里' } });
});
afterAll(() => api.stop());

async function createEvent(overrides: Record<string, unknown> = {}, daysAhead = 10) {
  const response = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody(overrides, daysAhead) });
  expect(response.status).toBe(201);
  return response.body.event;
}

/** Confirmed seats, taken the way residents take them: through the registration route. */
async function confirmSeats(eventId: string, seats: number) {
  for (let taken = 0; taken < seats; taken += 1) {
    const response = await api.call('POST', `/communities/${C}/events/${eventId}/registrations`, {
      body: { name: `居民${taken}`, phone: `+86135${String(clock.nowMs() % 1e6).padStart(6, '0')}${String(taken).padStart(2, '0')}` },
    });
    expect(response.body.registration.status).toBe('confirmed');
  }
}

describe('creating events', () => {
  it('creates a published event with its defaults and shows times in the community time zone', async () => {
    const response = await api.call('POST', `/communities/${C}/events`, {
      token,
      body: eventBody({ startsAt: '2027-01-10T01:00:00Z', endsAt: '2027-01-10T04:00:00Z', capacity: 40 }),
    });
    expect(response.status).toBe(201);
    expect(response.body.event).toMatchObject({
      startsAt: '2027-01-10T09:00:00+08:00',
      endsAt: '2027-01-10T12:00:00+08:00',
      capacity: 40,
      seatsLeft: 40,
      waitlistLength: 0,
      maxPartySize: 4,
      volunteerCapacity: 0,
      registrationOpensAt: null,
      registrationClosesAt: '2027-01-10T09:00:00+08:00',
      status: 'published',
    });
    const fetched = await api.call('GET', `/communities/${C}/events/${response.body.event.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.title).toBe('与邻相约·多彩邻里节');
    expect(fetched.body).not.toHaveProperty('confirmedSeats');
  });

  it('refuses an event that ends before it starts', async () => {
    const response = await api.call('POST', `/communities/${C}/events`, {
      token,
      body: eventBody({ startsAt: '2027-01-10T09:00:00+08:00', endsAt: '2027-01-10T08:00:00+08:00' }),
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'endsAt' })]);
  });

  it('refuses instants without an offset and capacities out of range', async () => {
    const response = await api.call('POST', `/communities/${C}/events`, {
      token,
      body: eventBody({ startsAt: '2027-01-10 09:00', capacity: 0, maxPartySize: 21 }),
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['capacity', 'maxPartySize', 'startsAt']);
  });

  it('needs the community to be set up first', async () => {
    const other = await api.organiserToken('not-set-up');
    const response = await api.call('POST', '/communities/not-set-up/events', { token: other, body: eventBody() });
    expect(response.status).toBe(404);
  });

  it('ignores unknown fields and never stores them', async () => {
    const event = await createEvent({ confirmedSeats: 99, secret: 'x' });
    expect(event.seatsLeft).toBe(40);
    expect(event).not.toHaveProperty('secret');
  });
});

describe('drafts and the public list', () => {
  it('hides drafts from the public until they are published', async () => {
    const draft = await createEvent({ status: 'draft', title: 'draft-only' });
    expect((await api.call('GET', `/communities/${C}/events/${draft.id}`)).status).toBe(404);
    const listed = await api.call('GET', `/communities/${C}/events?limit=100`);
    expect(listed.body.items.map((event: { id: string }) => event.id)).not.toContain(draft.id);

    const published = await api.call('PATCH', `/communities/${C}/events/${draft.id}`, { token, body: { status: 'published' } });
    expect(published.status).toBe(200);
    expect((await api.call('GET', `/communities/${C}/events/${draft.id}`)).status).toBe(200);
  });

  it('lists events that have not yet ended, filtered by dates in the community time zone', async () => {
    const past = await createEvent({ title: 'past' }, -5);
    const soon = await createEvent({ title: 'soon' }, 3);
    const later = await createEvent({ title: 'later' }, 30);
    const ids = async (query: string) =>
      (await api.call('GET', `/communities/${C}/events?limit=100${query}`)).body.items.map((event: { id: string }) => event.id);

    const upcoming = await ids('');
    expect(upcoming).toEqual(expect.arrayContaining([soon.id, later.id]));
    expect(upcoming).not.toContain(past.id);

    const soonDay = soon.startsAt.slice(0, 10); // a date in Asia/Shanghai
    const onlySoon = await ids(`&from=${soonDay}&to=${soonDay}`);
    expect(onlySoon).toContain(soon.id);
    expect(onlySoon).not.toContain(later.id);
    expect(await ids(`&from=${encodeURIComponent(new Date(clock.nowMs() - 10 * 86_400_000).toISOString())}`)).toContain(past.id);
  });

  it('pages through the list with opaque cursors and rejects forged ones', async () => {
    for (let i = 0; i < 3; i += 1) await createEvent({ title: `page-${i}` }, 40 + i);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await api.call(
        'GET',
        `/communities/${C}/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((event) => event.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(5);

    const forged = Buffer.from(JSON.stringify({ pk: 'COMMUNITY#other', sk: 'EVENT#x', gsi1pk: 'COMMUNITY#other#EVENTS', gsi1sk: 'x' })).toString('base64url');
    for (const bad of [forged, 'not-base64-json', Buffer.from('[]').toString('base64url')]) {
      const response = await api.call('GET', `/communities/${C}/events?cursor=${bad}`);
      expect(response.status).toBe(400);
      expect(response.body.errors[0].path).toBe('query.cursor');
    }
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'from=tomorrow', 'to=2026-13-45'])('refuses the query %s', async (query) => {
    const response = await api.call('GET', `/communities/${C}/events?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });
});

describe('changing events', () => {
  it('refuses to lower capacity under the seats already confirmed', async () => {
    const event = await createEvent({ capacity: 10 });
    await confirmSeats(event.id, 8);
    const refused = await api.call('PATCH', `/communities/${C}/events/${event.id}`, { token, body: { capacity: 7 } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('capacity_below_confirmed');
    const allowed = await api.call('PATCH', `/communities/${C}/events/${event.id}`, { token, body: { capacity: 8 } });
    expect(allowed.status).toBe(200);
    expect(allowed.body.event).toMatchObject({ capacity: 8, seatsLeft: 0, confirmedSeats: 8 });
  });

  it('cancels an event, keeps it visible as cancelled, and refuses further changes', async () => {
    const event = await createEvent();
    const cancelled = await api.call('PATCH', `/communities/${C}/events/${event.id}`, { token, body: { status: 'cancelled' } });
    expect(cancelled.status).toBe(200);
    expect((await api.call('GET', `/communities/${C}/events/${event.id}`)).body.status).toBe('cancelled');
    const again = await api.call('PATCH', `/communities/${C}/events/${event.id}`, { token, body: { title: 'back' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('event_cancelled');
  });

  it('tells the registered households when a cancellation is sent again after the first stored the event and stopped before its notices', async () => {
    const event = await createEvent();
    const signedUp = await api.call('POST', `/communities/${C}/events/${event.id}/registrations`, { body: { name: '重发取消', phone: '+8613977770001' } });
    expect(signedUp.status).toBe(201);
    const before = (await getEvent(C, event.id))!;
    await replaceEvent(before, applyEventPatch(before, { status: 'cancelled' }, clock.now()));
    const notices = async () =>
      (await api.call('GET', `/communities/${C}/notifications?limit=100`, { token })).body.items.filter(
        (notice: { kind: string; targetId: string }) => notice.kind === 'event_cancelled' && notice.targetId === event.id,
      );
    expect(await notices()).toHaveLength(0);
    const retried = await api.call('PATCH', `/communities/${C}/events/${event.id}`, { token, body: { status: 'cancelled' } });
    expect([retried.status, retried.body.event?.status]).toEqual([200, 'cancelled']);
    expect(await notices()).toHaveLength(1);
  });

  it('moves registration closing with the start unless it was set on its own', async () => {
    const event = await createEvent({ startsAt: '2027-02-01T09:00:00+08:00', endsAt: '2027-02-01T12:00:00+08:00' });
    const moved = await api.call('PATCH', `/communities/${C}/events/${event.id}`, {
      token,
      body: { startsAt: '2027-02-01T10:00:00+08:00' },
    });
    expect(moved.body.event.registrationClosesAt).toBe('2027-02-01T10:00:00+08:00');
  });

  it('answers 404 for an event of another community, even to its own organiser', async () => {
    const event = await createEvent();
    const otherToken = await api.organiserToken('events-d');
    await api.call('PUT', '/communities/events-d/settings', { token: otherToken, body: { name: 'D' } });
    const response = await api.call('PATCH', `/communities/events-d/events/${event.id}`, { token: otherToken, body: { capacity: 5 } });
    expect(response.status).toBe(404);
  });

  it('keeps confirmed seats within capacity while patches and seat changes race', async () => {
    const event = await createEvent({ capacity: 50 });
    const capacities = Array.from({ length: 30 }, (_, i) => 20 + i);
    const seatBursts = Array.from({ length: 30 }, () => 1);
    // Thirty organisers' patches at once on one event: each lands, is refused for a reason of the
    // event's, or (its optimistic rounds used up) answers 503 with Retry-After, which a client
    // follows, as the contract says, until it lands or is refused (README, "Optimistic retries").
    const patch = async (capacity: number) => {
      for (let tries = 1; ; tries += 1) {
        const response = await api.call('PATCH', `/communities/${C}/events/${event.id}`, { token, body: { capacity } });
        if (response.status !== 503 || tries === 10) return response;
        expect(response.body.code).toBe('unavailable');
        await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after')) * 1000 * Math.random()));
      }
    };
    const patches = capacities.map(patch);
    // Residents take seats at the same time, through the real registration route.
    const seats = seatBursts.map((_, i) =>
      api.call('POST', `/communities/${C}/events/${event.id}/registrations`, {
        body: { name: `居民${i}`, phone: `+86139${String(10_000_000 + i).padStart(8, '0')}`, partySize: 1 },
      }),
    );
    const responses = await Promise.all(patches);
    const registrations = await Promise.all(seats);
    expect(registrations.every((response) => response.status === 201)).toBe(true);
    for (const response of responses) {
      expect([200, 409]).toContain(response.status);
      if (response.status === 409) expect(['capacity_below_confirmed', 'invalid_state']).toContain(response.body.code);
    }
    const final = await api.call('GET', `/communities/${C}/events/${event.id}`);
    expect(final.body.seatsLeft).toBeGreaterThanOrEqual(0);
    const organiserView = await api.call('PATCH', `/communities/${C}/events/${event.id}`, { token, body: { title: 'final' } });
    expect(organiserView.body.event.confirmedSeats).toBeLessThanOrEqual(organiserView.body.event.capacity);
    expect(organiserView.body.event.version).toBe(1 + responses.filter((response) => response.status === 200).length + 1);
  });
});

describe('the organisers\' event list', () => {
  it('shows drafts and counters to organisers only', async () => {
    const draft = await createEvent({ status: 'draft', title: 'organiser-only draft' });
    const list = await api.call('GET', `/communities/${C}/organiser/events?limit=100`, { token });
    expect(list.status).toBe(200);
    const entry = list.body.items.find((event: { id: string }) => event.id === draft.id);
    expect(entry).toMatchObject({ status: 'draft', confirmedSeats: 0 });
    expect((await api.call('GET', `/communities/${C}/organiser/events`)).status).toBe(401);
    const settings = await api.call('GET', `/communities/${C}/settings`, { token });
    expect(settings.body).toMatchObject({ id: C, reminderOffsetsMinutes: [1440, 60] });
  });
});
