import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import type { z } from 'zod';
import { routeKeyOf, type RouteDefinition } from '../../functions/http/route';
import { routes } from '../../functions/routes';
import { documents } from '../../functions/store/client';
import { fillPath, makeCommunity, type CommunityFixture } from '../support/fixtures';
import { startTestApi, type TestApi } from '../support/test-api';

/**
 * Fuzzing every public, manage-token and volunteer route through the local HTTP server: at least
 * 1,000 hostile requests each. Hostile by construction (every case breaks a required field, the
 * body as a whole, the media type or a path segment), so none may succeed; none may get a 5xx;
 * and the table (less rate-limit windows and idempotency records) must be the same afterwards.
 */
const CASES_PER_ROUTE = 1000;
const PARALLEL = 8;

let api: TestApi;
let fixture: CommunityFixture;
const tally: Record<string, { cases: number; statuses: Record<number, number> }> = {};

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  fixture = await makeCommunity(api, 'fuzz');
});
afterAll(async () => {
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
  const total = Object.values(tally).reduce((sum, entry) => sum + entry.cases, 0);
  process.stdout.write(`fuzz: ${Object.keys(tally).length} routes, ${total} cases\n`);
});

/** Values no scalar field accepts: wrong types, structures, deep nesting. */
const notAScalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue(), { minLength: 1, maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { minKeys: 1, maxKeys: 4 }),
  fc.integer({ min: 1, max: 60 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth))),
  fc.constant({ constructor: { prototype: { admin: true } } }),
);

/** Strings meant to break parsers, loggers and key builders. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('\u0000', '\u202Eevil', '../../etc/passwd', "' OR 1=1 --", '${jndi:ldap://x}', '%00', '%2F..%2F', 'COMMUNITY#other', '#', '🙂'.repeat(30), '\uD800'),
  fc.constant('x'.repeat(5000)),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);


/** Percent-encodes a path segment; a lone surrogate becomes the invalid UTF-8 it would be. */
function segment(value: string): string {
  try {
    return encodeURIComponent(value) || '%20';
  } catch {
    return '%ED%A0%80';
  }
}

function requiredFields(schema: z.ZodType | undefined): string[] {
  const shape = (schema as unknown as { shape?: Record<string, { safeParse: (v: unknown) => { success: boolean } }> } | undefined)?.shape;
  if (!shape) return [];
  return Object.entries(shape).filter(([, field]) => !field.safeParse(undefined).success).map(([name]) => name);
}

/** A valid-looking body for the route, to break one piece at a time. */
function baseBody(route: RouteDefinition): Record<string, unknown> {
  const samples: Record<string, unknown> = {
    name: '测试', phone: '+8613900001234', partySize: 1, category: 'other', description: '帮忙', itemId: fixture.itemId, quantity: 1, slotId: fixture.slotId,
  };
  return Object.fromEntries(requiredFields(route.body).map((field) => [field, samples[field] ?? 'x']));
}

interface Case {
  path: string;
  query: string;
  contentType?: string;
  rawBody?: string;
  headers: Record<string, string>;
}

