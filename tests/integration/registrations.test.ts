import { eventBody, startTestApi, type ApiResponse, type TestApi } from '../support/test-api';
import * as clock from '../../functions/clock';

let api: TestApi;
let token: string;
const C = 'reg-c';
let phoneCounter = 0;
/** A fresh mobile number for each registration, so the per-phone limit never interferes. */
const nextPhone = () => `139${String(10_000_000 + (phoneCounter += 1)).padStart(8, '0')}`;

beforeAll(async () => {
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '幸福邻里' } });
});
afterAll(() => api.stop());

async function newEvent(overrides: Record<string, unknown> = {}, daysAhead = 10): Promise<string> {
  const response = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody(overrides, daysAhead) });
  expect(response.status).toBe(201);
  return response.body.event.id;
}

function register(eventId: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return api.call('POST', `/communities/${C}/events/${eventId}/registrations`, {
    body: { name: '王阿姨', phone: nextPhone(), ...body },
    headers,
  });
}

const path = (eventId: string, id = '') => `/communities/${C}/events/${eventId}/registrations${id ? `/${id}` : ''}`;
const view = (eventId: string, id: string, manageToken: string) =>
  api.call('GET', path(eventId, id), { headers: { 'x-manage-token': manageToken } });
const cancel = (eventId: string, id: string, manageToken: string) =>
  api.call('DELETE', path(eventId, id), { headers: { 'x-manage-token': manageToken } });
const statusOf = async (eventId: string, id: string, manageToken: string) => (await view(eventId, id, manageToken)).body.registration.status;

