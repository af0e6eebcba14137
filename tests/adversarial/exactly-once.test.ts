import { DateTime } from 'luxon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoLocal, type RunningDynamo } from '../../local/dynamodb';
import { signOrganiserToken } from '../../local/jwt';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import * as clock from '../../functions/clock';
import { startLossyProxy, type LossyProxy } from '../support/lossy-proxy';
import type { DeliveryAdapter, Envelope } from '../../functions/delivery/adapter';
import { useDeliveryAdapter } from '../../functions/delivery';
import { runReminders } from '../../functions/services/reminders';
import { call, eventBody, type ApiResponse } from '../support/test-api';

/**
 * API.md: "A request retried with its Idempotency-Key after any outcome of the first attempt (a
 * timeout, a 5xx, a crash) never takes effect twice and gets the first response."
 *
 * Two real faults, on a DynamoDB Local of this suite's own:
 * - the answer to a write is lost on the way back (tests/support/lossy-proxy.ts): the effect is
 *   stored and the caller gets `503`, the case no client can tell from "nothing happened";
 * - the database process is frozen (SIGSTOP) under requests, then thawed (SIGCONT).
 * Then every request is sent again with its key, as the contract and the pages do.
 */
const runtimeDir = mkdtempSync(join(tmpdir(), 'linli-once-'));
let dynamo: RunningDynamo;
let proxy: LossyProxy;
let runtime: LocalRuntime;

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  dynamo = await startDynamoLocal();
  proxy = await startLossyProxy(dynamo.endpoint);
  runtime = await startLocalRuntime({ dataDir: runtimeDir, port: 0, tableName: 'linli', dynamodbEndpoint: proxy.endpoint });
}, 60_000);
afterAll(async () => {
  await runtime.stop();
  await proxy.stop();
  dynamo.process.kill('SIGCONT');
  await dynamo.stop();
  rmSync(runtimeDir, { recursive: true, force: true });
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(runtime.url, method, path, options);
const keyed = (key: string, extra: Record<string, string> = {}) => ({ 'idempotency-key': key, ...extra });

const ok = (response: ApiResponse) => {
  if (response.status >= 300) throw new Error(`${response.status} ${response.text}`);
  return response;
};

async function community(c: string) {
  const token = await signOrganiserToken(runtime.signingKey, c);
  ok(await api('PUT', `/communities/${c}/settings`, { token, body: { name: '恰好一次', pointsPerHour: 60 } }));
  const event = ok(await api('POST', `/communities/${c}/events`, { token, body: eventBody({ capacity: 10 }) }));
  const volunteer = ok(await api('POST', `/communities/${c}/volunteers`, { token, body: { name: '陈师傅', phone: '+8613700001111', team: 'patrol' } }));
  const item = ok(await api('POST', `/communities/${c}/catalogue`, { token, body: { name: '大米', pointsCost: 10, stock: 5 } }));
  const yesterday = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').minus({ days: 1 }).set({ hour: 19, minute: 0, second: 0, millisecond: 0 });
  return {
    c,
    token,
    eventId: event.body.event.id as string,
    volunteerId: volunteer.body.volunteer.id as string,
    volunteerToken: volunteer.body.token as string,
    itemId: item.body.item.id as string,
    /** 20 minutes at 60 points an hour: 20 points. */
    entry: { volunteerId: volunteer.body.volunteer.id, startedAt: yesterday.toISO(), endedAt: yesterday.plus({ minutes: 20 }).toISO(), note: '补录' },
  };
}

type Fixture = Awaited<ReturnType<typeof community>>;

async function balanceAndStock(f: Fixture) {
  const me = await api('GET', '/me/points', { token: f.volunteerToken });
  const catalogue = await api('GET', `/communities/${f.c}/catalogue`, { token: f.volunteerToken });
  const item = catalogue.body.items.find((i: { id: string }) => i.id === f.itemId);
  const hours = await api('GET', '/me/hours?limit=100', { token: f.volunteerToken });
  return { balance: me.body.balance as number, stock: item.stock as number, logs: hours.body.items.length as number };
}

async function registrationsOf(f: Fixture) {
  const roster = await api('GET', `/communities/${f.c}/events/${f.eventId}/registrations?limit=100`, { token: f.token });
  return roster.body.items as { id: string; status: string; phone: string }[];
}

const expectUnavailable = (response: ApiResponse) => {
  expect(response.status).toBe(503);
  expect(response.body.code).toBe('unavailable');
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
};

describe('a lost answer, then the same request again with its key', () => {
  it('credits a manual hours entry once and answers the retry as the entry was made', async () => {
    const f = await community('lost-hours');
    proxy.loseWrites = true;
    const first = await api('POST', `/communities/${f.c}/hours`, { token: f.token, body: f.entry, headers: keyed('hours-1') });
    proxy.loseWrites = false;
    expectUnavailable(first);
    expect((await balanceAndStock(f)).balance).toBe(20); // stored, though its caller was told 503

    const retried = await api('POST', `/communities/${f.c}/hours`, { token: f.token, body: f.entry, headers: keyed('hours-1') });
    expect(retried.status).toBe(201);
    expect(retried.body.hoursLog).toMatchObject({ status: 'approved', minutes: 20, points: 20 });
    const again = await api('POST', `/communities/${f.c}/hours`, { token: f.token, body: f.entry, headers: keyed('hours-1') });
    expect(again.status).toBe(201);
    expect(again.text).toBe(retried.text);
    expect(await balanceAndStock(f)).toMatchObject({ balance: 20, logs: 1 });
  });

  it('stores a registration once and shows its manage token on the retry', async () => {
    const f = await community('lost-registration');
    const body = { name: '王阿姨', phone: '+8613911112222', partySize: 2 };
    const path = `/communities/${f.c}/events/${f.eventId}/registrations`;
    proxy.loseWrites = true;
    const first = await api('POST', path, { body, headers: keyed('form-1') });
    proxy.loseWrites = false;
    expectUnavailable(first);

    const retried = await api('POST', path, { body, headers: keyed('form-1') });
    expect(retried.status).toBe(201);
    expect(retried.body.registration).toMatchObject({ status: 'confirmed', partySize: 2 });
    expect(retried.body.manageToken).toMatch(/^mt_/);
    const own = await api('GET', `${path}/${retried.body.registration.id}`, { headers: { 'x-manage-token': retried.body.manageToken } });
    expect(own.status).toBe(200);
    const again = await api('POST', path, { body, headers: keyed('form-1') });
    expect(again.text).toBe(retried.text);
    expect(await registrationsOf(f)).toHaveLength(1);
    // Without the key it is a new request, and the phone already holds a place.
    expect((await api('POST', path, { body })).body.code).toBe('duplicate_registration');
  });

  it('takes points and stock for a redemption once', async () => {
    const f = await community('lost-redemption');
    await api('POST', `/communities/${f.c}/hours`, { token: f.token, body: f.entry });
    proxy.loseWrites = true;
    const first = await api('POST', '/me/redemptions', { token: f.volunteerToken, body: { itemId: f.itemId }, headers: keyed('redeem-1') });
    proxy.loseWrites = false;
    expectUnavailable(first);
    expect(await balanceAndStock(f)).toMatchObject({ balance: 10, stock: 4 });

    const retried = await api('POST', '/me/redemptions', { token: f.volunteerToken, body: { itemId: f.itemId }, headers: keyed('redeem-1') });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ redemption: { status: 'reserved', points: 10 }, balance: 10 });
    const again = await api('POST', '/me/redemptions', { token: f.volunteerToken, body: { itemId: f.itemId }, headers: keyed('redeem-1') });
    expect(again.text).toBe(retried.text);
    expect(await balanceAndStock(f)).toMatchObject({ balance: 10, stock: 4 });
  });

  it('never sends an answer it could not store: the effect stands, the caller gets 503, and every later answer is one', async () => {
    const f = await community('unstored-answer');
    await api('POST', `/communities/${f.c}/hours`, { token: f.token, body: f.entry });
    // The redemption commits; storing its answer (the record's completion) cannot reach the database.
    proxy.refuse = (target, body) => target.endsWith('.UpdateItem') && body.includes('IDEMPOTENCY#');
    const first = await api('POST', '/me/redemptions', { token: f.volunteerToken, body: { itemId: f.itemId }, headers: keyed('redeem-unstored') });
    proxy.refuse = undefined;
    expectUnavailable(first);
    expect(await balanceAndStock(f)).toMatchObject({ balance: 10, stock: 4 });
    // The balance moves before the retry: an answer sent then and rebuilt now would differ.
    await api('POST', '/me/redemptions', { token: f.volunteerToken, body: { itemId: f.itemId } });

    const answers = [];
    for (let i = 0; i < 3; i += 1) {
      answers.push(await api('POST', '/me/redemptions', { token: f.volunteerToken, body: { itemId: f.itemId }, headers: keyed('redeem-unstored') }));
    }
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(await balanceAndStock(f)).toMatchObject({ balance: 0, stock: 3 });
  });

  it('refuses the key for another body, even when only the effect was stored', async () => {
    const f = await community('lost-reuse');
    proxy.loseWrites = true;
    expectUnavailable(await api('POST', `/communities/${f.c}/hours`, { token: f.token, body: f.entry, headers: keyed('hours-2') }));
    proxy.loseWrites = false;
    const other = await api('POST', `/communities/${f.c}/hours`, { token: f.token, body: { ...f.entry, note: '另一条' }, headers: keyed('hours-2') });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
  });
});

