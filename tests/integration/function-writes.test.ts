import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import { hashToken, MANAGE_TOKEN_PREFIX, newOpaqueToken } from '../../functions/auth/opaque-token';
import { readPhoneUses, usePhone } from '../../functions/services/registrations';
import { insertArrival } from '../../functions/store/arrivals';
import * as clock from '../../functions/clock';
import { useDeliveryAdapter } from '../../functions/delivery';
import type { Envelope } from '../../functions/delivery/adapter';
import { routeKeyOf } from '../../functions/http/route';
import { jobs } from '../../functions/jobs';
import { routes } from '../../functions/routes';
import { cancelRegistration, getRegistration } from '../../functions/store/registrations';
import { fillPath, makeCommunity, type CommunityFixture } from '../support/fixtures';
import { WRITE_RIGHTS, type ItemWrite, type WritingFunction } from '../../lib/constructs/data';
import { asTest, attributesIn, prefixOf, recordWrites, startAttributingApi, type AttributingApi, type ObservedWrite, type WriteRecorder } from '../support/function-writes';
import { eventBody, startTestApi, type ApiResponse, type CallOptions, type TestApi } from '../support/test-api';

/**
 * Least privilege, proven against behaviour (issue 18): every item each function writes while
 * serving every route of the table and running every job, recorded against DynamoDB Local by a
 * middleware on the store's DynamoDB client and attributed to the function running it (each
 * handler invocation, and each job run, in an AsyncLocalStorage: tests/support/function-writes.ts),
 * each item of a transaction by its own key, refused conditions included (IAM authorises a write
 * before DynamoDB evaluates its condition). Then each function's writes are checked against its
 * allow list, WRITE_RIGHTS in lib/constructs/data.ts, which the stack turns into IAM conditions
 * (tests/infra/least-privilege.suite.ts), both ways: a write the list lacks would be refused in
 * production; a right nobody uses should not be granted.
 *
 * On AWS, DynamoDB's TTL deletes expired idempotency records and held sign-ups; DynamoDB Local has
 * no TTL, so under the local runtime housekeeping deletes them itself (store/erasure.ts, a Scan and
 * a delete each). The jobs function never does that on AWS: the stand-in is switched off here, so
 * that what is recorded is what the jobs function writes there.
 */
jest.mock('../../functions/store/erasure', () => ({
  ...jest.requireActual('../../functions/store/erasure'),
  deleteExpiredIdempotencyRecords: async () => 0,
}));

let base: TestApi;
let api: AttributingApi;
let recorder: WriteRecorder;
const codes: Envelope[] = [];

beforeAll(async () => {
  // As on AWS (lib/constructs/api.ts): the per-address limits on, so their windows are written.
  process.env.PARTIES_PER_ADDRESS_PER_EVENT = '10';
  base = await startTestApi();
  recorder = recordWrites();
  api = await startAttributingApi(base);
  useDeliveryAdapter({ name: 'recording', deliver: async (envelope) => void codes.push(envelope) });
});
afterAll(async () => {
  useDeliveryAdapter(undefined);
  clock.setClock(undefined);
  await api.close();
  await base.stop();
  delete process.env.PARTIES_PER_ADDRESS_PER_EVENT;
});

let sequence = 0;

/** A request that must succeed; every POST carries an Idempotency-Key, as the web forms send. */
async function ok(method: string, path: string, options: CallOptions & { manage?: string } = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (method === 'POST') headers['idempotency-key'] = `writes-${(sequence += 1)}`;
  if (options.manage) headers['x-manage-token'] = options.manage;
  const response = await api.call(method, path, { ...options, headers });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response;
}

/** Which manage token opens a manage route's object in the fixture. */
function manageTokenFor(path: string, f: CommunityFixture): string {
  if (path.includes('/requests/')) return f.requestToken;
  if (path.includes('/work-orders/')) return f.workOrderToken;
  if (path.includes('/wishes/')) return f.wishToken;
  return f.registrationToken;
}

