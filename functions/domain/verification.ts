import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/**
 * Phone verification (API.md, "Phone verification"), where a community sets `verifyPhone`: a
 * sign-up or booking is held, with no seat or place, until the code sent to its phone comes back.
 * The held request is its own item, so nothing that counts seats, places or a phone's active
 * registration ever sees it.
 */
export const CODE_TTL_MS = 10 * 60_000;
/** Wrong codes before the held request refuses every further code (`429`). */
export const MAX_WRONG_CODES = 5;

/** A sign-up or booking waiting for its code. `input` is what the resident sent, as validated. */
export const pendingVerificationRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  /** What is held: a sign-up (event), a booking (slot), or a work order or wish (its target is the community). */
  targetKind: z.enum(['event', 'slot', 'work_order', 'wish']),
  targetId: z.string(),
  input: z.record(z.string(), z.unknown()),
  manageTokenHash: z.string(),
  codeHash: z.string(),
  wrongCodes: z.number().int().min(0),
  /** When the code (and the held request) lapses. */
  expiresAtIso: z.string(),
  createdAt: z.string(),
});
export type PendingVerification = Readonly<z.output<typeof pendingVerificationRecord>>;

/**
 * What every held request shares, in the shape of the item it stands for (a registration, a
 * booking, a work order): its id, community, who sent it, `pending_verification`, its manage
 * token's hash and when it was sent. The caller adds what its kind has of its own.
 */
export function heldBasics(pending: PendingVerification) {
  const input = pending.input as { name: string; phone: string; building?: string };
  return {
    id: pending.id,
    communityId: pending.communityId,
    ...(input.building ? { building: input.building } : {}),
    status: 'pending_verification' as const,
    manageTokenHash: pending.manageTokenHash,
    createdAt: pending.createdAt,
    updatedAt: pending.createdAt,
  };
}

/** Six random digits: what a resident types from the SMS. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The code as stored: hashed with the held request's id, so a table read does not reveal it. */
export function codeHash(pendingId: string, code: string): string {
  return createHash('sha256').update(`linli-verify:${pendingId}:${code}`).digest('base64url');
}

export function codeMatches(pending: PendingVerification, code: string): boolean {
  const given = Buffer.from(codeHash(pending.id, code));
  const stored = Buffer.from(pending.codeHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export function hasLapsed(pending: PendingVerification, now: Date): boolean {
  return now.toISOString() >= pending.expiresAtIso;
}

/** The SMS with the code: short, Chinese first, and what it is for. */
export function verificationMessage(community: string, code: string) {
  return {
    subject: `【${community}】验证码 Verification code`,
    body: `【${community}】您的验证码是 ${code}，10 分钟内有效。如非本人操作，请忽略。 Your code is ${code}, valid for 10 minutes.`,
    params: { code },
  };
}
