import { createHash, timingSafeEqual, randomBytes } from 'node:crypto';

/**
 * Opaque bearer tokens (volunteer `vt_…`, residents' manage tokens): 32 random bytes, shown once,
 * stored only as a SHA-256 hash. A fast hash is right here: the token has 256 bits of entropy,
 * so there is nothing for a slow hash to protect.
 */
export function newOpaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export const VOLUNTEER_TOKEN_PREFIX = 'vt_';
export const MANAGE_TOKEN_PREFIX = 'mt_';

/** Whether a token is the one whose hash is stored, compared in constant time. */
export function tokenMatchesHash(token: string, storedHash: string): boolean {
  const given = Buffer.from(hashToken(token));
  const stored = Buffer.from(storedHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}