/** Every GET of the table, as its callers send it: reads may write too (rate windows, markers). */
async function readEverything(f: CommunityFixture): Promise<void> {
  for (const route of routes.filter((candidate) => candidate.method === 'GET')) {
    const path = fillPath(route.path, f);
    // The hours reports take the month they report on.
    const query = route.path.includes('/reports/') ? `?month=${DateTime.fromMillis(clock.nowMs()).toFormat('yyyy-MM')}` : '';
    const credential: CallOptions & { manage?: string } =
      route.credential === 'organiser'
        ? { token: f.organiserToken }
        : route.credential === 'volunteer' || route.credential === 'volunteerOrOrganiser'
          ? { token: f.volunteerToken }
          : route.credential === 'manage'
            ? { manage: manageTokenFor(path, f) }
            : {};
    await ok('GET', `${path}${query}`, credential);
  }
}

let phones = 0;
const phone = () => `+86136${String(process.pid % 1000).padStart(3, '0')}${String((phones += 1)).padStart(5, '0')}`;

/**
 * Every write route of the table, each at least once with a 2xx, plus the ways a write route
 * writes more than its happy path: a waitlist and its promotion, a cancelled event and evening
 * (notifications), phone verification (held sign-ups), a wrong code, rotated tokens, both kinds of
 * wish adoption. Then the jobs, with the clock moved to when their queues fall due.
 */
