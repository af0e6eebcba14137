import { DateTime } from 'luxon';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as clock from '../../functions/clock';
import { documents } from '../../functions/store/client';
import { makeCommunity } from '../support/fixtures';
import { startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

describe('Idempotency-Key on POSTs without a body', () => {
  it('replays a check-out and a shift with the first response instead of failing', async () => {
    const f = await makeCommunity(api, 'bodyless');
    await api.call('POST', '/me/check-ins', { token: f.volunteerToken, body: { slotId: f.slotId } });
    const headers = { 'idempotency-key': 'check-out-1' };
    const first = await api.call('POST', '/me/check-outs', { token: f.volunteerToken, headers });
    const replay = await api.call('POST', '/me/check-outs', { token: f.volunteerToken, headers });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    const rotated = await api.call('POST', `/communities/${f.c}/volunteers/${f.volunteerId}/token`, { token: f.organiserToken, headers: { 'idempotency-key': 'rotate-1' } });
    const again = await api.call('POST', `/communities/${f.c}/volunteers/${f.volunteerId}/token`, { token: f.organiserToken, headers: { 'idempotency-key': 'rotate-1' } });
    expect(rotated.status).toBe(201);
    expect(again.body.token).toBe(rotated.body.token);
  });
});

describe('stored responses', () => {
  it('keeps tokens and names out of the table: replays are sealed with the Idempotency-Key', async () => {
    const f = await makeCommunity(api, 'sealed');
    const headers = { 'idempotency-key': 'register-sealed-1' };
    const body = { name: '封存测试', phone: '+8613922223333' };
    const first = await api.call('POST', `/communities/${f.c}/events/${f.eventId}/registrations`, { body, headers });
    const replay = await api.call('POST', `/communities/${f.c}/events/${f.eventId}/registrations`, { body, headers });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const rotated = await api.call('POST', `/communities/${f.c}/volunteers/${f.volunteerId}/token`, { token: f.organiserToken, headers: { 'idempotency-key': 'rotate-sealed' } });
    const scan = await documents().send(new ScanCommand({ TableName: api.tableName, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': 'IDEMPOTENCY#' } }));
    const stored = JSON.stringify(scan.Items);
    expect(scan.Items?.length).toBeGreaterThanOrEqual(2);
    expect(stored).not.toContain(first.body.manageToken);
    expect(stored).not.toContain(rotated.body.token);
    expect(stored).not.toContain('封存测试');
  });
});

describe('the same caller with a renewed credential', () => {
  it('replays an organiser’s keyed entry after the sign-in was renewed (a new JWT, the same subject), and never another organiser’s', async () => {
    const f = await makeCommunity(api, 'renewed');
    const yesterday = DateTime.fromMillis(clock.nowMs()).minus({ days: 1 }).startOf('hour');
    const entry = { volunteerId: f.volunteerId, startedAt: yesterday.toISO(), endedAt: yesterday.plus({ minutes: 30 }).toISO(), note: '补录' };
    const headers = { 'idempotency-key': 'entry-renewed-1' };
    const first = await api.call('POST', `/communities/${f.c}/hours`, { token: f.organiserToken, body: entry, headers });
    expect(first.status).toBe(201);
    const renewed = await api.organiserToken(f.c, { expiresIn: '1h' });
    expect(renewed).not.toBe(f.organiserToken);
    const retried = await api.call('POST', `/communities/${f.c}/hours`, { token: renewed, body: entry, headers });
    expect([retried.status, retried.text]).toEqual([201, first.text]);
    // Another organiser of the community with the same key is another request: their own entry.
    const colleague = await api.organiserToken(f.c, { subject: 'another-organiser' });
    const theirs = await api.call('POST', `/communities/${f.c}/hours`, { token: colleague, body: entry, headers });
    expect(theirs.status).toBe(201);
    expect(theirs.body.hoursLog.id).not.toBe(first.body.hoursLog.id);
    // Two entries of 30 minutes on the volunteer's record: the first organiser's once, the colleague's.
    const logs = await api.call('GET', '/me/hours', { token: f.volunteerToken });
    expect(logs.body.items.filter((log: { minutes?: number }) => log.minutes === 30).map((log: { id: string }) => log.id).sort()).toEqual([first.body.hoursLog.id, theirs.body.hoursLog.id].sort());
  });

  it('replays a volunteer’s keyed check-in after their code was replaced', async () => {
    const f = await makeCommunity(api, 'replaced');
    const headers = { 'idempotency-key': 'check-in-replaced-1' };
    const first = await api.call('POST', '/me/check-ins', { token: f.volunteerToken, body: { slotId: f.slotId }, headers });
    expect(first.status).toBe(201);
    const replaced = await api.call('POST', `/communities/${f.c}/volunteers/${f.volunteerId}/token`, { token: f.organiserToken });
    expect(replaced.status).toBe(201);
    const retried = await api.call('POST', '/me/check-ins', { token: replaced.body.token, body: { slotId: f.slotId }, headers });
    expect([retried.status, retried.text]).toEqual([201, first.text]);
    const open = (await api.call('GET', '/me/hours', { token: replaced.body.token })).body.items.filter((log: { status: string }) => log.status === 'open');
    expect(open.map((log: { id: string }) => log.id)).toEqual([first.body.hoursLog.id]);
  });
});
