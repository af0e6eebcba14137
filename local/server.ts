import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import * as clock from '../functions/clock';
import { allowedOrigins, CORS_POLICY } from '../functions/http/cors-policy';
import { PROBLEM_CONTENT_TYPE, problemOf, problemResponse } from '../functions/http/problem';
import { functionGroupOf, type FunctionGroup, type LambdaHttpHandler, type RouteDefinition } from '../functions/http/route';
import type { JobDefinition } from '../functions/jobs';
import type { Shard } from '../functions/services/drain';
import { buildEvent, createRouteMatcher } from './api-gateway-event';

/** API Gateway's own payload limit is 10 MB; past 1 MB the local server stops reading. */
const MAX_READ_BYTES = 1024 * 1024;
/** The Lambda timeout the CDK stack sets; the local context counts down from it. */
export const FUNCTION_TIMEOUT_MS = 10_000;

/**
 * How many invocations of one function run at once here. On AWS every request gets an execution
 * environment of its own, with its own CPU and its own 10 s; here one process and one DynamoDB
 * Local stand in for all of them, so a burst of hundreds of requests would otherwise share them all
 * at once and spend its timeout queueing inside the handlers. Past this many, a request waits for
 * a free slot before its invocation (and its timeout) starts, as it would wait for a free
 * execution environment.
 */
export const LOCAL_CONCURRENCY_PER_FUNCTION = 32;

/** First come, first served: at most `limit` tasks at once. */
class InvocationGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

