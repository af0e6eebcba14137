import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { config } from '../../config';
import { ValidationError } from '../../domain/errors';
import { dynamo, tableName } from '../../store/client';
import { keys, } from '../../store/keys';
import { TABLE_KEYS } from '../../store/table-definition';

/** API.md: 1–255 printable ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/** What identifies a request for replay: the key, the route and who is calling. */
interface IdempotencyScope {
  key: string;
  method: string;
  path: string;
  caller: string;
}

/** Where the scope is put on the event for Powertools' JMESPath to find. */
const SCOPE_FIELD = 'linliIdempotency';

/**
 * Stored responses hold what was shown once (manage and volunteer tokens, names). They are sealed
 * with AES-256-GCM under a key derived from the Idempotency-Key itself, which only the client
 * holds: the table alone never reveals a token, and a replay with the key opens it again.
 */
const SEALED_MARKER = 'x-linli-sealed';

function sealingKey(scope: IdempotencyScope): Buffer {
  return Buffer.from(hkdfSync('sha256', scope.key, `${scope.method} ${scope.path} ${scope.caller}`, 'linli idempotency response', 32));
}

type StoredResponse = { statusCode?: number; headers?: Record<string, unknown>; body?: string };

function seal(response: StoredResponse, scope: IdempotencyScope): StoredResponse {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(scope), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify({ headers: response.headers, body: response.body }), 'utf8'), cipher.final()]);
  return { statusCode: response.statusCode, headers: { [SEALED_MARKER]: '1' }, body: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64') };
}

function unseal(stored: StoredResponse, scope: IdempotencyScope): StoredResponse {
  if (stored.headers?.[SEALED_MARKER] !== '1' || !stored.body) return stored;
  const raw = Buffer.from(stored.body, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(scope), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const opened = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as StoredResponse;
  return { statusCode: stored.statusCode, headers: opened.headers, body: opened.body };
}

const scopeOf = (event: APIGatewayProxyEventV2) => (event as unknown as Record<string, IdempotencyScope | undefined>)[SCOPE_FIELD];

function callerOf(event: APIGatewayProxyEventV2): string {
  const credential = event.headers.authorization ?? event.headers['x-manage-token'] ?? '';
  return credential ? createHash('sha256').update(credential).digest('base64url') : 'anonymous';
}

let persistence: DynamoDBPersistenceLayer | undefined;

function persistenceLayer(): DynamoDBPersistenceLayer {
  persistence ??= new DynamoDBPersistenceLayer({
    tableName: tableName(),
    awsSdkV3Client: dynamo(),
    keyAttr: TABLE_KEYS.partitionKey,
    sortKeyAttr: TABLE_KEYS.sortKey,
    staticPkValue: keys.idempotencyPartition,
    expiryAttr: TABLE_KEYS.ttlAttribute,
  });
  return persistence;
}

/**
 * `Idempotency-Key` on every POST, kept by Powertools' idempotency utility in the same table:
 * a replay within 24 h returns the stored response; the same key with another body is
 * `422 idempotency_key_reused`; a replay while the first is still running is `409`.
 * Responses to failed requests are not stored, so a retry after an error runs again.
 * The key is scoped to the route and to a hash of the caller's credential, so one resident
 * can never replay another's response.
 */
export function idempotentPosts(): middy.MiddlewareObj<APIGatewayProxyEventV2>[] {
  const markScope: middy.MiddlewareObj<APIGatewayProxyEventV2> = {
    before: (request) => {
      const { event } = request;
      const key = event.headers['idempotency-key'];
      if (key === undefined || event.requestContext.http.method !== 'POST') return;
      if (!IDEMPOTENCY_KEY.test(key)) {
        throw new ValidationError([{ path: 'header.Idempotency-Key', message: 'Use 1–255 printable ASCII characters' }]);
      }
      const scope: IdempotencyScope = { key, method: 'POST', path: event.rawPath, caller: callerOf(event) };
      (event as unknown as Record<string, unknown>)[SCOPE_FIELD] = scope;
    },
  };
  return [markScope, lazyIdempotency()];
}

/**
 * Powertools' middleware, built on first use so that the table name is read after configuration.
 *
 * Its onError deletes the in-progress record on *any* error, including the
 * AlreadyInProgress / Validation errors its own `before` throws for a duplicate request. Left
 * alone, a racing duplicate would delete the record of the request still running, and the next
 * duplicate would run the operation a second time:
 *
 *   A: before → INPROGRESS record ───────── handler ─────────── after → COMPLETED
 *   B:    before → AlreadyInProgress → onError → delete A's record!
 *   C:                                 before → no record → runs again (double effect)
 *
 * So onError is passed on only for a request whose own `before` took the record.
 */
function lazyIdempotency(): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  let inner: middy.MiddlewareObj | undefined;
  const owners = new WeakSet<object>();
  const get = () => {
    inner ??= makeHandlerIdempotent({
      persistenceStore: persistenceLayer(),
      config: new IdempotencyConfig({
        eventKeyJmesPath: SCOPE_FIELD,
        payloadValidationJmesPath: 'body',
        expiresAfterSeconds: config().idempotencyTtlSeconds,
        throwOnNoIdempotencyKey: false,
      }),
    });
    return inner;
  };
  return {
    before: async (request) => {
      const replayed = (await get().before?.(request as never)) as StoredResponse | undefined;
      if (replayed === undefined) {
        owners.add(request.event);
        return undefined;
      }
      const scope = scopeOf(request.event);
      return scope ? unseal(replayed, scope) : replayed;
    },
    after: async (request) => {
      const scope = scopeOf(request.event);
      const plain = request.response as StoredResponse | undefined;
      if (!scope || !plain) return get().after?.(request as never);
      // Powertools stores request.response: hand it the sealed form, then give the caller the plain one back.
      (request as { response: unknown }).response = seal(plain, scope);
      try {
        await get().after?.(request as never);
      } finally {
        (request as { response: unknown }).response = plain;
      }
    },
    onError: async (request) => {
      if (owners.has(request.event)) await get().onError?.(request as never);
    },
  };
}

/** Forget the persistence layer (tests point the process at another table). */
export function resetIdempotency(): void {
  persistence = undefined;
}