async function writeEverything(f: CommunityFixture): Promise<void> {
  const organiser = { token: f.organiserToken };
  const volunteer = { token: f.volunteerToken };
  const c = f.c;

  // The community's settings, with contacts for organiser notices.
  await ok('PUT', `/communities/${c}/settings`, { ...organiser, body: { name: `社区 ${c}`, pointsPerHour: 60, organiserContacts: ['ops@example.org', '+8613900000000'] } });

  // Events: a change, a capacity raise, a waitlist and its promotion, a cancelled event.
  await ok('PATCH', `/communities/${c}/events/${f.eventId}`, { ...organiser, body: { title: '改名' } });
  const small = (await ok('POST', `/communities/${c}/events`, { ...organiser, body: eventBody({ title: '候补', capacity: 1 }) })).body.event.id as string;
  const registrations = `/communities/${c}/events/${small}/registrations`;
  const first = (await ok('POST', registrations, { body: { name: '甲', phone: phone() } })).body;
  const second = (await ok('POST', registrations, { body: { name: '乙', phone: phone() } })).body;
  const third = (await ok('POST', registrations, { body: { name: '丙', phone: phone() } })).body;
  expect([first.registration.status, second.registration.status, third.registration.status]).toEqual(['confirmed', 'waitlisted', 'waitlisted']);
  await ok('DELETE', `${registrations}/${first.registration.id}`, { manage: first.manageToken });
  await ok('DELETE', `${registrations}/${third.registration.id}`, { manage: third.manageToken });
  await ok('PATCH', `/communities/${c}/events/${small}`, { ...organiser, body: { capacity: 3 } });
  // A capacity raise while a party waits promotes it at once (the organiser function writes the registration).
  const full = (await ok('POST', `/communities/${c}/events`, { ...organiser, body: eventBody({ title: '加座', capacity: 1 }) })).body.event.id as string;
  await ok('POST', `/communities/${c}/events/${full}/registrations`, { body: { name: '甲', phone: phone() } });
  const waiting = (await ok('POST', `/communities/${c}/events/${full}/registrations`, { body: { name: '乙', phone: phone() } })).body.registration;
  expect(waiting.status).toBe('waitlisted');
  await ok('PATCH', `/communities/${c}/events/${full}`, { ...organiser, body: { capacity: 2 } });
  // A festival with a volunteer on shift, renamed and moved: the shift is refreshed.
  const staffedFestival = (await ok('POST', `/communities/${c}/events`, { ...organiser, body: eventBody({ title: '有志愿者', volunteerCapacity: 2 }) })).body.event.id as string;
  await ok('POST', `/communities/${c}/events/${staffedFestival}/shifts`, volunteer);
  await ok('PATCH', `/communities/${c}/events/${staffedFestival}`, { ...organiser, body: { title: '有志愿者（改）' } });
  // A shift given back under 24 h before it starts: the organisers' coverage alert (a notice).
  const soon = DateTime.fromMillis(clock.nowMs()).plus({ hours: 6 });
  const tonight = (await ok('POST', `/communities/${c}/events`, { ...organiser, body: eventBody({ title: '今晚', volunteerCapacity: 2, startsAt: soon.toISO(), endsAt: soon.plus({ hours: 2 }).toISO() }) })).body.event.id as string;
  await ok('POST', `/communities/${c}/events/${tonight}/shifts`, volunteer);
  await ok('DELETE', `/communities/${c}/events/${tonight}/shifts/me`, volunteer);
  const doomed = (await ok('POST', `/communities/${c}/events`, { ...organiser, body: eventBody({ title: '取消', volunteerCapacity: 3 }) })).body.event.id as string;
  await ok('POST', `/communities/${c}/events/${doomed}/registrations`, { body: { name: '丁', phone: phone() } });
  await ok('POST', `/communities/${c}/events/${doomed}/shifts`, volunteer);
  await ok('DELETE', `/communities/${c}/events/${doomed}/shifts/me`, volunteer);
  await ok('POST', `/communities/${c}/events/${doomed}/shifts`, volunteer);
  await ok('PATCH', `/communities/${c}/events/${doomed}`, { ...organiser, body: { status: 'cancelled' } });

  // Evenings: a booking cancelled, a change, a whole evening cancelled.
  const day = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 3 }).toISODate()!;
  const series = (await ok('POST', `/communities/${c}/slots/series`, { ...organiser, body: { from: day, to: day } })).body.slots as { id: string }[];
  const evening = series[0]!.id;
  const booking = (await ok('POST', `/communities/${c}/slots/${evening}/requests`, { body: { name: '戊', phone: phone(), category: 'other', description: '修' } })).body;
  await ok('DELETE', `/communities/${c}/slots/${evening}/requests/${booking.request.id}`, { manage: booking.manageToken });
  await ok('POST', `/communities/${c}/slots/${evening}/requests`, { body: { name: '己', phone: phone(), category: 'other', description: '修' } });
  await ok('POST', `/communities/${c}/slots/${evening}/shifts`, volunteer);
  await ok('DELETE', `/communities/${c}/slots/${evening}/shifts/me`, volunteer);
  await ok('POST', `/communities/${c}/slots/${evening}/shifts`, volunteer);
  await ok('PATCH', `/communities/${c}/slots/${evening}`, { ...organiser, body: { requestCapacity: 5 } });
  await ok('PATCH', `/communities/${c}/slots/${evening}`, { ...organiser, body: { status: 'cancelled' } });

  // Volunteers: a change, a second volunteer whose token is rotated.
  await ok('PATCH', `/communities/${c}/volunteers/${f.volunteerId}`, { ...organiser, body: { skills: ['other'] } });
  const other = (await ok('POST', `/communities/${c}/volunteers`, { ...organiser, body: { name: '第二位', phone: phone(), team: 'patrol' } })).body;
  const rotated = (await ok('POST', `/communities/${c}/volunteers/${other.volunteer.id}/token`, organiser)).body.token as string;
  // An organiser puts a volunteer on an evening and a festival (the console's "assign").
  const assigned = (await ok('POST', `/communities/${c}/volunteers`, { ...organiser, body: { name: '补位', phone: phone(), team: 'patrol' } })).body.volunteer.id as string;
  const later = (await ok('POST', `/communities/${c}/slots/series`, { ...organiser, body: { from: day, to: day, startTime: '20:45' } })).body.slots[0].id as string;
  await ok('POST', `/communities/${c}/slots/${later}/assignments`, { ...organiser, body: { volunteerId: assigned } });
  const staffed = (await ok('POST', `/communities/${c}/events`, { ...organiser, body: eventBody({ title: '补位', volunteerCapacity: 2 }) })).body.event.id as string;
  await ok('POST', `/communities/${c}/events/${staffed}/assignments`, { ...organiser, body: { volunteerId: assigned } });

  // Hours: a check-in and out, approved; another rejected; one entered by an organiser; one left
  // open for housekeeping to close.
  await ok('POST', '/me/check-ins', { ...volunteer, body: { slotId: f.slotId } });
  const done = (await ok('POST', '/me/check-outs', volunteer)).body.hoursLog.id as string;
  await ok('POST', `/communities/${c}/hours/${done}/approve`, { ...organiser, body: { minutes: 90, note: '实际九十分钟' } });
  await ok('POST', `/communities/${c}/slots/${f.slotId}/shifts`, { token: rotated });
  await ok('POST', '/me/check-ins', { token: rotated, body: { slotId: f.slotId } });
  const short = (await ok('POST', '/me/check-outs', { token: rotated })).body.hoursLog.id as string;
  await ok('POST', `/communities/${c}/hours/${short}/reject`, { ...organiser, body: { note: '太短' } });
  // Where check-ins need the kiosk's desk code: a wrong code (counted per volunteer), then the
  // right one, on another evening begun ten minutes ago (one log per shift); left open for
  // housekeeping to close.
  await ok('PUT', `/communities/${c}/settings`, { ...organiser, body: { name: `社区 ${c}`, pointsPerHour: 60, checkInProof: 'desk_code' } });
  const begun = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').minus({ minutes: 10 });
  const open = (await ok('POST', `/communities/${c}/slots/series`, { ...organiser, body: { from: begun.toISODate(), to: begun.toISODate(), startTime: begun.toFormat('HH:mm'), volunteerCapacity: 5 } })).body.slots[0].id as string;
  await ok('POST', `/communities/${c}/slots/${open}/shifts`, { token: rotated });
  const shown = (await ok('GET', `/communities/${c}/desk-code`, organiser)).body.code as string;
  const wrong = shown === '000000' ? '111111' : '000000';
  expect((await api.call('POST', '/me/check-ins', { token: rotated, body: { slotId: open, deskCode: wrong } })).body.code).toBe('desk_code_invalid');
  await ok('POST', '/me/check-ins', { token: rotated, body: { slotId: open, deskCode: shown } });
  await ok('PUT', `/communities/${c}/settings`, { ...organiser, body: { name: `社区 ${c}`, pointsPerHour: 60 } });

  // A check-in on an event's shift: an event under way.
  const started = DateTime.fromMillis(clock.nowMs()).minus({ minutes: 5 });
  const underWay = (await ok('POST', `/communities/${c}/events`, { ...organiser, body: eventBody({ title: '进行中', volunteerCapacity: 2, startsAt: started.toISO(), endsAt: started.plus({ hours: 2 }).toISO() }) })).body.event.id as string;
  await ok('POST', `/communities/${c}/events/${underWay}/shifts`, volunteer);
  await ok('POST', '/me/check-ins', { ...volunteer, body: { eventId: underWay } });
  await ok('POST', '/me/check-outs', volunteer);
  const yesterday = DateTime.fromMillis(clock.nowMs()).minus({ days: 1 });
  await ok('POST', `/communities/${c}/hours`, { ...organiser, body: { volunteerId: f.volunteerId, startedAt: yesterday.minus({ hours: 1 }).toISO(), endedAt: yesterday.toISO(), note: '补录' } });

  // Points: an item changed, reservations collected and cancelled.
  await ok('PATCH', `/communities/${c}/catalogue/${f.itemId}`, { ...organiser, body: { stock: 40 } });
  await ok('POST', `/communities/${c}/redemptions/${f.redemptionId}/collect`, organiser);
  const reserved = (await ok('POST', '/me/redemptions', { ...volunteer, body: { itemId: f.itemId } })).body.redemption.id as string;
  await ok('POST', `/communities/${c}/redemptions/${reserved}/cancel`, organiser);

  // Work orders: reported by a resident and by a volunteer, dispatched, taken, resolved, rated; one turned down.
  await ok('POST', `/communities/${c}/work-orders/${f.workOrderId}/dispatch`, { ...organiser, body: { team: 'patrol' } });
  await ok('POST', `/communities/${c}/work-orders/${f.workOrderId}/accept`, volunteer);
  await ok('POST', `/communities/${c}/work-orders/${f.workOrderId}/resolve`, { ...volunteer, body: { note: '换了灯泡', minutes: 20 } });
  await ok('POST', `/communities/${c}/work-orders/${f.workOrderId}/feedback`, { manage: f.workOrderToken, body: { rating: 5 } });
  await ok('POST', '/me/work-orders', { ...volunteer, body: { category: 'other', description: '巡逻发现' } });
  const refused = (await ok('POST', `/communities/${c}/work-orders`, { body: { name: '庚', phone: phone(), category: 'other', description: '不归我们管' } })).body.workOrder.id as string;
  await ok('POST', `/communities/${c}/work-orders/${refused}/reject`, { ...organiser, body: { note: '请联系物业' } });

  // Wishes: adopted by a volunteer and by an organiser for a partner unit, fulfilled; one turned down.
  const wishes = `/communities/${c}/wishes`;
  await ok('POST', `${wishes}/${f.wishId}/adopt`, { ...volunteer, body: {} });
  await ok('POST', `${wishes}/${f.wishId}/fulfil`, { ...volunteer, body: { note: '送到了' } });
  const unitWish = (await ok('POST', wishes, { body: { name: '辛', phone: phone(), title: '轮椅', description: '' } })).body.wish.id as string;
  await ok('POST', `${wishes}/${unitWish}/publish`, organiser);
  await ok('POST', `${wishes}/${unitWish}/adopt`, { ...organiser, body: { adopterName: '共建单位' } });
  await ok('POST', `${wishes}/${unitWish}/fulfil`, { ...organiser, body: {} });
  const notThis = (await ok('POST', wishes, { body: { name: '壬', phone: phone(), title: '不合适', description: '' } })).body.wish.id as string;
  await ok('POST', `${wishes}/${notThis}/reject`, { ...organiser, body: { note: '不在范围' } });

  // Phone verification: a held sign-up, booking, report and wish, each confirmed by its code (one
  // after a wrong guess).
  await ok('PUT', `/communities/${c}/settings`, { ...organiser, body: { name: `社区 ${c}`, pointsPerHour: 60, verifyPhone: true } });
  const code = () => codes.at(-1)!.params.code as string;
  const held = (await ok('POST', `/communities/${c}/events/${f.eventId}/registrations`, { body: { name: '验证', phone: phone() } })).body;
  const heldPath = `/communities/${c}/events/${f.eventId}/registrations/${held.registration.id}/verify`;
  expect((await api.call('POST', heldPath, { headers: { 'x-manage-token': held.manageToken }, body: { code: code() === '000000' ? '111111' : '000000' } })).status).toBe(409);
  await ok('POST', heldPath, { manage: held.manageToken, body: { code: code() } });
  const heldBooking = (await ok('POST', `/communities/${c}/slots/${f.slotId}/requests`, { body: { name: '验证', phone: phone(), category: 'other', description: '验证' } })).body;
  await ok('POST', `/communities/${c}/slots/${f.slotId}/requests/${heldBooking.request.id}/verify`, { manage: heldBooking.manageToken, body: { code: code() } });
  const heldReport = (await ok('POST', `/communities/${c}/work-orders`, { body: { name: '验证', phone: phone(), category: 'other', description: '验证' } })).body;
  await ok('POST', `/communities/${c}/work-orders/${heldReport.workOrder.id}/verify`, { manage: heldReport.manageToken, body: { code: code() } });
  const heldWish = (await ok('POST', wishes, { body: { name: '验证', phone: phone(), title: '验证', description: '' } })).body;
  await ok('POST', `${wishes}/${heldWish.wish.id}/verify`, { manage: heldWish.manageToken, body: { code: code() } });
  const withdrawn = (await ok('POST', `/communities/${c}/events/${f.eventId}/registrations`, { body: { name: '撤回', phone: phone() } })).body;
  await ok('DELETE', `/communities/${c}/events/${f.eventId}/registrations/${withdrawn.registration.id}`, { manage: withdrawn.manageToken });
  await ok('PUT', `/communities/${c}/settings`, { ...organiser, body: { name: `社区 ${c}`, pointsPerHour: 60 } });
}