export interface LocalServerOptions {
  readonly routes: readonly RouteDefinition[];
  readonly handlers: Readonly<Record<FunctionGroup, LambdaHttpHandler>>;
  /** The API Gateway JWT authorizer's stand-in: claims for a good token, undefined otherwise. */
  readonly authorize: (authorization: string | undefined) => Promise<Record<string, string> | undefined>;
  readonly jobs: readonly JobDefinition[];
  /** Static files for `/` (the web forms); omitted in tests that need none. */
  readonly webDir?: string;
  /** The functions' timeout, as the stack sets it (FUNCTION_TIMEOUT_MS); a test may shorten it. */
  readonly functionTimeoutMs?: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** A Lambda context as Lambda gives one: a countdown of the function's timeout from the invocation. */
export function lambdaContext(group: FunctionGroup, timeoutMs: number = FUNCTION_TIMEOUT_MS): Context {
  const deadline = performance.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `linli-${group}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:linli-${group}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/linli-${group}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - performance.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * What API Gateway answers when the function timed out: its own bare 500, not the function's
 * problem+json. The handlers answer `503` before this (functions/http/function.ts gives the store
 * a deadline short of the timeout, and every store call past it is refused), so this only shows
 * when code other than the store hangs: as on Lambda, the invocation has no say after its time.
 */
const TIMED_OUT: APIGatewayProxyStructuredResultV2 = {
  statusCode: 500,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ message: 'Internal Server Error' }),
};

async function invokeWithTimeout(
  handler: LambdaHttpHandler,
  event: Parameters<LambdaHttpHandler>[0],
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<APIGatewayProxyStructuredResultV2>((resolve) => {
    timer = setTimeout(() => {
      console.error(JSON.stringify({ level: 'ERROR', message: 'Task timed out', functionName: context.functionName }));
      resolve(TIMED_OUT);
    }, context.getRemainingTimeInMillis());
  });
  try {
    return await Promise.race([handler(event, context), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A job run as the local runtime runs it: a fan-out's other copies run beside this one in this
 * process (on AWS they are invocations of their own), and the run answers once all have.
 */
export function runJobLocally(job: JobDefinition, now: Date = clock.now()): Promise<Record<string, unknown>> {
  const fanOut = async (shards: readonly Shard[]) => {
    await Promise.all(shards.map((shard) => job.run(now, undefined, { shard })));
  };
  return job.run(now, undefined, { fanOut });
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['Set-Cookie'] = result.cookies;
  const body = result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

function sendProblem(res: ServerResponse, code: Parameters<typeof problemOf>[0], detail?: string): void {
  const response = problemResponse(problemOf(code, detail));
  response.headers = { ...response.headers, 'X-Content-Type-Options': 'nosniff', 'Access-Control-Allow-Origin': corsOrigin() };
  send(res, response);
}

function corsOrigin(requestOrigin?: string): string {
  const origins = allowedOrigins();
  if (origins.includes('*')) return '*';
  return requestOrigin && origins.includes(requestOrigin) ? requestOrigin : origins[0]!;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_READ_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function serveStatic(webDir: string, pathname: string, res: ServerResponse): Promise<boolean> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return false;
  }
  const file = normalize(join(webDir, relative));
  if (!file.startsWith(webDir + sep)) return false;
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    res.end(await readFile(file));
    return true;
  } catch {
    return false;
  }
}

/**
 * The local stand-in for API Gateway: matches the route table, runs the JWT authorizer on
 * organiser routes, builds a payload v2.0 event and invokes the same Lambda handler that AWS runs.
 * Also answers CORS preflight (API Gateway's job on AWS), serves web/ and the local job triggers.
 */
export function createLocalServer(options: LocalServerOptions): Server {
  const match = createRouteMatcher(options.routes);
  const webDir = options.webDir ? normalize(options.webDir) : undefined;
  const gates: Record<FunctionGroup, InvocationGate> = {
    public: new InvocationGate(LOCAL_CONCURRENCY_PER_FUNCTION),
    volunteer: new InvocationGate(LOCAL_CONCURRENCY_PER_FUNCTION),
    organiser: new InvocationGate(LOCAL_CONCURRENCY_PER_FUNCTION),
  };

  // When each request reached the server, as API Gateway's `requestContext.timeEpoch` says it (the
  // sign-up queue orders sign-ups by it). A busy process reads the sockets that are ready in no
  // particular order, often seconds after their requests came in, but accepts new connections in
  // the order they came: the first request on a connection is stamped with its acceptance (at
  // most one function timeout back, for a connection opened early and used late), any later one on
  // a kept-alive connection when it is read.
  const acceptedAt = new WeakMap<Socket, number>();
  const server = createServer(async (req, res) => {
    const now = clock.nowMs();
    const accepted = acceptedAt.get(req.socket);
    acceptedAt.delete(req.socket);
    const receivedAt = accepted === undefined ? now : Math.max(accepted, now - FUNCTION_TIMEOUT_MS);
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      const url = new URL(req.url ?? '/', 'http://localhost');

      if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.writeHead(204, {
          'Access-Control-Allow-Origin': corsOrigin(req.headers.origin),
          'Access-Control-Allow-Methods': CORS_POLICY.allowMethods.join(','),
          'Access-Control-Allow-Headers': CORS_POLICY.allowHeaders.join(','),
          'Access-Control-Max-Age': String(CORS_POLICY.maxAgeSeconds),
          Vary: 'Origin',
        });
        return res.end();
      }

      const jobMatch = url.pathname.match(/^\/_local\/jobs\/([\w-]+)$/);
      if (jobMatch && method === 'POST') {
        const job = options.jobs.find((candidate) => candidate.name === jobMatch[1]);
        if (!job) return sendProblem(res, 'not_found', 'No such job');
        const summary = await runJobLocally(job);
        return send(res, { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ job: job.name, ...summary }) });
      }

      const found = match(method, url.pathname);
      if (!found) {
        if (method === 'GET' && webDir && (await serveStatic(webDir, url.pathname, res))) return;
        return sendProblem(res, 'not_found', 'No such route');
      }

      let claims: Record<string, string> | undefined;
      if (found.route.credential === 'organiser') {
        claims = await options.authorize(req.headers.authorization);
        if (!claims) return sendProblem(res, 'unauthorized', 'Send a valid organiser token: npm run --silent token -- organiser <communityId>');
      }

      const body = await readBody(req);
      if (!body) return sendProblem(res, 'payload_too_large', 'The limit is 64 KiB');

      const event = buildEvent({
        method,
        url,
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        match: found,
        claims,
        receivedAt,
      });
      const group = functionGroupOf(found.route.credential);
      // The context (and its countdown) is made when the invocation starts, not when it queued.
      send(res, await gates[group].run(() => invokeWithTimeout(options.handlers[group], event, lambdaContext(group, options.functionTimeoutMs))));
    } catch (error) {
      // A handler never throws (its error middleware answers); this is the server's own failure.
      console.error(JSON.stringify({ level: 'ERROR', message: 'local server error', errorName: (error as Error)?.name }));
      if (!res.headersSent) sendProblem(res, 'internal');
      else res.end();
    }
  });
  // Headers past Node's limit never reach the handler: answer as the API answers, in problem+json
  // (API Gateway has its own limit, and its own answer, on AWS).
  server.on('connection', (socket: Socket) => acceptedAt.set(socket, clock.nowMs()));
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify(problemOf(tooLarge ? 'headers_too_large' : 'validation_failed', tooLarge ? 'The limit is 16 KiB of headers' : 'Malformed HTTP request'));
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
