import { request } from 'node:http';
import { makeCommunity, type CommunityFixture } from '../support/fixtures';
import { eventBody, startTestApi, type TestApi } from '../support/test-api';

/**
 * What a careless or hostile input must not do: write text that corrupts a roster, an export or a
 * calendar; store an instant that cannot be written back; leave a token in a cache; give back a
 * shift someone is working on; or get an answer that is not problem+json.
 */
let api: TestApi;
let f: CommunityFixture;

beforeAll(async () => {
  api = await startTestApi();
  f = await makeCommunity(api, 'hygiene');
});
afterAll(() => api.stop());

const organiser = (method: string, path: string, body?: unknown) => api.call(method, path, { token: f.organiserToken, body });

describe('free text from organisers', () => {
  it.each([
    ['a title with a line break', { title: '邻里节\r\nX-INJECT:1' }, 'title'],
    ['a title with a right-to-left override', { title: '邻里\u202E节' }, 'title'],
    ['a venue with NUL', { venue: '活动室\u0000' }, 'venue'],
    ['a description with a bidi isolate', { description: '带上水杯\u2066' }, 'description'],
  ])('refuses %s', async (_, fields, path) => {
    const response = await organiser('POST', `/communities/${f.c}/events`, eventBody(fields));
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([path]);
  });

  it('keeps line breaks in a description, as LF', async () => {
    const response = await organiser('POST', `/communities/${f.c}/events`, eventBody({ description: '第一行\r\n第二行\r第三行' }));
    expect(response.status).toBe(201);
    expect(response.body.event.description).toBe('第一行\n第二行\n第三行');
  });

  it.each([
    ['a community name', 'PUT', () => `/communities/${f.c}/settings`, { name: '幸福\n邻里' }, 'name'],
    ['an item name', 'POST', () => `/communities/${f.c}/catalogue`, { name: '大米\u202E', pointsCost: 1, stock: 1 }, 'name'],
    ['a rejection note', 'POST', () => `/communities/${f.c}/hours/${f.logId}/reject`, { note: '不对\u0007' }, 'note'],
  ])('refuses control characters in %s', async (_, method, path, body, field) => {
    const response = await organiser(method, path(), body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([field]);
  });
});

describe('instants', () => {
  it.each(['9999-12-31T09:00:00+08:00', '2101-01-01T00:00:00Z', '1999-12-31T23:59:59Z'])('refuses %s: outside 2000–2100', async (startsAt) => {
    const response = await organiser('POST', `/communities/${f.c}/events`, eventBody({ startsAt, endsAt: '2101-06-01T00:00:00Z' }));
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain('startsAt');
  });

  it.each([
    ['from', { from: '9999-12-30', to: '9999-12-31' }],
    ['to', { from: '2026-12-01', to: '2101-01-01' }],
    ['from', { from: '1999-12-31', to: '2000-01-01' }],
  ])('refuses a slot series whose %s is outside 2000–2100 (its erasure date would not be RFC 3339), and stores no evening', async (field, dates) => {
    const before = await api.call('GET', `/communities/${f.c}/slots?from=2000-01-01&to=2100-12-31&limit=100`);
    const response = await organiser('POST', `/communities/${f.c}/slots/series`, dates);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(field);
    expect((await api.call('GET', `/communities/${f.c}/slots?from=2000-01-01&to=2100-12-31&limit=100`)).body.items).toEqual(before.body.items);
  });

  it.each([
    ['GET', '/communities/{c}/events?from=9999-01-01'],
    ['GET', '/communities/{c}/slots?to=2101-01-01'],
  ])('refuses %s %s: a date outside 2000–2100', async (method, path) => {
    const response = await api.call(method, path.replace('{c}', f.c));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });

  it('refuses a report month outside 2000–2100', async () => {
    const response = await organiser('GET', `/communities/${f.c}/reports/hours?month=9999-01`);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain('query.month');
  });
});

describe('tokens never cached', () => {
  it('marks a public 201 carrying a manage token no-store', async () => {
    const response = await api.call('POST', `/communities/${f.c}/slots/${f.slotId}/requests`, {
      body: { name: '张', phone: '+8613911110000', category: 'other', description: '灯坏了' },
    });
    expect(response.status).toBe(201);
    expect(response.body.manageToken).toBeDefined();
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('giving back a shift', () => {
  it('is refused while checked in on it and once it has its hours log; a shift not worked is given back', async () => {
    const shift = `/communities/${f.c}/slots/${f.slotId}/shifts/me`;
    const checkIn = await api.call('POST', '/me/check-ins', { token: f.volunteerToken, body: { slotId: f.slotId } });
    expect(checkIn.status).toBe(201);
    const refused = await api.call('DELETE', shift, { token: f.volunteerToken });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('invalid_state');
    expect((await api.call('POST', '/me/check-outs', { token: f.volunteerToken })).status).toBe(200);
    // One log per shift (issue 17): the log keeps the shift, so it cannot be given back and taken
    // again for a second log.
    expect((await api.call('DELETE', shift, { token: f.volunteerToken })).body).toMatchObject({ status: 409, code: 'invalid_state' });
    const other = await api.call('POST', `/communities/${f.c}/volunteers`, { token: f.organiserToken, body: { name: '退出', phone: '+8613911112222', team: 'patrol' } });
    expect((await api.call('POST', `/communities/${f.c}/slots/${f.slotId}/shifts`, { token: other.body.token })).status).toBe(201);
    expect((await api.call('DELETE', shift, { token: other.body.token })).status).toBe(200);
  });
});

describe('oversized headers', () => {
  it('get 431 as problem+json', async () => {
    const { port } = new URL(api.url);
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const sent = request({ host: '127.0.0.1', port, path: `/communities/${f.c}`, headers: { 'x-padding': 'x'.repeat(20_000) } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }));
      });
      sent.on('error', reject);
      sent.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, code: 'headers_too_large' });
  });
});
