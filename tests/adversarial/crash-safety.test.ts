import { DateTime } from 'luxon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { freePort, localClient, startDynamoLocal, type RunningDynamo } from '../../local/dynamodb';
import { signOrganiserToken } from '../../local/jwt';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { call, eventBody, type ApiResponse, type CallOptions } from '../support/test-api';
import * as clock from '../../functions/clock';
import type { Principal } from '../../functions/auth/principal';
import { requestRecordId } from '../../functions/http/middleware/idempotency';
import { keys } from '../../functions/store/keys';

/**
 * The database fails in the middle of a burst of every kind of write residents, volunteers and
 * organisers make under a flash crowd, each POST sent with an Idempotency-Key: sign-ups and
 * cancellations, help-desk bookings and their cancellations, check-ins and check-outs, shifts
 * taken and given back, manual hours entries and approvals, redemptions, work-order reports and
 * dispatches, wishes posted and adopted, events created and patched (a capacity raise over a
 * waiting party). It is killed (SIGKILL, then started again on the same data) or frozen (SIGSTOP
 * for a few seconds, then SIGCONT). Then every request that did not get a final answer is sent
 * again with its key, as the pages do. What must hold (API.md's invariants):
 *
 * - no answer is a 5xx other than 503;
 * - every request that got a 2xx, first or on retry, is stored;
 * - no request takes effect twice (points, stock, logs, bookings, shifts, orders, wishes and
 *   events add up to one effect per key), and a key sent again after a 2xx gets the same answer;
 * - no seat is left empty while a party that fits waits;
 * - the events' and the slots' counters agree with what they hold, and capacities hold.
 *
 * Figures of each run are printed and kept in docs/reliability.md.
 */
