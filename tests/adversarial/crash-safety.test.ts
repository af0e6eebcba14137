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
import { useDeliveryAdapter } from '../../functions/delivery';
import { outboxAdapter } from '../../functions/delivery/outbox';
import { routes } from '../../functions/routes';

/**
 * The database fails in the middle of a burst of every kind of write residents, volunteers and
 * organisers make under a flash crowd, on every state-changing route of the table (each run checks
 * that the burst sends one request at least to each), each POST sent with an Idempotency-Key:
 * sign-ups and cancellations, help-desk bookings and their cancellations, check-ins and
 * check-outs, shifts taken and given back (evenings and events) and put by the organiser, manual
 * hours entries, approvals and rejections, redemptions collected and cancelled, items added and
 * changed, work orders reported (by residents and on rounds), dispatched, accepted, resolved,
 * rated and rejected, wishes posted, published, adopted, fulfilled and rejected, events created
 * and patched (a capacity raise over a waiting party), a slot series, evenings patched (a raise,
 * a cancellation), volunteers registered, changed and their tokens rotated, the settings, and a
 * sign-up, booking, report and wish held for their phone's code and verified (the code read from
 * the local outbox). It is killed (SIGKILL, then started again on the same data) or frozen
 * (SIGSTOP for a few seconds, then SIGCONT). Then every request that did not get a final answer is
 * sent again with its key, as the pages do. What must hold (API.md's invariants):
 *
 * - no answer is a 5xx other than 503;
 * - every request that got a 2xx, first or on retry, is stored;
 * - no request takes effect twice (points, stock, logs, bookings, shifts, orders, wishes, events,
 *   slots, volunteers, tokens and items add up to one effect per key), and a key sent again after
 *   a 2xx gets the same answer;
 * - no seat is left empty while a party that fits waits; a cancelled evening's residents are told;
 * - the events' and the slots' counters agree with what they hold, capacities hold, and no balance
 *   or stock goes below zero.
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
/** Volunteer places at the big event: two held before the burst and given back in it, five volunteers after them. */
const EVENT_VOLUNTEERS = 3;
/** The minutes of the work order resolved in the burst, and of the one resolved before it (its log rejected in the burst). */
const RESOLVED_MINUTES = 45;
const REJECTED_MINUTES = 50;
/** Volunteer 29's points before the burst (40 minutes entered), spent on four reservations of 10 points before it. */
const SHOPPER = { points: 40, reservations: 4, stock: 10, cost: 10 };
const dataDir = mkdtempSync(join(tmpdir(), 'linli-crash-'));
const runtimeDir = mkdtempSync(join(tmpdir(), 'linli-crash-rt-'));
let dynamo: RunningDynamo;
let runtime: LocalRuntime;
let port: number;
/**
 * The local outbox (where the local runtime sends every SMS), kept here rather than on stdout:
 * the verification codes the burst sends back are read from it, by the held request's id.
 */
