import { hashToken, newOpaqueToken, VOLUNTEER_TOKEN_PREFIX } from '../../functions/auth/opaque-token';
import { verifyVolunteerToken } from '../../functions/auth/volunteer-token';
import { putVolunteerCredential } from '../../functions/store/volunteer-credentials';
import { startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

describe('the volunteer token verifier', () => {
  it('finds the volunteer by the hash of the token, never the token itself', async () => {
    const token = newOpaqueToken(VOLUNTEER_TOKEN_PREFIX);
    await putVolunteerCredential(hashToken(token), { volunteerId: 'v1', communityId: 'xingfu', status: 'active' });
    await expect(verifyVolunteerToken(`Bearer ${token}`, 'xingfu')).resolves.toEqual({
      kind: 'volunteer',
      volunteerId: 'v1',
      communityId: 'xingfu',
    });
  });

  it("refuses another community's paths with 403", async () => {
    const token = newOpaqueToken(VOLUNTEER_TOKEN_PREFIX);
    await putVolunteerCredential(hashToken(token), { volunteerId: 'v2', communityId: 'xingfu', status: 'active' });
    await expect(verifyVolunteerToken(`Bearer ${token}`, 'other')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it.each([
    ['an inactive volunteer', 'inactive' as const],
  ])('refuses %s with 401', async (_label, status) => {
    const token = newOpaqueToken(VOLUNTEER_TOKEN_PREFIX);
    await putVolunteerCredential(hashToken(token), { volunteerId: 'v3', communityId: 'xingfu', status });
    await expect(verifyVolunteerToken(`Bearer ${token}`, 'xingfu')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it.each([undefined, 'Bearer', 'Basic abc', 'Bearer vt_unknown', `Bearer not-a-volunteer-token`])(
    'refuses the header %j with 401',
    async (header) => {
      await expect(verifyVolunteerToken(header, 'xingfu')).rejects.toMatchObject({ code: 'unauthorized' });
    },
  );
});
