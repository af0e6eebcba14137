import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { signOrganiserToken } from '../../local/jwt';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { contractOf, type ReceivedResponse } from './contract';
import * as clock from '../../functions/clock';

export interface TestApi {
  readonly url: string;
  readonly runtime: LocalRuntime;
  readonly tableName: string;
  /** An organiser JWT for `communityId`, as `npm run token` would print it. */
  organiserToken(communityId: string, options?: Parameters<typeof signOrganiserToken>[2]): Promise<string>;
  /** fetch against the API with JSON in and out. */
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  stop(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Send this string as the body instead of JSON-encoding `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
  /**
   * Send from this loopback address (127.0.0.2, …) rather than 127.0.0.1: the local server sees
   * another client address, as API Gateway would see another phone.
   */
  from?: string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/**
 * The real local runtime (HTTP server, handlers, JWT authorizer mirror) on a random port, against
 * the suite's DynamoDB Local with a table of its own, so test files never see each other's data.
 */
export async function startTestApi(options: { webDir?: string } = {}): Promise<TestApi> {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run through jest (tests/support/global-setup.ts)');
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-test-'));
  const tableName = `linli-test-${randomUUID().slice(0, 8)}`;
  const runtime = await startLocalRuntime({ dataDir, port: 0, tableName, dynamodbEndpoint: endpoint, webDir: options.webDir });
  servesLinli.add(runtime.url);
  return {
    url: runtime.url,
    runtime,
    tableName,
    organiserToken: (communityId, options) => signOrganiserToken(runtime.signingKey, communityId, options),
    call: (method, path, options = {}) => call(runtime.url, method, path, options),
    stop: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = options.from ? await fetchFrom(options.from, `${baseUrl}${path}`, { method, headers, body }) : await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  await keepsToContract(baseUrl, { method, path: new URL(path, baseUrl).pathname, status: response.status, contentType: response.headers.get('content-type'), text });
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** fetch() from a given local address (fetch itself cannot choose one without undici's Agent). */
function fetchFrom(localAddress: string, url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Response> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: init.method, headers: init.headers, localAddress }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        resolve(new Response(Buffer.concat(chunks), { status: incoming.statusCode ?? 0, headers }));
      });
      incoming.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(init.body);
  });
}

/** The test APIs started here (a test may also call a server of its own, with routes of its own). */
const servesLinli = new Set<string>();

/**
 * Fails the calling test when a response drifts from `GET /openapi.json` (tests/support/contract.ts).
 * `CONTRACT_REPORT=<file>` lists the drift in that file instead, to survey it.
 */
async function keepsToContract(baseUrl: string, response: ReceivedResponse): Promise<void> {
  if (!servesLinli.has(baseUrl) || response.path === '/openapi.json' || response.path.startsWith('/_local/')) return;
  const problems = (await contractOf(baseUrl)).problems(response);
  if (!problems.length) return;
  if (process.env.CONTRACT_REPORT) return appendFileSync(process.env.CONTRACT_REPORT, `${problems.join('\n')}\n`);
  throw new Error(`The response does not keep to GET /openapi.json:\n${problems.join('\n')}`);
}

/** An event body an organiser would send, starting `daysAhead` days from now. */
export function eventBody(overrides: Record<string, unknown> = {}, daysAhead = 10): Record<string, unknown> {
  const start = new Date(clock.nowMs() + daysAhead * 86_400_000);
  start.setUTCHours(1, 0, 0, 0); // 09:00 in Shanghai
  const end = new Date(start.getTime() + 3 * 3_600_000);
  return {
    title: '与邻相约·多彩邻里节',
    venue: '幸福邻里 community room',
    startsAt: start.toISOString(),
    endsAt: end.toISOString(),
    capacity: 40,
    status: 'published',
    ...overrides,
  };
}

/** A line of an event's roster as the organiser's console reads it. */
export interface RosterLine {
  id: string;
  name: string;
  status: string;
  partySize: number;
  waitlistPosition?: number;
}

/** Every line of an event's roster (`GET …/registrations`, page after page), as an organiser sees it. */
export async function wholeRoster(api: TestApi, token: string, registrationsPath: string): Promise<RosterLine[]> {
  const items: RosterLine[] = [];
  let cursor: string | null = null;
  do {
    const page: ApiResponse = await api.call('GET', `${registrationsPath}?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token });
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}
