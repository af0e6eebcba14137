import { DateTime } from 'luxon';
import { startTestApi, type ApiResponse, type TestApi } from '../support/test-api';
import * as clock from '../../functions/clock';
import { applySlotPatch } from '../../functions/domain/slots';
import { getSlot, replaceSlot } from '../../functions/store/slots';

let api: TestApi;
let token: string;
const C = 'desk';
let phoneSeq = 0;
const phone = () => `+86138${String((phoneSeq += 1)).padStart(8, '0')}`;

beforeAll(async () => {
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: '幸福邻里' } });
});
afterAll(() => api.stop());

const inDays = (days: number, zone = 'Asia/Shanghai') => DateTime.fromMillis(clock.nowMs()).setZone(zone).plus({ days }).toISODate()!;

async function series(body: Record<string, unknown>, community = C, organiser = token): Promise<ApiResponse> {
  return api.call('POST', `/communities/${community}/slots/series`, { token: organiser, body });
}

async function volunteer(name: string, community = C, organiser = token): Promise<{ id: string; token: string }> {
  const response = await api.call('POST', `/communities/${community}/volunteers`, {
    token: organiser,
    body: { name, phone: phone(), team: 'convenience' },
  });
  expect(response.status).toBe(201);
  return { id: response.body.volunteer.id, token: response.body.token };
}

async function oneSlot(overrides: Record<string, unknown> = {}, day = 3): Promise<string> {
  const response = await series({ from: inDays(day), to: inDays(day), startTime: '19:30', ...overrides });
  expect(response.status).toBe(201);
  return response.body.slots[0].id;
}

describe('slot series', () => {
  it('makes seven evenings at 19:30 local, an hour long, and nothing new when sent again', async () => {
    const body = { from: inDays(30), to: inDays(36), venue: '幸福邻里', volunteerCapacity: 2, requestCapacity: 6 };
    const first = await series(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: 7, existing: 0 });
    for (const slot of first.body.slots) {
      expect(slot.startsAt).toMatch(/T19:30:00\+08:00$/);
      expect(slot.endsAt).toMatch(/T20:30:00\+08:00$/);
      expect(slot).toMatchObject({ requestsLeft: 6, volunteersLeft: 2, status: 'open' });
    }
    const again = await series(body);
    expect(again.body).toMatchObject({ created: 0, existing: 7 });
    expect(again.body.slots.map((slot: { id: string }) => slot.id)).toEqual(first.body.slots.map((slot: { id: string }) => slot.id));
  });

  it('keeps 19:30 local across a daylight saving change (Europe/Berlin)', async () => {
    const berlin = await api.organiserToken('berlin');
    await api.call('PUT', '/communities/berlin/settings', { token: berlin, body: { name: 'Kiez', timezone: 'Europe/Berlin' } });
    const response = await series({ from: '2027-03-25', to: '2027-04-01' }, 'berlin', berlin);
    expect(response.body.created).toBe(8);
    const starts = response.body.slots.map((slot: { startsAt: string }) => slot.startsAt);
    expect(starts[0]).toBe('2027-03-25T19:30:00+01:00');
    expect(starts.at(-1)).toBe('2027-04-01T19:30:00+02:00');
    expect(starts.every((start: string) => start.includes('T19:30:00'))).toBe(true);
  });

  it('takes only the chosen weekdays and refuses a series longer than 92 days', async () => {
    const weekdays = await series({ from: '2027-05-03', to: '2027-05-09', daysOfWeek: [1, 3, 5] });
    expect(weekdays.body.slots.map((slot: { id: string }) => slot.id)).toEqual(['20270503-1930', '20270505-1930', '20270507-1930']);
    const tooLong = await series({ from: '2027-01-01', to: '2027-06-01' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].path).toBe('to');
  });

  it('lists open slots publicly with counts only, and hides cancelled ones', async () => {
    const slotId = await oneSlot({}, 5);
    const listed = await api.call('GET', `/communities/${C}/slots?from=${inDays(5)}&to=${inDays(5)}`);
    expect(listed.body.items.map((slot: { id: string }) => slot.id)).toEqual([slotId]);
    await api.call('PATCH', `/communities/${C}/slots/${slotId}`, { token, body: { status: 'cancelled' } });
    const after = await api.call('GET', `/communities/${C}/slots?from=${inDays(5)}&to=${inDays(5)}`);
    expect(after.body.items).toEqual([]);
  });
});

