import { DateTime } from 'luxon';
import type { DeliveryAdapter, Envelope } from '../../functions/delivery/adapter';
import { useDeliveryAdapter } from '../../functions/delivery';
import { erasePersonalData } from '../../functions/services/erasure';
import { runReminders } from '../../functions/services/reminders';
import { findJob } from '../../functions/jobs';
import { listDuePlans } from '../../functions/store/reminders';
import { startTestApi, type TestApi } from '../support/test-api';
import * as clock from '../../functions/clock';

/** An organisers' message (a digest, a coverage alert), as opposed to one for a resident or volunteer. */
const forOrganisers = (message: Envelope) => ['event_digest', 'slot_digest', 'coverage_alert'].includes(message.kind);

/**
 * The reminder job against DynamoDB Local, with a recording delivery adapter in place of SNS.
 * Every test uses its own community; runs are given a `now` so that due times can be reached.
 */
let api: TestApi;
let sent: Envelope[] = [];
/** Messages for this community fail this many more times (runs see every community's queue). */
let failing = { communityId: '', times: 0 };
const recording: DeliveryAdapter = {
  name: 'recording',
  deliver: async (message) => {
    if (message.communityId === failing.communityId && failing.times > 0) {
      failing.times -= 1;
      throw Object.assign(new Error('SMS gateway down'), { name: 'Throttled' });
    }
    sent.push(message);
  },
};

beforeAll(async () => {
  api = await startTestApi();
  useDeliveryAdapter(recording);
});
afterAll(async () => {
  useDeliveryAdapter(undefined);
  await api.stop();
});
beforeEach(() => {
  sent = [];
  failing = { communityId: '', times: 0 };
});

let communitySeq = 0;
async function community(settings: Record<string, unknown> = {}) {
  communitySeq += 1;
  const c = `rem-${communitySeq}`;
  const token = await api.organiserToken(c);
  await api.call('PUT', `/communities/${c}/settings`, {
    token,
    body: { name: `社区${communitySeq}`, organiserContacts: ['desk@example.org'], reminderOffsetsMinutes: [1440, 60], ...settings },
  });
  return { c, token };
}

async function event(c: string, token: string, startsIn: { hours: number }, body: Record<string, unknown> = {}) {
  const start = DateTime.fromMillis(clock.nowMs()).plus(startsIn).startOf('minute');
  const response = await api.call('POST', `/communities/${c}/events`, {
    token,
    body: { title: '与邻相约', venue: '广场', startsAt: start.toISO(), endsAt: start.plus({ hours: 2 }).toISO(), capacity: 40, status: 'published', ...body },
  });
  expect(response.status).toBe(201);
  return { id: response.body.event.id as string, start };
}

const notifications = async (c: string, token: string) => (await api.call('GET', `/communities/${c}/notifications?limit=100`, { token })).body.items;

