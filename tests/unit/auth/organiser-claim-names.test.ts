import { organiserClaimNames, organiserFromClaims } from '../../../functions/auth/organiser-claims';
import { createLocalAuthorizer, loadOrCreateSigningKey, signOrganiserToken } from '../../../local/jwt';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An OpenID Connect provider configured with claim names of its own (linli:oidcGroupsClaim, …CommunityClaim). */
const KEYCLOAK_NAMES = { ORGANISER_GROUPS_CLAIM: 'groups', ORGANISER_COMMUNITY_CLAIM: 'linli_community' };

describe('organiser claim names', () => {
  const saved = { ...process.env };
  afterEach(() => {
    delete process.env.ORGANISER_GROUPS_CLAIM;
    delete process.env.ORGANISER_COMMUNITY_CLAIM;
    Object.assign(process.env, saved);
  });

  it('are Cognito’s unless the environment names others', () => {
    expect(organiserClaimNames({})).toEqual({ groups: 'cognito:groups', community: 'custom:communityId' });
    expect(organiserClaimNames(KEYCLOAK_NAMES)).toEqual({ groups: 'groups', community: 'linli_community' });
    expect(organiserClaimNames({ ORGANISER_GROUPS_CLAIM: ' ' })).toEqual({ groups: 'cognito:groups', community: 'custom:communityId' });
  });

  it('decide which claims make an organiser of a community', () => {
    Object.assign(process.env, KEYCLOAK_NAMES);
    expect(organiserFromClaims({ sub: 'u1', groups: '[organisers]', linli_community: 'xingfu' }, 'xingfu')).toEqual({
      kind: 'organiser',
      subject: 'u1',
      communityId: 'xingfu',
    });
    // Cognito's names mean nothing to a stack configured with others.
    expect(() =>
      organiserFromClaims({ sub: 'u1', 'cognito:groups': '[organisers]', 'custom:communityId': 'xingfu' }, 'xingfu'),
    ).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });

  it('are the ones the local issuer signs its tokens with, which its authorizer mirror accepts', async () => {
    Object.assign(process.env, KEYCLOAK_NAMES);
    const key = await loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'linli-jwt-')));
    const claims = await createLocalAuthorizer(key)(`Bearer ${await signOrganiserToken(key, 'xingfu')}`);
    expect(claims).toMatchObject({ groups: '[organisers]', linli_community: 'xingfu' });
    expect(claims?.['cognito:groups']).toBeUndefined();
    expect(organiserFromClaims(claims, 'xingfu').communityId).toBe('xingfu');
  });
});