describe('shifts', () => {
  it('gives two places to exactly two of four volunteers racing for them', async () => {
    const slotId = await oneSlot({ volunteerCapacity: 2 }, 6);
    const racers = await Promise.all(['甲', '乙', '丙', '丁'].map((name) => volunteer(name)));
    const responses = await Promise.all(
      racers.map((racer) => api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: racer.token })),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(2);
    const refused = responses.filter((response) => response.status !== 201);
    expect(refused.map((response) => [response.status, response.body.code])).toEqual([[409, 'slot_full'], [409, 'slot_full']]);
    const roster = await api.call('GET', `/communities/${C}/slots/${slotId}`, { token });
    expect(roster.body.volunteers).toHaveLength(2);
    expect(roster.body.volunteersLeft).toBe(0);
  });

  it('refuses the same volunteer twice, and lets them give the shift back', async () => {
    const slotId = await oneSlot({ volunteerCapacity: 3 }, 7);
    const v = await volunteer('王');
    expect((await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: v.token })).status).toBe(201);
    const twice = await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: v.token });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('already_signed_up');
    const mine = await api.call('GET', '/me/shifts', { token: v.token });
    expect(mine.body.items.map((shift: { slotId: string }) => shift.slotId)).toEqual([slotId]);
    expect((await api.call('DELETE', `/communities/${C}/slots/${slotId}/shifts/me`, { token: v.token })).status).toBe(200);
    expect((await api.call('DELETE', `/communities/${C}/slots/${slotId}/shifts/me`, { token: v.token })).status).toBe(404);
    expect((await api.call('GET', '/me/shifts', { token: v.token })).body.items).toEqual([]);
  });

  it("refuses a volunteer of another community with 403 and a volunteer without a token with 401", async () => {
    const slotId = await oneSlot({}, 8);
    const otherOrganiser = await api.organiserToken('desk-other');
    await api.call('PUT', '/communities/desk-other/settings', { token: otherOrganiser, body: { name: 'Other' } });
    const outsider = await volunteer('外人', 'desk-other', otherOrganiser);
    const response = await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: outsider.token });
    expect(response.status).toBe(403);
    expect((await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`)).status).toBe(401);
  });

  it('staffs festivals up to their volunteerCapacity', async () => {
    const start = DateTime.fromMillis(clock.nowMs()).plus({ days: 9 });
    const event = await api.call('POST', `/communities/${C}/events`, {
      token,
      body: { title: '邻里节', venue: '广场', startsAt: start.toISO(), endsAt: start.plus({ hours: 3 }).toISO(), capacity: 50, volunteerCapacity: 1, status: 'published' },
    });
    const [a, b] = await Promise.all([volunteer('一'), volunteer('二')]);
    expect((await api.call('POST', `/communities/${C}/events/${event.body.event.id}/shifts`, { token: a.token })).status).toBe(201);
    expect((await api.call('POST', `/communities/${C}/events/${event.body.event.id}/shifts`, { token: b.token })).body.code).toBe('slot_full');
    expect((await api.call('GET', `/communities/${C}/events/${event.body.event.id}`)).body.volunteersLeft).toBe(0);
  });

  it('alerts the organisers at once when a shift is given back less than 24 hours ahead', async () => {
    const soon = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ hours: 3 });
    const response = await series({ from: soon.toISODate(), to: soon.toISODate(), startTime: soon.toFormat('HH:mm'), volunteerCapacity: 2 });
    const slotId = response.body.slots[0].id;
    const v = await volunteer('李阿姨');
    await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: v.token });
    await api.call('DELETE', `/communities/${C}/slots/${slotId}/shifts/me`, { token: v.token });
    const notifications = await api.call('GET', `/communities/${C}/notifications`, { token });
    const alert = notifications.body.items.find((item: { kind: string; targetId: string }) => item.kind === 'coverage_alert' && item.targetId === slotId);
    // The community has no contact and no robot in its settings: recorded, listed, and said to have had nowhere to go.
    expect(alert).toMatchObject({ status: 'failed', recipients: [], deliveries: [], lastError: 'no_address' });
    expect(alert.body).toContain('李阿姨');
    expect(alert.body).toContain('0/2');
  });
});

describe("residents' help requests", () => {
  const book = (slotId: string, body: Record<string, unknown> = {}) =>
    api.call('POST', `/communities/${C}/slots/${slotId}/requests`, {
      body: { name: '刘奶奶', phone: phone(), category: 'pipe_unclogging', description: '厨房下水道堵了', ...body },
    });

  it('gives three places to exactly three of ten residents racing, the others slot_full', async () => {
    const slotId = await oneSlot({ requestCapacity: 3 }, 10);
    const responses = await Promise.all(Array.from({ length: 10 }, () => book(slotId)));
    expect(responses.filter((response) => response.status === 201)).toHaveLength(3);
    const refused = responses.filter((response) => response.status !== 201);
    expect(new Set(refused.map((response) => `${response.status} ${response.body.code}`))).toEqual(new Set(['409 slot_full']));
    const roster = await api.call('GET', `/communities/${C}/slots/${slotId}`, { token });
    expect(roster.body.requests).toHaveLength(3);
    expect(roster.body.requestsLeft).toBe(0);
  });

  it('frees the place when a resident cancels with the manage token', async () => {
    const slotId = await oneSlot({ requestCapacity: 1 }, 11);
    const booked = await book(slotId);
    expect(booked.status).toBe(201);
    expect(booked.body.request).toMatchObject({ status: 'booked', category: 'pipe_unclogging' });
    expect((await book(slotId)).body.code).toBe('slot_full');
    const headers = { 'x-manage-token': booked.body.manageToken };
    const path = `/communities/${C}/slots/${slotId}/requests/${booked.body.request.id}`;
    expect((await api.call('GET', path, { headers })).body.request.status).toBe('booked');
    expect((await api.call('GET', path, { headers: { 'x-manage-token': 'mt_wrong' } })).status).toBe(403);
    expect((await api.call('DELETE', path, { headers })).body.request.status).toBe('cancelled');
    expect((await book(slotId)).status).toBe(201);
  });

  it('takes the web form, one booking per phone per evening, and known categories only', async () => {
    const slotId = await oneSlot({ requestCapacity: 5 }, 12);
    const form = await api.call('POST', `/communities/${C}/slots/${slotId}/requests`, {
      rawBody: new URLSearchParams({ name: '张大爷', phone: '139 0000 0001', category: 'appliance_repair', description: '电视没信号', building: '', website: '' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(201);
    expect((await book(slotId, { phone: '+86 139-0000-0001' })).body.code).toBe('duplicate_registration');
    const unknown = await book(slotId, { category: 'plumbing' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('category');
  });

  it('refuses bookings on a cancelled evening and tells everyone affected', async () => {
    const slotId = await oneSlot({ requestCapacity: 5, volunteerCapacity: 2 }, 13);
    const booked = await book(slotId);
    const v = await volunteer('赵');
    await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: v.token });
    const cancelled = await api.call('PATCH', `/communities/${C}/slots/${slotId}`, { token, body: { status: 'cancelled' } });
    expect(cancelled.status).toBe(200);
    expect((await book(slotId)).body.code).toBe('slot_cancelled');
    expect((await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: (await volunteer('钱')).token })).body.code).toBe('slot_cancelled');
    const notices = (await api.call('GET', `/communities/${C}/notifications?limit=100`, { token })).body.items.filter(
      (item: { kind: string; targetId: string }) => item.kind === 'slot_cancelled' && item.targetId === slotId,
    );
    expect(notices.map((item: { recipients: unknown[] }) => item.recipients[0])).toEqual(
      expect.arrayContaining([{ type: 'help_request', id: booked.body.request.id }, { type: 'volunteer', id: v.id }]),
    );
    expect(notices).toHaveLength(2);
  });

  it('refuses to lower capacity under what is booked', async () => {
    const slotId = await oneSlot({ requestCapacity: 2 }, 14);
    await book(slotId);
    await book(slotId);
    const lowered = await api.call('PATCH', `/communities/${C}/slots/${slotId}`, { token, body: { requestCapacity: 1 } });
    expect(lowered.status).toBe(409);
    expect(lowered.body.code).toBe('capacity_below_confirmed');
  });
});

describe('calendars', () => {
  it("gives a volunteer's upcoming shifts as iCalendar with stable UIDs", async () => {
    const slotId = await oneSlot({}, 15);
    const v = await volunteer('孙');
    await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: v.token });
    const first = await fetch(`${api.url}/me/calendar.ics`, { headers: { authorization: `Bearer ${v.token}` } });
    expect(first.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await first.text();
    expect(text).toContain('BEGIN:VCALENDAR');
    const uid = text.match(/UID:(.+)/)?.[1]?.trim();
    expect(uid).toBe(`shift-${C}-slot-${slotId}-${v.id}@linli`);
    const again = await (await fetch(`${api.url}/me/calendar.ics`, { headers: { authorization: `Bearer ${v.token}` } })).text();
    expect(again.match(/UID:(.+)/)?.[1]?.trim()).toBe(uid);
    expect(text).toMatch(/DTSTART:\d{8}T113000Z/); // 19:30 in Shanghai
  });

  it('offers each public event as an "add to calendar" file', async () => {
    const start = DateTime.fromISO('2027-01-10T09:00:00', { zone: 'Asia/Shanghai' });
    const event = await api.call('POST', `/communities/${C}/events`, {
      token,
      body: { title: '与邻相约·多彩邻里节', venue: '广场', startsAt: start.toISO(), endsAt: start.plus({ hours: 3 }).toISO(), capacity: 50, status: 'published' },
    });
    const response = await fetch(`${api.url}/communities/${C}/events/${event.body.event.id}/calendar.ics`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain('SUMMARY:与邻相约·多彩邻里节');
    expect(text).toContain('DTSTART:20270110T010000Z');
    expect(text).toContain(`UID:event-${C}-${event.body.event.id}@linli`);
  });
});

describe('a cancellation sent again', () => {
  it('tells the booked residents even when the first attempt stored the cancelled evening and stopped before its notices', async () => {
    const slotId = await oneSlot({}, 20);
    const booked = await api.call('POST', `/communities/${C}/slots/${slotId}/requests`, {
      body: { name: '取消重试', phone: phone(), category: 'other', description: '灯坏了' },
    });
    expect(booked.status).toBe(201);
    // The first attempt's own write, and then the crash: the evening cancelled, nobody told.
    const before = (await getSlot(C, slotId))!;
    await replaceSlot(before, applySlotPatch(before, { status: 'cancelled' }, clock.now()));
    const notices = async () =>
      (await api.call('GET', `/communities/${C}/notifications?limit=100`, { token })).body.items.filter(
        (notice: { kind: string; targetId: string }) => notice.kind === 'slot_cancelled' && notice.targetId === slotId,
      );
    expect(await notices()).toHaveLength(0);
    // The organiser's retries of the same cancellation (three tabs at once): answered as done, and
    // the resident is told once.
    const retried = await Promise.all(Array.from({ length: 3 }, () => api.call('PATCH', `/communities/${C}/slots/${slotId}`, { token, body: { status: 'cancelled' } })));
    expect(retried.map((answer) => [answer.status, answer.body.slot?.status])).toEqual(Array(3).fill([200, 'cancelled']));
    expect(await notices()).toHaveLength(1);
    expect((await api.call('PATCH', `/communities/${C}/slots/${slotId}`, { token, body: { status: 'cancelled' } })).status).toBe(200);
    expect(await notices()).toHaveLength(1);
    // Anything else on a cancelled evening is still refused.
    const changed = await api.call('PATCH', `/communities/${C}/slots/${slotId}`, { token, body: { status: 'cancelled', venue: '别处' } });
    expect([changed.status, changed.body.code]).toEqual([409, 'slot_cancelled']);
  });
});
