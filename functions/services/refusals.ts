import { AppError, ConflictError, type ErrorCode } from '../domain/errors';

/**
 * Refusals the target gives for its window or its places, and the phone's limit of sign-ups an
 * hour: the caller's own state outranks them
 * (README, "Refusals: the caller's own state first"). A cancelled target and a missing one still
 * come first: there is nothing left to hold.
 */
const TARGET_STATE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['slot_full', 'registration_closed', 'invalid_state', 'rate_limited']);

/**
 * The error to answer with when the target's own checks refused with `error`: if that was for the
 * target's window or places and the caller already holds a place there, the caller's state
 * (`already_signed_up`, `duplicate_registration`) instead. `alreadyHolds` is asked only on the way
 * to such a refusal, so an accepted request pays no extra read.
 */
export async function ownStateFirst(error: unknown, alreadyHolds: () => Promise<ConflictError | undefined>): Promise<unknown> {
  if (error instanceof AppError && TARGET_STATE.has(error.code)) return (await alreadyHolds()) ?? error;
  return error;
}
