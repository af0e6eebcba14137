import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '../domain/errors';
import { cancellationCodes } from './store-errors';

/** Attempts outside a request's deadline (jobs, tests); inside one, attempts go on until it is near. */
const ATTEMPTS = 8;
const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 100;
/** With less time than this left, a request retries at once (jittered a little): it has waited longest. */
const URGENT_MS = 3000;
const URGENT_DELAY_MS = 5;
/** Time kept for the answer after the last attempt. */
const ANSWER_MARGIN_MS = 500;

/** A lost race, as the SDK raised it (the client hands it on as `503 unavailable`, the SDK error its cause). */
export function isConflict(error: unknown): boolean {
  const raised = error instanceof UnavailableError ? error.cause : error;
  if (raised instanceof Error && raised.name === 'TransactionConflictException') return true;
  return cancellationCodes(raised)?.includes('TransactionConflict') ?? false;
}

/**
 * Runs a write, retrying when it lost a race with a transaction on the same item (a cancelled
 * transaction's `TransactionConflict`, a single write's `TransactionConflictException`: the SDK
 * retries neither). Used by the store's one `send` (client.ts) for every write. A conflict means the item is hot and will
 * be free within milliseconds (a transaction holds its items for about as long as it takes), so
 * the pauses are short and jittered, growing to 100 ms; inside a request they go on for as long
 * as the request's deadline allows rather than a fixed number of times, because a sign-up rush on
 * one event is exactly when giving up early turns into a `503` for a resident. A refused write
 * applied nothing, so a retry never applies twice. When time is up the conflict
 * propagates and becomes `503 unavailable`.
 */
export async function withConflictRetry<T>(transaction: () => Promise<T>, timeLeftMs: () => number): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (!isConflict(error)) throw error;
      const left = timeLeftMs();
      // Older requests (less time left) press harder than newcomers, so none starves.
      const cap = left < URGENT_MS ? URGENT_DELAY_MS : Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
      const inRequest = Number.isFinite(left);
      if (inRequest ? timeLeftMs() < cap + ANSWER_MARGIN_MS : attempt >= ATTEMPTS) throw error;
      await sleep(Math.random() * cap);
    }
  }
}