/** What a crash right after a cancellation's own transaction leaves: a seat freed, nobody promoted yet. */
async function cancelThenCrash(f: CommunityFixture): Promise<{ eventId: string; waiting: { id: string; manageToken: string } }> {
  const eventId = (await ok('POST', `/communities/${f.c}/events`, { token: f.organiserToken, body: eventBody({ title: '中断', capacity: 1 }) })).body.event.id as string;
  const holder = (await ok('POST', `/communities/${f.c}/events/${eventId}/registrations`, { body: { name: '癸', phone: phone() } })).body;
  const waiting = (await ok('POST', `/communities/${f.c}/events/${eventId}/registrations`, { body: { name: '子', phone: phone() } })).body;
  expect(waiting.registration.status).toBe('waitlisted');
  await asTest('a cancellation that crashed before its promotion', async () =>
    cancelRegistration((await getRegistration(f.c, eventId, holder.registration.id))!, 'resident', clock.now()),
  );
  return { eventId, waiting: { id: waiting.registration.id, manageToken: waiting.manageToken } };
}

/** A sign-up whose request stopped after its arrival was stored (services/admission.ts): housekeeping places it. */
async function arrivalThenCrash(f: CommunityFixture): Promise<{ eventId: string; id: string; manageToken: string }> {
  const eventId = (await ok('POST', `/communities/${f.c}/events`, { token: f.organiserToken, body: eventBody({ title: '排队中断', capacity: 2 }) })).body.event.id as string;
  const manageToken = newOpaqueToken(MANAGE_TOKEN_PREFIX);
  const at = clock.nowIso();
  const number = phone();
  const id = ulid();
  await asTest('a sign-up that crashed after its arrival', async () =>
    insertArrival(
      { id, communityId: f.c, eventId, name: '丑', phone: number, partySize: 1, manageTokenHash: hashToken(manageToken), createdAt: at, updatedAt: at },
      usePhone(await readPhoneUses(number), clock.now()),
    ),
  );
  return { eventId, id, manageToken };
}

