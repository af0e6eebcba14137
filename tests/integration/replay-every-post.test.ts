import { DateTime } from 'luxon';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../functions/store/client';
import { routes } from '../../functions/routes';
import { routeKeyOf } from '../../functions/http/route';
import type { Envelope } from '../../functions/delivery/adapter';
import { useDeliveryAdapter } from '../../functions/delivery';
import * as clock from '../../functions/clock';
import { makeCommunity, type CommunityFixture } from '../support/fixtures';
import { eventBody, startTestApi, type ApiResponse, type TestApi } from '../support/test-api';

/**
 * Every POST, sent with an Idempotency-Key, then "crashed" between its effect and its answer: the
 * request's record is put back to what the effect's transaction alone wrote (`applied`, no stored
 * answer), as a timeout or a crash at that moment leaves it. The retry with the key must answer as
 * the first attempt did, through the route's `replay`, and take no effect again.
 */
let api: TestApi;
let f: CommunityFixture;

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  f = await makeCommunity(api, 'replays');
});
afterAll(async () => {
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

async function recordKeys(): Promise<Set<string>> {
  const scan = await documents().send(
    new ScanCommand({ TableName: api.tableName, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': 'IDEMPOTENCY#' }, ProjectionExpression: 'pk' }),
  );
  return new Set((scan.Items ?? []).map((item) => item.pk as string));
}

/** Leaves the request's record as its effect's transaction wrote it: applied, no answer stored. */
async function forgetAnswer(pk: string): Promise<void> {
  await documents().send(
    new UpdateCommand({
      TableName: api.tableName,
      Key: { pk, sk: 'REQUEST' },
      UpdateExpression: 'SET #status = :applied REMOVE #response',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: { ':applied': 'applied' },
    }),
  );
}

const covered = new Set<string>();
let sequence = 0;

/** Sends a keyed POST, forgets its answer, sends it again; returns both answers. */
async function twice(routePath: string, path: string, options: { token?: string; body?: unknown; manage?: string } = {}) {
  const key = `replay-${(sequence += 1)}`;
  const headers = { 'idempotency-key': key, ...(options.manage ? { 'x-manage-token': options.manage } : {}) };
  const before = await recordKeys();
  const first = await api.call('POST', path, { token: options.token, body: options.body, headers });
  expect(first.status).toBeLessThan(300);
  const created = [...(await recordKeys())].filter((pk) => !before.has(pk));
  expect(created).toHaveLength(1);
  await forgetAnswer(created[0]!);
  const again = await api.call('POST', path, { token: options.token, body: options.body, headers });
  covered.add(`POST ${routePath}`);
  return { first, again };
}

const same = ({ first, again }: { first: ApiResponse; again: ApiResponse }) => {
  expect(again.status).toBe(first.status);
  expect(again.body).toEqual(first.body);
};

it('answers every POST again as the first time, after a crash between its effect and its answer', async () => {
  const organiser = { token: f.organiserToken };
  const phone = (n: number) => `+8613322${String(n).padStart(6, '0')}`;
  const day = DateTime.fromMillis(clock.nowMs()).setZone('Asia/Shanghai').plus({ days: 3 }).toISODate();

  same(await twice('/communities/{c}/events', `/communities/${f.c}/events`, { ...organiser, body: eventBody({ title: '重放' }) }));
  same(await twice('/communities/{c}/events/{eventId}/registrations', `/communities/${f.c}/events/${f.eventId}/registrations`, { body: { name: '重放', phone: phone(1), partySize: 1 } }));
  same(await twice('/communities/{c}/slots/{slotId}/requests', `/communities/${f.c}/slots/${f.slotId}/requests`, { body: { name: '重放', phone: phone(2), category: 'other', description: '重放' } }));
  const lastDay = DateTime.fromISO(day!).plus({ days: 6 }).toISODate();
  const series = await twice('/communities/{c}/slots/series', `/communities/${f.c}/slots/series`, { ...organiser, body: { from: day, to: lastDay } });
  // Seven slots written at once by one request: one write carried the record, the rest waited for it.
  expect(series.first.body).toMatchObject({ created: 7, existing: 0 });
  // Re-sending a series creates nothing new and says so: the same slots, now all "existing".
  expect(series.again.status).toBe(201);
  expect(series.again.body.slots).toEqual(series.first.body.slots);
  expect(series.again.body.created + series.again.body.existing).toBe(series.first.body.created + series.first.body.existing);

  const volunteer = await twice('/communities/{c}/volunteers', `/communities/${f.c}/volunteers`, { ...organiser, body: { name: '重放', phone: phone(3), team: 'patrol' } });
  same(volunteer);
  const v2 = { token: volunteer.first.body.token as string, id: volunteer.first.body.volunteer.id as string };
  same(await twice('/communities/{c}/slots/{slotId}/shifts', `/communities/${f.c}/slots/${f.slotId}/shifts`, { token: v2.token }));
  same(await twice('/communities/{c}/events/{eventId}/shifts', `/communities/${f.c}/events/${f.eventId}/shifts`, { token: v2.token }));
  // An organiser puts another volunteer on the evening and the festival.
  const v3 = (await api.call('POST', `/communities/${f.c}/volunteers`, { ...organiser, body: { name: '补位', phone: phone(13), team: 'patrol' } })).body.volunteer.id as string;
  same(await twice('/communities/{c}/slots/{slotId}/assignments', `/communities/${f.c}/slots/${f.slotId}/assignments`, { ...organiser, body: { volunteerId: v3 } }));
  same(await twice('/communities/{c}/events/{eventId}/assignments', `/communities/${f.c}/events/${f.eventId}/assignments`, { ...organiser, body: { volunteerId: v3 } }));
  same(await twice('/communities/{c}/catalogue', `/communities/${f.c}/catalogue`, { ...organiser, body: { name: '重放', pointsCost: 5, stock: 5 } }));

  const yesterday = DateTime.fromMillis(clock.nowMs()).minus({ days: 1 });
  const entry = { volunteerId: f.volunteerId, startedAt: yesterday.minus({ hours: 1 }).toISO(), endedAt: yesterday.toISO(), note: '重放' };
  same(await twice('/communities/{c}/hours', `/communities/${f.c}/hours`, { ...organiser, body: entry }));
  const redemption = await twice('/me/redemptions', '/me/redemptions', { token: f.volunteerToken, body: { itemId: f.itemId } });
  same(redemption);
  same(await twice('/communities/{c}/redemptions/{id}/collect', `/communities/${f.c}/redemptions/${f.redemptionId}/collect`, organiser));
  same(await twice('/communities/{c}/redemptions/{id}/cancel', `/communities/${f.c}/redemptions/${redemption.first.body.redemption.id}/cancel`, organiser));

  const checkIn = await twice('/me/check-ins', '/me/check-ins', { token: f.volunteerToken, body: { slotId: f.slotId } });
  same(checkIn);
  same(await twice('/me/check-outs', '/me/check-outs', { token: f.volunteerToken }));
  same(await twice('/communities/{c}/hours/{logId}/approve', `/communities/${f.c}/hours/${checkIn.first.body.hoursLog.id}/approve`, { ...organiser, body: {} }));
  expect((await api.call('POST', '/me/check-ins', { token: v2.token, body: { slotId: f.slotId } })).status).toBe(201);
  const pending = await api.call('POST', '/me/check-outs', { token: v2.token });
  same(await twice('/communities/{c}/hours/{logId}/reject', `/communities/${f.c}/hours/${pending.body.hoursLog.id}/reject`, { ...organiser, body: { note: '重放' } }));
  same(await twice('/communities/{c}/volunteers/{volunteerId}/token', `/communities/${f.c}/volunteers/${v2.id}/token`, organiser));

  // A work order from report to rating, each step sent twice.
  const order = await twice('/communities/{c}/work-orders', `/communities/${f.c}/work-orders`, { body: { name: '重放', phone: phone(6), category: 'other', description: '重放' } });
  same(order);
  const orderId = order.first.body.workOrder.id as string;
  same(await twice('/me/work-orders', '/me/work-orders', { token: f.volunteerToken, body: { category: 'other', description: '重放' } }));
  same(await twice('/communities/{c}/work-orders/{id}/dispatch', `/communities/${f.c}/work-orders/${orderId}/dispatch`, { ...organiser, body: { team: 'patrol' } }));
  same(await twice('/communities/{c}/work-orders/{id}/accept', `/communities/${f.c}/work-orders/${orderId}/accept`, { token: f.volunteerToken }));
  same(await twice('/communities/{c}/work-orders/{id}/resolve', `/communities/${f.c}/work-orders/${orderId}/resolve`, { token: f.volunteerToken, body: { note: '重放', minutes: 10 } }));
  same(await twice('/communities/{c}/work-orders/{id}/feedback', `/communities/${f.c}/work-orders/${orderId}/feedback`, { manage: order.first.body.manageToken, body: { rating: 5 } }));
  const toReject = await api.call('POST', `/communities/${f.c}/work-orders`, { body: { name: '重放', phone: phone(7), category: 'other', description: '重放' } });
  same(await twice('/communities/{c}/work-orders/{id}/reject', `/communities/${f.c}/work-orders/${toReject.body.workOrder.id}/reject`, { ...organiser, body: { note: '重放' } }));

  // A wish from posting to fulfilment (a volunteer's adoption, and a partner unit's), each step sent twice.
  const wish = await twice('/communities/{c}/wishes', `/communities/${f.c}/wishes`, { body: { name: '重放', phone: phone(9), title: '重放', description: '重放' } });
  same(wish);
  const wishPath = (id: string, action: string) => `/communities/${f.c}/wishes/${id}/${action}`;
  const wishId = wish.first.body.wish.id as string;
  same(await twice('/communities/{c}/wishes/{id}/publish', wishPath(wishId, 'publish'), organiser));
  same(await twice('/communities/{c}/wishes/{id}/adopt', wishPath(wishId, 'adopt'), { token: f.volunteerToken }));
  same(await twice('/communities/{c}/wishes/{id}/fulfil', wishPath(wishId, 'fulfil'), { token: f.volunteerToken, body: { note: '重放' } }));
  const unitWish = (await api.call('POST', `/communities/${f.c}/wishes`, { body: { name: '重放', phone: phone(10), title: '共建', description: '' } })).body.wish.id as string;
  expect((await api.call('POST', wishPath(unitWish, 'publish'), organiser)).status).toBe(200);
  same(await twice('/communities/{c}/wishes/{id}/adopt', wishPath(unitWish, 'adopt'), { ...organiser, body: { adopterName: '共建单位' } }));
  same(await twice('/communities/{c}/wishes/{id}/fulfil', wishPath(unitWish, 'fulfil'), { ...organiser, body: {} }));
  const wishToReject = (await api.call('POST', `/communities/${f.c}/wishes`, { body: { name: '重放', phone: phone(11), title: '不予', description: '' } })).body.wish.id as string;
  same(await twice('/communities/{c}/wishes/{id}/reject', wishPath(wishToReject, 'reject'), { ...organiser, body: { note: '重放' } }));

  // Where the community verifies phones: a held sign-up and a held booking, each code sent back.
  const codes: Envelope[] = [];
  useDeliveryAdapter({ name: 'recording', deliver: async (envelope) => void codes.push(envelope) });
  try {
    expect((await api.call('PUT', `/communities/${f.c}/settings`, { ...organiser, body: { name: `社区 ${f.c}`, pointsPerHour: 60, verifyPhone: true } })).status).toBe(200);
    const heldSignUp = await api.call('POST', `/communities/${f.c}/events/${f.eventId}/registrations`, { body: { name: '验证', phone: phone(4) } });
    same(
      await twice('/communities/{c}/events/{eventId}/registrations/{id}/verify', `/communities/${f.c}/events/${f.eventId}/registrations/${heldSignUp.body.registration.id}/verify`, {
        manage: heldSignUp.body.manageToken,
        body: { code: codes.at(-1)!.params.code },
      }),
    );
    const heldReport = await api.call('POST', `/communities/${f.c}/work-orders`, { body: { name: '验证', phone: phone(8), category: 'other', description: '验证' } });
    same(
      await twice('/communities/{c}/work-orders/{id}/verify', `/communities/${f.c}/work-orders/${heldReport.body.workOrder.id}/verify`, {
        manage: heldReport.body.manageToken,
        body: { code: codes.at(-1)!.params.code },
      }),
    );
    const heldWish = await api.call('POST', `/communities/${f.c}/wishes`, { body: { name: '验证', phone: phone(12), title: '验证', description: '' } });
    same(
      await twice('/communities/{c}/wishes/{id}/verify', `/communities/${f.c}/wishes/${heldWish.body.wish.id}/verify`, {
        manage: heldWish.body.manageToken,
        body: { code: codes.at(-1)!.params.code },
      }),
    );
    const heldBooking = await api.call('POST', `/communities/${f.c}/slots/${f.slotId}/requests`, { body: { name: '验证', phone: phone(5), category: 'other', description: '验证' } });
    same(
      await twice('/communities/{c}/slots/{slotId}/requests/{id}/verify', `/communities/${f.c}/slots/${f.slotId}/requests/${heldBooking.body.request.id}/verify`, {
        manage: heldBooking.body.manageToken,
        body: { code: codes.at(-1)!.params.code },
      }),
    );
  } finally {
    useDeliveryAdapter(undefined);
    await api.call('PUT', `/communities/${f.c}/settings`, { ...organiser, body: { name: `社区 ${f.c}`, pointsPerHour: 60 } });
  }

  // One effect each: one event titled 重放, one registration for the phone, one entry (60 points
  // at 60 an hour) and one redemption (10) on the fixture volunteer's ledger. (The check-in lasted
  // seconds: approved at 0 minutes, it earns nothing and writes no entry.)
  const events = await api.call('GET', `/communities/${f.c}/events?limit=100`);
  expect(events.body.items.filter((event: { title: string }) => event.title === '重放')).toHaveLength(1);
  const roster = await api.call('GET', `/communities/${f.c}/events/${f.eventId}/registrations?limit=100`, organiser);
  expect(roster.body.items.filter((r: { phone: string }) => r.phone === phone(1))).toHaveLength(1);
  const points = await api.call('GET', '/me/points?limit=100', { token: f.volunteerToken });
  expect(points.body.items.filter((entry: { kind: string }) => entry.kind === 'earn').map((entry: { points: number }) => entry.points)).toEqual([60, 120]); // this entry, the fixture's
  expect(points.body.items.filter((entry: { kind: string }) => entry.kind === 'redeem')).toHaveLength(2); // the fixture's and this one

  // Every POST of the route table was tried.
  expect(routes.filter((route) => route.method === 'POST').map(routeKeyOf).filter((key) => !covered.has(key))).toEqual([]);
});