describe('the database frozen under keyed requests', () => {
  it('answers 503 with Retry-After within the function timeout, and the retries take effect once', async () => {
    const f = await community('frozen');
    await api('POST', `/communities/${f.c}/hours`, { token: f.token, body: f.entry });
    const registration = { name: '李大爷', phone: '+8613922223333', partySize: 1 };
    const send = () =>
      Promise.all([
        api('POST', `/communities/${f.c}/hours`, { token: f.token, body: f.entry, headers: keyed('frozen-hours') }),
        api('POST', `/communities/${f.c}/events/${f.eventId}/registrations`, { body: registration, headers: keyed('frozen-form') }),
        api('POST', '/me/redemptions', { token: f.volunteerToken, body: { itemId: f.itemId }, headers: keyed('frozen-redeem') }),
      ]);
    dynamo.process.kill('SIGSTOP');
    const started = clock.nowMs();
    let frozen: ApiResponse[];
    let read: ApiResponse;
    try {
      [frozen, read] = await Promise.all([send(), api('GET', `/communities/${f.c}/events/${f.eventId}`)]);
    } finally {
      dynamo.process.kill('SIGCONT');
    }
    expect(clock.nowMs() - started).toBeLessThan(10_000);
    for (const response of [...frozen, read]) expectUnavailable(response);

    const retried = await send();
    expect(retried.map((response) => response.status)).toEqual([201, 201, 201]);
    const again = await send();
    expect(again.map((response) => response.text)).toEqual(retried.map((response) => response.text));
    // 20 + 20 points entered, 10 spent; one log more; one registration; one item gone.
    expect(await balanceAndStock(f)).toMatchObject({ balance: 30, stock: 4, logs: 2 });
    expect(await registrationsOf(f)).toHaveLength(1);
  }, 60_000);
});