const outbox: { outbox: string; body: string }[] = [];
const codeFor = (heldId: string) => {
  const sent = outbox.filter((line) => line.outbox === heldId).at(-1);
  const code = sent?.body.match(/验证码是 (\d{6})/)?.[1];
  if (!code) throw new Error(`no code in the outbox for ${heldId}`);
  return code;
};

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  port = await freePort();
  dynamo = await startDynamoLocal({ dataDir, port });
  runtime = await startLocalRuntime({ dataDir: runtimeDir, port: 0, tableName: 'linli', dynamodbEndpoint: dynamo.endpoint });
  useDeliveryAdapter(outboxAdapter((line) => outbox.push(JSON.parse(line))));
});
afterAll(async () => {
  useDeliveryAdapter(undefined);
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
  // For the other state-changing routes, each a small kind of its own in the burst, what they act
  // on is made alongside the rest (independent chains, at once): first what needs only the
  // community, then, once the volunteers exist, what needs them.
  const later = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 2 });
  const report = async (i: number) => {
    const reported = must(
      await api('POST', `/communities/${c}/work-orders`, { body: { name: `报修人${i}`, phone: phone('138', run, i), category: 'appliance_repair', description: `路灯不亮 ${i}` } }),
      'work order',
    );
    return { id: reported.workOrder.id as string, manageToken: reported.manageToken as string };
  };
  const step = async (id: string, what: string, options: CallOptions) => must(await api('POST', `/communities/${c}/work-orders/${id}/${what}`, options), what).workOrder;
  const postWish = async (i: number) =>
    must(await api('POST', `/communities/${c}/wishes`, { body: { name: `许愿人${i}`, phone: phone('158', run, i), title: `轮椅 ${i}`, description: '借用一个月' } }), 'wish').wish.id as string;
  const c2 = `${c}-v`;
  const token2 = await signOrganiserToken(runtime.signingKey, c2);
  const early = Promise.all([
    // Two evenings the day after tomorrow with one volunteer place each: on the first the organiser
    // puts volunteers and raises the places in the burst; the second, with one booking, is cancelled.
    (async () => {
      const two = must(
        await api('POST', `/communities/${c}/slots/series`, {
          token,
          body: { from: later.toISODate(), to: later.plus({ days: 1 }).toISODate(), startTime: '19:30', volunteerCapacity: 1, requestCapacity: 2 },
        }),
        'two evenings',
      ).slots;
      must(
        await api('POST', `/communities/${c}/slots/${two[1].id}/requests`, { body: { name: '求助者甲', phone: phone('139', run, 200), category: 'other', description: '想问问医保报销' } }),
        'booking',
      );
      return { assignSlotId: two[0].id as string, cancelSlotId: two[1].id as string };
    })(),
    // The volunteer whose profile is changed and whose token is rotated in the burst.
    (async () => {
      const created = must(await api('POST', `/communities/${c}/volunteers`, { token, body: { name: '轮换志愿者', phone: `+86137${run.length}${String(100).padStart(7, '0')}`, team: 'patrol' } }), 'volunteer');
      return { id: created.volunteer.id as string, token: created.token as string };
    })(),
    // A community that verifies phones: a sign-up, a booking, a report and a wish held for their
    // codes (read from the outbox in the burst).
    (async () => {
      const tomorrow = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 1 }).toISODate();
      must(await api('PUT', `/communities/${c2}/settings`, { token: token2, body: { name: '验证社区', verifyPhone: true } }), 'settings');
      const [eventId2, slotId2] = await Promise.all([
        api('POST', `/communities/${c2}/events`, { token: token2, body: eventBody({ capacity: 4 }) }).then((made) => must(made, 'event').event.id as string),
        api('POST', `/communities/${c2}/slots/series`, { token: token2, body: { from: tomorrow, to: tomorrow, startTime: '19:30' } }).then((made) => must(made, 'series').slots[0].id as string),
      ]);
      const hold = async (path: string, body: Record<string, unknown>, field: string) => {
        const held = must(await api('POST', path, { body }), 'held');
        if (held[field].status !== 'pending_verification') throw new Error(`not held for its code: ${JSON.stringify(held)}`);
        return { id: held[field].id as string, manageToken: held.manageToken as string };
      };
      const [registration, request, order, wish] = await Promise.all([
        hold(`/communities/${c2}/events/${eventId2}/registrations`, { name: '赵大爷', phone: phone('133', run, 0), partySize: 2 }, 'registration'),
        hold(`/communities/${c2}/slots/${slotId2}/requests`, { name: '钱阿姨', phone: phone('133', run, 1), category: 'appliance_repair', description: '冰箱不制冷' }, 'request'),
        hold(`/communities/${c2}/work-orders`, { name: '孙先生', phone: phone('133', run, 2), category: 'pipe_unclogging', description: '下水道堵了' }, 'workOrder'),
        hold(`/communities/${c2}/wishes`, { name: '李奶奶', phone: phone('133', run, 3), title: '学用智能手机', description: '想和外孙视频' }, 'wish'),
      ]);
      return { c: c2, token: token2, eventId: eventId2, slotId: slotId2, registration, request, order, wish };
    })(),
    // A new work order (rejected in the burst) and a dispatched one (accepted); two submitted
    // wishes (one published in the burst, one turned down).
    report(200),
    report(201).then(async (order) => (await step(order.id, 'dispatch', { token, body: { team: 'patrol' } }), order)),
    postWish(200),
    postWish(201),
  ]);
  early.catch(() => undefined); // awaited below; a failure is reported there
  const eventId = must(await api('POST', `/communities/${c}/events`, { token, body: eventBody({ capacity: CAPACITY, maxPartySize: 3, volunteerCapacity: EVENT_VOLUNTEERS }) }), 'event').event.id as string;
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
  const afterVolunteers = Promise.all([
    // Volunteer 29: 40 points entered, spent on four reservations of an item of its own; in the
    // burst two are collected and two cancelled, while the item is renamed and re-priced.
    (async () => {
      const entry = { volunteerId: volunteers[29]!.id, startedAt: yesterday.plus({ hours: 2 }).toISO(), endedAt: yesterday.plus({ hours: 2, minutes: SHOPPER.points }).toISO(), note: '补录 积分超市' };
      must(await api('POST', `/communities/${c}/hours`, { token, body: entry }), 'points');
      const id = must(await api('POST', `/communities/${c}/catalogue`, { token, body: { name: '食用油', pointsCost: SHOPPER.cost, stock: SHOPPER.stock } }), 'item').item.id as string;
      const reservations: string[] = [];
      for (let i = 0; i < SHOPPER.reservations; i += 1) {
        reservations.push(must(await api('POST', '/me/redemptions', { token: volunteers[29]!.token, body: { itemId: id } }), 'reservation').redemption.id);
      }
      return { itemId: id, reservations };
    })(),
    // A work order accepted by volunteer 14 (resolved in the burst), one resolved by volunteer 15
    // (rated by its reporter in the burst, and the pending log it made rejected).
    report(202).then(async (order) => {
      await step(order.id, 'dispatch', { token, body: { team: 'patrol' } });
      await step(order.id, 'accept', { token: volunteers[14]!.token });
      return order;
    }),
    report(203).then(async (order) => {
      await step(order.id, 'dispatch', { token, body: { team: 'patrol' } });
      await step(order.id, 'accept', { token: volunteers[15]!.token });
      const resolved = await step(order.id, 'resolve', { token: volunteers[15]!.token, body: { note: '换了灯泡', minutes: REJECTED_MINUTES } });
      return { ...order, logId: resolved.hoursLogId as string };
    }),
    // A wish adopted by volunteer 18 (fulfilled in the burst).
    postWish(202).then(async (id) => {
      must(await api('POST', `/communities/${c}/wishes/${id}/publish`, { token }), 'publish');
      must(await api('POST', `/communities/${c}/wishes/${id}/adopt`, { token: volunteers[18]!.token, body: {} }), 'adopt');
      return id;
    }),
    // Volunteers 0 and 1 hold two of the big event's three volunteer places (given back in the burst).
    Promise.all([0, 1].map(async (i) => must(await api('POST', `/communities/${c}/events/${eventId}/shifts`, { token: volunteers[i]!.token }), 'event shift'))),
  ]);
  afterVolunteers.catch(() => undefined); // awaited below; a failure is reported there
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
  const [[slots, spare, verify, toReject, toAccept, toPublish, toRejectWish], [shop, toResolve, toRate, toFulfil]] = await Promise.all([early, afterVolunteers]);
  const steps = { toReject, toAccept, toResolve, toRate };
  const wishSteps = { toPublish, toReject: toRejectWish, toFulfil };
  // A series the burst creates, under two keys: three mornings three weeks ahead.
  const weeks = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 21 });
  const mornings = { from: weeks.toISODate(), to: weeks.plus({ days: 2 }).toISODate(), startTime: '09:30', durationMinutes: 90, volunteerCapacity: 3, requestCapacity: 5 };
  return {
    c, token, eventId, slotId, itemId, volunteers, holders, entryFor, deskSlotId, bookings, onDuty, orders, wishes, smallEvents,
    slots, spare, shop, steps, wishSteps, verify, series: mornings,
  };
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
  | 'event-patch'
  | 'settings'
  | 'verify-registration'
  | 'verify-request'
  | 'verify-order'
  | 'verify-wish'
  | 'series'
  | 'slot-patch'
  | 'slot-assignment'
  | 'volunteer'
  | 'volunteer-patch'
  | 'rotation'
  | 'event-shift'
  | 'event-give-back'
  | 'event-assignment'
  | 'rejection'
  | 'item'
  | 'item-patch'
  | 'collect'
  | 'redemption-cancel'
  | 'feedback'
  | 'order-reject'
  | 'round-report'
  | 'accept'
  | 'resolve'
  | 'publish'
  | 'wish-reject'
  | 'fulfil';

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
    // The settings saved again with a new name (a PUT: unkeyed).
    {
      kind: 'settings',
      method: 'PUT',
      path: `/communities/${f.c}/settings`,
      options: { token: f.token, body: { name: '崩溃测试（夜间开放）', pointsPerHour: 60 } },
      answers: [],
    },
    // In the community that verifies phones, each held item verified with the code from the outbox, under two keys.
    ...(
      [
        ['verify-registration', f.verify.registration, `/communities/${f.verify.c}/events/${f.verify.eventId}/registrations`],
        ['verify-request', f.verify.request, `/communities/${f.verify.c}/slots/${f.verify.slotId}/requests`],
        ['verify-order', f.verify.order, `/communities/${f.verify.c}/work-orders`],
        ['verify-wish', f.verify.wish, `/communities/${f.verify.c}/wishes`],
      ] as const
    ).flatMap(([kind, held, base]) =>
      [0, 1].map((n): Sent => ({
        kind,
        method: 'POST',
        path: `${base}/${held.id}/verify`,
        options: { body: { code: codeFor(held.id) }, headers: { ...keyed(`${kind}-${n}`), 'x-manage-token': held.manageToken } },
        answers: [],
        target: held.id,
      })),
    ),
    // A series of three mornings, under two keys.
    ...[0, 1].map((n): Sent => ({
      kind: 'series',
      method: 'POST',
      path: `/communities/${f.c}/slots/series`,
      options: { token: f.token, body: f.series, headers: keyed(`series-${n}`) },
      answers: [],
      target: 'series',
    })),
    // The evening with one volunteer place raised to two while the organiser puts volunteers 7 and 8
    // on it (two keys each); the other evening cancelled.
    {
      kind: 'slot-patch',
      method: 'PATCH',
      path: `/communities/${f.c}/slots/${f.slots.assignSlotId}`,
      options: { token: f.token, body: { volunteerCapacity: 2 } },
      answers: [],
      target: f.slots.assignSlotId,
    },
    {
      kind: 'slot-patch',
      method: 'PATCH',
      path: `/communities/${f.c}/slots/${f.slots.cancelSlotId}`,
      options: { token: f.token, body: { status: 'cancelled' } },
      answers: [],
      target: f.slots.cancelSlotId,
    },
    ...[7, 8].flatMap((v) =>
      [0, 1].map((n): Sent => ({
        kind: 'slot-assignment',
        method: 'POST',
        path: `/communities/${f.c}/slots/${f.slots.assignSlotId}/assignments`,
        options: { token: f.token, body: { volunteerId: f.volunteers[v]!.id }, headers: keyed(`slot-assignment-${v}-${n}`) },
        answers: [],
        volunteer: f.volunteers[v]!.id,
        target: f.slots.assignSlotId,
      })),
    ),
    // Two volunteers registered; the spare volunteer's profile changed and token rotated (two keys: two rotations).
    ...[0, 1].map((i): Sent => ({
      kind: 'volunteer',
      method: 'POST',
      path: `/communities/${f.c}/volunteers`,
      options: { token: f.token, body: { name: `${run} 新志愿者 ${i}`, phone: `+86137${run.length}${String(200 + i).padStart(7, '0')}`, team: 'cleaning' }, headers: keyed(`volunteer-${i}`) },
      answers: [],
    })),
    {
      kind: 'volunteer-patch',
      method: 'PATCH',
      path: `/communities/${f.c}/volunteers/${f.spare.id}`,
      options: { token: f.token, body: { name: '轮换志愿者（保洁）', team: 'cleaning', skills: ['greening_sanitation'] } },
      answers: [],
      target: f.spare.id,
    },
    ...[0, 1].map((n): Sent => ({
      kind: 'rotation',
      method: 'POST',
      path: `/communities/${f.c}/volunteers/${f.spare.id}/token`,
      options: { token: f.token, headers: keyed(`rotation-${n}`) },
      answers: [],
      target: f.spare.id,
    })),
    // The big event's volunteer places (3): volunteers 0 and 1 give theirs back, 2–4 take one (two
    // keys each), the organiser puts 5 and 6 on it.
    ...[0, 1].map((v): Sent => ({
      kind: 'event-give-back',
      method: 'DELETE',
      path: `/communities/${f.c}/events/${f.eventId}/shifts/me`,
      options: { token: f.volunteers[v]!.token },
      answers: [],
      volunteer: f.volunteers[v]!.id,
    })),
    ...[2, 3, 4].flatMap((v) =>
      [0, 1].map((n): Sent => ({
        kind: 'event-shift',
        method: 'POST',
        path: `/communities/${f.c}/events/${f.eventId}/shifts`,
        options: { token: f.volunteers[v]!.token, headers: keyed(`event-shift-${v}-${n}`) },
        answers: [],
        volunteer: f.volunteers[v]!.id,
      })),
    ),
    ...[5, 6].map((v): Sent => ({
      kind: 'event-assignment',
      method: 'POST',
      path: `/communities/${f.c}/events/${f.eventId}/assignments`,
      options: { token: f.token, body: { volunteerId: f.volunteers[v]!.id }, headers: keyed(`event-assignment-${v}`) },
      answers: [],
      volunteer: f.volunteers[v]!.id,
    })),
    // The pending log of the work order volunteer 15 resolved, rejected under two keys.
    ...[0, 1].map((n): Sent => ({
      kind: 'rejection',
      method: 'POST',
      path: `/communities/${f.c}/hours/${f.steps.toRate.logId}/reject`,
      options: { token: f.token, body: { note: '工单时长需核实' }, headers: keyed(`rejection-${n}`) },
      answers: [],
      volunteer: f.volunteers[15]!.id,
      target: f.steps.toRate.logId,
    })),
    // Two items added; volunteer 29's item renamed and re-priced while two of its reservations are
    // collected and two cancelled (two keys each).
    ...[0, 1].map((i): Sent => ({
      kind: 'item',
      method: 'POST',
      path: `/communities/${f.c}/catalogue`,
      options: { token: f.token, body: { name: `${run} 毛巾 ${i}`, pointsCost: 5, stock: 7 }, headers: keyed(`item-${i}`) },
      answers: [],
    })),
    {
      kind: 'item-patch',
      method: 'PATCH',
      path: `/communities/${f.c}/catalogue/${f.shop.itemId}`,
      options: { token: f.token, body: { name: '食用油（5 升）', pointsCost: 15 } },
      answers: [],
      target: f.shop.itemId,
    },
    ...f.shop.reservations.flatMap((id, r) =>
      [0, 1].map((n): Sent => ({
        kind: r < 2 ? 'collect' : 'redemption-cancel',
        method: 'POST',
        path: `/communities/${f.c}/redemptions/${id}/${r < 2 ? 'collect' : 'cancel'}`,
        options: { token: f.token, headers: keyed(`redemption-${r}-${n}`) },
        answers: [],
        target: id,
      })),
    ),
    // Work orders: rated by the reporter, rejected, reported on a round (volunteers 16 and 17),
    // accepted (volunteers 11 and 12, two keys each), resolved by volunteer 14 (two keys).
    ...[0, 1].map((n): Sent => ({
      kind: 'feedback',
      method: 'POST',
      path: `/communities/${f.c}/work-orders/${f.steps.toRate.id}/feedback`,
      options: { body: { rating: 5, comment: '修得很快' }, headers: { ...keyed(`feedback-${n}`), 'x-manage-token': f.steps.toRate.manageToken } },
      answers: [],
      target: f.steps.toRate.id,
    })),
    ...[0, 1].map((n): Sent => ({
      kind: 'order-reject',
      method: 'POST',
      path: `/communities/${f.c}/work-orders/${f.steps.toReject.id}/reject`,
      options: { token: f.token, body: { note: '不属于社区维修范围' }, headers: keyed(`order-reject-${n}`) },
      answers: [],
      target: f.steps.toReject.id,
    })),
    ...[16, 17].map((v): Sent => ({
      kind: 'round-report',
      method: 'POST',
      path: '/me/work-orders',
      options: { token: f.volunteers[v]!.token, body: { category: 'greening_sanitation', description: `${run} 巡查发现垃圾堆放 ${v}` }, headers: keyed(`round-report-${v}`) },
      answers: [],
      volunteer: f.volunteers[v]!.id,
    })),
    ...[11, 12].flatMap((v) =>
      [0, 1].map((n): Sent => ({
        kind: 'accept',
        method: 'POST',
        path: `/communities/${f.c}/work-orders/${f.steps.toAccept.id}/accept`,
        options: { token: f.volunteers[v]!.token, headers: keyed(`accept-${v}-${n}`) },
        answers: [],
        volunteer: f.volunteers[v]!.id,
        target: f.steps.toAccept.id,
      })),
    ),
    ...[0, 1].map((n): Sent => ({
      kind: 'resolve',
      method: 'POST',
      path: `/communities/${f.c}/work-orders/${f.steps.toResolve.id}/resolve`,
      options: { token: f.volunteers[14]!.token, body: { note: '疏通了下水管', minutes: RESOLVED_MINUTES }, headers: keyed(`resolve-${n}`) },
      answers: [],
      volunteer: f.volunteers[14]!.id,
      target: f.steps.toResolve.id,
    })),
    // Wishes: published and turned down (two keys each); fulfilled by its adopter and by the organiser.
    ...[0, 1].map((n): Sent => ({
      kind: 'publish',
      method: 'POST',
      path: `/communities/${f.c}/wishes/${f.wishSteps.toPublish}/publish`,
      options: { token: f.token, headers: keyed(`publish-${n}`) },
      answers: [],
      target: f.wishSteps.toPublish,
    })),
    ...[0, 1].map((n): Sent => ({
      kind: 'wish-reject',
      method: 'POST',
      path: `/communities/${f.c}/wishes/${f.wishSteps.toReject}/reject`,
      options: { token: f.token, body: { note: '请到居委会当面说明' }, headers: keyed(`wish-reject-${n}`) },
      answers: [],
      target: f.wishSteps.toReject,
    })),
    ...[f.volunteers[18]!.token, f.token].map((token, n): Sent => ({
      kind: 'fulfil',
      method: 'POST',
      path: `/communities/${f.c}/wishes/${f.wishSteps.toFulfil}/fulfil`,
      options: { token, body: { note: '已送到家' }, headers: keyed(`fulfil-${n}`) },
      answers: [],
      ...(n === 0 ? { volunteer: f.volunteers[18]!.id } : {}),
      target: f.wishSteps.toFulfil,
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
  const setUpStarted = clock.nowMs();
  const f = await setUp(run);
  process.stdout.write(`crash ${run}: set-up ${((clock.nowMs() - setUpStarted) / 1000).toFixed(1)} s\n`);
  const requests = await burst(f, run);
  await withFault(mode, requests);
  const faulted = requests.filter((sent) => unanswered(sent.answers[0]!)).length;
  const retries = await retryUnanswered(requests);

  // No 5xx but 503, ever; and after the retries, every request has its final answer.
  expect(
    requests.flatMap((sent) =>
      sent.answers.filter((answer) => answer.status >= 500 && answer.status !== 503).map((answer) => `${sent.kind} ${sent.method} ${sent.path} ${answer.status} ${answer.text.slice(0, 200)}`),
    ),
  ).toEqual([]);
  expect(faulted).toBeGreaterThan(0); // the fault did land mid-burst
  // Every state-changing route of the table is in the burst.
  const writeRoutes = routes.filter((route) => route.method !== 'GET').map((route) => `${route.method} ${route.path}`);
  const sentTo = (route: string) => {
    const [method, path] = route.split(' ') as [string, string];
    const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return requests.some((sent) => sent.method === method && pattern.test(sent.path));
  };
  expect(writeRoutes.filter((route) => !sentTo(route))).toEqual([]);
  expect(requests.filter((sent) => unanswered(last(sent))).map((sent) => sent.kind)).toEqual([]);
  const ok = (kind: Sent['kind']) => requests.filter((sent) => sent.kind === kind && last(sent).status < 300);

  // DynamoDB Local acknowledges some transactions in the moment before a SIGKILL and does not have
  // them after the restart: the whole transaction is gone, the request's record with its effect
  // (its durability, not Linli's atomicity: on AWS an acknowledged write is durable). Such a
  // request is told apart by its record: a 2xx whose record is missing was lost whole. It is
  // counted and left out of "stored"; a 2xx whose record exists must have its effect.
  //
  // A step sent again under another key once it is taken (an approval, a dispatch, a verify, a
  // collection, a publication, a series sent again…) is answered as it is and writes nothing, so
  // it has no record either: such a 2xx is not counted lost when another request of the same kind
  // on the same item, by the same volunteer where it matters (an acceptance), has its record (the
  // checks below are per item, so they hold either way).
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
    const asItIs = new Set<Kind>([
      'approval', 'dispatch', 'series', 'verify-registration', 'verify-request', 'verify-order', 'verify-wish', 'rejection',
      'collect', 'redemption-cancel', 'feedback', 'order-reject', 'accept', 'resolve', 'publish', 'wish-reject', 'fulfil',
    ]);
    const answeredAsItIs = (sent: Sent) =>
      asItIs.has(sent.kind) &&
      requests.some(
        (other) => other !== sent && other.kind === sent.kind && other.target === sent.target && (sent.kind !== 'accept' || other.volunteer === sent.volunteer) && recorded.has(other),
      );
    for (const sent of withoutRecord) if (!answeredAsItIs(sent)) lost.add(sent);
  }
  // What each request was finally answered, before the unkeyed writes are sent again below.
  const final = new Map(requests.map((sent) => [sent, last(sent)] as const));
  const finalOf = (sent: Sent) => final.get(sent)!;
  const okFinal = (kind: Kind) => requests.filter((sent) => sent.kind === kind && finalOf(sent).status < 300);
  // A cancellation, a give-back, a patch and the settings are not keyed (not POSTs): each is sent
  // again, as a resident's, volunteer's or organiser's page that reloads would. A cancellation, a
  // patch or the settings again change nothing; a give-back again is 404 (no shift held), a
  // cancelled evening patched again 409 slot_cancelled.
  const unkeyed = ['cancel', 'booking-cancel', 'give-back', 'event-patch', 'settings', 'slot-patch', 'volunteer-patch', 'item-patch', 'event-give-back'];
  for (const sent of requests.filter((s) => unkeyed.includes(s.kind))) {
    sent.answers.push(await api(sent.method, sent.path, sent.options));
  }
  const kept = (sent: Sent) => !lost.has(sent);
  const show = (sent: Sent, answer = finalOf(sent)) => `${sent.kind} ${sent.path} ${answer.status} ${answer.text.slice(0, 200)}`;
  const codeOf = (answer: ApiResponse) => (answer.status < 300 ? String(answer.status) : `${answer.status} ${answer.body?.code}`);

  // Every keyed write is final now: a sign-up, an entry, a redemption, a work order (a resident's
  // or a volunteer's), a wish, an event, a volunteer, a token, an item and a series all got their
  // 201; every approval, rejection, dispatch, verify, collection, reservation cancelled, rating,
  // order or wish step, cancellation, patch and the settings its 200.
  for (const kind of ['sign-up', 'entry', 'redemption', 'work-order', 'wish', 'event', 'volunteer', 'rotation', 'item', 'round-report', 'series'] as const) {
    expect(requests.filter((sent) => sent.kind === kind && finalOf(sent).status !== 201).map((sent) => show(sent))).toEqual([]);
  }
  const twoHundred = [
    'approval', 'dispatch', 'booking-cancel', 'event-patch', 'settings', 'verify-registration', 'verify-request', 'verify-order', 'verify-wish', 'volunteer-patch',
    'rejection', 'item-patch', 'collect', 'redemption-cancel', 'feedback', 'order-reject', 'resolve', 'publish', 'wish-reject', 'fulfil',
  ] as const;
  for (const kind of twoHundred) {
    expect(requests.filter((sent) => sent.kind === kind && finalOf(sent).status !== 200).map((sent) => show(sent))).toEqual([]);
  }
  // Sent again (unkeyed): the patches, the settings and the evening's cancellation all 200 again
  // (a cancellation sent again is answered as done, and completes its notices).
  expect(
    requests
      .filter((sent) => ['settings', 'volunteer-patch', 'item-patch', 'slot-patch'].includes(sent.kind))
      .map((sent) => `${sent.kind} ${sent.path} ${codeOf(last(sent))}`),
  ).toEqual(
    requests.filter((sent) => ['settings', 'volunteer-patch', 'item-patch', 'slot-patch'].includes(sent.kind)).map((sent) => `${sent.kind} ${sent.path} 200`),
  );
  // The others end in a 2xx or in the refusal the contract names for the state they met.
  const allowed: Partial<Record<Kind, string[]>> = {
    booking: ['201', '409 slot_full'],
    'check-out': ['200', '409 not_checked_in'],
    shift: ['201', '409 slot_full', '409 already_signed_up'],
    adoption: ['200', '409 already_taken'],
    'event-shift': ['201', '409 slot_full', '409 already_signed_up'],
    'event-assignment': ['201', '409 slot_full', '409 already_signed_up'],
    'slot-assignment': ['201', '409 slot_full', '409 already_signed_up'],
    accept: ['200', '409 already_taken'],
  };
  for (const [kind, codes] of Object.entries(allowed)) {
    expect(requests.filter((sent) => sent.kind === kind && !codes.includes(codeOf(finalOf(sent)))).map((sent) => show(sent))).toEqual([]);
  }
  // A give-back is 200, or 404 on a retry whose first attempt, unanswered, had given it back;
  // a patch of an evening 200, or (cancelling it) 409 slot_cancelled on a retry whose first
  // attempt, unanswered, had cancelled it.
  expect(
    requests
      .filter((sent) => sent.kind === 'give-back' || sent.kind === 'event-give-back')
      .filter((sent) => !(finalOf(sent).status === 200 || (codeOf(finalOf(sent)) === '404 not_found' && sent.answers.slice(0, -2).some(unanswered))))
      .map((sent) => show(sent)),
  ).toEqual([]);
  expect(
    requests
      .filter((sent) => sent.kind === 'slot-patch')
      // The cancellation too: sent again after an unanswered attempt, it is answered as done.
      .filter((sent) => finalOf(sent).status !== 200)
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
  const allRedemptions = await pages(`/communities/${f.c}/redemptions`, f.token);
  const redemptions = allRedemptions.filter((r) => r.itemId === f.itemId);
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
  expect(orders).toHaveLength(f.orders.length + 4 + okFinal('work-order').filter(kept).length + okFinal('round-report').filter(kept).length);

  // Wishes: one per key; each published wish adopted by exactly one volunteer, the one answered 200,
  // every other adopter told already_taken. Not adopted only if its one 200 was lost whole.
  const wishes = await pages(`/communities/${f.c}/organiser/wishes`, f.token);
  for (const sent of requests.filter((s) => s.kind === 'wish')) {
    const title = (sent.options.body as { title: string }).title;
    const stored = wishes.filter((wish) => wish.title === title).map((wish) => wish.id);
    expect({ title, stored }).toEqual({ title, stored: kept(sent) ? [finalOf(sent).body.wish.id] : [] });
  }
  expect(wishes).toHaveLength(f.wishes.length + 3 + okFinal('wish').filter(kept).length);
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

  // The other state-changing routes. `done(kind, target)`: a request of that kind on that item was
  // answered 2xx and kept (the step is taken, whichever key took it).
  const done = (kind: Kind, target?: string, volunteer?: string) =>
    requests.some((sent) => sent.kind === kind && (target === undefined || sent.target === target) && (volunteer === undefined || sent.volunteer === volunteer) && finalOf(sent).status < 300 && kept(sent));

  // The settings: saved as sent, the earning standard as it was.
  const profile = (await api('GET', `/communities/${f.c}`)).body;
  expect({ name: profile.name, pointsPerHour: profile.pointsPerHour }).toEqual({ name: '崩溃测试（夜间开放）', pointsPerHour: 60 });

  // Phone verification: each held item placed once, as its verify answered, whichever of its two
  // keys did it (held still only if its one 200 was lost whole); the event's seats, the evening's
  // places and the lists hold it once, and nothing else.
  const v = f.verify;
  const statusOf = async (path: string, held: { id: string; manageToken: string }, field: string) =>
    (await api('GET', `${path}/${held.id}`, { headers: { 'x-manage-token': held.manageToken } })).body?.[field]?.status;
  const placed = {
    registration: await statusOf(`/communities/${v.c}/events/${v.eventId}/registrations`, v.registration, 'registration'),
    request: await statusOf(`/communities/${v.c}/slots/${v.slotId}/requests`, v.request, 'request'),
    order: await statusOf(`/communities/${v.c}/work-orders`, v.order, 'workOrder'),
    wish: await statusOf(`/communities/${v.c}/wishes`, v.wish, 'wish'),
  };
  const verified = {
    registration: done('verify-registration'),
    request: done('verify-request'),
    order: done('verify-order'),
    wish: done('verify-wish'),
  };
  expect(placed).toEqual({
    registration: verified.registration ? 'confirmed' : 'pending_verification',
    request: verified.request ? 'booked' : 'pending_verification',
    order: verified.order ? 'new' : 'pending_verification',
    wish: verified.wish ? 'submitted' : 'pending_verification',
  });
  const vEvent = (await api('GET', `/communities/${v.c}/events/${v.eventId}`)).body;
  const vSlot = (await api('GET', `/communities/${v.c}/slots/${v.slotId}`, { token: v.token })).body;
  expect({
    seatsTaken: vEvent.capacity - vEvent.seatsLeft,
    roster: (await pages(`/communities/${v.c}/events/${v.eventId}/registrations`, v.token)).map((r) => `${r.id} ${r.status}`),
    booked: vSlot.requests.filter((r: { status: string }) => r.status === 'booked').map((r: { id: string }) => r.id),
    placesTaken: vSlot.requestCapacity - vSlot.requestsLeft,
    orders: (await pages(`/communities/${v.c}/work-orders`, v.token)).map((o) => `${o.id} ${o.status}`),
    wishes: (await pages(`/communities/${v.c}/organiser/wishes`, v.token)).map((w) => `${w.id} ${w.status}`),
  }).toEqual({
    seatsTaken: verified.registration ? 2 : 0,
    roster: verified.registration ? [`${v.registration.id} confirmed`] : [],
    booked: verified.request ? [v.request.id] : [],
    placesTaken: verified.request ? 1 : 0,
    orders: verified.order ? [`${v.order.id} new`] : [],
    wishes: verified.wish ? [`${v.wish.id} submitted`] : [],
  });

  // The series: its three mornings exist once each, as sent, every place free; each key kept was
  // answered with the three.
  const mornings = (await api('GET', `/communities/${f.c}/slots?from=${f.series.from}&to=${f.series.to}&limit=100`)).body.items;
  const asSent = { volunteerCapacity: 3, volunteersLeft: 3, requestCapacity: 5, requestsLeft: 5, status: 'open' };
  const shapeOf = (slot: typeof asSent) => ({
    volunteerCapacity: slot.volunteerCapacity,
    volunteersLeft: slot.volunteersLeft,
    requestCapacity: slot.requestCapacity,
    requestsLeft: slot.requestsLeft,
    status: slot.status,
  });
  expect(mornings.map(shapeOf)).toEqual(mornings.map(() => asSent));
  if (done('series')) expect(mornings).toHaveLength(3);
  for (const sent of okFinal('series').filter(kept)) {
    const answer = finalOf(sent).body;
    expect({ answered: answer.created + answer.existing, slots: answer.slots.map((slot: { id: string }) => slot.id) }).toEqual({ answered: 3, slots: mornings.map((slot: { id: string }) => slot.id) });
  }

  // The evening raised to two volunteer places: held by exactly the volunteers whose assignment was
  // answered 201 (and kept), once each, within the places, its counter agreeing. The cancelled
  // evening: cancelled, and its booked resident told once.
  const assignSlot = (await api('GET', `/communities/${f.c}/slots/${f.slots.assignSlotId}`, { token: f.token })).body;
  const assignees = [7, 8].map((i) => f.volunteers[i]!.id).filter((id) => done('slot-assignment', f.slots.assignSlotId, id));
  for (const id of assignees) expect(requests.filter((sent) => sent.kind === 'slot-assignment' && sent.volunteer === id && finalOf(sent).status === 201 && kept(sent)).length).toBe(1);
  expect({ capacity: assignSlot.volunteerCapacity, staffed: assignSlot.volunteers.map((one: { id: string }) => one.id).sort(), left: assignSlot.volunteersLeft }).toEqual({
    capacity: 2,
    staffed: [...assignees].sort(),
    left: 2 - assignees.length,
  });
  // (Checked last, below: the resident told.)
  const cancelledSlot = (await api('GET', `/communities/${f.c}/slots/${f.slots.cancelSlotId}`, { token: f.token })).body;
  const slotNotices = (await pages(`/communities/${f.c}/notifications`, f.token)).filter((n) => n.kind === 'slot_cancelled' && n.targetId === f.slots.cancelSlotId);
  const cancelPatch = requests.find((sent) => sent.kind === 'slot-patch' && sent.target === f.slots.cancelSlotId)!;
  expect(cancelledSlot.status).toBe('cancelled');

  // Volunteers: one per key, stored as answered, its token working.
  const volunteerList = await pages(`/communities/${f.c}/volunteers`, f.token);
  for (const sent of requests.filter((s) => s.kind === 'volunteer')) {
    const name = (sent.options.body as { name: string }).name;
    const stored = volunteerList.filter((one) => one.name === name).map((one) => one.id);
    expect({ name, stored }).toEqual({ name, stored: kept(sent) ? [finalOf(sent).body.volunteer.id] : [] });
    if (kept(sent)) expect((await api('GET', '/me', { token: finalOf(sent).body.token })).body?.volunteer?.id).toBe(finalOf(sent).body.volunteer.id);
  }
  // The spare volunteer: the profile as patched; of the set-up token and the rotations answered
  // 201 (two keys, two rotations), exactly one works, a rotation's if any was kept.
  const rotated: string[] = okFinal('rotation').filter(kept).map((sent) => finalOf(sent).body.token);
  const working: { token: string; me: any }[] = [];
  for (const candidate of [f.spare.token, ...rotated]) {
    const me = await api('GET', '/me', { token: candidate });
    expect([200, 401]).toContain(me.status);
    if (me.status === 200) working.push({ token: candidate, me: me.body });
  }
  expect({ rotations: new Set(rotated).size, working: working.length, original: working[0]?.token === f.spare.token }).toEqual({
    rotations: rotated.length,
    working: 1,
    original: rotated.length === 0,
  });
  expect({ name: working[0]!.me.volunteer.name, team: working[0]!.me.volunteer.team }).toEqual({ name: '轮换志愿者（保洁）', team: 'cleaning' });

  // The big event's volunteer places: held by exactly the volunteers whose take or assignment was
  // answered 201 (and kept), once each, none by those who gave theirs back, within the three
  // places, the counter agreeing.
  const festival: number[] = [];
  for (let i = 0; i <= 6; i += 1) {
    const shifts = (await api('GET', '/me/shifts', { token: f.volunteers[i]!.token })).body.items;
    if (shifts.some((shift: { eventId?: string }) => shift.eventId === f.eventId)) festival.push(i);
  }
  const festivalTakers = [2, 3, 4, 5, 6].filter((i) =>
    requests.some((sent) => (sent.kind === 'event-shift' || sent.kind === 'event-assignment') && sent.volunteer === f.volunteers[i]!.id && finalOf(sent).status === 201 && kept(sent)),
  );
  for (const i of festivalTakers) {
    expect(requests.filter((sent) => sent.kind === 'event-shift' && sent.volunteer === f.volunteers[i]!.id && finalOf(sent).status === 201 && kept(sent)).length).toBeLessThanOrEqual(1);
  }
  expect({ festival, left: event.volunteersLeft }).toEqual({ festival: festivalTakers, left: EVENT_VOLUNTEERS - festivalTakers.length });
  expect(festivalTakers.length).toBeLessThanOrEqual(EVENT_VOLUNTEERS);

  // The log volunteer 15's resolution made: rejected once, whichever key did it, no points, no
  // longer counted pending.
  const logRejected = done('rejection');
  const log15 = (await api('GET', '/me/hours?limit=100', { token: f.volunteers[15]!.token })).body.items.find((log: { id: string }) => log.id === f.steps.toRate.logId);
  const me15 = (await api('GET', '/me', { token: f.volunteers[15]!.token })).body;
  const credits15 = (await api('GET', '/me/points?limit=100', { token: f.volunteers[15]!.token })).body.items.filter((entry: { ref: string }) => entry.ref === f.steps.toRate.logId);
  expect({ status: log15.status, pendingMinutes: me15.hours.pendingMinutes, credits: credits15.length }).toEqual({
    status: logRejected ? 'rejected' : 'pending',
    pendingMinutes: logRejected ? 0 : REJECTED_MINUTES,
    credits: 0,
  });

  // Items: one per key, as sent. Volunteer 29's item renamed and re-priced; its reservations
  // collected or cancelled as answered, each cancelled one refunded once: the stock and the
  // balance are what the reservations still hold, never below zero.
  const catalogue = (await api('GET', `/communities/${f.c}/catalogue`)).body.items;
  for (const sent of requests.filter((s) => s.kind === 'item')) {
    const name = (sent.options.body as { name: string }).name;
    const stored = catalogue.filter((one: { name: string }) => one.name === name).map((one: { id: string; pointsCost: number; stock: number }) => `${one.id} ${one.pointsCost} ${one.stock}`);
    expect({ name, stored }).toEqual({ name, stored: kept(sent) ? [`${finalOf(sent).body.item.id} 5 7`] : [] });
  }
  const shopItem = catalogue.find((one: { id: string }) => one.id === f.shop.itemId);
  const shopStatuses = f.shop.reservations.map((id) => allRedemptions.find((r) => r.id === id)?.status);
  const expectedStatuses = f.shop.reservations.map((id, r) => (r < 2 ? (done('collect', id) ? 'collected' : 'reserved') : done('redemption-cancel', id) ? 'cancelled' : 'reserved'));
  const stillHeld = shopStatuses.filter((status) => status !== 'cancelled').length;
  const shopper = (await api('GET', '/me/points?limit=100', { token: f.volunteers[29]!.token })).body;
  expect({
    item: { name: shopItem.name, pointsCost: shopItem.pointsCost, stock: shopItem.stock },
    statuses: shopStatuses,
    balance: shopper.balance,
    refunds: shopper.items.filter((entry: { kind: string }) => entry.kind === 'refund').map((entry: { ref: string; points: number }) => `${entry.ref} ${entry.points}`).sort(),
  }).toEqual({
    item: { name: '食用油（5 升）', pointsCost: 15, stock: SHOPPER.stock - stillHeld },
    statuses: expectedStatuses,
    balance: SHOPPER.points - SHOPPER.cost * stillHeld,
    refunds: f.shop.reservations.filter((id, r) => r >= 2 && shopStatuses[r] === 'cancelled').map((id) => `${id} ${SHOPPER.cost}`).sort(),
  });
  expect(shopper.balance).toBeGreaterThanOrEqual(0);

  // Work orders one step on: rated (closed), turned down, accepted by exactly the volunteer
  // answered 200, resolved once (one pending log of its minutes, counted once); a round report
  // stored once per key.
  const orderOf = (id: string) => orders.find((order) => order.id === id);
  const accepters = [...new Set(requests.filter((sent) => sent.kind === 'accept' && finalOf(sent).status === 200 && kept(sent)).map((sent) => sent.volunteer))];
  const resolvedOrder = orderOf(f.steps.toResolve.id);
  const pending14 = (await api('GET', '/me/hours?limit=100', { token: f.volunteers[14]!.token })).body.items.filter((log: { status: string }) => log.status === 'pending');
  const me14 = (await api('GET', '/me', { token: f.volunteers[14]!.token })).body;
  expect({
    rated: { status: orderOf(f.steps.toRate.id).status, rating: orderOf(f.steps.toRate.id).rating },
    turnedDown: { status: orderOf(f.steps.toReject.id).status, note: orderOf(f.steps.toReject.id).rejectionNote },
    accepted: { status: orderOf(f.steps.toAccept.id).status, by: orderOf(f.steps.toAccept.id).acceptedBy },
    resolved: { status: resolvedOrder.status, minutes: resolvedOrder.minutes, pending: pending14.map((log: { id: string; minutes: number }) => `${log.id} ${log.minutes}`), pendingMinutes: me14.hours.pendingMinutes },
  }).toEqual({
    rated: done('feedback') ? { status: 'closed', rating: 5 } : { status: 'resolved', rating: undefined },
    turnedDown: done('order-reject') ? { status: 'rejected', note: '不属于社区维修范围' } : { status: 'new', note: undefined },
    accepted: accepters.length ? { status: 'accepted', by: accepters[0] } : { status: 'dispatched', by: undefined },
    resolved: done('resolve')
      ? { status: 'resolved', minutes: RESOLVED_MINUTES, pending: [`${resolvedOrder.hoursLogId} ${RESOLVED_MINUTES}`], pendingMinutes: RESOLVED_MINUTES }
      : { status: 'accepted', minutes: undefined, pending: [], pendingMinutes: 0 },
  });
  expect(accepters.length).toBeLessThanOrEqual(1);
  for (const sent of requests.filter((s) => s.kind === 'round-report')) {
    const description = (sent.options.body as { description: string }).description;
    const stored = orders.filter((order) => order.description === description).map((order) => `${order.id} ${order.status} ${order.reportedBy}`);
    expect({ description, stored }).toEqual({ description, stored: kept(sent) ? [`${finalOf(sent).body.workOrder.id} new volunteer`] : [] });
  }

  // Wishes one step on: published, turned down, fulfilled (by its adopter or the organiser), each once.
  const wishOf = (id: string) => wishes.find((wish) => wish.id === id);
  expect({
    published: wishOf(f.wishSteps.toPublish).status,
    turnedDown: { status: wishOf(f.wishSteps.toReject).status, note: wishOf(f.wishSteps.toReject).rejectionNote },
    fulfilled: wishOf(f.wishSteps.toFulfil).status,
  }).toEqual({
    published: done('publish') ? 'published' : 'submitted',
    turnedDown: done('wish-reject') ? { status: 'rejected', note: '请到居委会当面说明' } : { status: 'submitted', note: undefined },
    fulfilled: done('fulfil') ? 'fulfilled' : 'adopted',
  });

  process.stdout.write(
    `crash ${run}: ${requests.length} writes on ${writeRoutes.filter(sentTo).length} of ${writeRoutes.length} state-changing routes, ${faulted} without an answer at the fault, ${retries} retries; ` +
      `${ok('sign-up').length} sign-ups (${seats}/${CAPACITY} seats, ${waiting.length} waiting), ${ok('cancel').length} cancellations, ` +
      `${checkIns} check-ins, ${ok('entry').length} entries, ${ok('redemption').length} redemptions, ` +
      `${okFinal('booking').length} bookings (${deskBooked.length}/${DESK.requestCapacity} places), ${okFinal('booking-cancel').length} booking cancellations, ` +
      `${okFinal('check-out').length} check-outs, ${okFinal('shift').length} shifts taken (${staffed.length}/${DESK.volunteerCapacity}), ${okFinal('give-back').length} given back, ` +
      `${okFinal('approval').length} approvals, ${okFinal('work-order').length} work orders, ${okFinal('dispatch').length} dispatches, ` +
      `${okFinal('wish').length} wishes, ${okFinal('adoption').length} adoptions, ${okFinal('event').length} events created, ${okFinal('event-patch').length} patched, ` +
      `${okFinal('settings').length} settings saved, ` +
      `${(['verify-registration', 'verify-request', 'verify-order', 'verify-wish'] as const).reduce((sum, kind) => sum + okFinal(kind).length, 0)} verifies ` +
      `(${Object.values(placed).filter((status) => status !== 'pending_verification').length}/4 held items placed), ` +
      `${okFinal('series').length} series (${mornings.length} slots), ${okFinal('slot-patch').length} slot patches, ` +
      `${okFinal('slot-assignment').length} slot assignments (${assignees.length}/2), ${okFinal('volunteer').length} volunteers, ` +
      `${okFinal('volunteer-patch').length} profile changes, ${okFinal('rotation').length} token rotations, ` +
      `${okFinal('event-shift').length} event shifts taken and ${okFinal('event-assignment').length} assigned (${festivalTakers.length}/${EVENT_VOLUNTEERS}), ` +
      `${okFinal('event-give-back').length} given back, ${okFinal('rejection').length} log rejections, ${okFinal('item').length} items, ` +
      `${okFinal('item-patch').length} item changes, ${okFinal('collect').length} collections, ${okFinal('redemption-cancel').length} reservations cancelled, ` +
      `${okFinal('feedback').length} ratings, ${okFinal('order-reject').length} order rejections, ${okFinal('round-report').length} round reports, ` +
      `${okFinal('accept').length} acceptances, ${okFinal('resolve').length} resolutions, ${okFinal('publish').length} publications, ` +
      `${okFinal('wish-reject').length} wish rejections, ${okFinal('fulfil').length} fulfilments, each once; ` +
      `the cancelled evening's booked resident told ${slotNotices.length} time(s) (its cancellation answered ${cancelPatch.answers.map((answer) => answer.status).join(' → ')}); ` +
      `${lost.size} acknowledged by DynamoDB Local and lost whole at the kill; ` +
      `${emptySeats} of ${raised.length} capacity raises left a seat empty with a party waiting\n`,
  );
  expect(raised).toEqual(
    raised.map((r) => ({ event: r.event, title: `小型讲座 ${r.event}（加座）`, capacity: 2, confirmed: 2, seatsLeft: 0, waiting: 0, waitlistLength: 0, answers: r.answers })),
  );
  // The cancelled evening's booked resident is told once (the route "notifies everyone affected"),
  // even when the cancellation met the fault and was sent again. Each answer of the cancellation
  // is shown beside it.
  expect({ notices: slotNotices.length, answers: cancelPatch.answers.map((answer) => codeOf(answer)) }).toEqual({
    notices: 1,
    answers: cancelPatch.answers.map((answer) => codeOf(answer)),
  });
}, 240_000);