describe('registering', () => {
  it('confirms a party that fits and returns a manage token once', async () => {
    const eventId = await newEvent({ capacity: 4 });
    const response = await register(eventId, { partySize: 3, building: '3栋' });
    expect(response.status).toBe(201);
    expect(response.body.registration).toMatchObject({ status: 'confirmed', partySize: 3, name: '王阿姨', building: '3栋' });
    expect(response.body.registration).not.toHaveProperty('waitlistPosition');
    expect(response.body.manageToken).toMatch(/^mt_[\w-]{40,}$/);
    expect(response.text).not.toMatch(/\+?86139\d{8}/);
    const event = await api.call('GET', `/communities/${C}/events/${eventId}`);
    expect(event.body).toMatchObject({ seatsLeft: 1, waitlistLength: 0 });
  });

  it('waitlists a party that does not fit, but confirms a smaller one that does', async () => {
    const eventId = await newEvent({ capacity: 4 });
    await register(eventId, { partySize: 3 });
    const big = await register(eventId, { partySize: 2 });
    expect(big.body.registration).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const small = await register(eventId, { partySize: 1 });
    expect(small.body.registration.status).toBe('confirmed');
    const next = await register(eventId, { partySize: 1 });
    expect(next.body.registration).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
  });

  it('accepts the web form as application/x-www-form-urlencoded', async () => {
    const eventId = await newEvent();
    const response = await api.call('POST', path(eventId), {
      rawBody: new URLSearchParams({ name: '李大爷', phone: '138 0013 8000', partySize: '2', building: '', note: '', website: '' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(201);
    expect(response.body.registration).toMatchObject({ name: '李大爷', partySize: 2, building: null, phoneHint: '••••8000' });
  });

  it('allows one active registration per phone, whatever way the number is written', async () => {
    const eventId = await newEvent();
    expect((await register(eventId, { phone: '138 0013 8001' })).status).toBe(201);
    for (const phone of ['+86 138-0013-8001', '13800138001', '+8613800138001']) {
      const again = await register(eventId, { phone });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('duplicate_registration');
    }
  });

  it.each([
    [{ phone: '12345' }, 'phone'],
    [{ phone: '' }, 'phone'],
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(51) }, 'name'],
    [{ name: 'a\u202Eb' }, 'name'],
    [{ partySize: 0 }, 'partySize'],
    [{ partySize: 5 }, 'partySize'],
    [{ partySize: 'two' }, 'partySize'],
    [{ note: 'x'.repeat(501) }, 'note'],
    [{ name: '王\u0000阿姨' }, 'name'],
    [{ note: '第一行\r\n第二行\u2066' }, 'note'],
    // The honeypot: refused as a whole, in words that do not name it.
    [{ website: 'http://spam.example' }, ''],
  ])('refuses %j with a field error on %s and stores nothing', async (body, field) => {
    const eventId = await newEvent({ maxPartySize: 4 });
    const response = await register(eventId, body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(field);
    expect(response.text).not.toMatch(/website/i);
    const roster = await api.call('GET', path(eventId), { token });
    expect(roster.body.items).toHaveLength(0);
  });

  it('keeps to the registration window, cancelled events and drafts', async () => {
    const notOpen = await newEvent({ registrationOpensAt: new Date(clock.nowMs() + 86_400_000).toISOString() });
    expect((await register(notOpen)).body.code).toBe('registration_closed');
    const closed = await newEvent({ registrationClosesAt: new Date(clock.nowMs() - 60_000).toISOString() });
    expect((await register(closed)).body.code).toBe('registration_closed');
    const cancelled = await newEvent();
    await api.call('PATCH', `/communities/${C}/events/${cancelled}`, { token, body: { status: 'cancelled' } });
    const refused = await register(cancelled);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('event_cancelled');
    const draft = await newEvent({ status: 'draft' });
    expect((await register(draft)).status).toBe(404);
    expect((await register('01NOSUCHEVENT')).status).toBe(404);
  });

  it('replays an idempotent registration with the first response, and refuses the key for another body', async () => {
    const eventId = await newEvent();
    const body = { name: '赵叔', phone: nextPhone(), partySize: 2 };
    const headers = { 'idempotency-key': 'form-submit-1' };
    const first = await register(eventId, body, headers);
    const replay = await register(eventId, body, headers);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const other = await register(eventId, { ...body, partySize: 1 }, headers);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect((await api.call('GET', path(eventId), { token })).body.items).toHaveLength(1);
  });

  it('lets one phone register at most 10 times an hour', async () => {
    const eventId = await newEvent();
    const phone = nextPhone();
    for (let i = 0; i < 5; i += 1) {
      const created = await register(eventId, { phone });
      expect(created.status).toBe(201);
      await cancel(eventId, created.body.registration.id, created.body.manageToken);
    }
    for (let i = 0; i < 5; i += 1) {
      const other = await newEvent();
      expect((await register(other, { phone })).status).toBe(201);
    }
    const eleventh = await register(await newEvent(), { phone });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.code).toBe('rate_limited');
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the per-phone limit is a sliding hour', () => {
  it('does not reset on the clock hour: ten just before it leave none just after, until the first is an hour old', async () => {
    const phone = nextPhone();
    const events = await Promise.all(Array.from({ length: 12 }, () => newEvent({}, 3)));
    const hour = Math.ceil(clock.nowMs() / 3_600_000) * 3_600_000;
    try {
      for (let i = 0; i < 10; i += 1) {
        clock.setClock(new Date(hour - 60_000 + i * 1000)); // 23:59:00 … 23:59:09, say
        expect((await register(events[i]!, { phone })).status).toBe(201);
      }
      clock.setClock(new Date(hour + 60_000)); // a minute past the hour: a new clock hour, not a new sliding one
      const refused = await register(events[10]!, { phone });
      expect(refused.status).toBe(429);
      // 58 minutes until the first is an hour old (the clock runs on from where it was set: a second more at most).
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(58 * 60);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(58 * 60 + 1);
      clock.setClock(new Date(hour - 60_000 + 3_600_000 + 1000)); // the first sign-up is an hour old
      expect((await register(events[11]!, { phone })).status).toBe(201);
    } finally {
      clock.setClock((globalThis as { LINLI_NOW?: string }).LINLI_NOW);
    }
  });
});

describe('an instance that has seen the event before', () => {
  // The server places a party on the event as it last saw it, without reading it; these changes
  // happen after it saw it, and the next registration must follow what is stored.
  it('follows a change made since: a smaller party limit, then cancelled', async () => {
    const eventId = await newEvent({ capacity: 10, maxPartySize: 4 });
    expect((await register(eventId, { partySize: 1 })).status).toBe(201);
    await api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { maxPartySize: 2 } });
    const tooMany = await register(eventId, { partySize: 3 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].path).toBe('partySize');
    await api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { status: 'cancelled' } });
    const refused = await register(eventId, { partySize: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('event_cancelled');
    expect((await api.call('GET', `/communities/${C}/events/${eventId}`)).body).toMatchObject({ seatsLeft: 9, waitlistLength: 0 });
  });

  it('gives a seat freed since to the next party instead of queueing it', async () => {
    const eventId = await newEvent({ capacity: 2 });
    const first = await register(eventId);
    await register(eventId);
    const queued = await register(eventId);
    expect(queued.body.registration.status).toBe('waitlisted');
    // The queued party is promoted into the freed seat; the next cancellation leaves one free.
    await cancel(eventId, first.body.registration.id, first.body.manageToken);
    expect(await statusOf(eventId, queued.body.registration.id, queued.body.manageToken)).toBe('confirmed');
    await cancel(eventId, queued.body.registration.id, queued.body.manageToken);
    const next = await register(eventId);
    expect(next.body.registration.status).toBe('confirmed');
    expect((await api.call('GET', `/communities/${C}/events/${eventId}`)).body).toMatchObject({ seatsLeft: 0, waitlistLength: 0 });
  });

  it('confirms into capacity an organiser added since', async () => {
    const eventId = await newEvent({ capacity: 1 });
    await register(eventId);
    await api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { capacity: 3 } });
    expect((await register(eventId)).body.registration.status).toBe('confirmed');
  });
});

