import { DateTime } from 'luxon';
import type { DeliveryAdapter, Envelope } from '../../functions/delivery/adapter';
import { DeliveryError } from '../../functions/delivery/adapter';
import { useDeliveryAdapter } from '../../functions/delivery';
import { wecomRobot } from '../../functions/delivery/wecom';
import { runReminders } from '../../functions/services/reminders';
import { claimNotification, listNotifications } from '../../functions/store/notifications';
import * as clock from '../../functions/clock';
import { startFakeWecom, type FakeWecom } from '../support/fake-wecom';
import { startTestApi, type TestApi } from '../support/test-api';

/**
 * Issue 15 / API.md (settings, notifications): an organisers' message goes to every contact in
 * Settings and to the community's 企业微信 robot, each address delivered once and shown in
 * `deliveries`. Against DynamoDB Local and a fake robot on loopback (real HTTP): e-mail and SMS go
 * through a recording adapter standing in for SES and the SMS provider, which can be told to fail.
 */
const KEY = '693a91f6-7bc4-4bc4-97a0-0ec2f5a5a5aa';
const ROBOT = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`;

let api: TestApi;
let robot: FakeWecom;
/** The fake robot's clock for its own 20-a-minute limit: the runs' simulated time where a test sets it. */
let robotNow: number | undefined;
let others: Envelope[] = [];
/** Addresses whose channel refuses, and how: every attempt fails while listed. */
let refusing = new Map<string, DeliveryError | Error>();
let printed = '';
const originalWrite = process.stdout.write.bind(process.stdout);
const originalErrWrite = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  robot = await startFakeWecom({ now: () => robotNow ?? clock.nowMs() });
  process.env.WECOM_WEBHOOK_BASE = robot.base;
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  const wecom = wecomRobot({ base: robot.base });
  const recording: DeliveryAdapter = {
    name: 'recording',
    deliver: async (envelope) => {
      if (envelope.channel === 'wecom') return wecom.deliver(envelope);
      const refusal = refusing.get(envelope.address);
      if (refusal) throw refusal;
      others.push(envelope);
    },
  };
  useDeliveryAdapter(recording);
  // Everything the process prints (logs, metrics, the outbox), to look for the robot's key.
  const capture = (original: typeof process.stdout.write) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = capture(originalWrite);
  process.stderr.write = capture(originalErrWrite);
});
afterAll(async () => {
  process.stdout.write = originalWrite;
  process.stderr.write = originalErrWrite;
  useDeliveryAdapter(undefined);
  await api.stop();
  await robot.stop();
  delete process.env.WECOM_WEBHOOK_BASE;
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});
beforeEach(() => {
  others = [];
  refusing = new Map();
});

let seq = 0;
async function community(settings: Record<string, unknown>) {
  seq += 1;
  const c = `msg-${seq}`;
  const token = await api.organiserToken(c);
  const saved = await api.call('PUT', `/communities/${c}/settings`, { token, body: { name: `消息社区${seq}`, reminderOffsetsMinutes: [60], ...settings } });
  expect(saved.status).toBe(200);
  return { c, token, saved: saved.body };
}

async function event(c: string, token: string, title: string, startsIn: { hours: number }) {
  const start = DateTime.fromMillis(clock.nowMs()).plus(startsIn).startOf('minute');
  const response = await api.call('POST', `/communities/${c}/events`, {
    token,
    body: { title, venue: '活动室', startsAt: start.toISO(), endsAt: start.plus({ hours: 2 }).toISO(), capacity: 30, volunteerCapacity: 2, status: 'published' },
  });
  expect(response.status).toBe(201);
  return start;
}

const digestsOf = async (c: string, token: string) =>
  ((await api.call('GET', `/communities/${c}/notifications?limit=100`, { token })).body.items as { kind: string; [k: string]: any }[]).filter(
    (n) => n.kind === 'event_digest',
  );

const robotMessagesFor = (title: string) => robot.messages.filter((m) => JSON.stringify(m.body).includes(title));

describe('an organisers’ reminder', () => {
  it('goes to each contact and the group robot once, each delivery recorded, and a second run sends nothing more', async () => {
    const { c, token, saved } = await community({ organiserContacts: ['desk@example.org', '+8613800138000'], wecomWebhookUrl: ROBOT });
    expect(saved.wecomWebhookUrl).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****a5aa');
    const start = await event(c, token, '邻里节·百家宴', { hours: 5 });
    const at = start.minus({ minutes: 59 }).toJSDate();

    await Promise.all([runReminders(at), runReminders(at)]);
    await runReminders(at);

    const [digest] = await digestsOf(c, token);
    expect(digest!.status).toBe('sent');
    expect(digest!.recipients).toEqual([
      { type: 'email', id: 'desk@example.org' },
      { type: 'phone', id: '+8613800138000' },
      { type: 'wecom', id: c },
    ]);
    expect(digest!.deliveries).toEqual([
      { to: 'desk@example.org', channel: 'outbox', status: 'sent', attempts: 1, sentAt: expect.any(String) },
      { to: '138****8000', channel: 'outbox', status: 'sent', attempts: 1, sentAt: expect.any(String) },
      { to: '企业微信群', channel: 'wecom', status: 'sent', attempts: 1, sentAt: expect.any(String) },
    ]);
    expect(others.filter((e) => e.communityId === c).map((e) => [e.channel, e.address])).toEqual(
      expect.arrayContaining([
        ['email', 'desk@example.org'],
        ['sms', '+8613800138000'],
      ]),
    );
    expect(others.filter((e) => e.communityId === c)).toHaveLength(2);
    const received = robotMessagesFor('邻里节·百家宴');
    expect(received).toHaveLength(1);
    expect(received[0]!.key).toBe(KEY);
    expect(received[0]!.body.msgtype).toBe('markdown');
    expect(received[0]!.body.markdown.content).toContain('消息社区');
    expect(received[0]!.body.markdown.content).toContain('报名 0/30');
    expect(received[0]!.body.markdown.content).toContain('缺人');

    // Nothing of the robot's key anywhere a resident or a log reader could see it.
    const profile = await api.call('GET', `/communities/${c}`);
    expect(profile.text).not.toContain(KEY.slice(0, 8));
    const settings = await api.call('GET', `/communities/${c}/settings`, { token });
    expect(settings.text).not.toContain(KEY.slice(0, 8));
    expect((await api.call('GET', `/communities/${c}/notifications?limit=100`, { token })).text).not.toContain(KEY.slice(0, 8));
    expect(printed).not.toContain(KEY.slice(0, 8));
    expect(printed).not.toContain('8613800138000');
  });

  it('refuses a robot address on any other host, scheme or path, and keeps the key when the masked address comes back', async () => {
    const { c, token } = await community({ organiserContacts: [], wecomWebhookUrl: ROBOT });
    for (const url of [
      `https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=${KEY}`,
      `http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`,
      `https://127.0.0.1/cgi-bin/webhook/send?key=${KEY}`,
      `https://qyapi.weixin.qq.com/cgi-bin/other?key=${KEY}`,
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****0000',
    ]) {
      const refused = await api.call('PUT', `/communities/${c}/settings`, { token, body: { name: '消息社区', wecomWebhookUrl: url } });
      expect({ url, status: refused.status, code: refused.body.code, field: refused.body.errors?.[0]?.path }).toEqual({
        url,
        status: 400,
        code: 'validation_failed',
        field: 'wecomWebhookUrl',
      });
    }
    // The console sends the masked address back with the rest of the form: the robot stays.
    const kept = await api.call('PUT', `/communities/${c}/settings`, {
      token,
      body: { name: '消息社区', wecomWebhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****a5aa' },
    });
    expect(kept.body.wecomWebhookUrl).toMatch(/\*\*\*\*a5aa$/);
    const left = await api.call('PUT', `/communities/${c}/settings`, { token, body: { name: '消息社区' } });
    expect(left.body.wecomWebhookUrl).toMatch(/\*\*\*\*a5aa$/);
    const removed = await api.call('PUT', `/communities/${c}/settings`, { token, body: { name: '消息社区', wecomWebhookUrl: null } });
    expect(removed.body.wecomWebhookUrl).toBeNull();
  });
});