describe('the reminder job', () => {
  it("sends the organisers' event digest once, with confirmed/capacity, even when runs overlap", async () => {
    const { c, token } = await community();
    const { id, start } = await event(c, token, { hours: 30 });
    for (let i = 0; i < 3; i += 1) {
      await api.call('POST', `/communities/${c}/events/${id}/registrations`, { body: { name: '居民', phone: `+8613900000${100 + i}`, partySize: 4 } });
    }
    const at = start.minus({ hours: 23 }).toJSDate(); // past the 1-day reminder, before the 1-hour one
    await Promise.all([runReminders(at), runReminders(at), runReminders(at)]);
    await runReminders(at);

    const digests = sent.filter((message) => message.communityId === c);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ channel: 'email', address: 'desk@example.org', community: expect.stringMatching(/^社区/) });
    expect(digests[0]!.body).toContain('报名 12/40');
    expect(digests[0]!.body).toContain('12/40 seats');
    const listed = (await notifications(c, token)).filter((n: { kind: string }) => n.kind === 'event_digest');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      status: 'sent',
      targetId: id,
      recipients: [{ type: 'email', id: 'desk@example.org' }],
      deliveries: [{ to: 'desk@example.org', channel: 'outbox', status: 'sent' }],
      attempts: 1,
    });
  });

  it('names the volunteers on duty, flags an understaffed evening, and reminds each volunteer an hour before', async () => {
    const { c, token } = await community();
    const start = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 2 }).set({ hour: 19, minute: 30 });
    const series = await api.call('POST', `/communities/${c}/slots/series`, {
      token,
      body: { from: start.toISODate(), to: start.toISODate(), volunteerCapacity: 2, requestCapacity: 5 },
    });
    const slotId = series.body.slots[0].id;
    const volunteer = await api.call('POST', `/communities/${c}/volunteers`, { token, body: { name: '陈师傅', phone: '+8613800001111', team: 'convenience' } });
    await api.call('POST', `/communities/${c}/slots/${slotId}/shifts`, { token: volunteer.body.token });
    await api.call('POST', `/communities/${c}/slots/${slotId}/requests`, { body: { name: '刘', phone: '+8613800002222', category: 'pipe_unclogging', description: '堵了' } });

    await runReminders(start.minus({ minutes: 59 }).toJSDate());
    const mine = sent.filter((message) => message.communityId === c);
    const digests = mine.filter((message) => forOrganisers(message));
    expect(digests).toHaveLength(2); // the 1-day and the 1-hour digest: both due by now, neither sent before
    for (const digest of digests) {
      expect(digest.body).toContain('陈师傅');
      expect(digest.body).toContain('⚠缺人 1/2');
      expect(digest.body).toContain('UNDERSTAFFED 1/2');
      expect(digest.body).toContain('管道疏通1');
    }
    const personal = mine.filter((message) => !forOrganisers(message));
    expect(personal).toHaveLength(1);
    expect(personal[0]).toMatchObject({ channel: 'sms', address: '+8613800001111', shownAs: '138****1111', kind: 'shift_reminder' });
    expect(personal[0]!.body).toContain('19:30');
  });

  it('sends nothing for a cancelled event, and nothing at the old time for a moved one', async () => {
    const { c, token } = await community();
    const cancelled = await event(c, token, { hours: 30 });
    await api.call('PATCH', `/communities/${c}/events/${cancelled.id}`, { token, body: { status: 'cancelled' } });
    const moved = await event(c, token, { hours: 30 });
    const later = moved.start.plus({ days: 3 });
    await api.call('PATCH', `/communities/${c}/events/${moved.id}`, { token, body: { startsAt: later.toISO(), endsAt: later.plus({ hours: 2 }).toISO() } });

    await runReminders(cancelled.start.minus({ minutes: 30 }).toJSDate());
    expect(sent.filter((message) => message.communityId === c && forOrganisers(message))).toEqual([]);
    await runReminders(later.minus({ minutes: 30 }).toJSDate());
    const digests = sent.filter((message) => message.communityId === c && forOrganisers(message));
    expect(digests).toHaveLength(2);
    expect(digests.every((digest) => !digest.body.includes(moved.start.setZone('Asia/Shanghai').toFormat('M月d日')))).toBe(true);
  });

  it('sends a reminder whose time had already passed when the event was created, while it has not started', async () => {
    const { c, token } = await community();
    const soon = await event(c, token, { hours: 0.5 });
    await runReminders(clock.now());
    const digests = sent.filter((message) => message.communityId === c && forOrganisers(message));
    expect(digests).toHaveLength(2);
    void soon;
  });

  it('retries a failed delivery on a later run, with backoff, and sends it once', async () => {
    const { c, token } = await community({ reminderOffsetsMinutes: [60] });
    const { start } = await event(c, token, { hours: 5 });
    const at = start.minus({ minutes: 50 });
    failing = { communityId: c, times: 1 };
    await runReminders(at.toJSDate());
    expect(sent.filter((message) => message.communityId === c)).toHaveLength(0);
    let [digest] = (await notifications(c, token)).filter((n: { kind: string }) => n.kind === 'event_digest');
    expect(digest).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Throttled' });

    await runReminders(at.plus({ seconds: 30 }).toJSDate()); // before the backoff is over
    expect(sent.filter((message) => message.communityId === c)).toHaveLength(0);
    await Promise.all([runReminders(at.plus({ minutes: 2 }).toJSDate()), runReminders(at.plus({ minutes: 2 }).toJSDate())]);
    expect(sent.filter((message) => message.communityId === c)).toHaveLength(1);
    [digest] = (await notifications(c, token)).filter((n: { kind: string }) => n.kind === 'event_digest');
    expect(digest).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('gives up after five failed attempts and marks the notification failed', async () => {
    const { c, token } = await community({ reminderOffsetsMinutes: [60] });
    const { start } = await event(c, token, { hours: 20 });
    let at = start.minus({ minutes: 59 });
    failing = { communityId: c, times: 99 };
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await runReminders(at.toJSDate());
      at = at.plus({ hours: 1 });
    }
    const [digest] = (await notifications(c, token)).filter((n: { kind: string }) => n.kind === 'event_digest');
    expect(digest).toMatchObject({ status: 'failed', attempts: 5 });
  });

  it('reads the same capacity whether the table holds 1× or 10× future events and slots', async () => {
    const { c, token } = await community();
    const probe = DateTime.fromMillis(clock.nowMs()).plus({ days: 40 });
    // Three events whose reminders are due at the probe time, and a few far beyond it.
    for (let i = 0; i < 3; i += 1) await event(c, token, { hours: 40 * 24 + 0.5 + i / 60 });
    for (let i = 0; i < 2; i += 1) await event(c, token, { hours: 80 * 24 + i });
    const before = await listDuePlans(probe.toJSDate());
    for (let i = 0; i < 20; i += 1) await event(c, token, { hours: 80 * 24 + 2 + i });
    const day = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 90 });
    await api.call('POST', `/communities/${c}/slots/series`, { token, body: { from: day.toISODate(), to: day.plus({ days: 10 }).toISODate() } });
    const after = await listDuePlans(probe.toJSDate());
    expect(before.readUnits).toBeGreaterThan(0);
    expect(after.readUnits).toBe(before.readUnits);
    expect(after.items.length).toBe(before.items.length);
  });

  it('tells a household promoted from the waitlist, by SMS to the phone it registered with', async () => {
    const { c, token } = await community();
    const { id } = await event(c, token, { hours: 48 }, { capacity: 1 });
    const first = await api.call('POST', `/communities/${c}/events/${id}/registrations`, { body: { name: '甲', phone: '+8613700000001' } });
    await api.call('POST', `/communities/${c}/events/${id}/registrations`, { body: { name: '乙', phone: '+8613700000002' } });
    await api.call('DELETE', `/communities/${c}/events/${id}/registrations/${first.body.registration.id}`, {
      headers: { 'x-manage-token': first.body.manageToken },
    });
    await runReminders(clock.now());
    const promoted = sent.filter((message) => message.communityId === c && !forOrganisers(message));
    expect(promoted).toHaveLength(1);
    expect(promoted[0]).toMatchObject({ channel: 'sms', address: '+8613700000002', kind: 'waitlist_promoted' });
    expect(promoted[0]!.body).toContain('候补转为报名成功');
  });
});