describe('self-service with the manage token', () => {
  it('shows the registration and its live waitlist position, only to its token', async () => {
    const eventId = await newEvent({ capacity: 1 });
    const first = await register(eventId);
    const second = await register(eventId);
    const third = await register(eventId);
    const mine = await view(eventId, third.body.registration.id, third.body.manageToken);
    expect(mine.status).toBe(200);
    expect(mine.body.registration).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    expect(mine.body.event).toMatchObject({ id: eventId, status: 'published' });
    expect(mine.headers.get('cache-control')).toBe('no-store');

    await cancel(eventId, second.body.registration.id, second.body.manageToken);
    expect((await view(eventId, third.body.registration.id, third.body.manageToken)).body.registration.waitlistPosition).toBe(1);

    const othersToken = await view(eventId, third.body.registration.id, first.body.manageToken);
    expect(othersToken.status).toBe(403);
    expect(othersToken.text).not.toContain('王阿姨');
    expect((await api.call('GET', path(eventId, third.body.registration.id))).status).toBe(401);
    expect((await view(eventId, '01NOSUCHREGISTRATION', first.body.manageToken)).status).toBe(404);
  });

  it('cancels once, lets the phone register again, and answers a second cancel with the same result', async () => {
    const eventId = await newEvent({ capacity: 5 });
    const phone = nextPhone();
    const created = await register(eventId, { phone, partySize: 2 });
    const cancelled = await cancel(eventId, created.body.registration.id, created.body.manageToken);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.registration.status).toBe('cancelled');
    expect((await api.call('GET', `/communities/${C}/events/${eventId}`)).body.seatsLeft).toBe(5);
    const again = await cancel(eventId, created.body.registration.id, created.body.manageToken);
    expect(again.status).toBe(200);
    expect(again.body.registration.status).toBe('cancelled');
    expect((await api.call('GET', `/communities/${C}/events/${eventId}`)).body.seatsLeft).toBe(5);
    expect((await register(eventId, { phone })).status).toBe(201);
  });
});

