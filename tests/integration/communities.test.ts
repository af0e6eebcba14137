import { SignJWT, UnsecuredJWT } from 'jose';
import { startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;
let token: string;

beforeAll(async () => {
  api = await startTestApi();
  token = await api.organiserToken('xingfu');
});
afterAll(() => api.stop());

describe('community settings', () => {
  it('creates a community with the documented defaults and publishes only its public profile', async () => {
    const saved = await api.call('PUT', '/communities/xingfu/settings', {
      token,
      body: { name: '幸福邻里', organiserContacts: ['138 0013 8000', 'desk@xingfu.cn'] },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      id: 'xingfu',
      name: '幸福邻里',
      timezone: 'Asia/Shanghai',
      pointsPerHour: 10,
      reminderOffsetsMinutes: [1440, 60],
      organiserContacts: ['+8613800138000', 'desk@xingfu.cn'],
      verifyPhone: false,
      checkInProof: 'none',
    });
    expect(saved.text).not.toContain('deskSecret');

    const profile = await api.call('GET', '/communities/xingfu');
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({
      id: 'xingfu',
      name: '幸福邻里',
      timezone: 'Asia/Shanghai',
      pointsPerHour: 10,
      pointsPerHourHistory: [{ pointsPerHour: 10, effectiveFrom: saved.body.createdAt }],
      // What a volunteer's check-in needs: the page asks for the kiosk's code when it is desk_code.
      checkInProof: 'none',
    });
    expect(profile.text).not.toContain('8613800138000');
  });

  it('updates settings in place and keeps when the community was created', async () => {
    const first = await api.call('PUT', '/communities/xingfu/settings', { token, body: { name: '幸福邻里' } });
    const second = await api.call('PUT', '/communities/xingfu/settings', {
      token,
      body: { name: '幸福邻里社区', pointsPerHour: 12, timezone: 'Asia/Urumqi', reminderOffsetsMinutes: [60, 1440, 60] },
    });
    expect(second.status).toBe(200);
    expect(second.body.createdAt).toBe(first.body.createdAt);
    expect(second.body).toMatchObject({ name: '幸福邻里社区', pointsPerHour: 12, timezone: 'Asia/Urumqi', reminderOffsetsMinutes: [1440, 60] });
    expect((await api.call('GET', '/communities/xingfu')).body.pointsPerHour).toBe(12);
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ name: 'x', pointsPerHour: 1001 }, 'pointsPerHour'],
    [{ name: 'x', pointsPerHour: 1.5 }, 'pointsPerHour'],
    [{ name: 'x', organiserContacts: ['not a phone or email'] }, 'organiserContacts.0'],
  ])('refuses %j with a field error on %s', async (body, path) => {
    const response = await api.call('PUT', '/communities/xingfu/settings', { token, body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('answers 404 for a community nobody has set up', async () => {
    const response = await api.call('GET', '/communities/nowhere');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
  });
});

describe('organiser credentials', () => {
  const settings = { name: '幸福邻里' };

  it('refuses a request with no token', async () => {
    const response = await api.call('PUT', '/communities/xingfu/settings', { body: settings });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('unauthorized');
  });

  it("refuses another community's organiser with 403 and no data", async () => {
    const other = await api.organiserToken('other-place');
    const response = await api.call('PUT', '/communities/xingfu/settings', { token: other, body: settings });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
    expect(response.text).not.toContain('幸福邻里');
  });

  it('refuses a signed-in user who is not in the organisers group', async () => {
    const resident = await api.organiserToken('xingfu', { groups: ['residents'] });
    expect((await api.call('PUT', '/communities/xingfu/settings', { token: resident, body: settings })).status).toBe(403);
  });

  it.each([
    ['expired', async () => api.organiserToken('xingfu', { expiresIn: '-1m' })],
    ['unsigned (alg: none)', async () =>
      new UnsecuredJWT({ 'cognito:groups': ['organisers'], 'custom:communityId': 'xingfu' })
        .setSubject('x').setIssuer('https://linli.local/issuer').setAudience('linli-local').setExpirationTime('1h').encode()],
    ['signed with another key', async () =>
      new SignJWT({ 'cognito:groups': ['organisers'], 'custom:communityId': 'xingfu' })
        .setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('https://linli.local/issuer')
        .setAudience('linli-local').setExpirationTime('1h').sign(new TextEncoder().encode('a'.repeat(32)))],
    ['for another audience', async () => api.organiserToken('xingfu', { audience: 'someone-else' })],
    ['from another issuer', async () => api.organiserToken('xingfu', { issuer: 'https://evil.example' })],
    ['with tampered claims', async () => {
      const good = await api.organiserToken('xingfu');
      const [header, payload, signature] = good.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      claims['custom:communityId'] = 'other-place';
      return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    }],
    ['malformed', async () => 'not-a-jwt'],
  ])('refuses a token that is %s with 401', async (_label, makeToken) => {
    const response = await api.call('PUT', '/communities/xingfu/settings', { token: await makeToken(), body: settings });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('unauthorized');
  });
});