const CAPACITY = 25;
const RUNS = [['kill-1', 'kill'], ['kill-2', 'kill'], ['freeze', 'freeze']] as const;
/** A mainland mobile number of its own for each run and kind, so that no phone meets the per-phone limit. */
const phone = (prefix: string, run: string, i: number) => `+86${prefix}${RUNS.findIndex(([name]) => name === run)}${String(i).padStart(7, '0')}`;
/** The evening help desk the burst books and staffs: places for residents and volunteers. */
const DESK = { requestCapacity: 6, volunteerCapacity: 4 };
/** Approved by the organiser in the burst: 30 minutes at 60 points an hour. */
const APPROVED_MINUTES = 30;
const dataDir = mkdtempSync(join(tmpdir(), 'linli-crash-'));
const runtimeDir = mkdtempSync(join(tmpdir(), 'linli-crash-rt-'));
let dynamo: RunningDynamo;
let runtime: LocalRuntime;
let port: number;

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  port = await freePort();
  dynamo = await startDynamoLocal({ dataDir, port });
  runtime = await startLocalRuntime({ dataDir: runtimeDir, port: 0, tableName: 'linli', dynamodbEndpoint: dynamo.endpoint });
});
afterAll(async () => {
  await runtime.stop();
  dynamo.process.kill('SIGCONT');
  await dynamo.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(runtimeDir, { recursive: true, force: true });
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

const api = (method: string, path: string, options: CallOptions = {}) => call(runtime.url, method, path, options);
const must = (response: ApiResponse, what: string) => {
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${response.text}`);
  return response.body;
};

async function setUp(run: string) {
  const c = `crash-${run}`;
  const token = await signOrganiserToken(runtime.signingKey, c);
  must(await api('PUT', `/communities/${c}/settings`, { token, body: { name: '崩溃测试', pointsPerHour: 60 } }), 'settings');
  const eventId = must(await api('POST', `/communities/${c}/events`, { token, body: eventBody({ capacity: CAPACITY, maxPartySize: 3 }) }), 'event').event.id as string;
  const start = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').minus({ minutes: 5 });
  const series = must(
    await api('POST', `/communities/${c}/slots/series`, {
      token,
      body: { from: start.toISODate(), to: start.toISODate(), startTime: start.toFormat('HH:mm'), volunteerCapacity: 50 },
    }),
    'series',
  );
  const slotId = series.slots[0].id as string;
  const itemId = must(await api('POST', `/communities/${c}/catalogue`, { token, body: { name: '大米', pointsCost: 10, stock: 100 } }), 'item').item.id as string;
  const yesterday = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').minus({ days: 1 }).set({ hour: 19, minute: 0, second: 0, millisecond: 0 });
  const entryFor = (volunteerId: string, i: number) => ({
    volunteerId,
    startedAt: yesterday.plus({ minutes: i }).toISO(),
    endedAt: yesterday.plus({ minutes: i + 20 }).toISO(),
    note: `补录 ${i}`,
  });
  const volunteers: { id: string; token: string }[] = [];
  for (let i = 0; i < 30; i += 1) {
    const created = must(await api('POST', `/communities/${c}/volunteers`, { token, body: { name: `志愿者${i}`, phone: `+86137${run.length}${String(i).padStart(7, '0')}`, team: 'patrol' } }), 'volunteer');
    must(await api('POST', `/communities/${c}/slots/${slotId}/shifts`, { token: created.token }), 'shift');
    volunteers.push({ id: created.volunteer.id, token: created.token });
  }
  // The first ten have 20 points each to spend in the burst.
  for (const [i, volunteer] of volunteers.slice(0, 10).entries()) must(await api('POST', `/communities/${c}/hours`, { token, body: entryFor(volunteer.id, i) }), 'points');
  // Fifteen households of one hold seats before the burst; eight of them cancel in it.
  const holders: { id: string; manageToken: string }[] = [];
  for (let i = 0; i < 15; i += 1) {
    const held = must(await api('POST', `/communities/${c}/events/${eventId}/registrations`, { body: { name: `住户${i}`, phone: `+86135${String(i).padStart(8, '0')}`, partySize: 1 } }), 'holder');
    holders.push({ id: held.registration.id, manageToken: held.manageToken });
  }
  // Tomorrow evening's help desk: four residents booked and four volunteers on duty (it is full);
  // in the burst the four cancel and give back while others book and take shifts.
  const evening = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 1 });
  const deskSlotId = must(
    await api('POST', `/communities/${c}/slots/series`, { token, body: { from: evening.toISODate(), to: evening.toISODate(), startTime: '19:30', ...DESK } }),
    'desk series',
  ).slots[0].id as string;
  const bookings: { id: string; manageToken: string }[] = [];
  for (let i = 0; i < 4; i += 1) {
    const booked = must(
      await api('POST', `/communities/${c}/slots/${deskSlotId}/requests`, {
        body: { name: `求助者${i}`, phone: phone('139', run, 100 + i), category: 'appliance_repair', description: `电饭煲坏了 ${i}` },
      }),
      'booking',
    );
    bookings.push({ id: booked.request.id, manageToken: booked.manageToken });
  }
  for (const volunteer of volunteers.slice(25, 29)) must(await api('POST', `/communities/${c}/slots/${deskSlotId}/shifts`, { token: volunteer.token }), 'desk shift');
  // Ten more volunteers on tonight's slot, each checked in: five check out in the burst, five
  // checked out now (a pending log of 0 minutes) have their logs approved in it.
  const onDuty: { id: string; token: string; logId: string }[] = [];
  for (let i = 30; i < 40; i += 1) {
    const created = must(await api('POST', `/communities/${c}/volunteers`, { token, body: { name: `志愿者${i}`, phone: `+86137${run.length}${String(i).padStart(7, '0')}`, team: 'patrol' } }), 'volunteer');
    must(await api('POST', `/communities/${c}/slots/${slotId}/shifts`, { token: created.token }), 'shift');
    const log = must(await api('POST', '/me/check-ins', { token: created.token, body: { slotId } }), 'check-in').hoursLog;
    if (i >= 35) must(await api('POST', '/me/check-outs', { token: created.token }), 'check-out');
    onDuty.push({ id: created.volunteer.id, token: created.token, logId: log.id });
  }
  // Four work orders reported, to be dispatched in the burst; three wishes published, to be adopted.
  const orders: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    const reported = must(
      await api('POST', `/communities/${c}/work-orders`, { body: { name: `报修人${i}`, phone: phone('138', run, 100 + i), category: 'pipe_unclogging', description: `楼道下水管堵了 ${i}` } }),
      'work order',
    );
    orders.push(reported.workOrder.id);
  }
  const wishes: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const posted = must(await api('POST', `/communities/${c}/wishes`, { body: { name: `许愿人${i}`, phone: phone('158', run, 100 + i), title: `老花镜 ${i}`, description: '看报纸用' } }), 'wish');
    must(await api('POST', `/communities/${c}/wishes/${posted.wish.id}/publish`, { token }), 'publish');
    wishes.push(posted.wish.id);
  }
  // Four small events, each with its one seat taken and one party waiting: the burst raises each to two seats.
  const smallEvents: string[] = [];
  for (let e = 0; e < 4; e += 1) {
    const id = must(await api('POST', `/communities/${c}/events`, { token, body: eventBody({ title: `小型讲座 ${e}`, capacity: 1, maxPartySize: 1 }) }), 'small event').event.id as string;
    for (let k = 0; k < 2; k += 1) {
      must(await api('POST', `/communities/${c}/events/${id}/registrations`, { body: { name: `听众${e}${k}`, phone: phone('134', run, e * 2 + k), partySize: 1 } }), 'small sign-up');
    }
    smallEvents.push(id);
  }
  return { c, token, eventId, slotId, itemId, volunteers, holders, entryFor, deskSlotId, bookings, onDuty, orders, wishes, smallEvents };
}

type Kind =
  | 'sign-up'
  | 'cancel'
  | 'check-in'
  | 'entry'
  | 'redemption'
  | 'booking'
  | 'booking-cancel'
  | 'check-out'
  | 'shift'
  | 'give-back'
  | 'approval'
  | 'work-order'
  | 'dispatch'
  | 'wish'
  | 'adoption'
  | 'event'
  | 'event-patch';

interface Sent {
  readonly kind: Kind;
  readonly method: string;
  readonly path: string;
  readonly options: CallOptions;
  /** What each attempt answered, in order. */
  readonly answers: ApiResponse[];
  readonly volunteer?: string;
  /** The log, work order, wish or event the request acts on. */
  readonly target?: string;
}

const last = (sent: Sent) => sent.answers.at(-1)!;

type Fixture = Awaited<ReturnType<typeof setUp>>;

/** Who sent a request, as the credential check finds them: the key of its Idempotency-Key record is made with it. */
function principalOf(sent: Sent, f: Fixture): Principal {
  const token = sent.options.token;
  if (!token) {
    const manageToken = sent.options.headers?.['x-manage-token'];
    return manageToken ? { kind: 'resident', manageToken } : { kind: 'anonymous' };
  }
  if (token === f.token) return { kind: 'organiser', subject: `local-organiser-${f.c}`, communityId: f.c };
  const volunteer = [...f.volunteers, ...f.onDuty].find((one) => one.token === token);
  if (!volunteer) throw new Error(`a request sent with a token of nobody in the fixture: ${sent.kind} ${sent.path}`);
  return { kind: 'volunteer', volunteerId: volunteer.id, communityId: f.c };
}

/** The key of a request's Idempotency-Key record, as functions/http/middleware/idempotency.ts makes it. */
function recordKeyOf(sent: Sent, f: Fixture): { pk: string; sk: string } {
  return keys.idempotencyRecord(requestRecordId(sent.options.headers!['idempotency-key']!, sent.path, principalOf(sent, f)));
}
const unanswered = (response: ApiResponse) => response.status === 503 || response.status === 0;

async function send(sent: Sent): Promise<Sent> {
  try {
    sent.answers.push(await api(sent.method, sent.path, sent.options));
  } catch {
    sent.answers.push({ status: 0, headers: new Headers(), body: undefined, text: '' });
  }
  return sent;
}

async function burst(f: Fixture, run: string): Promise<Sent[]> {
  const keyed = (key: string) => ({ 'idempotency-key': `${run}-${key}` });
  const requests: Sent[] = [
    ...Array.from({ length: 150 }, (_, i): Sent => ({
      kind: 'sign-up',
      method: 'POST',
      path: `/communities/${f.c}/events/${f.eventId}/registrations`,
      options: { body: { name: `居民${i}`, phone: `+86136${String(i).padStart(8, '0')}`, partySize: 1 + (i % 3) }, headers: keyed(`sign-up-${i}`) },
      answers: [],
    })),
    ...f.holders.slice(0, 8).map((holder): Sent => ({
      kind: 'cancel',
      method: 'DELETE',
      path: `/communities/${f.c}/events/${f.eventId}/registrations/${holder.id}`,
      options: { headers: { 'x-manage-token': holder.manageToken } },
      answers: [],
    })),
    ...f.volunteers.flatMap((volunteer, i) =>
      [0, 1].map((n): Sent => ({
        kind: 'check-in',
        method: 'POST',
        path: '/me/check-ins',
        options: { token: volunteer.token, body: { slotId: f.slotId }, headers: keyed(`check-in-${i}-${n}`) },
        answers: [],
        volunteer: volunteer.id,
      })),
    ),
    ...f.volunteers.slice(10, 20).map((volunteer, i): Sent => ({
      kind: 'entry',
      method: 'POST',
      path: `/communities/${f.c}/hours`,
      options: { token: f.token, body: f.entryFor(volunteer.id, 100 + i), headers: keyed(`entry-${i}`) },
      answers: [],
      volunteer: volunteer.id,
    })),
    ...f.volunteers.slice(0, 10).flatMap((volunteer, i) =>
      [0, 1].map((n): Sent => ({
        kind: 'redemption',
        method: 'POST',
        path: '/me/redemptions',
        options: { token: volunteer.token, body: { itemId: f.itemId }, headers: keyed(`redeem-${i}-${n}`) },
        answers: [],
        volunteer: volunteer.id,
      })),
    ),
    ...Array.from({ length: 8 }, (_, i): Sent => ({
      kind: 'booking',
      method: 'POST',
      path: `/communities/${f.c}/slots/${f.deskSlotId}/requests`,
      options: { body: { name: `求助者${i}`, phone: phone('139', run, i), category: 'appliance_repair', description: `洗衣机漏水 ${i}` }, headers: keyed(`booking-${i}`) },
      answers: [],
    })),
    ...f.bookings.map((booking): Sent => ({
      kind: 'booking-cancel',
      method: 'DELETE',
      path: `/communities/${f.c}/slots/${f.deskSlotId}/requests/${booking.id}`,
      options: { headers: { 'x-manage-token': booking.manageToken } },
      answers: [],
      target: booking.id,
    })),
    ...f.onDuty.slice(0, 5).flatMap((volunteer, i) =>
      [0, 1].map((n): Sent => ({
        kind: 'check-out',
        method: 'POST',
        path: '/me/check-outs',
        options: { token: volunteer.token, headers: keyed(`check-out-${i}-${n}`) },
        answers: [],
        volunteer: volunteer.id,
        target: volunteer.logId,
      })),
    ),
    ...f.volunteers.slice(20, 25).flatMap((volunteer, i) =>
      [0, 1].map((n): Sent => ({
        kind: 'shift',
        method: 'POST',
        path: `/communities/${f.c}/slots/${f.deskSlotId}/shifts`,
        options: { token: volunteer.token, headers: keyed(`shift-${i}-${n}`) },
        answers: [],
        volunteer: volunteer.id,
      })),
    ),
    ...f.volunteers.slice(25, 29).map((volunteer): Sent => ({
      kind: 'give-back',
      method: 'DELETE',
      path: `/communities/${f.c}/slots/${f.deskSlotId}/shifts/me`,
      options: { token: volunteer.token },
      answers: [],
      volunteer: volunteer.id,
    })),
    ...f.onDuty.slice(5).flatMap((volunteer, i) =>
      [0, 1].map((n): Sent => ({
        kind: 'approval',
        method: 'POST',
        path: `/communities/${f.c}/hours/${volunteer.logId}/approve`,
        options: { token: f.token, body: { minutes: APPROVED_MINUTES, note: '按签到表核定' }, headers: keyed(`approve-${i}-${n}`) },
        answers: [],
        volunteer: volunteer.id,
        target: volunteer.logId,
      })),
    ),
    ...Array.from({ length: 8 }, (_, i): Sent => ({
      kind: 'work-order',
      method: 'POST',
      path: `/communities/${f.c}/work-orders`,
      options: { body: { name: `报修人${i}`, phone: phone('138', run, i), category: 'pipe_unclogging', description: `${run} 单元门坏了 ${i}` }, headers: keyed(`work-order-${i}`) },
      answers: [],
    })),
    ...f.orders.flatMap((order, i) =>
      [0, 1].map((n): Sent => ({
        kind: 'dispatch',
        method: 'POST',
        path: `/communities/${f.c}/work-orders/${order}/dispatch`,
        options: { token: f.token, body: { team: 'patrol' }, headers: keyed(`dispatch-${i}-${n}`) },
        answers: [],
        target: order,
      })),
    ),
    ...Array.from({ length: 8 }, (_, i): Sent => ({
      kind: 'wish',
      method: 'POST',
      path: `/communities/${f.c}/wishes`,
      options: { body: { name: `许愿人${i}`, phone: phone('158', run, i), title: `${run} 心愿 ${i}`, description: '教我和孙子视频通话' }, headers: keyed(`wish-${i}`) },
      answers: [],
    })),
    ...f.wishes.flatMap((wish, w) =>
      f.volunteers.slice(21, 24).map((volunteer, v): Sent => ({
        kind: 'adoption',
        method: 'POST',
        path: `/communities/${f.c}/wishes/${wish}/adopt`,
        options: { token: volunteer.token, body: {}, headers: keyed(`adopt-${w}-${v}`) },
        answers: [],
        volunteer: volunteer.id,
        target: wish,
      })),
    ),
    ...Array.from({ length: 5 }, (_, i): Sent => ({
      kind: 'event',
      method: 'POST',
      path: `/communities/${f.c}/events`,
      options: { token: f.token, body: eventBody({ title: `${run} 快闪活动 ${i}`, capacity: 10 }), headers: keyed(`event-${i}`) },
      answers: [],
    })),
    ...f.smallEvents.map((event, e): Sent => ({
      kind: 'event-patch',
      method: 'PATCH',
      path: `/communities/${f.c}/events/${event}`,
      options: { token: f.token, body: { capacity: 2, title: `小型讲座 ${e}（加座）` } },
      answers: [],
      target: event,
    })),
  ];
  // Interleaved kind by kind, so that the fault meets every kind of write.
  const byKind = new Map<string, Sent[]>();
  for (const sent of requests) byKind.set(sent.kind, [...(byKind.get(sent.kind) ?? []), sent]);
  const interleaved: Sent[] = [];
  for (let i = 0; interleaved.length < requests.length; i += 1) {
    for (const queue of byKind.values()) if (queue[i]) interleaved.push(queue[i]!);
  }
  return interleaved;
}

async function withFault(mode: 'kill' | 'freeze', requests: Sent[]): Promise<void> {
  let answered = 0;
  const inFlight = requests.map((sent) => send(sent).finally(() => (answered += 1)));
  const faultAfter = Math.floor(requests.length / 4);
  for (const deadline = clock.nowMs() + 20_000; answered < faultAfter && clock.nowMs() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 2));
  if (mode === 'kill') {
    dynamo.process.kill('SIGKILL');
    await Promise.all(inFlight);
    dynamo = await startDynamoLocal({ dataDir, port });
  } else {
    dynamo.process.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    dynamo.process.kill('SIGCONT');
    await Promise.all(inFlight);
  }
}

/** Sends every request without a final answer again, with its key, until it gets one. */
async function retryUnanswered(requests: Sent[]): Promise<number> {
  let retries = 0;
  for (let round = 0; round < 10; round += 1) {
    const pending = requests.filter((sent) => unanswered(last(sent)));
    if (pending.length === 0) break;
    retries += pending.length;
    await Promise.all(pending.map(send));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return retries;
}

async function pages(path: string, token: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const page: ApiResponse = await api('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token });
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

it.each(RUNS)('%s: every 2xx survives, nothing happens twice, the invariants hold', async (run, mode) => {
  const f = await setUp(run);
  const requests = await burst(f, run);
  await withFault(mode, requests);
  const faulted = requests.filter((sent) => unanswered(sent.answers[0]!)).length;
  const retries = await retryUnanswered(requests);

  // No 5xx but 503, ever; and after the retries, every request has its final answer.
  const statuses = requests.flatMap((sent) => sent.answers.map((answer) => answer.status));
  expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
  expect(faulted).toBeGreaterThan(0); // the fault did land mid-burst
  expect(requests.filter((sent) => unanswered(last(sent))).map((sent) => sent.kind)).toEqual([]);
  const ok = (kind: Sent['kind']) => requests.filter((sent) => sent.kind === kind && last(sent).status < 300);

  // DynamoDB Local acknowledges some transactions in the moment before a SIGKILL and does not have
  // them after the restart: the whole transaction is gone, the request's record with its effect
  // (its durability, not Linli's atomicity: on AWS an acknowledged write is durable). Such a
  // request is told apart by its record: a 2xx whose record is missing was lost whole. It is
  // counted and left out of "stored"; a 2xx whose record exists must have its effect.
  //
  // An approval or a dispatch sent again under another key, once the step is taken, is answered
  // as it is and writes nothing, so it has no record either: such a 2xx is not counted lost when
  // another request on the same log or order has its record (the checks below are per log and
  // per order, so they hold either way).
  const lost = new Set<Sent>();
  if (mode === 'kill') {
    const documents = DynamoDBDocumentClient.from(localClient(dynamo.endpoint));
    const recorded = new Set<Sent>();
    const withoutRecord: Sent[] = [];
    for (const sent of requests.filter((s) => s.method === 'POST' && s.answers.some((answer) => answer.status < 300))) {
      const { Item } = await documents.send(new GetCommand({ TableName: 'linli', Key: recordKeyOf(sent, f), ConsistentRead: true }));
      if (Item) recorded.add(sent);
      else withoutRecord.push(sent);
    }
    const answeredAsItIs = (sent: Sent) =>
      (sent.kind === 'approval' || sent.kind === 'dispatch') && requests.some((other) => other !== sent && other.kind === sent.kind && other.target === sent.target && recorded.has(other));
    for (const sent of withoutRecord) if (!answeredAsItIs(sent)) lost.add(sent);
  }
  // What each request was finally answered, before the unkeyed writes are sent again below.
  const final = new Map(requests.map((sent) => [sent, last(sent)] as const));
  const finalOf = (sent: Sent) => final.get(sent)!;
  const okFinal = (kind: Kind) => requests.filter((sent) => sent.kind === kind && finalOf(sent).status < 300);
  // A cancellation, a give-back and a patch are not keyed (not POSTs): each is sent again, as a
  // resident's, volunteer's or organiser's page that reloads would. A cancellation or a patch
  // again changes nothing; a give-back again is 404 (no shift held).
  for (const sent of requests.filter((s) => ['cancel', 'booking-cancel', 'give-back', 'event-patch'].includes(s.kind))) {
    sent.answers.push(await api(sent.method, sent.path, sent.options));
  }
  const kept = (sent: Sent) => !lost.has(sent);
  const show = (sent: Sent, answer = finalOf(sent)) => `${sent.kind} ${sent.path} ${answer.status} ${answer.text.slice(0, 200)}`;
  const codeOf = (answer: ApiResponse) => (answer.status < 300 ? String(answer.status) : `${answer.status} ${answer.body?.code}`);

  // Every keyed write is final now: a sign-up, an entry, a redemption, a work order, a wish and an
  // event all got their 201; every approval, dispatch, cancellation and patch its 200.
  for (const kind of ['sign-up', 'entry', 'redemption', 'work-order', 'wish', 'event'] as const) {
    expect(requests.filter((sent) => sent.kind === kind && last(sent).status !== 201).map((sent) => show(sent))).toEqual([]);
  }
  for (const kind of ['approval', 'dispatch', 'booking-cancel', 'event-patch'] as const) {
    expect(requests.filter((sent) => sent.kind === kind && finalOf(sent).status !== 200).map((sent) => show(sent))).toEqual([]);
  }
  // The others end in a 2xx or in the refusal the contract names for the state they met.
  const allowed: Partial<Record<Kind, string[]>> = {
    booking: ['201', '409 slot_full'],
    'check-out': ['200', '409 not_checked_in'],
    shift: ['201', '409 slot_full', '409 already_signed_up'],
    adoption: ['200', '409 already_taken'],
  };
  for (const [kind, codes] of Object.entries(allowed)) {
    expect(requests.filter((sent) => sent.kind === kind && !codes.includes(codeOf(finalOf(sent)))).map((sent) => show(sent))).toEqual([]);
  }
  // A give-back is 200, or 404 on a retry whose first attempt, unanswered, had given it back.
  expect(
    requests
      .filter((sent) => sent.kind === 'give-back')
      .filter((sent) => !(finalOf(sent).status === 200 || (codeOf(finalOf(sent)) === '404 not_found' && sent.answers.slice(0, -2).some(unanswered))))
      .map((sent) => show(sent)),
  ).toEqual([]);

  // A key sent again after its 2xx gets the same answer: for every keyed kind, up to 8 of each.
  const replayed = new Map<Kind, number>();
  for (const sent of requests.filter((s) => s.method === 'POST' && finalOf(s).status < 300 && kept(s))) {
    if ((replayed.get(sent.kind) ?? 0) >= 8) continue;
    replayed.set(sent.kind, (replayed.get(sent.kind) ?? 0) + 1);
    const again = await api(sent.method, sent.path, sent.options);
    expect({ request: `${sent.kind} ${sent.path}`, again: again.text }).toEqual({ request: `${sent.kind} ${sent.path}`, again: finalOf(sent).text });
  }

  // Every 201 sign-up is stored, with its manage token.
  for (const sent of ok('sign-up')) {
    const stored = await api('GET', `${sent.path}/${last(sent).body.registration.id}`, { headers: { 'x-manage-token': last(sent).body.manageToken } });
    // Stored, or (lost whole by the emulator) neither the registration nor its record: never one without the other.
    expect(stored.status).toBe(kept(sent) ? 200 : 404);
  }
  // Capacity holds, counters agree, and no waiting party fits in the seats left.
  const roster = await pages(`/communities/${f.c}/events/${f.eventId}/registrations`, f.token);
  const seats = roster.filter((r) => r.status === 'confirmed').reduce((sum, r) => sum + r.partySize, 0);
  const waiting = roster.filter((r) => r.status === 'waitlisted').map((r) => r.partySize as number);
  const event = (await api('GET', `/communities/${f.c}/events/${f.eventId}`)).body;
  expect(seats).toBeLessThanOrEqual(CAPACITY);
  expect(event.capacity - event.seatsLeft).toBe(seats);
  expect(event.waitlistLength).toBe(waiting.length);
  expect(event.waitlistPeople).toBe(waiting.reduce((sum, size) => sum + size, 0));
  expect(waiting.filter((size) => size <= CAPACITY - seats)).toEqual([]);
  expect(roster.filter((r) => r.status === 'cancelled')).toHaveLength(ok('cancel').length);

  // Points and stock: one effect per key. Volunteers 0–9 had 20 points and spent 10 twice;
  // volunteers 10–19 were entered 20 points once.
  const redemptions = await pages(`/communities/${f.c}/redemptions`, f.token);
  const keptRedemptions = ok('redemption').filter(kept);
  expect(redemptions).toHaveLength(keptRedemptions.length);
  const item = (await api('GET', `/communities/${f.c}/catalogue`)).body.items.find((i: { id: string }) => i.id === f.itemId);
  expect(item.stock).toBe(100 - keptRedemptions.length);
  for (const [i, volunteer] of f.volunteers.slice(0, 20).entries()) {
    const points = (await api('GET', '/me/points', { token: volunteer.token })).body;
    const spent = 10 * keptRedemptions.filter((sent) => sent.volunteer === volunteer.id).length;
    const entered = ok('entry').some((sent) => sent.volunteer === volunteer.id && kept(sent)) ? 20 : 0;
    expect({ volunteer: i, balance: points.balance }).toEqual({ volunteer: i, balance: i < 10 ? 20 - spent : entered });
  }

  // Every 201 check-in is stored; no volunteer has two open logs.
  let checkIns = 0;
  for (const volunteer of f.volunteers) {
    const hours = await api('GET', '/me/hours?limit=100', { token: volunteer.token });
    const open = hours.body.items.filter((log: { status: string }) => log.status === 'open');
    expect(open.length).toBeLessThanOrEqual(1);
    const listed = hours.body.items.map((log: { id: string }) => log.id);
    const lostCheckIns = requests.filter((sent) => sent.kind === 'check-in' && sent.volunteer === volunteer.id && lost.has(sent));
    for (const sent of lostCheckIns) expect(hours.body.items.map((log: { id: string }) => log.id)).not.toContain(last(sent).body?.hoursLog?.id);
    const mine = requests.filter((sent) => sent.kind === 'check-in' && sent.volunteer === volunteer.id && last(sent).status === 201 && kept(sent));
    checkIns += mine.length;
    for (const sent of mine) {
      const id = last(sent).body.hoursLog.id;
      if (!listed.includes(id)) {
        const documents = DynamoDBDocumentClient.from(localClient(dynamo.endpoint));
        const { Item } = await documents.send(new GetCommand({ TableName: 'linli', Key: { pk: `HOURS#${f.c}`, sk: `LOG#${id}` }, ConsistentRead: true }));
        const marker = await documents.send(new GetCommand({ TableName: 'linli', Key: { pk: `VOLUNTEER#${f.c}#${volunteer.id}`, sk: 'OPENLOG' }, ConsistentRead: true }));
        console.log('DIAG missing from listing; base item:', JSON.stringify(Item ?? null).slice(0, 300), 'marker:', JSON.stringify(marker.Item ?? null));
      }
      expect(listed).toContain(id);
    }
  }

  // The evening help desk: every 201 booking is stored once (a 2xx lost whole: neither it nor its
  // record), nothing else holds a place, the four cancelled, and the slot's counter agrees with
  // what it holds, within its capacity.
  for (const sent of okFinal('booking')) {
    const { request, manageToken } = finalOf(sent).body;
    const stored = await api('GET', `${sent.path}/${request.id}`, { headers: { 'x-manage-token': manageToken } });
    expect({ booking: request.id, status: stored.status, booked: stored.body?.request?.status }).toEqual(
      kept(sent) ? { booking: request.id, status: 200, booked: 'booked' } : { booking: request.id, status: 404, booked: undefined },
    );
  }
  for (const sent of requests.filter((s) => s.kind === 'booking-cancel')) {
    const stored = await api('GET', sent.path, sent.options);
    expect({ booking: sent.target, status: stored.body?.request?.status }).toEqual({ booking: sent.target, status: 'cancelled' });
  }
  const desk = (await api('GET', `/communities/${f.c}/slots/${f.deskSlotId}`, { token: f.token })).body;
  const deskBooked = desk.requests.filter((r: { status: string }) => r.status === 'booked');
  expect(deskBooked.map((r: { id: string }) => r.id).sort()).toEqual(okFinal('booking').filter(kept).map((sent) => finalOf(sent).body.request.id).sort());
  expect(new Set(deskBooked.map((r: { phone: string }) => r.phone)).size).toBe(deskBooked.length);
  expect(deskBooked.length).toBeLessThanOrEqual(DESK.requestCapacity);
  expect(desk.requestCapacity - desk.requestsLeft).toBe(deskBooked.length);

  // Its volunteers: one shift per volunteer, held by exactly those whose take was answered 201
  // (and kept), none by those who gave theirs back, within the volunteer places.
  const staffed: string[] = desk.volunteers.map((v: { id: string }) => v.id);
  expect(new Set(staffed).size).toBe(staffed.length);
  expect(staffed.length).toBeLessThanOrEqual(DESK.volunteerCapacity);
  expect(desk.volunteerCapacity - desk.volunteersLeft).toBe(staffed.length);
  const takers = f.volunteers.slice(20, 25).map((volunteer) => volunteer.id);
  for (const id of takers) {
    const mine = requests.filter((sent) => sent.kind === 'shift' && sent.volunteer === id);
    expect(mine.filter((sent) => finalOf(sent).status === 201 && kept(sent)).length).toBeLessThanOrEqual(1);
    expect({ volunteer: id, holds: staffed.includes(id) }).toEqual({ volunteer: id, holds: mine.some((sent) => finalOf(sent).status === 201 && kept(sent)) });
  }
  expect(staffed.filter((id) => !takers.includes(id))).toEqual([]);

  // Check-outs: each set-up log closed once, by the request answered 200, as answered; the
  // volunteer's other key got not_checked_in. A log still open only if its one 200 was lost whole.
  for (const volunteer of f.onDuty.slice(0, 5)) {
    const mine = requests.filter((sent) => sent.kind === 'check-out' && sent.volunteer === volunteer.id);
    const closedBy = mine.filter((sent) => finalOf(sent).status === 200 && kept(sent));
    const logs = (await api('GET', '/me/hours?limit=100', { token: volunteer.token })).body.items;
    const log = logs.find((l: { id: string }) => l.id === volunteer.logId);
    expect(logs).toHaveLength(1);
    expect(closedBy.length).toBeLessThanOrEqual(1);
    if (closedBy.length === 1) {
      const answered = finalOf(closedBy[0]!).body.hoursLog;
      expect({ id: log.id, status: log.status, checkedOutAt: log.checkedOutAt, minutes: log.minutes }).toEqual({
        id: answered.id,
        status: 'pending',
        checkedOutAt: answered.checkedOutAt,
        minutes: answered.minutes,
      });
    } else {
      expect({ volunteer: volunteer.id, status: log.status, lost: mine.some((sent) => lost.has(sent)) }).toEqual({ volunteer: volunteer.id, status: 'open', lost: true });
    }
  }

  // Approvals: each log approved once with the minutes sent, credited once (one ledger entry,
  // balance = approved minutes × 60 points an hour), whichever of its two keys did it.
  for (const volunteer of f.onDuty.slice(5)) {
    const mine = requests.filter((sent) => sent.kind === 'approval' && sent.target === volunteer.logId);
    const approved = mine.some((sent) => finalOf(sent).status === 200 && kept(sent));
    const log = (await api('GET', '/me/hours?limit=100', { token: volunteer.token })).body.items.find((l: { id: string }) => l.id === volunteer.logId);
    const points = (await api('GET', '/me/points?limit=100', { token: volunteer.token })).body;
    const credits = points.items.filter((entry: { ref: string }) => entry.ref === volunteer.logId);
    const expected = approved ? APPROVED_MINUTES : 0;
    expect({ log: log.id, status: log.status, balance: points.balance, credits: credits.length }).toEqual({
      log: volunteer.logId,
      status: approved ? 'approved' : 'pending',
      balance: expected,
      credits: approved ? 1 : 0,
    });
    if (approved) expect(credits[0].points).toBe(expected);
  }

  // Work orders: one per key, each 201 kept stored as answered, none for a 2xx lost whole;
  // dispatched to the team sent, once, whichever of the order's two keys did it.
  const orders = await pages(`/communities/${f.c}/work-orders`, f.token);
  for (const sent of requests.filter((s) => s.kind === 'work-order')) {
    const description = (sent.options.body as { description: string }).description;
    const stored = orders.filter((order) => order.description === description).map((order) => order.id);
    expect({ description, stored }).toEqual({ description, stored: kept(sent) ? [finalOf(sent).body.workOrder.id] : [] });
  }
  for (const id of f.orders) {
    const dispatched = requests.some((sent) => sent.kind === 'dispatch' && sent.target === id && finalOf(sent).status === 200 && kept(sent));
    const order = orders.find((o) => o.id === id);
    expect({ order: id, status: order.status, team: order.team }).toEqual({ order: id, status: dispatched ? 'dispatched' : 'new', team: dispatched ? 'patrol' : undefined });
  }
  expect(orders).toHaveLength(f.orders.length + okFinal('work-order').filter(kept).length);

  // Wishes: one per key; each published wish adopted by exactly one volunteer, the one answered 200,
  // every other adopter told already_taken. Not adopted only if its one 200 was lost whole.
  const wishes = await pages(`/communities/${f.c}/organiser/wishes`, f.token);
  for (const sent of requests.filter((s) => s.kind === 'wish')) {
    const title = (sent.options.body as { title: string }).title;
    const stored = wishes.filter((wish) => wish.title === title).map((wish) => wish.id);
    expect({ title, stored }).toEqual({ title, stored: kept(sent) ? [finalOf(sent).body.wish.id] : [] });
  }
  expect(wishes).toHaveLength(f.wishes.length + okFinal('wish').filter(kept).length);
  const nameOf = new Map(f.volunteers.map((volunteer, i) => [volunteer.id, `志愿者${i}`]));
  for (const id of f.wishes) {
    const adopters = requests.filter((sent) => sent.kind === 'adoption' && sent.target === id && finalOf(sent).status === 200 && kept(sent));
    const wish = wishes.find((w) => w.id === id);
    expect(adopters.length).toBeLessThanOrEqual(1);
    if (adopters.length === 1) {
      expect({ wish: id, status: wish.status, adopter: wish.adopterVolunteerName }).toEqual({ wish: id, status: 'adopted', adopter: nameOf.get(adopters[0]!.volunteer!) });
    } else {
      const lostAdoption = requests.some((sent) => sent.kind === 'adoption' && sent.target === id && lost.has(sent));
      expect({ wish: id, status: wish.status, lost: lostAdoption }).toEqual({ wish: id, status: 'published', lost: true });
    }
  }

  // Events: one per key, stored as answered.
  const events = await pages(`/communities/${f.c}/organiser/events`, f.token);
  for (const sent of requests.filter((s) => s.kind === 'event')) {
    const title = (sent.options.body as { title: string }).title;
    const stored = events.filter((event) => event.title === title).map((event) => event.id);
    expect({ title, stored }).toEqual({ title, stored: kept(sent) ? [finalOf(sent).body.event.id] : [] });
  }
  // Each patched event has its new title and two seats, both taken by the parties that were there:
  // its waiting party moved up when the capacity was raised, even when the raise met the fault and
  // was sent again (API.md: a seat freed by a capacity raise goes to the first waiting party that
  // fits, even when the database fails between them). Each event's answers are shown beside it.
  const raised = [];
  for (const [e, id] of f.smallEvents.entries()) {
    const small = (await api('GET', `/communities/${f.c}/events/${id}`)).body;
    const smallRoster = await pages(`/communities/${f.c}/events/${id}/registrations`, f.token);
    const patch = requests.find((sent) => sent.kind === 'event-patch' && sent.target === id)!;
    const answers = patch.answers.map((a) => (a.status < 300 ? `${a.status} seatsLeft ${a.body.event.seatsLeft} waitlistLength ${a.body.event.waitlistLength}` : String(a.status)));
    raised.push({
      event: e,
      title: small.title,
      capacity: small.capacity,
      confirmed: smallRoster.filter((r) => r.status === 'confirmed').length,
      seatsLeft: small.seatsLeft,
      waiting: smallRoster.filter((r) => r.status === 'waitlisted').length,
      waitlistLength: small.waitlistLength,
      answers,
    });
  }
  const emptySeats = raised.filter((r) => r.seatsLeft > 0 && r.waiting > 0).length;

  process.stdout.write(
    `crash ${run}: ${requests.length} writes, ${faulted} without an answer at the fault, ${retries} retries; ` +
      `${ok('sign-up').length} sign-ups (${seats}/${CAPACITY} seats, ${waiting.length} waiting), ${ok('cancel').length} cancellations, ` +
      `${checkIns} check-ins, ${ok('entry').length} entries, ${ok('redemption').length} redemptions, ` +
      `${okFinal('booking').length} bookings (${deskBooked.length}/${DESK.requestCapacity} places), ${okFinal('booking-cancel').length} booking cancellations, ` +
      `${okFinal('check-out').length} check-outs, ${okFinal('shift').length} shifts taken (${staffed.length}/${DESK.volunteerCapacity}), ${okFinal('give-back').length} given back, ` +
      `${okFinal('approval').length} approvals, ${okFinal('work-order').length} work orders, ${okFinal('dispatch').length} dispatches, ` +
      `${okFinal('wish').length} wishes, ${okFinal('adoption').length} adoptions, ${okFinal('event').length} events created, ${okFinal('event-patch').length} patched, each once; ` +
      `${lost.size} acknowledged by DynamoDB Local and lost whole at the kill; ` +
      `${emptySeats} of ${raised.length} capacity raises left a seat empty with a party waiting\n`,
  );
  expect(raised).toEqual(
    raised.map((r) => ({ event: r.event, title: `小型讲座 ${r.event}（加座）`, capacity: 2, confirmed: 2, seatsLeft: 0, waiting: 0, waitlistLength: 0, answers: r.answers })),
  );
}, 240_000);
