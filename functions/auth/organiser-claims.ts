import { ForbiddenError, UnauthorizedError } from '../domain/errors';
import type { OrganiserPrincipal } from './principal';

export const ORGANISER_GROUP = 'organisers';
/** Cognito's claim names, and the defaults for any other OpenID Connect provider. */
export const GROUPS_CLAIM = 'cognito:groups';
export const COMMUNITY_CLAIM = 'custom:communityId';

type Claims = Readonly<Record<string, unknown>>;

/**
 * Which claims carry the groups and the community: ORGANISER_GROUPS_CLAIM and
 * ORGANISER_COMMUNITY_CLAIM, set by the stack (`linli:oidcGroupsClaim`, `linli:oidcCommunityClaim`)
 * and by the local runtime's issuer alike, else Cognito's. Read from the environment on each call
 * (two lookups), so that a test or the local runtime may set them after this module is loaded.
 */
export function organiserClaimNames(env: NodeJS.ProcessEnv = process.env): { groups: string; community: string } {
  return {
    groups: env.ORGANISER_GROUPS_CLAIM?.trim() || GROUPS_CLAIM,
    community: env.ORGANISER_COMMUNITY_CLAIM?.trim() || COMMUNITY_CLAIM,
  };
}

/**
 * API Gateway's JWT authorizer flattens array claims into a string such as `[organisers staff]`
 * (names separated by spaces, which Cognito group names cannot contain); a token minted locally
 * may carry a real array. Both mean the same groups. Anything else is one group name, compared
 * whole: `organisers,admins` is not the organisers group.
 */
export function groupsOf(claims: Claims, groupsClaim: string = organiserClaimNames().groups): string[] {
  const raw = claims[groupsClaim];
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  if (raw.startsWith('[') && raw.endsWith(']')) return raw.slice(1, -1).split(' ').filter(Boolean);
  return [raw];
}

/**
 * The organiser behind verified JWT claims, allowed on `communityId` only. The signature, issuer,
 * audience and expiry were checked by the authorizer (API Gateway, or bin/local's mirror of it).
 */
export function organiserFromClaims(claims: Claims | undefined, communityId: string | undefined): OrganiserPrincipal {
  if (!claims || typeof claims.sub !== 'string') throw new UnauthorizedError();
  const names = organiserClaimNames();
  if (!groupsOf(claims, names.groups).includes(ORGANISER_GROUP)) {
    throw new ForbiddenError('This account is not an organiser');
  }
  const claimedCommunity = claims[names.community];
  if (typeof claimedCommunity !== 'string' || claimedCommunity === '') {
    throw new ForbiddenError('This account is not attached to a community');
  }
  if (communityId !== undefined && claimedCommunity !== communityId) {
    throw new ForbiddenError();
  }
  return { kind: 'organiser', subject: claims.sub, communityId: claimedCommunity };
}
