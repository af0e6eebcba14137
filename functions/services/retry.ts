import { AppError } from '../domain/errors';

/** What an attempt answers when what it read changed before it could write: read and decide again. */
export const AGAIN = Symbol('read again');

export interface RetryOptions {
  /** Rounds of read, decide, write before giving up (default 5). */
  readonly attempts?: number;
  /** Errors a write throws when what it was conditioned on changed: treated as {@link AGAIN}. */
  readonly staleOn?: (error: unknown) => boolean;
  /** The 503's detail, for the caller. */
  readonly detail?: string;
  /** Pause (jittered, growing) before each round after the first: for items a sign-up rush contends. */
  readonly contended?: boolean;
}

/** A short, jittered pause before reading a contended item again (at most 200 ms). */
export const pause = (round: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** round)));

/**
 * Optimistic concurrency, done one way by every service. `attempt` reads what it needs, applies the
 * domain rules and writes on condition that what it read is still so; it returns its result, or
 * {@link AGAIN} (or throws an error `staleOn` recognises) when the write found the state changed.
 * After the last round the answer is always `503 unavailable` with `Retry-After: 1`: nothing was
 * written, and the same request may simply be sent again (README, "Optimistic retries").
 */
export async function retryOptimistic<T>(attempt: (round: number) => Promise<T | typeof AGAIN>, options: RetryOptions = {}): Promise<T> {
  const rounds = options.attempts ?? 5;
  for (let round = 1; round <= rounds; round += 1) {
    if (round > 1 && options.contended) await pause(round);
    try {
      const result = await attempt(round);
      if (result !== AGAIN) return result;
    } catch (error) {
      if (!options.staleOn?.(error)) throw error;
    }
  }
  throw new AppError('unavailable', { detail: options.detail ?? 'Busy: please retry', retryAfterSeconds: 1 });
}

/** `staleOn` for a store's stale-write error class. */
export const staleOn =
  (...classes: (abstract new (...args: never[]) => Error)[]) =>
  (error: unknown) =>
    classes.some((type) => error instanceof type);