function caseArbitrary(route: RouteDefinition): fc.Arbitrary<Case> {
  const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const required = requiredFields(route.body);
  const credential: Record<string, string> =
    route.credential === 'volunteer' ? { authorization: `Bearer ${fixture.volunteerToken}` } : route.credential === 'manage' ? { 'x-manage-token': fixture.registrationToken } : {};
  const validPath = fillPath(route.path, fixture);
  const brokenPath = params.length
    ? fc.tuple(fc.constantFrom(...params), hostileString).map(([param, value]) =>
        fillPath(route.path.replace(`{${param}}`, segment(value)), fixture),
      )
    : fc.constant(validPath);
  const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'from', 'to', 'status', 'month', '__proto__', 'x'), hostileString, { maxKeys: 3 })
    .map((entries) => Object.entries(entries).map(([k, v]) => `${segment(k)}=${segment(v)}`).join('&'));
  const breakRequiredField =
    required.length > 0
      ? fc.tuple(fc.constantFrom(...required), fc.oneof(notAScalar, fc.constant(undefined))).map(([field, value]) => {
          const body: Record<string, unknown> = { ...baseBody(route), [field]: value };
          if (value === undefined) delete body[field];
          return { rawBody: JSON.stringify(body), contentType: 'application/json' };
        })
      : undefined;
  const breakWholeBody = fc.oneof(
    fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => ({ rawBody: JSON.stringify(value), contentType: 'application/json' })),
    fc.constantFrom('{"__proto__":{"admin":true}}', '{"a":', '[1,2', '\u0000', '{"name":"x"}}').map((rawBody) => ({ rawBody, contentType: 'application/json' })),
    fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16').map((contentType) => ({ rawBody: 'name=x', contentType })),
    fc.constant({ rawBody: JSON.stringify({ ...baseBody(route), pad: 'x'.repeat(70 * 1024) }), contentType: 'application/json' }),
  );
  const idempotencyKey = fc.option(fc.oneof(fc.constant('é'.repeat(3)), fc.constant('k'.repeat(300)), fc.string({ minLength: 1, maxLength: 20 })), { nil: undefined });

  if (route.method === 'GET') {
    return fc.record({ path: fc.oneof(fc.constant(validPath), brokenPath), query, headers: fc.constant(credential) });
  }
  if (route.body) {
    const body = breakRequiredField ? fc.oneof(breakRequiredField, breakWholeBody) : breakWholeBody;
    return fc.tuple(fc.oneof(fc.constant(validPath), brokenPath), query, body, idempotencyKey).map(([path, q, b, key]) => ({
      path,
      query: q,
      ...b,
      headers: { ...credential, ...(key ? { 'idempotency-key': key } : {}) },
    }));
  }
  // Writes without a body (shifts, check-outs, DELETEs): a broken path segment or a foreign credential.
  const foreign: Record<string, string> =
    route.credential === 'manage' ? { 'x-manage-token': `mt_${'x'.repeat(43)}` } : route.credential === 'volunteer' ? { authorization: 'Bearer vt_forged' } : {};
  return params.length
    ? fc.record({ path: brokenPath, query, headers: fc.constant(credential) })
    : fc.record({ path: fc.constant(validPath), query, headers: fc.constant(foreign) });
}

async function dump(): Promise<string[]> {
  const items: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents().send(new ScanCommand({ TableName: api.tableName, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      if (String(item.pk).startsWith('RATE#') || item.pk === 'IDEMPOTENCY') continue;
      items.push(JSON.stringify(item, Object.keys(item).sort()));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort();
}

const fuzzed = routes.filter((route) => route.credential !== 'organiser' && !['/health', '/openapi.json'].includes(route.path));

it.each(fuzzed.map((route) => [routeKeyOf(route), route] as const))(
  '%s: 1,000 hostile requests, no 5xx, no success, nothing written',
  async (key, route) => {
    const before = await dump();
    const samples = fc.sample(caseArbitrary(route), { numRuns: CASES_PER_ROUTE, seed: 20261126 });
    const statuses: Record<number, number> = {};
    const failures: string[] = [];
    for (let i = 0; i < samples.length; i += PARALLEL) {
      await Promise.all(
        samples.slice(i, i + PARALLEL).map(async (sample) => {
          const headers = { ...sample.headers, ...(sample.contentType ? { 'content-type': sample.contentType } : {}) };
          const response = await api.call(route.method, `${sample.path}${sample.query ? `?${sample.query}` : ''}`, { headers, rawBody: sample.rawBody });
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          const isSuccess = response.status < 300 && route.method !== 'GET';
          if (response.status >= 500 || isSuccess) failures.push(`${response.status} ${route.method} ${sample.path} ${sample.rawBody?.slice(0, 200)} → ${response.text.slice(0, 200)}`);
          if (response.status >= 400 && !response.headers.get('content-type')?.startsWith('application/problem+json')) {
            failures.push(`not problem+json: ${response.status} ${sample.path}`);
          }
        }),
      );
    }
    tally[key] = { cases: samples.length, statuses };
    expect(failures.slice(0, 5)).toEqual([]);
    expect(samples.length).toBeGreaterThanOrEqual(CASES_PER_ROUTE);
    expect(await dump()).toEqual(before);
  },
  120_000,
);