/** The jobs run, by name. */
const jobsRun = new Set<string>();

/**
 * The jobs, each run as EventBridge runs it, with the clock where its queues fall due: the
 * notices just recorded, the reminders an hour before the events, a promotion a crash left due,
 * the open check-in the next day, and the erasure of residents' data after the retention period.
 * Before them, the other way a crash's promotion is completed: the waiting resident looks.
 */
async function runJobs(f: CommunityFixture): Promise<void> {
  const job = async (name: string, at?: DateTime) => {
    clock.setClock(at?.toJSDate());
    try {
      expect((await api.call('POST', `/_local/jobs/${name}`)).status).toBe(200);
      jobsRun.add(name);
    } finally {
      clock.setClock(undefined);
    }
  };
  const looked = await cancelThenCrash(f);
  const seen = await ok('GET', `/communities/${f.c}/events/${looked.eventId}/registrations/${looked.waiting.id}`, { manage: looked.waiting.manageToken });
  expect(seen.body.registration.status).toBe('confirmed');
  const left = await cancelThenCrash(f);
  const arrived = await arrivalThenCrash(f);

  await job('reminders');
  const event = (await ok('GET', `/communities/${f.c}/events/${f.eventId}`)).body;
  await job('reminders', DateTime.fromISO(event.startsAt).minus({ minutes: 59 }));
  await job('housekeeping', DateTime.fromMillis(clock.nowMs()).plus({ days: 1 }));
  const promoted = await ok('GET', `/communities/${f.c}/events/${left.eventId}/registrations/${left.waiting.id}`, { manage: left.waiting.manageToken });
  expect(promoted.body.registration.status).toBe('confirmed');
  const placed = await ok('GET', `/communities/${f.c}/events/${arrived.eventId}/registrations/${arrived.id}`, { manage: arrived.manageToken });
  expect(placed.body.registration.status).toBe('confirmed');
  await job('housekeeping', DateTime.fromISO(event.endsAt).plus({ days: 91 }));
}

