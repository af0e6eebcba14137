import { DateTime } from 'luxon';
import * as clock from '../../functions/clock';
import { eventBody, startTestApi, type TestApi } from '../support/test-api';

/**
 * When several refusals apply, the caller hears about their own state first (README, "Refusals"):
 * a volunteer who already holds a place on a full evening is told they hold it, not that it is full;
 * a phone that already registered is told so after registration has closed. Each case is checked
 * both ways: the caller who holds a place, and a newcomer who gets the target's refusal.
 */
const C = 'order';
let api: TestApi;
let organiser: string;
let serial = 0;
const phone = () => `+86137${String(process.pid % 10_000).padStart(4, '0')}${String((serial += 1)).padStart(4, '0')}`;
/** The instant this file's clock started at (the fixed-instant projects move it). */
const startedAt = clock.now();

beforeAll(async () => {
  api = await startTestApi();
  organiser = await api.organiserToken(C);
  expect((await api.call('PUT', `/communities/${C}/settings`, { token: organiser, body: { name: '顺序社区' } })).status).toBe(200);
});
afterAll(async () => {
  clock.setClock(startedAt);
  await api.stop();
});

async function volunteer(): Promise<string> {
  const made = await api.call('POST', `/communities/${C}/volunteers`, { token: organiser, body: { name: '志愿者', phone: phone(), team: 'patrol' } });
  expect(made.status).toBe(201);
  return made.body.token;
}

/** An evening of an hour starting at `start` (by default 19:30, `days` from today). */
async function evening(days: number, volunteerCapacity: number, requestCapacity: number, start?: DateTime): Promise<string> {
  const at = start ?? DateTime.fromMillis(clock.nowMs(), { zone: 'Asia/Shanghai' }).plus({ days }).set({ hour: 19, minute: 30 });
  const day = at.toISODate();
  const made = await api.call('POST', `/communities/${C}/slots/series`, {
    token: organiser,
    body: { from: day, to: day, startTime: at.toFormat('HH:mm'), volunteerCapacity, requestCapacity },
  });
  expect(made.status).toBe(201);
  return made.body.slots[0].id;
}

describe("refusals: the caller's own state first", () => {
  it('a volunteer who holds the last place on an evening hears already_signed_up, a newcomer slot_full', async () => {
    const slotId = await evening(3, 1, 5);
    const holder = await volunteer();
    expect((await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: holder })).status).toBe(201);
    const again = await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: holder });
    expect([again.status, again.body.code]).toEqual([409, 'already_signed_up']);
    const newcomer = await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token: await volunteer() });
    expect([newcomer.status, newcomer.body.code]).toEqual([409, 'slot_full']);
  });

  it('a phone that registered hears duplicate_registration after registration closed, a new phone registration_closed', async () => {
    const made = await api.call('POST', `/communities/${C}/events`, {
      token: organiser,
      body: eventBody({ title: '包饺子', registrationClosesAt: DateTime.fromMillis(clock.nowMs()).plus({ hours: 1 }).toISO() }, 5),
    });
    expect(made.status).toBe(201);
    const eventId = made.body.event.id;
    const resident = phone();
    expect((await api.call('POST', `/communities/${C}/events/${eventId}/registrations`, { body: { name: '王', phone: resident } })).status).toBe(201);

    clock.setClock(new Date(clock.nowMs() + 2 * 3_600_000)); // two hours on: registration has closed
    try {
      const again = await api.call('POST', `/communities/${C}/events/${eventId}/registrations`, { body: { name: '王', phone: resident } });
      expect([again.status, again.body.code]).toEqual([409, 'duplicate_registration']);
      const newcomer = await api.call('POST', `/communities/${C}/events/${eventId}/registrations`, { body: { name: '李', phone: phone() } });
      expect([newcomer.status, newcomer.body.code]).toEqual([409, 'registration_closed']);
    } finally {
      clock.setClock(new Date(clock.nowMs() - 2 * 3_600_000));
    }
  });

  it('a phone that booked a full evening hears duplicate_registration, a new phone slot_full', async () => {
    const slotId = await evening(4, 2, 1);
    const resident = phone();
    const book = (who: string) => api.call('POST', `/communities/${C}/slots/${slotId}/requests`, { body: { name: '刘', phone: who, category: 'other', description: '帮忙看看' } });
    expect((await book(resident)).status).toBe(201);
    const again = await book(resident);
    expect([again.status, again.body.code]).toEqual([409, 'duplicate_registration']);
    const newcomer = await book(phone());
    expect([newcomer.status, newcomer.body.code]).toEqual([409, 'slot_full']);
  });

  it('a volunteer checked in on one shift hears already_checked_in at a shift whose window is not open yet', async () => {
    const current = await evening(0, 2, 2, DateTime.fromMillis(clock.nowMs(), { zone: 'Asia/Shanghai' }).minus({ minutes: 10 }));
    const later = await evening(6, 2, 2);
    const token = await volunteer();
    for (const slotId of [current, later]) expect((await api.call('POST', `/communities/${C}/slots/${slotId}/shifts`, { token })).status).toBe(201);
    expect((await api.call('POST', '/me/check-ins', { token, body: { slotId: current } })).status).toBe(201);
    const early = await api.call('POST', '/me/check-ins', { token, body: { slotId: later } });
    expect([early.status, early.body.code]).toEqual([409, 'already_checked_in']);
    expect((await api.call('POST', '/me/check-outs', { token })).status).toBe(200);
    const notYet = await api.call('POST', '/me/check-ins', { token, body: { slotId: later } });
    expect([notYet.status, notYet.body.code]).toEqual([409, 'check_in_window_closed']);
  });
});