describe('what an organiser changes in Settings', () => {
  it('a contact removed receives nothing more: not the next reminder, not a retry already waiting', async () => {
    const { c, token } = await community({ organiserContacts: ['desk@example.org', 'leaving@example.org'], reminderOffsetsMinutes: [120, 60] });
    const start = await event(c, token, '消防演练', { hours: 5 });
    refusing.set('leaving@example.org', Object.assign(new Error('Throttled'), { name: 'Throttling' }));
    await runReminders(start.minus({ minutes: 119 }).toJSDate());
    let [first] = await digestsOf(c, token);
    expect(first!.deliveries.map((d: { status: string }) => d.status)).toEqual(['sent', 'pending']);

    await api.call('PUT', `/communities/${c}/settings`, { token, body: { name: '消息社区', organiserContacts: ['desk@example.org'], reminderOffsetsMinutes: [120, 60] } });
    refusing = new Map();
    await runReminders(start.minus({ minutes: 59 }).toJSDate());
    const reached = others.filter((e) => e.communityId === c).map((e) => e.address);
    expect(reached).not.toContain('leaving@example.org');
    expect(reached).toEqual(['desk@example.org', 'desk@example.org']);
    const digests = await digestsOf(c, token);
    [first] = digests.filter((d) => d.id === first!.id);
    expect(first!.deliveries[1]).toMatchObject({ to: 'leaving@example.org', status: 'failed', error: 'removed_from_settings' });
    const second = digests.find((d) => d.id !== first!.id)!;
    expect(second.recipients).toEqual([{ type: 'email', id: 'desk@example.org' }]);
  });

  it('a failing channel is retried with backoff, then failed, with the failure counted as a metric', async () => {
    const { c, token } = await community({ organiserContacts: ['+8613900139000'] });
    const start = await event(c, token, '义诊', { hours: 20 });
    refusing.set('+8613900139000', new DeliveryError('tencent:InternalError'));
    const metricsBefore = printed.split('"DeliveriesFailed"').length;
    let at = start.minus({ minutes: 59 });
    for (let run = 0; run < 6; run += 1) {
      await runReminders(at.toJSDate());
      at = at.plus({ hours: 1 });
    }
    const [digest] = await digestsOf(c, token);
    expect(digest).toMatchObject({ status: 'failed', attempts: 5, lastError: 'tencent:InternalError' });
    expect(digest!.deliveries).toEqual([{ to: '139****9000', channel: 'outbox', status: 'failed', attempts: 5, error: 'tencent:InternalError' }]);
    const metrics = printed
      .split('\n')
      .filter((line) => line.includes('"DeliveriesFailed"'))
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))));
    expect(printed.split('"DeliveriesFailed"').length).toBeGreaterThan(metricsBefore);
    expect(metrics.at(-1)).toMatchObject({ DeliveriesFailed: 1, Channel: 'outbox', _aws: { CloudWatchMetrics: [{ Namespace: 'Linli', Dimensions: [['Channel']] }] } });
  });

  it('a run that dies while handing over leaves that address failed (outcome unknown), never sent twice; the next run sends the rest', async () => {
    const { c, token } = await community({ organiserContacts: ['first@example.org', 'second@example.org'] });
    const start = await event(c, token, '中秋赏月', { hours: 20 });
    const at = start.minus({ minutes: 59 });
    // Both refuse at first: the digest waits for its retries.
    refusing.set('first@example.org', new DeliveryError('ses:TooManyRequestsException'));
    refusing.set('second@example.org', new DeliveryError('ses:TooManyRequestsException'));
    await runReminders(at.toJSDate());
    refusing = new Map();
    const [stored] = (await listNotifications(c, { limit: 100 })).items.filter((n) => n.kind === 'event_digest');
    // A run claims it and hands the first address over, then dies before recording anything.
    const deadRun = at.plus({ minutes: 2 });
    const deliveries = stored!.deliveries!.map((d, i) => (i === 0 ? { ...d, status: 'sending' as const, claim: 'dead-run' } : d));
    expect(await claimNotification(stored!, { token: 'dead-run', until: deadRun.plus({ minutes: 5 }).toISO()!, now: deadRun.toISO()!, deliveries })).toBe(true);

    // While its claim holds, nobody touches it; once it lapses, the next run finishes it.
    await runReminders(deadRun.plus({ minutes: 1 }).toJSDate());
    expect(others.filter((e) => e.communityId === c)).toEqual([]);
    await runReminders(deadRun.plus({ minutes: 6 }).toJSDate());
    expect(others.filter((e) => e.communityId === c).map((e) => e.address)).toEqual(['second@example.org']);
    const [digest] = await digestsOf(c, token);
    expect(digest).toMatchObject({ status: 'sent' });
    expect(digest!.deliveries.map((d: { to: string; status: string; error?: string }) => [d.to, d.status, d.error ?? null])).toEqual([
      ['first@example.org', 'failed', 'outcome_unknown'],
      ['second@example.org', 'sent', null],
    ]);
  });

  it('a permanent refusal is failed at once, not retried', async () => {
    const { c, token } = await community({ organiserContacts: ['+8613900139001'] });
    const start = await event(c, token, '理发', { hours: 20 });
    refusing.set('+8613900139001', new DeliveryError('tencent:InvalidParameterValue.IncorrectPhoneNumber', { permanent: true }));
    await runReminders(start.minus({ minutes: 59 }).toJSDate());
    const [digest] = await digestsOf(c, token);
    expect(digest).toMatchObject({ status: 'failed', attempts: 1, deliveries: [{ status: 'failed', error: 'tencent:InvalidParameterValue.IncorrectPhoneNumber' }] });
  });

  it('the robot’s own limit (45009) is waited out, and the message goes once on a later run', async () => {
    const { c, token } = await community({ organiserContacts: [], wecomWebhookUrl: ROBOT.replace('a5aa', 'b5bb') });
    const start = await event(c, token, '包饺子', { hours: 20 });
    robot.failNext(45009);
    const at = start.minus({ minutes: 59 });
    await runReminders(at.toJSDate());
    let [digest] = await digestsOf(c, token);
    expect(digest!.deliveries).toEqual([{ to: '企业微信群', channel: 'wecom', status: 'pending', attempts: 1, error: 'wecom:45009' }]);
    await runReminders(at.plus({ seconds: 30 }).toJSDate());
    expect(robotMessagesFor('包饺子')).toHaveLength(0);
    await runReminders(at.plus({ minutes: 2 }).toJSDate());
    expect(robotMessagesFor('包饺子')).toHaveLength(1);
    [digest] = await digestsOf(c, token);
    expect(digest).toMatchObject({ status: 'sent', deliveries: [{ status: 'sent', attempts: 2 }] });
  });

  it('no more than 20 messages a minute go to one robot, however many are due; the rest go the next minute', async () => {
    const robotUrl = ROBOT.replace('a5aa', 'c5cc');
    const { c, token } = await community({ organiserContacts: [], wecomWebhookUrl: robotUrl });
    const start = DateTime.fromMillis(clock.nowMs()).plus({ hours: 30 }).startOf('minute');
    for (let i = 0; i < 25; i += 1) {
      const response = await api.call('POST', `/communities/${c}/events`, {
        token,
        body: { title: `楼道议事${i}`, venue: '活动室', startsAt: start.toISO(), endsAt: start.plus({ hours: 1 }).toISO(), capacity: 10, status: 'published' },
      });
      expect(response.status).toBe(201);
    }
    const at = start.minus({ minutes: 59 }).startOf('minute').plus({ seconds: 5 });
    const mine = () => robot.messages.filter((m) => m.key === KEY.replace('a5aa', 'c5cc')).length;
    robotNow = at.toMillis();
    await runReminders(at.toJSDate());
    expect(mine()).toBe(20);
    expect((await digestsOf(c, token)).filter((d) => d.deliveries[0].error === 'wecom_rate_limited')).toHaveLength(5);
    robotNow = at.plus({ minutes: 1 }).toMillis();
    await runReminders(at.plus({ minutes: 1 }).toJSDate());
    robotNow = undefined;
    // The fake robot answers 45009 past 20 in its minute: none did, so none was refused.
    expect(mine()).toBe(25);
    const digests = await digestsOf(c, token);
    expect(digests.filter((d) => d.status === 'sent')).toHaveLength(25);
  });
});
