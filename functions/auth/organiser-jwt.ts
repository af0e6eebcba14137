import { bearerToken } from './bearer';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UnauthorizedError, UnavailableError } from '../domain/errors';
import * as clock from '../clock';

/**
 * An organiser's JWT checked inside a function, for the routes a volunteer or an organiser may
 * call (a wish's adoption): API Gateway gives a route one authorizer, so those routes have none,
 * and this does what the JWT authorizer does for organiser routes — signature by the issuer's
 * published keys (asymmetric algorithms only, so `alg: none` and HMAC confusion fail), issuer,
 * audience (`aud`, or `client_id` for an access token without one, as API Gateway accepts),
 * expiry and not-before. The claims are then read as for any organiser (organiser-claims.ts).
 *
 * ORGANISER_JWT_ISSUER and ORGANISER_JWT_AUDIENCE are set by the stack to the authorizer's
 * values. The keys come from the issuer's discovery document (`jwks_uri`, Cognito's and any
 * OpenID Connect provider's alike), read once per execution environment; jose keeps the key set
 * for ten minutes and fetches it again sooner for a key id it has not seen (a rotated key). When
 * the keys cannot be had the answer is `503` (our outage), never `401`. The local runtime, whose
 * issuer has no address, hands its public key over instead ({@link useOrganiserKeys}).
 */

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384'];

let keys: Promise<JWTVerifyGetKey> | undefined;

/** The local runtime's issuer key (local/jwt.ts), in place of a fetched key set. */
export function useOrganiserKeys(getKey: JWTVerifyGetKey | undefined): void {
  keys = getKey ? Promise.resolve(getKey) : undefined;
}

function issuerOf(env: NodeJS.ProcessEnv = process.env): { issuer: string; audience: string } {
  const issuer = env.ORGANISER_JWT_ISSUER?.trim();
  const audience = env.ORGANISER_JWT_AUDIENCE?.trim();
  // The stack sets both: without them the function is misconfigured (500), not the caller wrong.
  if (!issuer || !audience) throw new Error('ORGANISER_JWT_ISSUER and ORGANISER_JWT_AUDIENCE must be set');
  return { issuer, audience };
}

/**
 * Whether verifying failed because the issuer's keys could not be had (its key-set address timed
 * out, answered other than 200, or sent no key set, or the network failed): our side's outage,
 * `503`, not the caller's bad credential. jose says so only in its messages for some of these.
 */
function keysUnavailable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set HTTP response/.test(error.message);
  return error instanceof TypeError || (error instanceof Error && error.name === 'AbortError');
}

/** Seconds of clock difference allowed for `iat` in the future, as authorizers allow. */
const CLOCK_SKEW_SECONDS = 60;

async function discoveredKeys(issuer: string): Promise<JWTVerifyGetKey> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
  if (!jwksUri?.startsWith('https://')) throw new Error('discovery names no https jwks_uri');
  return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 3000 });
}

/** The verified claims of `Authorization: Bearer <JWT>`, or `401`; `503` when the issuer's keys cannot be fetched. */
export async function verifyOrganiserJwt(authorization: string | undefined): Promise<JWTPayload> {
  const token = bearerToken(authorization);
  if (!token || token.length > 8192) throw new UnauthorizedError();
  const { issuer, audience } = issuerOf();
  keys ??= discoveredKeys(issuer).catch((error: unknown) => {
    keys = undefined;
    throw error;
  });
  let getKey: JWTVerifyGetKey;
  try {
    getKey = await keys;
  } catch (error) {
    throw new UnavailableError(error);
  }
  try {
    const { payload } = await jwtVerify(token, getKey, { issuer, algorithms: ALGORITHMS, requiredClaims: ['exp', 'sub'], currentDate: clock.now() });
    // Issued in the future: refused, as API Gateway's authorizer refuses it.
    if (typeof payload.iat === 'number' && payload.iat > clock.nowMs() / 1000 + CLOCK_SKEW_SECONDS) throw new UnauthorizedError();
    const audiences = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const forUs = audiences.length > 0 ? audiences.includes(audience) : payload.client_id === audience;
    if (!forUs) throw new UnauthorizedError();
    return payload;
  } catch (error) {
    if (keysUnavailable(error)) throw new UnavailableError(error);
    throw new UnauthorizedError();
  }
}
