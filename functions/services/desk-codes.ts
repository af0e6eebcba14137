import type { Community } from '../domain/communities';
import { currentDeskCode, DESK_CODE_GUESS_WINDOW_MS, DESK_CODE_GUESSES, deskCodeMatches, newDeskSecret } from '../domain/desk-codes';
import { AppError, ConflictError } from '../domain/errors';
import { setDeskSecretOnce } from '../store/communities';
import { consumeRateWindow } from '../store/rate-limits';
import { withoutRecord } from '../store/request-record';
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
 * the kiosk expects it to count). Every code sent is counted per volunteer before it is compared,
 * with a conditional count that never passes the limit however many arrive at once: after ten in
 * a ten-minute window, `429` until the window ends. A volunteer checks in once a shift; a million
 * codes are not guessed ten at a time. The count is not the request's effect, so it carries no
 * Idempotency-Key record: a retry of a refused check-in is refused again, not replayed as applied.
 */
export async function checkInProofFor(community: Community, volunteerId: string, deskCode: string | undefined): Promise<'desk_code' | 'none'> {
  if (deskCode === undefined) {
    if (community.checkInProof === 'desk_code') throw new ConflictError('desk_code_required', 'Check in with the code on the community room’s screen');
    return 'none';
  }
  const now = clock.now();
  const counted = await withoutRecord(() => consumeRateWindow(`deskcode#${community.id}#${volunteerId}`, DESK_CODE_GUESS_WINDOW_MS / 1000, DESK_CODE_GUESSES, now));
  if (!counted.allowed) throw new AppError('rate_limited', { detail: 'Too many desk codes; try again later', retryAfterSeconds: counted.retryAfterSeconds });
  // No secret yet: no kiosk has shown a code, so none can match (and the volunteer function,
  // which serves check-ins, never writes a community's secret: GET …/desk-code makes it).
  if (community.deskSecret && deskCodeMatches(community.deskSecret, community.id, deskCode, now.getTime())) return 'desk_code';
  throw new ConflictError('desk_code_invalid', 'That is not the code on the screen now; read it again');
}
