import { ScanCommand } from '@aws-sdk/lib-dynamodb';
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
