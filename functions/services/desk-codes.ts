import type { Community } from '../domain/communities';
import { currentDeskCode, DESK_CODE_GUESS_WINDOW_MS, DESK_CODE_GUESSES, deskCodeMatches, newDeskSecret } from '../domain/desk-codes';
import { AppError, ConflictError } from '../domain/errors';
import { setDeskSecretOnce } from '../store/communities';
import { consumeRateWindow, rateWindowReached } from '../store/rate-limits';
import * as clock from '../clock';
import { forgetProfile, requireCommunity } from './communities';

/**
 * Desk codes (domain/desk-codes.ts): the code a community room's kiosk shows, and the check a
 * check-in's code goes through where the community requires one.
 */

/** The community's desk secret: made with its settings; a community saved before desk codes gets one now, once. */
async function deskSecretOf(communityId: string): Promise<{ community: Community; secret: string }> {
  const community = await requireCommunity(communityId);
  if (community.deskSecret) return { community, secret: community.deskSecret };
  await setDeskSecretOnce(communityId, newDeskSecret());
  forgetProfile(communityId);
  const fresh = await requireCommunity(communityId, { fresh: true });
  return { community: fresh, secret: fresh.deskSecret! };
}

/** What the kiosk shows now, and the link its QR code carries (the volunteer page's check-in). */
export async function deskCodeNow(communityId: string, webOrigin: string) {
  const { community, secret } = await deskSecretOf(communityId);
  const shown = currentDeskCode(secret, communityId, clock.nowMs());
  return {
    community,
    code: shown.code,
    changesAt: shown.changesAt.toISOString(),
    expiresAt: shown.expiresAt.toISOString(),
    checkInUrl: `${webOrigin.replace(/\/$/, '')}/#/check-in/${encodeURIComponent(communityId)}/${shown.code}`,
  };
}

/**
 * A check-in's proof: `desk_code` when it carries the code shown in the last 60 s, `none` where the
 * community asks for none and none was sent. A code sent is always checked (a volunteer who scanned
 * the kiosk expects it to count). Wrong codes are counted per volunteer: after ten in ten minutes,
 * `429` until the window ends, right code or not — a million codes are not guessed ten at a time.
 */
export async function checkInProofFor(community: Community, volunteerId: string, deskCode: string | undefined): Promise<'desk_code' | 'none'> {
  if (deskCode === undefined) {
    if (community.checkInProof === 'desk_code') throw new ConflictError('desk_code_required', 'Check in with the code on the community room’s screen');
    return 'none';
  }
  const scope = `deskcode#${community.id}#${volunteerId}`;
  const windowSeconds = DESK_CODE_GUESS_WINDOW_MS / 1000;
  const now = clock.now();
  const tooMany = (retryAfterSeconds: number) => new AppError('rate_limited', { detail: 'Too many wrong desk codes; try again later', retryAfterSeconds });
  const spent = await rateWindowReached(scope, windowSeconds, DESK_CODE_GUESSES, now);
  if (spent.reached) throw tooMany(spent.retryAfterSeconds);
  // No secret yet: no kiosk has shown a code, so none can match (and the volunteer function,
  // which serves check-ins, never writes a community's secret: GET …/desk-code makes it).
  if (community.deskSecret && deskCodeMatches(community.deskSecret, community.id, deskCode, now.getTime())) return 'desk_code';
  const counted = await consumeRateWindow(scope, windowSeconds, DESK_CODE_GUESSES, now);
  if (!counted.allowed) throw tooMany(counted.retryAfterSeconds);
  throw new ConflictError('desk_code_invalid', 'That is not the code on the screen now; read it again');
}
