import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Desk codes (API.md `checkInProof`, `GET …/desk-code`): where a community sets
 * `checkInProof: "desk_code"`, a volunteer checks in with the code on the community room's kiosk
 * screen, so points are earned by being there, not from home. The code is six digits of an HMAC
 * of the community's desk secret and the 30-second window: it changes every 30 s and is accepted
 * for 60 s (its own window and the next), compared in constant time. Nothing is stored per code.
 */
export const DESK_CODE_WINDOW_MS = 30_000;
/** Desk codes one volunteer may send in a {@link DESK_CODE_GUESS_WINDOW_MS} window before `429`: a million codes are not guessed 10 at a time. */
export const DESK_CODE_GUESSES = 10;
export const DESK_CODE_GUESS_WINDOW_MS = 10 * 60_000;

export type CheckInProof = 'none' | 'desk_code';
export const CHECK_IN_PROOFS = ['none', 'desk_code'] as const satisfies readonly CheckInProof[];

/** A new community desk secret: 32 random bytes, base64url. */
export const newDeskSecret = (): string => randomBytes(32).toString('base64url');

const windowOf = (ms: number) => Math.floor(ms / DESK_CODE_WINDOW_MS);

function codeFor(secret: string, communityId: string, window: number): string {
  const digest = createHmac('sha256', Buffer.from(secret, 'base64url')).update(`linli-desk:${communityId}:${window}`).digest();
  // RFC 4226's dynamic truncation, as TOTP authenticators do.
  const offset = digest[digest.length - 1]! & 0x0f;
  const value = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

/** The code the kiosk shows now: when it changes, and until when it is accepted. */
export function currentDeskCode(secret: string, communityId: string, nowMs: number): { code: string; changesAt: Date; expiresAt: Date } {
  const window = windowOf(nowMs);
  return {
    code: codeFor(secret, communityId, window),
    changesAt: new Date((window + 1) * DESK_CODE_WINDOW_MS),
    expiresAt: new Date((window + 2) * DESK_CODE_WINDOW_MS),
  };
}

/** Whether `given` is the code of this window or the one before (shown at most 60 s ago). */
export function deskCodeMatches(secret: string, communityId: string, given: string, nowMs: number): boolean {
  const window = windowOf(nowMs);
  const offered = Buffer.from(given.padEnd(6, ' ').slice(0, 6));
  let matched = false;
  for (const candidate of [window, window - 1]) {
    // Both compared every time, so the answer's timing says nothing about which one matched.
    matched = timingSafeEqual(offered, Buffer.from(codeFor(secret, communityId, candidate))) || matched;
  }
  return matched && /^\d{6}$/.test(given);
}