describe('copies of one keyed request at once', () => {
  it('take effect once and all get the same answer', async () => {
    const f = await community('copies');
    const body = { name: '张', phone: '+8613933334444', partySize: 1 };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => api('POST', `/communities/${f.c}/events/${f.eventId}/registrations`, { body, headers: keyed('copies-1') })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((response) => response.body.registration.id)).size).toBe(1);
    expect(new Set(responses.map((response) => response.body.manageToken)).size).toBe(1);
    expect(await registrationsOf(f)).toHaveLength(1);
  });
});

describe('a reminder run whose writes lose their answers', () => {
  /**
   * The SDK sends a write again when its answer is lost; the first may have been stored. Each of
   * the run's conditional writes (the plan's claim, the notice's record, the notice's claim and
   * its release) loses its first answer here: the run must still know its own write, so that the
   * organisers get the reminder once, not never (a claim taken for somebody else's) and not twice.
   */
  it('delivers the reminder once, records it once and leaves nothing due', async () => {
    const c = 'lost-reminder';
    const token = await signOrganiserToken(runtime.signingKey, c);
    ok(await api('PUT', `/communities/${c}/settings`, { token, body: { name: '提醒', organiserContacts: ['desk@example.org'], reminderOffsetsMinutes: [60] } }));
    const start = DateTime.fromMillis(clock.nowMs()).plus({ days: 3 }).startOf('hour');
    ok(await api('POST', `/communities/${c}/events`, { token, body: eventBody({ capacity: 10, startsAt: start.toISO()!, endsAt: start.plus({ hours: 2 }).toISO()! }) }));
    const due = start.minus({ minutes: 60 }).plus({ seconds: 30 }).toJSDate();

    const sent: Envelope[] = [];
    const recording: DeliveryAdapter = { name: 'recording', deliver: async (message) => void sent.push(message) };
    const writes: Record<string, (target: string, body: string) => boolean> = {
      'claim the plan': (target, body) => target.endsWith('.UpdateItem') && body.includes(`REMINDERS#${c}#`) && body.includes('REMOVE gsi2pk'),
      'record the notice': (target, body) => target.endsWith('.PutItem') && body.includes('NOTIFICATION#') && body.includes('recordedBy'),
      'claim the notice': (target, body) => target.endsWith('.UpdateItem') && body.includes('claimedUntil = :until'),
      'release the notice': (target, body) => target.endsWith('.UpdateItem') && body.includes(':released'),
    };
    const lostOnce = new Set<string>();
    const lostBefore = proxy.lost;
    proxy.loseAnswer = (target, body) => {
      const write = Object.keys(writes).find((name) => writes[name]!(target, body));
      if (!write || lostOnce.has(write)) return false;
      lostOnce.add(write);
      return true;
    };
    useDeliveryAdapter(recording);
    try {
      const summary = await runReminders(due);
      expect([...lostOnce].sort()).toEqual(Object.keys(writes).sort());
      expect(proxy.lost - lostBefore).toBe(4);
      expect(summary).toMatchObject({ notificationsRecorded: 1, delivered: 1, retrying: 0, failed: 0, complete: true });
    } finally {
      proxy.loseAnswer = undefined;
      useDeliveryAdapter(undefined);
    }
    expect(sent.filter((message) => message.communityId === c && message.kind === 'event_digest')).toHaveLength(1);
    // The organiser's list shows it sent, and the next run finds nothing of it left to do.
    const listed = ok(await api('GET', `/communities/${c}/notifications`, { token }));
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ kind: 'event_digest', status: 'sent', deliveries: [{ to: 'desk@example.org', status: 'sent' }] });
    const after = await runReminders(due);
    expect(after).toMatchObject({ remindersClaimed: 0, delivered: 0 });
  }, 60_000);
});

describe("an organiser's patch whose answer is lost on the way back", () => {
  it('is applied once: the SDK sends it again, finds its own write, and the version moves by one', async () => {
    const f = await community('lost-patch');
    const version = (await ok(await api('PATCH', `/communities/${f.c}/events/${f.eventId}`, { token: f.token, body: { title: '读版本' } }))).body.event.version as number;
    // The patch's conditional write (on the version read): its first answer is cut, the rest pass.
    let sends = 0;
    proxy.loseAnswer = (target, body) => target.endsWith('.UpdateItem') && body.includes(':expected') && sends++ === 0;
    try {
      const patched = ok(await api('PATCH', `/communities/${f.c}/events/${f.eventId}`, { token: f.token, body: { capacity: 12 } }));
      expect(sends).toBeGreaterThanOrEqual(2);
      expect(patched.body.event).toMatchObject({ capacity: 12, version: version + 1 });
    } finally {
      proxy.loseAnswer = undefined;
    }
  });
});
