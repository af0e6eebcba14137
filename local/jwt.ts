import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ORGANISER_GROUP, organiserClaimNames } from '../functions/auth/organiser-claims';
import * as clock from '../functions/clock';

/** What the local issuer stands in for: a Cognito user pool and its app client. */
export const LOCAL_ISSUER = 'https://linli.local/issuer';
export const LOCAL_AUDIENCE = 'linli-local';
const ALGORITHM = 'ES256';

export interface LocalSigningKey {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

/** The local signing key, made on first use and kept under `.data/` so tokens outlive a restart. */
export async function loadOrCreateSigningKey(dataDir: string): Promise<LocalSigningKey> {
  const file = join(dataDir, 'jwt-signing-key.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalSigningKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const key: LocalSigningKey = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM },
  };
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, JSON.stringify(key), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process made it first: use theirs, so both accept the same tokens.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return JSON.parse(readFileSync(file, 'utf8')) as LocalSigningKey;
    throw error;
  }
  return key;
}

/**
 * An organiser ID token with the claims Cognito would put in it, under the names the functions read
 * (ORGANISER_GROUPS_CLAIM, ORGANISER_COMMUNITY_CLAIM: Cognito's unless set, as for an OIDC provider
 * configured with `linli:oidcGroupsClaim` and `linli:oidcCommunityClaim`).
 */
export async function signOrganiserToken(
  key: LocalSigningKey,
  communityId: string,
  options: {
    subject?: string;
    expiresIn?: string;
    groups?: string[];
    issuer?: string;
    audience?: string;
    extraClaims?: JWTPayload;
  } = {},
): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, ALGORITHM);
  // Issued on the runtime's clock (functions/clock.ts), which the authorizer below verifies against.
  const issuedAt = Math.floor(clock.nowMs() / 1000);
  const claims = organiserClaimNames();
  return new SignJWT({
    [claims.groups]: options.groups ?? [ORGANISER_GROUP],
    [claims.community]: communityId,
    token_use: 'id',
    ...options.extraClaims,
  })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.privateJwk.kid, typ: 'JWT' })
    .setSubject(options.subject ?? `local-organiser-${communityId}`)
    .setIssuer(options.issuer ?? LOCAL_ISSUER)
    .setAudience(options.audience ?? LOCAL_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetimeSeconds(options.expiresIn ?? '12h'))
    .sign(privateKey);
}

/** A token lifetime as `npm run token` and the tests write it: `12h`, `30m`, `-1m` (already expired). */
function lifetimeSeconds(lifetime: string): number {
  const match = /^(-?\d+)\s*([smhd])$/.exec(lifetime.trim());
  if (!match) throw new Error(`A token lifetime is a number and s, m, h or d (like 12h), got "${lifetime}"`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

/**
 * API Gateway's JWT authorizer hands claims to Lambda as strings, arrays flattened to `[a b]`.
 * The local mirror does the same, so handlers meet identical input in both places.
 */
function asAuthorizerClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    claims[name] = Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'string' ? value : JSON.stringify(value);
  }
  return claims;
}

/**
 * The local stand-in for API Gateway's JWT authorizer: signature, algorithm (ES256 only, so
 * `alg: none` and HMAC confusion fail), issuer, audience and expiry. Returns the claims, or
 * undefined for any token it would reject.
 */
export function createLocalAuthorizer(key: LocalSigningKey) {
  const publicKeyPromise = importJWK(key.publicJwk, ALGORITHM);
  return async (authorization: string | undefined): Promise<Record<string, string> | undefined> => {
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, await publicKeyPromise, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: [ALGORITHM],
        requiredClaims: ['exp', 'sub'],
        currentDate: clock.now(),
      });
      return asAuthorizerClaims(payload);
    } catch {
      return undefined;
    }
  };
}

/** The local issuer's public key, for the functions' own JWT check (functions/auth/organiser-jwt.ts). */
export function localIssuerKeys(key: LocalSigningKey) {
  const publicKeyPromise = importJWK(key.publicJwk, ALGORITHM);
  return () => publicKeyPromise;
}

/**
 * The local stand-in for the settings-key secret (functions/settings-cipher.ts): 32 random bytes
 * in `.data/settings-key`, made on first start and kept, so robot keys stored earlier still open.
 */
export function loadOrCreateSettingsKey(dataDir: string): string {
  const file = join(dataDir, 'settings-key');
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
