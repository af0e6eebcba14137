import { SignJWT, UnsecuredJWT } from 'jose';
import { routeKeyOf, type RouteDefinition } from '../../functions/http/route';
import { routes } from '../../functions/routes';
import { fillPath, makeCommunity, type CommunityFixture } from '../support/fixtures';
import { startTestApi, type TestApi } from '../support/test-api';

/**
 * The authorization matrix, generated from the route table: a route added tomorrow is covered
 * without touching this file. Each organiser, volunteer and manage-token route is called with
 * every credential that must be refused, against real objects (so a 403 is never masked by a 404).
 */
let api: TestApi;
let a: CommunityFixture;
let b: CommunityFixture;
const cases = { organiser: 0, volunteer: 0, manage: 0, either: 0 };

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  api = await startTestApi();
  a = await makeCommunity(api, 'matrix-a');
  b = await makeCommunity(api, 'matrix-b');
});
afterAll(async () => {
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
  process.stdout.write(`authorization matrix: ${JSON.stringify(cases)}\n`);
});

const organiserRoutes = routes.filter((route) => route.credential === 'organiser');
const volunteerRoutes = routes.filter((route) => route.credential === 'volunteer');
const manageRoutes = routes.filter((route) => route.credential === 'manage');
const eitherRoutes = routes.filter((route) => route.credential === 'volunteerOrOrganiser');
const named = (list: RouteDefinition[]) => list.map((route) => [routeKeyOf(route), route] as const);

/**
 * Organiser and volunteer credentials are checked before the body, so `{}` will do. A manage
 * token is checked against the object it names, in the service, after the schemas: those routes
 * get a body their schema accepts, so that a 403 is never masked by a 400. A manage route with a
 * body and no example here fails the matrix until it has one.
 */
const MANAGE_BODIES: Readonly<Record<string, unknown>> = {
  'POST /communities/{c}/events/{eventId}/registrations/{id}/verify': { code: '000000' },
  'POST /communities/{c}/slots/{slotId}/requests/{id}/verify': { code: '000000' },
  'POST /communities/{c}/work-orders/{id}/feedback': { rating: 5 },
  'POST /communities/{c}/work-orders/{id}/verify': { code: '000000' },
  'POST /communities/{c}/wishes/{id}/verify': { code: '000000' },
};
function bodyFor(route: RouteDefinition): unknown {
  if (!route.body) return undefined;
  if (route.credential !== 'manage') return {};
  const body = MANAGE_BODIES[routeKeyOf(route)];
  if (body === undefined) throw new Error(`No example body for ${routeKeyOf(route)}`);
  return body;
}
const send = (route: RouteDefinition, path: string, headers: Record<string, string>) => {
  const body = bodyFor(route);
  return api.call(route.method, path, { headers, ...(body !== undefined ? { body } : {}) });
};

async function badOrganiserTokens(fixture: CommunityFixture): Promise<[string, string][]> {
  const claims = { 'cognito:groups': ['organisers'], 'custom:communityId': fixture.c };
  const good = await api.organiserToken(fixture.c);
  const [header, payload, signature] = good.split('.');
  const tampered = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  tampered.sub = 'someone-else';
  return [
    ['expired', await api.organiserToken(fixture.c, { expiresIn: '-5m' })],
    ['wrong audience', await api.organiserToken(fixture.c, { audience: 'another-app' })],
    ['wrong issuer', await api.organiserToken(fixture.c, { issuer: 'https://evil.example' })],
    ['alg none', new UnsecuredJWT(claims).setSubject('x').setIssuer('https://linli.local/issuer').setAudience('linli-local').setExpirationTime('1h').encode()],
    ['forged (HS256)', await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('https://linli.local/issuer').setAudience('linli-local').setExpirationTime('1h').sign(new TextEncoder().encode('k'.repeat(32)))],
    ['tampered claims', `${header}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${signature}`],
    ['garbage', 'not.a.jwt'],
  ];
}

describe('organiser routes', () => {
  it.each(named(organiserRoutes))('%s refuses no token and every bad token with 401', async (_key, route) => {
    const path = fillPath(route.path, a);
    const noToken = await send(route, path, {});
    expect(noToken.status).toBe(401);
    expect(noToken.body.code).toBe('unauthorized');
    for (const [label, token] of await badOrganiserTokens(a)) {
      const response = await send(route, path, { authorization: `Bearer ${token}` });
      expect({ label, status: response.status, code: response.body?.code }).toEqual({ label, status: 401, code: 'unauthorized' });
      cases.organiser += 1;
    }
    cases.organiser += 1;
  });

  it.each(named(organiserRoutes))("%s refuses another community's organiser with 403 and no data", async (_key, route) => {
    const response = await send(route, fillPath(route.path, a), { authorization: `Bearer ${b.organiserToken}` });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
    expect(response.text).not.toMatch(/王阿姨|刘奶奶|陈师傅|\+86/);
    cases.organiser += 1;
  });

  it.each(named(organiserRoutes))('%s refuses a signed-in user outside the organisers group with 403', async (_key, route) => {
    const resident = await api.organiserToken(a.c, { groups: ['residents'] });
    expect((await send(route, fillPath(route.path, a), { authorization: `Bearer ${resident}` })).status).toBe(403);
    cases.organiser += 1;
  });
});

