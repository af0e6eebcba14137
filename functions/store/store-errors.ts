import { AppError, UnavailableError } from '../domain/errors';

/** SDK error names that mean "the database is busy or unreachable": the caller may retry. */
const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  // The invocation's deadline passed (client.ts, withinDeadline): the call was abandoned.
  'AbortError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/**
 * Network failures reaching DynamoDB. Matched on the message too: the SDK's retry layer re-wraps
 * an error it does not recognise as an `Error` ("AWS SDK error wrapper for Error: connect
 * ECONNREFUSED …"), dropping its `code`.
 */
const NETWORK_FAILURE = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b|socket hang up/;

function isTransient(error: unknown): boolean {
  // The deadline's abort reason is a DOMException, which is not an Error of this realm everywhere
  // (a test runner's sandbox): its name decides.
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  if (TRANSIENT.has(error.name) || (code !== undefined && TRANSIENT.has(code))) return true;
  if (NETWORK_FAILURE.test(error.message)) return true;
  if (error.name === 'TransactionCanceledException') {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return reasons.some((reason) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError');
  }
  return false;
}

/**
 * The boundary between the SDK and the domain: domain errors pass through, throttling and
 * unreachable-database errors (after the SDK's own bounded, jittered retries) become
 * `503 unavailable`; anything else stays an internal error and is never shown to the caller.
 */
export function translateStoreError(error: unknown): Error {
  if (error instanceof AppError) return error;
  if (isTransient(error)) return new UnavailableError(error);
  return error instanceof Error ? error : new Error(String(error));
}

/** The cancellation reason codes of a failed transaction, in item order ('None' for items that passed). */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code ?? 'None');
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Whether a conditional write applied: `false` when its condition failed (somebody got there
 * first), any other error thrown. For claims and guarded updates whose caller decides what a lost
 * race means.
 */
export async function appliedIf(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}