const WRITERS: readonly WritingFunction[] = ['public', 'volunteer', 'organiser', 'jobs'];

it('counts the attributes a request names as dynamodb:Attributes does: plain, aliased, in functions, not values or nested paths', () => {
  expect(attributesIn('SET a = a + :n, #s = if_not_exists(b, :z) REMOVE c, d.e[0].f ADD #n :one', { '#s': 'status', '#n': 'count' })).toEqual(['a', 'a', 'status', 'b', 'c', 'd', 'count']);
  expect(attributesIn('#s IN (:a, :b) AND attribute_not_exists(pk) AND size(uses) < :max OR NOT begins_with(sk, :p)', { '#s': 'status' })).toEqual(['status', 'pk', 'uses', 'sk']);
  expect(() => attributesIn('#missing = :v')).toThrow(/ExpressionAttributeNames/);
});

beforeAll(async () => {
  const f = await makeCommunity(api, 'rights');
  await readEverything(f);
  await writeEverything(f);
  await runJobs(f);
}, 120_000);

afterAll(() => {
  // What was seen, for the record: `<function>: <write> <prefix> …`.
  const lines = WRITERS.map((writer) => `${writer}: ${[...observedBy(writer).keys()].sort().join(', ')}`);
  process.stdout.write(`function writes (${recorder.writes.length} item writes recorded):\n${lines.join('\n')}\n`);
});

