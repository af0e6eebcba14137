import { ulid } from 'ulid';
import { hashToken, MANAGE_TOKEN_PREFIX, newOpaqueToken, tokenMatchesHash } from '../auth/opaque-token';
import type { Community } from '../domain/communities';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnavailableError } from '../domain/errors';
import { maskPhone } from '../domain/phones';
import {
  CODE_TTL_MS,
  codeHash,
  codeMatches,
  hasLapsed,
  MAX_WRONG_CODES,
  newCode,
  verificationMessage,
  type PendingVerification,
} from '../domain/verification';
import type { UseLog, writeUseLog } from '../store/rate-limits';
import { noteOutcome, withoutRecord } from '../store/request-record';
import { countWrongCode, getPendingVerification, holdForVerification } from '../store/verifications';
import { deliveryAdapter } from '../delivery';
import { channelFor } from '../delivery/channels';
import { logger } from '../logger';
import * as clock from '../clock';
import { AGAIN, retryOptimistic } from './retry';

/**
 * Phone verification (API.md), shared by sign-ups and bookings: the held request, the code sent by
 * SMS, and the checks a code goes through. Placing a verified request is the caller's (its own
 * placement, with the held request used up in the same transaction).
 */

/** Sends the code to the phone now, from the function answering the resident (not the reminders job). */
async function sendCode(community: Community, phone: string, code: string, pendingId: string): Promise<void> {
  const channel = channelFor('sms');
  try {
    await deliveryAdapter(channel).deliver({
      notificationId: pendingId,
      communityId: community.id,
      kind: 'phone_verification',
      channel: 'sms',
      address: phone,
      shownAs: maskPhone(phone),
      community: community.name,
      ...verificationMessage(community.name, code),
    });
  } catch (error) {
    logger.warn('verification code not sent', { errorName: error instanceof Error ? error.name : typeof error, code: (error as { code?: string }).code });
    throw new UnavailableError(error, 5);
  }
}

/**
 * Holds a sign-up or booking for its phone's code: the code goes out first (if it cannot, nothing
 * is stored and the answer is `503`), then the held request is stored with the phone's use, so a
 * request the resident is told about always has a code on its way. The per-phone limit counts it.
 */
export async function holdForCode(options: {
  community: Community;
  targetKind: PendingVerification['targetKind'];
  targetId: string;
  phone: string;
  input: Record<string, unknown>;
  /** The outcome names the route's replay reads (`registrationId` or `requestId`). */
  idName: string;
  uses: UseLog;
  readUses: () => Promise<UseLog>;
  usePhone: (log: UseLog, now: Date) => ReturnType<typeof writeUseLog>;
}): Promise<{ pending: PendingVerification; manageToken: string }> {
  const id = ulid();
  const manageToken = newOpaqueToken(MANAGE_TOKEN_PREFIX);
  const code = newCode();
  let uses = options.uses;
  // Refused before any SMS if the phone has no use left this hour.
  options.usePhone(uses, clock.now());
  noteOutcome({ [options.idName]: id, manageToken });
  await sendCode(options.community, options.phone, code, id);
  return retryOptimistic(async () => {
    const now = clock.now();
    const pending: PendingVerification = {
      id,
      communityId: options.community.id,
      targetKind: options.targetKind,
      targetId: options.targetId,
      input: options.input,
      manageTokenHash: hashToken(manageToken),
      codeHash: codeHash(id, code),
      wrongCodes: 0,
      expiresAtIso: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
      createdAt: now.toISOString(),
    };
    if (await holdForVerification(pending, options.usePhone(uses, now))) return { pending, manageToken };
    uses = await options.readUses();
    return AGAIN;
  });
}

/**
 * A held request behind a manage token, if the id is one (lapsed ones too: a verify is told its
 * code expired; a view treats it as gone): 403 if the token is another's.
 */
export async function heldRequest(communityId: string, targetKind: PendingVerification['targetKind'], targetId: string, id: string, manageToken: string) {
  const pending = await getPendingVerification(communityId, id);
  if (!pending || pending.targetKind !== targetKind || pending.targetId !== targetId) return undefined;
  if (!tokenMatchesHash(manageToken, pending.manageTokenHash)) throw new ForbiddenError('This manage token is for another registration');
  return pending;
}

/** Whether a held request is still waiting for its code. */
export const stillHeld = (pending: PendingVerification | undefined): pending is PendingVerification => pending !== undefined && !hasLapsed(pending, clock.now());

/**
 * Checks a code against a held request: `429` once it has had its five wrong codes, `409
 * verification_failed` for a wrong or lapsed one (the wrong one counted). Resolves when it is right.
 */
export async function checkCode(pending: PendingVerification | undefined, code: string): Promise<PendingVerification> {
  if (!pending) throw new NotFoundError('No such registration');
  const tooMany = () => new AppError('rate_limited', { detail: 'Too many wrong codes; please sign up again', retryAfterSeconds: Math.ceil(CODE_TTL_MS / 1000) });
  if (pending.wrongCodes >= MAX_WRONG_CODES) throw tooMany();
  if (hasLapsed(pending, clock.now())) throw new ConflictError('verification_failed', 'The code has expired; please sign up again');
  if (codeMatches(pending, code)) return pending;
  // Counted outside the request's Idempotency-Key record: a wrong code is a refusal, not the
  // request's effect, so a retry with the key is checked (and counted) again rather than replayed
  // as applied, as desk codes are (services/desk-codes.ts).
  const counted = await withoutRecord(() => countWrongCode(pending));
  if (!counted || pending.wrongCodes + 1 >= MAX_WRONG_CODES) throw tooMany();
  throw new ConflictError('verification_failed', 'That is not the code we sent');
}
