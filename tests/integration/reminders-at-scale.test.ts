import { DateTime } from 'luxon';
import type { DeliveryAdapter, Envelope } from '../../functions/delivery/adapter';
import { useDeliveryAdapter } from '../../functions/delivery';
import { inParallel } from '../../functions/services/drain';
import { runReminders } from '../../functions/services/reminders';
import * as clock from '../../functions/clock';
import { startTestApi, type TestApi } from '../support/test-api';
import { FAN_OUT_AT, FAN_OUT_COPIES, findJob } from '../../functions/jobs';
import { runJobLocally } from '../../local/server';

/** An organisers' message (a digest, a coverage alert), as opposed to one for a resident or volunteer. */
const forOrganisers = (message: Envelope) => ['event_digest', 'slot_digest', 'coverage_alert'].includes(message.kind);

/**
 * API.md: "Each run of the reminder job handles everything that is due, however much is due at
 * once: 300 reminders falling due together in one community, or across many, are all delivered by
 * the end of one run." Against DynamoDB Local, with a recording adapter in place of SNS.
 */
let api: TestApi;
const sent: Envelope[] = [];
const recording: DeliveryAdapter = { name: 'recording', deliver: async (message) => void sent.push(message) };

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  useDeliveryAdapter(recording);
});
afterAll(async () => {
  useDeliveryAdapter(undefined);
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

/** Events starting at `start`, each reminded an hour before: all due at once an hour before. */
const start = DateTime.fromMillis(clock.nowMs()).plus({ days: 3 }).startOf('hour');
const due = start.minus({ minutes: 60 }).plus({ seconds: 30 }).toJSDate();

async function community(c: string): Promise<string> {
  const token = await api.organiserToken(c);
  const settings = await api.call('PUT', `/communities/${c}/settings`, { token, body: { name: c, organiserContacts: ['desk@example.org'], reminderOffsetsMinutes: [60] } });
  expect(settings.status).toBe(200);
  return token;
}

async function event(c: string, token: string, title: string): Promise<void> {
  const response = await api.call('POST', `/communities/${c}/events`, {
    token,
    body: { title, venue: '广场', startsAt: start.toISO(), endsAt: start.plus({ hours: 2 }).toISO(), capacity: 40, status: 'published' },
  });
  expect(response.status).toBe(201);
}

it('delivers 300 reminders due at once in one community, and one in each of 120 communities, in one run', async () => {
  const one = 'scale-one';
  const token = await community(one);
  await inParallel(Array.from({ length: 300 }, (_, i) => i), 12, (i) => event(one, token, `活动${i}`));
  const many = Array.from({ length: 120 }, (_, i) => `scale-${i}`);
  await inParallel(many, 12, async (c) => event(c, await community(c), '邻里节'));

  const summary = await runReminders(due);
  // The run measured how long the oldest of them had waited: 30 s.
  expect(summary.oldestDueAgeSeconds).toBe(30);
  const digests = (c: string) => sent.filter((message) => message.communityId === c && forOrganisers(message));
  expect(digests(one)).toHaveLength(300);
  expect(many.filter((c) => digests(c).length !== 1)).toEqual([]);
  expect(summary).toMatchObject({ complete: true, failed: 0, retrying: 0 });
  expect(summary.delivered).toBeGreaterThanOrEqual(420);
  // One digest per event, each counted once however many items the run handles at a time.
  expect(summary.notificationsRecorded).toBe(420);

  // And the next run finds nothing left to do.
  const after = await runReminders(due);
  expect(after).toMatchObject({ remindersClaimed: 0, delivered: 0, complete: true, oldestDueAgeSeconds: 0 });
  process.stdout.write(`reminders at scale: ${summary.remindersClaimed} reminders and ${summary.delivered} deliveries in one run, ${summary.queueReadUnits} read units\n`);
}, 240_000);

it('stops taking new pages when the run is nearly out of time, and the next run goes on', async () => {
  const c = 'scale-budget';
  const token = await community(c);
  await inParallel(Array.from({ length: 30 }, (_, i) => i), 10, (i) => event(c, token, `活动${i}`));
  const before = sent.length;
  // Out of time from the start: nothing is taken, and the run says it is not complete.
  const short = await runReminders(due, { timeLeftMs: () => 10_000 });
  expect(short).toMatchObject({ complete: false, remindersClaimed: 0 });
  expect(sent.length).toBe(before);
  const next = await runReminders(due);
  expect(next.complete).toBe(true);
  expect(sent.filter((message) => message.communityId === c)).toHaveLength(30);
}, 120_000);

it('splits a minute of at least 200 due reminders into four copies of the run, which deliver each once between them', async () => {
  const communities = Array.from({ length: 50 }, (_, i) => `fan-${i}`);
  await inParallel(communities, 10, async (c) => {
    const token = await community(c);
    for (let e = 0; e < 4; e += 1) await event(c, token, `讲座${e}`);
  });
  expect(communities.length * 4).toBeGreaterThanOrEqual(FAN_OUT_AT);
  const before = sent.length;
  // As POST /_local/jobs/reminders and the local schedule run it: the other copies beside this one.
  const summary = await runJobLocally(findJob('reminders')!, due);
  expect(summary).toMatchObject({ fannedOut: FAN_OUT_COPIES, shard: `1/${FAN_OUT_COPIES}`, complete: true });
  const digests = sent.slice(before).filter((message) => communities.includes(message.communityId) && forOrganisers(message));
  expect(digests).toHaveLength(200);
  expect(new Set(digests.map((message) => `${message.notificationId}|${message.address}`)).size).toBe(200);
  expect(communities.filter((c) => digests.filter((message) => message.communityId === c).length !== 4)).toEqual([]);
  // The first copy did only its share: fewer than all, more than none.
  expect(summary.remindersClaimed).toBeGreaterThan(0);
  expect(summary.remindersClaimed).toBeLessThan(200);
  // Nothing left for the next minute, which runs whole again.
  const after = await runJobLocally(findJob('reminders')!, due);
  expect(after).toMatchObject({ remindersClaimed: 0, delivered: 0 });
  expect(after.fannedOut).toBeUndefined();
}, 240_000);