describe('waitlist promotion', () => {
  it('gives freed seats to the first waiting party that fits, skipping one that does not', async () => {
    const eventId = await newEvent({ capacity: 4 });
    const holder = await register(eventId, { partySize: 2 });
    await register(eventId, { partySize: 2 });
    const four = await register(eventId, { partySize: 4 });
    const two = await register(eventId, { partySize: 2 });
    const one = await register(eventId, { partySize: 1 });
    expect([four, two, one].map((r) => r.body.registration.waitlistPosition)).toEqual([1, 2, 3]);

    await cancel(eventId, holder.body.registration.id, holder.body.manageToken);
    expect(await statusOf(eventId, four.body.registration.id, four.body.manageToken)).toBe('waitlisted');
    expect(await statusOf(eventId, two.body.registration.id, two.body.manageToken)).toBe('confirmed');
    expect(await statusOf(eventId, one.body.registration.id, one.body.manageToken)).toBe('waitlisted');
    const fourNow = await view(eventId, four.body.registration.id, four.body.manageToken);
    expect(fourNow.body.registration.waitlistPosition).toBe(1);
    expect((await api.call('GET', `/communities/${C}/events/${eventId}`)).body).toMatchObject({ seatsLeft: 0, waitlistLength: 2 });
  });

  it('promotes as many as fit when an organiser raises capacity, and refuses lowering it under confirmed seats', async () => {
    const eventId = await newEvent({ capacity: 2 });
    await register(eventId, { partySize: 2 });
    const waiting = [];
    for (const partySize of [1, 3, 1, 1]) waiting.push(await register(eventId, { partySize }));
    const raised = await api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { capacity: 5 } });
    expect(raised.status).toBe(200);
    expect(raised.body.event).toMatchObject({ capacity: 5, confirmedSeats: 5, waitlistLength: 1 });
    const statuses = await Promise.all(waiting.map((r) => statusOf(eventId, r.body.registration.id, r.body.manageToken)));
    // Three seats free up: the 1 fits, the 3 does not (it keeps its place), the next two 1s do.
    expect(statuses).toEqual(['confirmed', 'waitlisted', 'confirmed', 'confirmed']);
    const lowered = await api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { capacity: 4 } });
    expect(lowered.status).toBe(409);
    expect(lowered.body.code).toBe('capacity_below_confirmed');
  });

  it('does not promote into a cancelled event', async () => {
    const eventId = await newEvent({ capacity: 1 });
    const holder = await register(eventId);
    const waiting = await register(eventId);
    await api.call('PATCH', `/communities/${C}/events/${eventId}`, { token, body: { status: 'cancelled' } });
    await cancel(eventId, holder.body.registration.id, holder.body.manageToken);
    expect(await statusOf(eventId, waiting.body.registration.id, waiting.body.manageToken)).toBe('waitlisted');
  });
});

describe('the organiser roster and export', () => {
  it('lists registrations with contact details, filters by status and pages', async () => {
    const eventId = await newEvent({ capacity: 2 });
    await register(eventId, { name: '甲', partySize: 2 });
    await register(eventId, { name: '乙' });
    await register(eventId, { name: '丙' });
    const all = await api.call('GET', path(eventId), { token });
    expect(all.status).toBe(200);
    expect(all.body.items.map((entry: { name: string }) => entry.name)).toEqual(['甲', '乙', '丙']);
    expect(all.body.items[0].phone).toMatch(/^\+86139\d{8}$/);
    const waitlisted = await api.call('GET', `${path(eventId)}?status=waitlisted`, { token });
    expect(waitlisted.body.items.map((entry: { name: string; waitlistPosition: number }) => [entry.name, entry.waitlistPosition])).toEqual([
      ['乙', 1],
      ['丙', 2],
    ]);
    const firstPage = await api.call('GET', `${path(eventId)}?limit=2`, { token });
    expect(firstPage.body.items).toHaveLength(2);
    const secondPage = await api.call('GET', `${path(eventId)}?limit=2&cursor=${firstPage.body.nextCursor}`, { token });
    expect(secondPage.body.items.map((entry: { name: string }) => entry.name)).toEqual(['丙']);
    expect((await api.call('GET', path(eventId))).status).toBe(401);
    const otherToken = await api.organiserToken('someone-else');
    expect((await api.call('GET', path(eventId).replace(C, 'someone-else'), { token: otherToken })).status).toBe(404);
  });

  it('exports CSV that Excel opens in Chinese, with formulas neutralised', async () => {
    const eventId = await newEvent();
    await register(eventId, { name: '=HYPERLINK("http://evil")', note: '@SUM(1+1)', building: '-3栋' });
    await register(eventId, { name: '张三' });
    const response = await fetch(`${api.url}${path(eventId)}.csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('姓名 name');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[1]).toContain("'@SUM(1+1)");
    expect(lines[1]).toContain("'-3栋");
    // The phone as people write it (no formula guard needed), times to the minute in the community's zone.
    expect(lines[1]).toMatch(/,139 \d{4} \d{4},/);
    expect(text).not.toContain("'+86");
    expect(lines[1]).toMatch(/,\d{4}-\d{2}-\d{2} \d{2}:\d{2},/);
    expect(lines[1]).not.toMatch(/\.\d{3}/);
    expect(lines[2]).toContain('张三');
  });
});