/** `<write> <prefix>` → the writes seen, for one function (condition checks are reads). */
function observedBy(writer: WritingFunction): Map<string, ObservedWrite[]> {
  const seen = new Map<string, ObservedWrite[]>();
  for (const write of recorder.writes.filter((candidate) => candidate.writer === writer && candidate.action !== 'ConditionCheckItem')) {
    const key = `${write.action} ${prefixOf(write.pk)}`;
    seen.set(key, [...(seen.get(key) ?? []), write]);
  }
  return seen;
}

it('drives every route of the table to a 2xx, and runs every job', () => {
  const untried = routes.filter((route) => !api.served.has(routeKeyOf(route))).map(routeKeyOf);
  // A route listed here was added to the table without a step in writeEverything() (or readEverything()) that sends it.
  expect(untried).toEqual([]);
  expect([...jobsRun].sort()).toEqual(jobs.map((job) => job.name).sort());
});

it('attributes every write to the function that sent it', () => {
  const unattributed = recorder.writes.filter((write) => !write.writer && !write.by?.startsWith('test: '));
  expect(unattributed).toEqual([]);
  // DynamoDB's own calls: items, queries and transactions; no Scan, no Batch, no PartiQL.
  for (const [writer, commands] of recorder.commands) {
    if (!writer) continue;
    expect({ writer, commands: [...commands].filter((command) => !['GetItemCommand', 'QueryCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand'].includes(command)) }).toEqual({ writer, commands: [] });
  }
});

describe.each(WRITERS.map((writer) => [writer]))('the %s function', (writer) => {
  const rights = WRITE_RIGHTS[writer];

  it('writes only the partitions, with only the writes (and attributes), lib/constructs/data.ts allows it', () => {
    const refused: string[] = [];
    for (const [key, writes] of observedBy(writer)) {
      const [write, prefix] = key.split(' ') as [ItemWrite, string];
      const by = [...new Set(writes.map((seen) => seen.by))].join('; ');
      if (!rights.partitions[prefix]?.includes(write)) {
        refused.push(`${key} (sk ${writes[0]!.sk}, by ${by}): not in WRITE_RIGHTS.${writer}`);
        continue;
      }
      const named = rights.attributes?.[prefix]?.[write];
      if (!named) continue;
      for (const seen of writes) {
        const outside = seen.attributes.filter((attribute) => !named.includes(attribute));
        if (outside.length) refused.push(`${key} (sk ${seen.sk}, by ${seen.by}) names ${outside.join(', ')}, which WRITE_RIGHTS.${writer}.attributes does not list`);
      }
    }
    // Each line is a write IAM would refuse in production: list it in WRITE_RIGHTS, or stop writing it.
    expect([...new Set(refused)]).toEqual([]);
  });

  it('uses every write it is allowed, unless WRITE_RIGHTS says why not', () => {
    const seen = observedBy(writer);
    const unused = Object.entries(rights.partitions)
      .flatMap(([prefix, writes]) => writes.map((write) => `${write} ${prefix}`))
      .filter((key) => !seen.has(key) && !rights.unobserved?.[key]);
    // Each is a right nobody uses: take it away, or say in WRITE_RIGHTS.${writer}.unobserved why it stays.
    expect(unused).toEqual([]);
    for (const [key, reason] of Object.entries(rights.unobserved ?? {})) {
      expect({ key, listed: rights.partitions[key.split(' ')[1]!]?.includes(key.split(' ')[0] as ItemWrite), reasoned: reason.length >= 20 }).toEqual({ key, listed: true, reasoned: true });
      // Once seen, it needs no reason.
      expect({ key, seen: seen.has(key) }).toEqual({ key, seen: false });
    }
  });
});
