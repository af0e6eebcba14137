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
import { slidingWindow } from '../domain/limits';
import { addressScope, readUseLog, writeUseLog, type UseLog } from '../store/rate-limits';
import { phoneHash } from '../store/registrations';
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

const HOUR_MS = 3_600_000;
/**
 * Held requests a phone may make from one client address in any hour: the phone's own limit (10
 * sign-ups and bookings, API.md), counted per address, so that somebody else typing a neighbour's
 * number from their own phone uses up their own count and never the owner's (they cannot place
 * anything: the code goes to the owner).
 */
export const HELD_PER_PHONE_AND_ADDRESS = 10;
/** Codes one number may be sent in any hour from everywhere: what bounds the SMS bill and the pestering of one number. */
export const CODES_PER_PHONE = 30;

/** The two sliding hours a held request counts in: the phone from this address, and the codes to the phone. */
const holdScopes = (phone: string, address: string) => [`held#${phoneHash(phone)}#${addressScope(address)}`, `codes#${phoneHash(phone)}`] as const;

/** The transaction items that count one more held request, or `429` with the exact wait. */
function countHold(logs: readonly [UseLog, UseLog], now: Date) {
  return logs.map((log, index) => {
    const decision = slidingWindow(log.uses, now, HOUR_MS, index === 0 ? HELD_PER_PHONE_AND_ADDRESS : CODES_PER_PHONE);
    if (!decision.allowed) {
      throw new AppError('rate_limited', { detail: 'This phone number has been sent too many codes this hour', retryAfterSeconds: decision.retryAfterSeconds });
    }
    return writeUseLog(log, decision.uses, Math.ceil((now.getTime() + HOUR_MS) / 1000));
  });
}

const readHoldLogs = (phone: string, address: string) => Promise.all(holdScopes(phone, address).map(readUseLog)) as Promise<[UseLog, UseLog]>;

/**
 * Holds a sign-up or booking for its phone's code: the code goes out first (if it cannot, nothing
 * is stored and the answer is `503`), then the held request is stored with its counts, so a
 * request the resident is told about always has a code on its way. A held request counts against
 * the phone from this client address and against the codes the number may be sent, not against
 * the phone's own limit: somebody squatting a neighbour's number from elsewhere neither places
 * anything nor locks the owner out (the owner's placement is verified, and counted per address).
 */
export async function holdForCode(options: {
  community: Community;
  targetKind: PendingVerification['targetKind'];
  targetId: string;
  phone: string;
  input: Record<string, unknown>;
  /** The outcome names the route's replay reads (`registrationId` or `requestId`). */
  idName: string;
  /** The client's address, as API Gateway saw it. */
  address: string;
}): Promise<{ pending: PendingVerification; manageToken: string }> {
  const id = ulid();
  const manageToken = newOpaqueToken(MANAGE_TOKEN_PREFIX);
  const code = newCode();
  let logs = await readHoldLogs(options.phone, options.address);
  // Refused before any SMS if this hour has no hold or code left.
  countHold(logs, clock.now());
  noteOutcome({ [options.idName]: id, manageToken });
  await sendCode(options.community, options.phone, code, id);
  // Requests of one number from one address at once (a double tap, a script) all write the same
  // two logs, and each round one of them wins: with a round more than the hour's holds, every
  // request is either held or finds the hour full (`429`), never `503` for the contention alone.
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
    if (await holdForVerification(pending, countHold(logs, now))) return { pending, manageToken };
    logs = await readHoldLogs(options.phone, options.address);
    return AGAIN;
  }, { attempts: HELD_PER_PHONE_AND_ADDRESS + 2, contended: true, detail: 'This phone number is busy: please retry' });
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