describe('housekeeping', () => {
  it('says how long the oldest erasure still due has waited: all of it after a run with no time, nothing once a run drained it', async () => {
    const { c, token } = await community();
    const { id, start } = await event(c, token, { hours: 10 }, { capacity: 2 });
    await api.call('POST', `/communities/${c}/events/${id}/registrations`, { body: { name: '待删', phone: '+8613600000999' } });
    const housekeeping = findJob('housekeeping')!;
    // A run whose time is up before it starts leaves the erasure due, and measures it.
    const later = start.plus({ days: 92 }).toJSDate();
    const starved = await housekeeping.run(later, { timeLeftMs: () => 0 });
    expect(starved.oldestDueAgeSeconds).toBeGreaterThan(24 * 3600 - 60);
    const drained = await housekeeping.run(later);
    expect(drained).toMatchObject({ oldestDueAgeSeconds: 0, erased: expect.objectContaining({ complete: true }) });
  });

  it("erases residents' names and phones after the retention period, and keeps the counts", async () => {
    const { c, token } = await community();
    const { id, start } = await event(c, token, { hours: 10 }, { capacity: 2 });
    for (let i = 0; i < 3; i += 1) {
      await api.call('POST', `/communities/${c}/events/${id}/registrations`, { body: { name: `居民${i}`, phone: `+8613600000${100 + i}`, note: '过敏' } });
    }
    const before = (await api.call('GET', `/communities/${c}/events/${id}`)).body;
    await erasePersonalData(start.plus({ days: 89 }).toJSDate());
    expect((await api.call('GET', `/communities/${c}/events/${id}/registrations`, { token })).body.items[0].name).toBe('居民0');

    const result = await erasePersonalData(start.plus({ days: 91 }).toJSDate());
    expect(result.residents).toBeGreaterThanOrEqual(3);
    const roster = (await api.call('GET', `/communities/${c}/events/${id}/registrations`, { token })).body.items;
    expect(roster.map((entry: { name: string }) => entry.name)).toEqual(['（已删除）', '（已删除）', '（已删除）']);
    const csv = await (await fetch(`${api.url}/communities/${c}/events/${id}/registrations.csv`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(csv).not.toMatch(/居民|8613600000|过敏/);
    expect(roster.map((entry: { status: string }) => entry.status)).toEqual(['confirmed', 'confirmed', 'waitlisted']);
    expect((await api.call('GET', `/communities/${c}/events/${id}`)).body).toMatchObject({ seatsLeft: before.seatsLeft, waitlistLength: before.waitlistLength });
  });
});
