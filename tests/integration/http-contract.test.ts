import { z } from 'zod';
import { createHttpFunction } from '../../functions/http/function';
import { defineRoute, created, routeKeyOf } from '../../functions/http/route';
import { routes } from '../../functions/routes';
import { createLocalAuthorizer } from '../../local/jwt';
import { createLocalServer } from '../../local/server';
import type { AddressInfo } from 'node:net';
import { call, eventBody, startTestApi, type TestApi } from '../support/test-api';
import { moveClockToNextMinute } from '../support/minute';

let api: TestApi;
let token: string;
const C = 'contract';

beforeAll(async () => {
  api = await startTestApi();
  token = await api.organiserToken(C);
  await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: 'Contract' } });
});
afterAll(() => api.stop());

describe('bodies and media types', () => {
  it('refuses a body over 64 KiB with 413 and stores nothing', async () => {
    const response = await api.call('POST', `/communities/${C}/events`, {
      token,
      body: eventBody({ description: 'x'.repeat(70 * 1024), title: 'too-big' }),
    });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('payload_too_large');
    const list = await api.call('GET', `/communities/${C}/events?limit=100`);
    expect(list.body.items.map((event: { title: string }) => event.title)).not.toContain('too-big');
  });

  it.each(['text/plain', 'application/xml', 'multipart/form-data; boundary=x'])('refuses %s with 415', async (type) => {
    const response = await api.call('POST', `/communities/${C}/events`, {
      token,
      rawBody: 'title=x',
      headers: { 'content-type': type },
    });
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('unsupported_media_type');
  });

  it('refuses form-urlencoded on a route that does not take forms', async () => {
    const response = await api.call('POST', `/communities/${C}/events`, {
      token,
      rawBody: 'title=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
  });

  it.each(['{"title":', '[1,2', '{"__proto__":{"admin":true}}', 'null'])('answers malformed JSON %s with 400 validation_failed', async (raw) => {
    const response = await api.call('POST', `/communities/${C}/events`, {
      token,
      rawBody: raw,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.code).toBe('validation_failed');
  });

  it('lists every missing field of an empty body', async () => {
    const response = await api.call('POST', `/communities/${C}/events`, { token, rawBody: '', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining(['title', 'venue', 'startsAt', 'endsAt', 'capacity']),
    );
  });
});

describe('system routes', () => {
  it('answers GET /health', async () => {
    const response = await api.call('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers an unknown local job with a 404 problem', async () => {
    const response = await api.call('POST', '/_local/jobs/no-such-job');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
  });
});

describe('problem+json and headers', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const response = await api.call('GET', '/no/such/route');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ type: '/problems/not_found', status: 404, code: 'not_found' });
  });

  it('puts nosniff on every response and no-store on credentialed ones', async () => {
    const open = await api.call('GET', `/communities/${C}`);
    expect(open.headers.get('x-content-type-options')).toBe('nosniff');
    const credentialed = await api.call('PUT', `/communities/${C}/settings`, { token, body: { name: 'Contract' } });
    expect(credentialed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(credentialed.headers.get('cache-control')).toBe('no-store');
    const failed = await api.call('PUT', `/communities/${C}/settings`, { token, body: {} });
    expect(failed.headers.get('cache-control')).toBe('no-store');
  });

  it('answers CORS preflight and names the origin on responses', async () => {
    const preflight = await fetch(`${api.url}/communities/${C}/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://forms.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'idempotency-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const response = await api.call('GET', `/communities/${C}/events`, { headers: { origin: 'https://forms.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('Idempotency-Key', () => {
  it('returns the first response to a replay and creates one event', async () => {
    const body = eventBody({ title: 'idempotent' });
    const headers = { 'idempotency-key': 'create-idempotent-1' };
    const first = await api.call('POST', `/communities/${C}/events`, { token, body, headers });
    const replay = await api.call('POST', `/communities/${C}/events`, { token, body, headers });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const list = await api.call('GET', `/communities/${C}/events?limit=100`);
    expect(list.body.items.filter((event: { title: string }) => event.title === 'idempotent')).toHaveLength(1);
  });

  it('refuses the same key with a different body with 422', async () => {
    const headers = { 'idempotency-key': 'create-idempotent-2' };
    await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ title: 'one' }), headers });
    const reused = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody({ title: 'two' }), headers });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('creates exactly one event when twenty copies of a request race', async () => {
    const body = eventBody({ title: 'raced' });
    const headers = { 'idempotency-key': 'create-raced' };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => api.call('POST', `/communities/${C}/events`, { token, body, headers })),
    );
    const ids = new Set(responses.filter((response) => response.status === 201).map((response) => response.body.event.id));
    expect(ids.size).toBe(1);
    for (const response of responses) expect([201, 409]).toContain(response.status);
    const list = await api.call('GET', `/communities/${C}/events?limit=100`);
    expect(list.body.items.filter((event: { title: string }) => event.title === 'raced')).toHaveLength(1);
  });

  it('refuses a key that is not printable ASCII', async () => {
    const response = await api.call('POST', `/communities/${C}/events`, { token, body: eventBody(), headers: { 'idempotency-key': 'x'.repeat(256) } });
    expect(response.status).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('describes every route of the route table', async () => {
    const response = await api.call('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = response.body.paths[route.path]?.[route.method.toLowerCase()];
      expect({ route: routeKeyOf(route), operationId: operation?.operationId }).toEqual({
        route: routeKeyOf(route),
        operationId: route.operationId,
      });
    }
    const createEvent = response.body.paths['/communities/{c}/events'].post;
    expect(createEvent.security).toEqual([{ organiserJwt: [] }]);
    expect(createEvent.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['title', 'venue', 'startsAt', 'endsAt', 'capacity']),
    );
    expect(createEvent.responses['422'].content['application/problem+json']).toBeDefined();
  });
});

describe('public POST rate limit', () => {
  it('answers 429 with Retry-After once an address passes the limit, and 0 turns it off', async () => {
    const echo = defineRoute({
      method: 'POST',
      path: '/echo',
      operationId: 'echo',
      summary: 'test route',
      tags: [],
      credential: 'public',
      body: z.object({ n: z.number() }),
      responses: { 201: { description: 'ok' } },
      handler: async ({ body }) => created(body),
    });
    const start = async () => {
      const handler = createHttpFunction([echo]);
      const server = createLocalServer({
        routes: [echo],
        handlers: { public: handler, volunteer: handler, organiser: handler },
        authorize: createLocalAuthorizer(api.runtime.signingKey),
        jobs: [],
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    };
    process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '3';
    const { resetConfig } = await import('../../functions/config');
    resetConfig();
    const limited = await start();
    // Keep the burst inside one fresh one-minute window.
    const restoreClock = moveClockToNextMinute();
    try {
      const statuses = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await call(limited.url, 'POST', '/echo', { body: { n: i } })).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      const refused = await call(limited.url, 'POST', '/echo', { body: { n: 10 } });
      expect(refused.body.code).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    } finally {
      restoreClock();
      limited.server.close();
      process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
      resetConfig();
    }
    const unlimited = await start();
    try {
      const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => call(unlimited.url, 'POST', '/echo', { body: { n: i } })));
      expect(statuses.every((response) => response.status === 201)).toBe(true);
    } finally {
      unlimited.server.close();
      delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
      resetConfig();
    }
  });
});