describe('volunteer routes', () => {
  const withCommunity = volunteerRoutes.filter((route) => route.path.includes('{c}'));

  it.each(named(withCommunity))("%s refuses another community's volunteer with 403", async (_key, route) => {
    const response = await send(route, fillPath(route.path, a), { authorization: `Bearer ${b.volunteerToken}` });
    expect(response.status).toBe(403);
    cases.volunteer += 1;
  });

  it.each(named(volunteerRoutes))('%s refuses no token, an unknown one and an organiser JWT with 401', async (_key, route) => {
    const path = fillPath(route.path, a);
    const headerSets: Record<string, string>[] = [{}, { authorization: 'Bearer vt_unknown' }, { authorization: `Bearer ${a.organiserToken}` }];
    for (const headers of headerSets) {
      expect((await send(route, path, headers)).status).toBe(401);
      cases.volunteer += 1;
    }
  });

  it('refuses a rotated token and an inactive volunteer on every volunteer route', async () => {
    const created = await api.call('POST', `/communities/${a.c}/volunteers`, { token: a.organiserToken, body: { name: '轮换', phone: '+8613512340000', team: 'patrol' } });
    const old = created.body.token as string;
    const rotated = (await api.call('POST', `/communities/${a.c}/volunteers/${created.body.volunteer.id}/token`, { token: a.organiserToken })).body.token as string;
    await api.call('PATCH', `/communities/${a.c}/volunteers/${created.body.volunteer.id}`, { token: a.organiserToken, body: { status: 'inactive' } });
    for (const route of volunteerRoutes) {
      for (const token of [old, rotated]) {
        const response = await send(route, fillPath(route.path, a), { authorization: `Bearer ${token}` });
        expect({ route: routeKeyOf(route), status: response.status }).toEqual({ route: routeKeyOf(route), status: 401 });
        cases.volunteer += 1;
      }
    }
  });

  it("never lets a volunteer read or close another volunteer's log", async () => {
    const other = await api.call('POST', `/communities/${a.c}/volunteers`, { token: a.organiserToken, body: { name: '别人', phone: '+8613512340001', team: 'patrol' } });
    await api.call('POST', `/communities/${a.c}/slots/${a.slotId}/shifts`, { token: other.body.token });
    const opened = await api.call('POST', '/me/check-ins', { token: other.body.token, body: { slotId: a.slotId } });
    expect(opened.status).toBe(201);
    const mine = await api.call('GET', '/me/hours?limit=100', { token: a.volunteerToken });
    expect(mine.body.items.map((log: { id: string }) => log.id)).not.toContain(opened.body.hoursLog.id);
    expect((await api.call('POST', '/me/check-outs', { token: a.volunteerToken })).body.code).toBe('not_checked_in');
    const me = await api.call('GET', '/me', { token: other.body.token });
    expect(me.body.openCheckIn.id).toBe(opened.body.hoursLog.id);
    cases.volunteer += 3;
  });
});

/**
 * A wish's adopt and fulfil: a volunteer's token or an organiser's JWT, with no API Gateway
 * authorizer in front (the volunteer function checks the JWT itself), so every bad token an
 * authorizer would refuse is refused here too.
 */
describe('volunteer-or-organiser routes', () => {
  it.each(named(eitherRoutes))('%s refuses no token, an unknown volunteer token and every bad organiser token with 401', async (_key, route) => {
    const path = fillPath(route.path, a);
    const bad = [['none', ''], ['unknown volunteer', 'Bearer vt_unknown'], ...(await badOrganiserTokens(a)).map(([label, token]) => [label, `Bearer ${token}`])];
    for (const [label, authorization] of bad) {
      const response = await send(route, path, authorization ? { authorization } : {});
      expect({ label, status: response.status, code: response.body?.code }).toEqual({ label, status: 401, code: 'unauthorized' });
      cases.either += 1;
    }
  });

  it.each(named(eitherRoutes))("%s refuses another community's volunteer and organiser, and a user outside the organisers group, with 403", async (_key, route) => {
    const path = fillPath(route.path, a);
    const resident = await api.organiserToken(a.c, { groups: ['residents'] });
    for (const token of [b.volunteerToken, b.organiserToken, resident]) {
      const response = await send(route, path, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(403);
      expect(response.text).not.toMatch(/王阿姨|刘奶奶|\+86/);
      cases.either += 1;
    }
  });
});

describe('manage-token routes', () => {
  it.each(named(manageRoutes))("%s refuses another registration's token with 403, and no token with 401", async (_key, route) => {
    const path = fillPath(route.path, a);
    const isRequest = route.path.includes('/requests/');
    const foreign = isRequest ? a.registrationToken : a.otherRegistrationToken;
    const response = await send(route, path, { 'x-manage-token': foreign });
    expect(response.status).toBe(403);
    expect(response.text).not.toMatch(/王阿姨|刘奶奶|\+86/);
    expect((await send(route, path, {})).status).toBe(401);
    cases.manage += 2;
  });
});

it('covers every credentialed route of the table', () => {
  expect(organiserRoutes.length + volunteerRoutes.length + manageRoutes.length + eitherRoutes.length).toBe(routes.filter((route) => route.credential !== 'public').length);
  expect(organiserRoutes.length).toBeGreaterThan(20);
});
