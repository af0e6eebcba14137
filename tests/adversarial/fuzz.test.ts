import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import type { z } from 'zod';
import { ERROR_CATALOGUE } from '../../functions/domain/errors';
import { handler as organiserHandler } from '../../functions/entry/organiser';
import { handler as publicHandler } from '../../functions/entry/public';
import { handler as volunteerHandler } from '../../functions/entry/volunteer';
import { functionGroupOf, routeKeyOf, type FunctionGroup, type LambdaHttpHandler, type RouteDefinition } from '../../functions/http/route';
import { routes } from '../../functions/routes';
import { documents } from '../../functions/store/client';
import { buildEvent, createRouteMatcher } from '../../local/api-gateway-event';
import { lambdaContext } from '../../local/server';
import { contractOf } from '../support/contract';
import { fillPath, makeCommunity, type CommunityFixture } from '../support/fixtures';
import { startTestApi, type TestApi } from '../support/test-api';

/**
 * Fuzzing every public, manage-token and volunteer route: at least 1,000 hostile requests each,
 * against DynamoDB Local. Hostile by construction (every case breaks a required field, the body as
 * a whole, the media type or a path segment), so none may succeed; none may get a 5xx; every
 * error is problem+json with a code from the error catalogue and that code's status, as
 * GET /openapi.json declares it; and the table (less rate-limit windows and idempotency records)
 * must be the same afterwards.
 *
 * Every case is sent to the route's Lambda handler in-process, as an API Gateway payload v2.0
 * event built the way the local server builds it (local/api-gateway-event.ts); every tenth case
 * also goes through the local HTTP server, so the transport (URL parsing, header handling, route
 * matching) is fuzzed too and the two ways are held to the same properties.
 */
const CASES_PER_ROUTE = 1000;
/** Of the same cases, every OVER_HTTP_EVERY-th also goes through the local HTTP server. */
const OVER_HTTP_EVERY = 10;
const PARALLEL = 8;

