import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { AppError, UnavailableError, ValidationError } from '../../domain/errors';
import { logger } from '../../logger';
import { completeRecord, readRecord, type StoredRecord } from '../../store/idempotency-records';
import { isConditionalCheckFailed } from '../../store/store-errors';
import type { Principal } from '../../auth/principal';
import { principalOf } from './authenticate';
import { RequestAlreadyAppliedError, runRecorded, sealingKeyFor, type RequestRecordScope } from '../../store/request-record';

type Response = APIGatewayProxyStructuredResultV2;

/** API.md: 1–255 printable ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * The caller, as the credential check established it (middleware/authenticate.ts), so one caller
 * can never replay another's answer, and the same caller's retry finds its record whatever the
 * credential it now sends: an organiser whose sign-in was renewed between the attempts (a new JWT,
 * the same subject), a volunteer whose code was replaced. A resident is their manage token.
 */
export function callerOf(principal: Principal): string {
  switch (principal.kind) {
    case 'organiser':
      return `organiser ${principal.communityId} ${sha256(principal.subject)}`;
    case 'volunteer':
      return `volunteer ${principal.communityId} ${principal.volunteerId}`;
    case 'resident':
      return `resident ${sha256(principal.manageToken)}`;
    case 'anonymous':
      return 'anonymous';
  }
}

/**
 * The request's record scope, or undefined when it carries no key. A malformed key is `400`. The
 * body is hashed as parsed (body.ts), so a form post and its JSON twin are the same request.
 */
function scopeOf(event: APIGatewayProxyEventV2): RequestRecordScope | undefined {
  const key = event.headers['idempotency-key'];
  if (key === undefined || event.requestContext.http.method !== 'POST') return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationError([{ path: 'header.Idempotency-Key', message: 'Use 1–255 printable ASCII characters' }]);
  }
  const label = labelOf(event.rawPath, principalOf(event));
  return { id: recordIdOf(key, label), sealingKey: sealingKeyFor(key, label), bodyHash: sha256(JSON.stringify(event.body ?? null)) };
}

/** What a record is of besides its key: the route's path and the caller. */
const labelOf = (path: string, principal: Principal) => `POST ${path} ${callerOf(principal)}`;
const recordIdOf = (key: string, label: string) => sha256(`${key}\n${label}`);

/** The id of the record a POST to `path` by `principal` with Idempotency-Key `key` is kept under (store/keys.ts `idempotencyRecord`). */
export const requestRecordId = (key: string, path: string, principal: Principal): string => recordIdOf(key, labelOf(path, principal));

/** Rebuilds the first answer of an applied request from its sealed outcome (the route's `replay`). */
export type Rebuild = (outcome: Record<string, string>) => Promise<Response>;

async function replay(scope: RequestRecordScope, record: StoredRecord | undefined, rebuild: Rebuild | undefined): Promise<Response> {
  // Applied by a duplicate a moment ago and already gone (expired): the client may simply retry.
  if (!record) throw new AppError('idempotency_in_progress', { retryAfterSeconds: 1 });
  if (record.bodyHash !== scope.bodyHash) throw new AppError('idempotency_key_reused');
  if (record.response) return record.response as Response;
  if (!rebuild) throw new AppError('idempotency_in_progress', { retryAfterSeconds: 1 });
  return remember(scope, await rebuild(record.outcome));
}

/**
 * Stores the answer and returns what is stored: an applied request's answer is sent only once it
 * is stored, so every answer a client sees for one key is the same. If a duplicate stored its
 * answer first, that one is sent. If the store fails (the database went away after the effect),
 * the answer is `503` and the record stays `applied`: the client's retry gets the answer rebuilt
 * by the route's `replay`, stored then.
 */
async function remember(scope: RequestRecordScope, response: Response): Promise<Response> {
  try {
    await completeRecord(scope, { statusCode: response.statusCode, headers: response.headers as Record<string, string>, body: response.body });
    return response;
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      const stored = await readRecord(scope);
      if (stored?.response) return stored.response as Response;
    }
    logger.warn('idempotency record not completed', { errorName: error instanceof Error ? error.name : typeof error });
    throw error instanceof UnavailableError ? error : new UnavailableError(error, 1);
  }
}

/**
 * `Idempotency-Key` on every POST (API.md): a retry with the same key and body, after any outcome
 * of the first attempt, takes no effect and gets the first answer; the same key with another body
 * is `422 idempotency_key_reused`. The record of the request commits in the same transaction as
 * its effect (store/request-record.ts), so there is no in-progress state to expire or clean up:
 *
 * - a record with an answer → that answer, byte for byte (tokens included: it is sealed under a
 *   key derived from the Idempotency-Key, which only the client holds);
 * - a record without one (the first attempt wrote its effect, then timed out or crashed) → the
 *   route's `replay` rebuilds the answer from what was noted with the effect;
 * - no record → the handler runs; if a duplicate's effect commits first, this one's write is
 *   refused at the record and it replays instead.
 *
 * Answers that wrote nothing (a `409`, a `400`) are not stored: nothing happened, so running the
 * request again is safe and tells the client the state as it is now.
 */
export async function answerOnce(event: APIGatewayProxyEventV2, run: () => Promise<Response>, rebuild?: Rebuild): Promise<Response> {
  const scope = scopeOf(event);
  if (!scope) return run();
  const stored = await readRecord(scope);
  if (stored) return replay(scope, stored, rebuild);
  try {
    const { value: response, applied } = await runRecorded(scope, run);
    return applied ? await remember(scope, response) : response;
  } catch (error) {
    if (error instanceof RequestAlreadyAppliedError) return replay(scope, await readRecord(scope), rebuild);
    throw error;
  }
}
