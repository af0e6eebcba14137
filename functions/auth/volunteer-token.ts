import { bearerToken } from './bearer';
import { ForbiddenError, UnauthorizedError } from '../domain/errors';
import { findVolunteerCredential } from '../store/volunteer-credentials';
import { hashToken, VOLUNTEER_TOKEN_PREFIX } from './opaque-token';
import type { VolunteerPrincipal } from './principal';


/** Whether an Authorization header carries a volunteer's opaque token (rather than, say, an organiser's JWT). */
export const isVolunteerBearer = (authorization: string | undefined): boolean => bearerToken(authorization)?.startsWith(VOLUNTEER_TOKEN_PREFIX) ?? false;

/**
 * The volunteer behind `Authorization: Bearer vt_…`: looked up by the token's hash, refused when
 * unknown, rotated away or inactive (401), and refused on another community's paths (403).
 */
export async function verifyVolunteerToken(
  authorization: string | undefined,
  communityId: string | undefined,
): Promise<VolunteerPrincipal> {
  const token = bearerToken(authorization);
  if (!token || !token.startsWith(VOLUNTEER_TOKEN_PREFIX) || token.length > 200) throw new UnauthorizedError();
  const credential = await findVolunteerCredential(hashToken(token));
  if (!credential || credential.status !== 'active') throw new UnauthorizedError();
  if (communityId !== undefined && credential.communityId !== communityId) throw new ForbiddenError();
  return { kind: 'volunteer', volunteerId: credential.volunteerId, communityId: credential.communityId };
}
