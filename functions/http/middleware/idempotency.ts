import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createHash } from 'node:crypto';
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
      const replayed = await get().before?.(request as never);
      if (replayed === undefined) owners.add(request.event);
      return replayed;
    },
    after: (request) => get().after?.(request as never),
    onError: async (request) => {
      if (owners.has(request.event)) await get().onError?.(request as never);
    },
  };
}

/** Forget the persistence layer (tests point the process at another table). */
export function resetIdempotency(): void {
  persistence = undefined;
}