let api: TestApi;
let fixture: CommunityFixture;
const tally: Record<string, { cases: number; overHttp: number; statuses: Record<number, number> }> = {};

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  fixture = await makeCommunity(api, 'fuzz');
});
afterAll(async () => {
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
  const total = Object.values(tally).reduce((sum, entry) => sum + entry.cases, 0);
  const overHttp = Object.values(tally).reduce((sum, entry) => sum + entry.overHttp, 0);
  process.stdout.write(`fuzz: ${Object.keys(tally).length} routes, ${total} cases in-process, ${overHttp} of them also over HTTP\n`);
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
      if (String(item.pk).startsWith('RATE#') || String(item.pk).startsWith('IDEMPOTENCY#')) continue;
      items.push(JSON.stringify(item, Object.keys(item).sort()));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort();
}

/** What a case got back, however it was sent. */
interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

type Send = (route: RouteDefinition, sample: Case) => Promise<Answer>;

const match = createRouteMatcher(routes);
const handlers: Record<FunctionGroup, LambdaHttpHandler> = { public: publicHandler, volunteer: volunteerHandler, organiser: organiserHandler };


/** The headers as fetch would send them and node:http would hand them on: lower-case names, values trimmed. */
function requestHeaders(sample: Case, body: Buffer): Record<string, string> {
  const headers: Record<string, string> = { host: new URL(api.url).host, accept: '*/*', 'user-agent': 'node' };
  for (const [name, value] of Object.entries(sample.headers)) headers[name.toLowerCase()] = value.trim();
  if (sample.contentType) headers['content-type'] = sample.contentType.trim();
  if (body.length) headers['content-length'] = String(body.length);
  return headers;
}

/** Straight to the route's Lambda handler, as the local server would invoke it, with no HTTP between. */
const inProcess: Send = async (route, sample) => {
  const url = new URL(`${sample.path}${sample.query ? `?${sample.query}` : ''}`, api.url);
  const body = Buffer.from(sample.rawBody ?? '', 'utf8');
  const found = match(route.method, url.pathname);
  // No route for the path (a segment that is not valid percent-encoding, say): API Gateway answers, not a handler.
  if (!found) return overHttp(route, sample);
  const group = functionGroupOf(found.route.credential);
  const event = buildEvent({ method: route.method, url, headers: requestHeaders(sample, body), body, sourceIp: '127.0.0.1', match: found });
  const result = (await handlers[group](event, lambdaContext(group))) as APIGatewayProxyStructuredResultV2;
  const contentType = Object.entries(result.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const text = result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  const answer = { status: result.statusCode ?? 200, contentType: contentType === undefined ? null : String(contentType), text };
  // What api.call checks of every answer over HTTP: that it keeps to GET /openapi.json.
  const problems = (await contractOf(api.url)).problems({ method: route.method, path: url.pathname, ...answer });
  if (problems.length) throw new Error(`The response does not keep to GET /openapi.json:\n${problems.join('\n')}`);
  return answer;
};

/** Through the local HTTP server (api.call also holds the answer against GET /openapi.json). */
const overHttp: Send = async (route, sample) => {
  const headers = { ...sample.headers, ...(sample.contentType ? { 'content-type': sample.contentType } : {}) };
  const response = await api.call(route.method, `${sample.path}${sample.query ? `?${sample.query}` : ''}`, { headers, rawBody: sample.rawBody });
  return { status: response.status, contentType: response.headers.get('content-type'), text: response.text };
};

/** Sends the cases, PARALLEL at a time; the statuses seen and every broken property, as sentences. */
async function fuzz(route: RouteDefinition, samples: readonly Case[], send: Send, how: string) {
  const statuses: Record<number, number> = {};
  const failures: string[] = [];
  for (let i = 0; i < samples.length; i += PARALLEL) {
    await Promise.all(
      samples.slice(i, i + PARALLEL).map(async (sample) => {
        const response = await send(route, sample);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        const isSuccess = response.status < 300 && route.method !== 'GET';
        if (response.status >= 500 || isSuccess) failures.push(`${how}: ${response.status} ${route.method} ${sample.path} ${sample.rawBody?.slice(0, 200)} → ${response.text.slice(0, 200)}`);
        if (response.status >= 400) {
          if (!response.contentType?.startsWith('application/problem+json')) failures.push(`${how}: not problem+json: ${response.status} ${sample.path}`);
          const code = (() => {
            try {
              return (JSON.parse(response.text) as { code?: unknown }).code;
            } catch {
              return undefined;
            }
          })();
          const entry = typeof code === 'string' ? ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE] : undefined;
          if (entry?.status !== response.status) failures.push(`${how}: code ${String(code)} is not the catalogue's for ${response.status}: ${sample.path}`);
        }
      }),
    );
  }
  return { statuses, failures };
}

const fuzzed = routes.filter((route) => route.credential !== 'organiser' && !['/health', '/openapi.json'].includes(route.path));

it.each(fuzzed.map((route) => [routeKeyOf(route), route] as const))(
  '%s: 1,000 hostile requests (every tenth also over HTTP), no 5xx, no success, nothing written',
  async (key, route) => {
    const before = await dump();
    const samples = fc.sample(caseArbitrary(route), { numRuns: CASES_PER_ROUTE, seed: 20261126 });
    const handled = await fuzz(route, samples, inProcess, 'in-process');
    const sent = samples.filter((_, i) => i % OVER_HTTP_EVERY === 0);
    const http = await fuzz(route, sent, overHttp, 'over HTTP');
    tally[key] = { cases: samples.length, overHttp: sent.length, statuses: handled.statuses };
    expect([...handled.failures, ...http.failures].slice(0, 5)).toEqual([]);
    expect(samples.length).toBeGreaterThanOrEqual(CASES_PER_ROUTE);
    expect(sent.length).toBeGreaterThanOrEqual(CASES_PER_ROUTE / OVER_HTTP_EVERY);
    expect(await dump()).toEqual(before);
  },
  120_000,
);
