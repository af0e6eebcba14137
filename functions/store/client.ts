import { AsyncLocalStorage } from 'node:async_hooks';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { withConflictRetry } from './conflicts';
import { withRecord } from './request-record';
import { translateStoreError } from './store-errors';

let documentClient: DynamoDBDocumentClient | undefined;
let lowLevelClient: DynamoDBClient | undefined;

/**
 * How long one attempt may wait: to connect, and for the answer. A DynamoDB call answers in
 * milliseconds; a database that does not answer in these is treated as unreachable, so that three
 * attempts end well inside the function's own 10 s and the caller gets `503`, never a timeout.
 */
export const CONNECTION_TIMEOUT_MS = 1000;
export const REQUEST_TIMEOUT_MS = 2000;
const MAX_ATTEMPTS = 3;

/**
 * Whether this process is a Lambda invocation with X-Ray tracing active: Lambda names the function
 * in every environment, and sets the trace header for an invocation only when tracing is on
 * (lib/constructs/linli-function.ts turns it on). Read when the client is made, inside the first
 * invocation that needs it (the header is per invocation, absent at init). Locally, in the tests and
 * in the benchmarks neither is set, and nothing is traced or patched.
 */
function tracingActive(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME && env._X_AMZN_TRACE_ID);
}

/**
 * One subsegment per DynamoDB call (operation, table, retries, throttles, errors) in the
 * invocation's X-Ray trace, so a slow request shows which call it waited on. The SDK clients alone:
 * not every HTTPS request of the process (captureHTTPsRequests off), which would also patch Node's
 * http, https and fetch globally for the delivery channels.
 */
function traced(client: DynamoDBClient): DynamoDBClient {
  if (!tracingActive()) return client;
  tracer ??= new Tracer({ captureHTTPsRequests: false });
  return tracer.captureAWSv3Client(client);
}
let tracer: Tracer | undefined;

/** Changes made to every new client (the local runtime's DynamoDB contention layer). */
const clientPlugins: ((client: DynamoDBClient) => void)[] = [];

/** Applies `plugin` to the clients made from now on (call {@link resetClients} for the next one). */
export function addClientPlugin(plugin: (client: DynamoDBClient) => void): void {
  clientPlugins.push(plugin);
}

/** Forgets every plugin (tests that switch the contention layer off again). */
export function clearClientPlugins(): void {
  clientPlugins.length = 0;
}

/**
 * The DynamoDB client, created once per process (once per cold start on Lambda).
 * The SDK's standard retry mode gives bounded retries with jittered backoff.
 */
export function dynamo(): DynamoDBClient {
  if (!lowLevelClient) {
    const { dynamodbEndpoint, region } = config();
    lowLevelClient = new DynamoDBClient({
      region,
      maxAttempts: MAX_ATTEMPTS,
      retryMode: 'standard',
      requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
      ...(dynamodbEndpoint
        ? { endpoint: dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
    for (const plugin of clientPlugins) plugin(lowLevelClient);
    lowLevelClient = traced(lowLevelClient);
  }
  return lowLevelClient;
}

/** The document client over {@link dynamo}: plain JavaScript values in and out. */
export function documents(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(dynamo(), { marshallOptions: { removeUndefinedValues: true } });
  return documentClient;
}

/**
 * The one way the store sends a request, and the one place an SDK error is translated for the
 * layers above (`translateStoreError`: throttling and an unreachable database become
 * `503 unavailable`; a failed condition or a cancelled transaction passes through for the store
 * function to read). No store function wraps its calls in a try/catch of its own for this.
 *
 * In a request sent with an `Idempotency-Key`, the first write also carries the request's record
 * (store/request-record.ts), in the same transaction. A write that lost a race with a transaction
 * on one of its items is tried again (store/conflicts.ts).
 */
export const send = (async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
  const signal = deadlines.getStore()?.signal;
  const options = signal ? { abortSignal: signal } : undefined;
  const attempt = async () => {
    const recorded = await withRecord(command, (transaction) => documents().send(transaction, options));
    return recorded ? recorded.output : documents().send(command, options);
  };
  try {
    // Past the invocation's deadline nothing more is sent (not left to the SDK's own check of the signal).
    signal?.throwIfAborted();
    // Reads never conflict; a write that lost a race with a transaction is tried again.
    return await withConflictRetry(attempt, timeLeftMs);
  } catch (error) {
    throw translateStoreError(error);
  }
}) as DynamoDBDocumentClient['send'];

const deadlines = new AsyncLocalStorage<{ signal: AbortSignal; endsAt: number }>();

/**
 * Runs an invocation's work with a deadline for the store: past `ms`, a call in flight is
 * abandoned and every later one refused at once, as unavailable (`503`). The HTTP functions set it
 * a little short of the Lambda's remaining time, so a hung database answers `503 Retry-After`
 * before the function times out, and nothing more is sent once the caller was answered (a write
 * already on the wire may still land when the database wakes; the request's record, in the same
 * transaction, makes its retry a replay).
 */
export function withinDeadline<T>(ms: number, run: () => Promise<T>): Promise<T> {
  const budget = Math.max(0, Math.floor(ms));
  return deadlines.run({ signal: AbortSignal.timeout(budget), endsAt: performance.now() + budget }, run);
}

/** Milliseconds left before the invocation's store deadline; unbounded outside one (jobs, tests). */
export function timeLeftMs(): number {
  const deadline = deadlines.getStore();
  return deadline ? deadline.endsAt - performance.now() : Number.POSITIVE_INFINITY;
}

export function tableName(): string {
  return config().tableName;
}

/** Forget the clients (tests point the process at another endpoint). */
export function resetClients(): void {
  documentClient = undefined;
  lowLevelClient?.destroy();
  lowLevelClient = undefined;
}
