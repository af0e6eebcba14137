import { DateTime } from 'luxon';
import * as clock from '../../functions/clock';
import type { DeliveryAdapter, Envelope } from '../../functions/delivery/adapter';
import { useDeliveryAdapter } from '../../functions/delivery';
import { runReminders } from '../../functions/services/reminders';
import { startTestApi, type TestApi } from '../support/test-api';

/**
 * A community in Europe/Berlin, on whatever day the suite runs, and in the fixed-instant projects of
 * jest.config.js also on the night the clocks go forward there: its days, evenings and months are
 * Berlin's (not Shanghai's, not UTC's) on both sides of a clock change. Expectations are worked out
 * with luxon from the test's clock, so they hold on any date.
 */
const C = 'kiez';
const ZONE = 'Europe/Berlin';

let api: TestApi;
let token: string;
let sent: Envelope[] = [];
const recording: DeliveryAdapter = { name: 'recording', deliver: async (message) => void sent.push(message) };

beforeAll(async () => {
  api = await startTestApi();
  useDeliveryAdapter(recording);
  token = await api.organiserToken(C);
  const settings = await api.call('PUT', `/communities/${C}/settings`, {
    token,
    body: { name: 'Kiez am Park', timezone: ZONE, pointsPerHour: 60, organiserContacts: ['kiez@example.org'], reminderOffsetsMinutes: [1440] },
  });
  expect(settings.status).toBe(200);
});
afterAll(async () => {
  useDeliveryAdapter(undefined);
  await api.stop();
});

/** Now, as a clock on the wall in Berlin shows it. */
const berlinNow = () => DateTime.fromMillis(clock.nowMs(), { zone: ZONE });
/** 19:00 on `date` (YYYY-MM-DD) in Berlin, whatever its offset that day. */
const sevenPm = (date: string) => DateTime.fromISO(`${date}T19:00`, { zone: ZONE });
const asOrganiser = async (method: string, path: string, body?: unknown) => {
  const response = await api.call(method, path, { token, body });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.body;
};

describe('a community in Europe/Berlin', () => {
  it('plans evenings at 19:00 Berlin time, each one hour long, with the offset of its own day', async () => {
    // From yesterday evening on: on the night the clocks go forward, the first evening is in winter
    // time (+01:00) and the rest in summer time (+02:00).
    const from = berlinNow().minus({ days: 1 });
    const to = from.plus({ days: 9 });
    const made = await asOrganiser('POST', `/communities/${C}/slots/series`, { from: from.toISODate(), to: to.toISODate(), startTime: '19:00' });
    expect(made.created).toBe(10);
    for (const [index, slot] of (made.slots as { startsAt: string; endsAt: string }[]).entries()) {
      const expected = sevenPm(from.plus({ days: index }).toISODate()!);
      expect(Date.parse(slot.startsAt)).toBe(expected.toMillis());
      expect(slot.startsAt).toBe(expected.toISO({ suppressMilliseconds: true }));
      expect(Date.parse(slot.endsAt) - Date.parse(slot.startsAt)).toBe(3_600_000);
    }

    // One Berlin day, midnight to midnight: that day's evening and no other.
    const day = from.plus({ days: 2 }).toISODate()!;
    const listed = await api.call('GET', `/communities/${C}/slots?from=${day}&to=${day}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((slot: { startsAt: string }) => Date.parse(slot.startsAt))).toEqual([sevenPm(day).toMillis()]);
  });

  it('lists an event that starts just after midnight in Berlin under its Berlin day', async () => {
    const day = berlinNow().plus({ days: 3 }).startOf('day');
    const start = day.plus({ minutes: 30 }); // 00:30 in Berlin is still the day before in UTC
    const created = await asOrganiser('POST', `/communities/${C}/events`, {
      title: 'Nachtwanderung',
      venue: 'Park',
      startsAt: start.toISO(),
      endsAt: start.plus({ hours: 2 }).toISO(),
      capacity: 20,
      status: 'published',
    });
    const ids = async (from: string) =>
      (await api.call('GET', `/communities/${C}/events?from=${from}&limit=100`)).body.items.map((event: { id: string }) => event.id);
    expect(await ids(day.toISODate()!)).toContain(created.event.id);
    expect(await ids(day.plus({ days: 1 }).toISODate()!)).not.toContain(created.event.id);
    expect(created.event.startsAt).toBe(start.toISO({ suppressMilliseconds: true }));
  });

  it('counts hours in the Berlin month they were worked in, on both sides of a month boundary', async () => {
    const volunteer = await asOrganiser('POST', `/communities/${C}/volunteers`, { name: 'Jonas', phone: '+4915112345678', team: 'patrol' });
    const lastMonth = berlinNow().startOf('month').minus({ months: 1 });
    // 00:30–01:30 on the 1st of last month (still the month before in UTC) and 23:00–23:30 on the
    // last evening of the month before (already last month in Shanghai).
    const early = lastMonth.plus({ minutes: 30 });
    const late = lastMonth.minus({ hours: 1 });
    for (const [start, minutes] of [
      [early, 60],
      [late, 30],
    ] as const) {
      await asOrganiser('POST', `/communities/${C}/hours`, {
        volunteerId: volunteer.volunteer.id,
        startedAt: start.toISO(),
        endedAt: start.plus({ minutes }).toISO(),
        note: 'nachgetragen',
      });
    }
    const patrolMinutes = async (month: DateTime) => {
      const report = await asOrganiser('GET', `/communities/${C}/reports/hours?month=${month.toFormat('yyyy-MM')}`);
      expect(report.month).toBe(month.toFormat('yyyy-MM'));
      return report.teams.find((row: { team: string }) => row.team === 'patrol')?.minutes ?? 0;
    };
    expect(await patrolMinutes(lastMonth)).toBe(60);
    expect(await patrolMinutes(lastMonth.minus({ months: 1 }))).toBe(30);
  });

  it("reminds the organisers a day ahead and names the event's Berlin time", async () => {
    const start = berlinNow().plus({ days: 2 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    const created = await asOrganiser('POST', `/communities/${C}/events`, {
      title: 'Flohmarkt',
      venue: 'Hof',
      startsAt: start.toISO(),
      endsAt: start.plus({ hours: 3 }).toISO(),
      capacity: 30,
      status: 'published',
    });
    const aboutIt = () => sent.filter((message) => message.communityId === C && message.body.includes('Flohmarkt'));
    // A day before in elapsed time (API.md: offsets are minutes before the start), give or take a
    // clock change in between; nothing is sent a minute before that.
    const due = start.minus({ minutes: 1440 });
    await runReminders(due.minus({ minutes: 1 }).toJSDate());
    expect(aboutIt()).toEqual([]);
    await runReminders(due.toJSDate());
    expect(aboutIt()).toHaveLength(1);
    expect(aboutIt()[0]).toMatchObject({ channel: 'email', address: 'kiez@example.org' });
    expect(aboutIt()[0]!.body).toContain(`${start.month}月${start.day}日 09:00`);
    const listed = await asOrganiser('GET', `/communities/${C}/notifications?limit=100`);
    expect(listed.items.filter((item: { targetId: string }) => item.targetId === created.event.id)).toHaveLength(1);
  });
});
