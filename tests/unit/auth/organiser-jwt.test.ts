import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { useOrganiserKeys, verifyOrganiserJwt } from '../../../functions/auth/organiser-jwt';
import * as clock from '../../../functions/clock';

/**
 * The volunteer function's own check of an organiser's JWT (adopting and fulfilling a wish), where
 * no API Gateway authorizer stands in front: the issuer's keys fetched from its discovery
 * document, and an outage there answered as ours (503), never as the caller's bad token (401).
 */
const ISSUER = 'https://id.example.cn/oidc';
const AUDIENCE = 'linli-console';

let realFetch: typeof fetch;
beforeAll(() => {
  realFetch = global.fetch;
  process.env.ORGANISER_JWT_ISSUER = ISSUER;
  process.env.ORGANISER_JWT_AUDIENCE = AUDIENCE;
});
afterEach(() => {
  global.fetch = realFetch;
  useOrganiserKeys(undefined);
});
afterAll(() => {
  delete process.env.ORGANISER_JWT_ISSUER;
  delete process.env.ORGANISER_JWT_AUDIENCE;
});

async function issuer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const sign = (claims: Record<string, unknown> = {}, iatOffset = 0) =>
    new SignJWT({ 'cognito:groups': ['organisers'], 'custom:communityId': 'c1', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('org-1')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(clock.nowMs() / 1000) + iatOffset)
      .setExpirationTime(Math.floor(clock.nowMs() / 1000) + 3600)
      .sign(privateKey);
  return { jwk, sign };
}

/** A fake network: the discovery document, then the key set as `keys` says. */
function serve(keys: () => Response) {
  const calls: string[] = [];
  global.fetch = (async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push(url);
    if (url === `${ISSUER}/.well-known/openid-configuration`) return Response.json({ issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` });
    if (url === `${ISSUER}/jwks`) return keys();
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return calls;
}

it('verifies a token with the key set named by the discovery document, fetched once', async () => {
  const { jwk, sign } = await issuer();
  const calls = serve(() => Response.json({ keys: [jwk] }));
  expect(await verifyOrganiserJwt(`Bearer ${await sign()}`)).toMatchObject({ sub: 'org-1' });
  expect(await verifyOrganiserJwt(`Bearer ${await sign()}`)).toMatchObject({ sub: 'org-1' });
  expect(calls.filter((url) => url.endsWith('/openid-configuration'))).toHaveLength(1);
});

it('answers 503 when the key set cannot be had, and 401 for a bad token', async () => {
  const { jwk, sign } = await issuer();
  serve(() => new Response('busy', { status: 500 }));
  await expect(verifyOrganiserJwt(`Bearer ${await sign()}`)).rejects.toMatchObject({ code: 'unavailable' });
  useOrganiserKeys(undefined);
  serve(() => new Response('not json', { status: 200 }));
  await expect(verifyOrganiserJwt(`Bearer ${await sign()}`)).rejects.toMatchObject({ code: 'unavailable' });
  useOrganiserKeys(undefined);
  serve(() => Response.json({ keys: [jwk] }));
  await expect(verifyOrganiserJwt(`Bearer ${await sign({}, 3600)}`)).rejects.toMatchObject({ code: 'unauthorized' });
  await expect(verifyOrganiserJwt(`Bearer ${(await sign()).slice(0, -4)}AAAA`)).rejects.toMatchObject({ code: 'unauthorized' });
  await expect(verifyOrganiserJwt('Bearer not.a.jwt')).rejects.toMatchObject({ code: 'unauthorized' });
});
