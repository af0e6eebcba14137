import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { CommunityFixture } from '../support/fixtures';
import type { TestApi } from '../support/test-api';
import * as clock from '../../functions/clock';

// The logger reads its level once, when first imported: everything that logs is imported below,
// after this, at the most talkative level (middy's logger middleware resets any later change).
process.env.LOG_LEVEL = 'DEBUG';
let app: {
  routes: typeof import('../../functions/routes').routes;
  routeKeyOf: typeof import('../../functions/http/route').routeKeyOf;
  jobs: typeof import('../../functions/jobs').jobs;
  documents: typeof import('../../functions/store/client').documents;
  fillPath: typeof import('../support/fixtures').fillPath;
};

/**
 * Every route is called with a canary resident (name and phone) in the data, with logging at its
 * most talkative, and everything written to stdout and stderr is scanned for the canary.
 */
const CANARY_NAME = '金丝雀测试员';
const CANARY_PHONE = '+8613911223344';
const CANARY_SPELLINGS = [CANARY_PHONE, '13911223344', '139 1122 3344'];

let api: TestApi;
let fixture: CommunityFixture;
const captured: string[] = [];
const issuedTokens: string[] = [];
let restore: () => void = () => undefined;

beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
  const [{ routes }, { routeKeyOf }, { jobs }, { documents }, { fillPath, makeCommunity }, { startTestApi }] = await Promise.all([
    import('../../functions/routes'),
    import('../../functions/http/route'),
    import('../../functions/jobs'),
    import('../../functions/store/client'),
    import('../support/fixtures'),
    import('../support/test-api'),
  ]);
  app = { routes, routeKeyOf, jobs, documents, fillPath };
  api = await startTestApi();
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  restore = () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
  fixture = await makeCommunity(api, 'canary', { resident: CANARY_NAME, phone: CANARY_PHONE });
  issuedTokens.push(fixture.registrationToken, fixture.otherRegistrationToken, fixture.requestToken, fixture.volunteerToken);
});
afterAll(async () => {
  restore();
  delete process.env.LOG_LEVEL;
  await api.stop();
  delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
});

it('calls every route and runs every job with the canary in the data', async () => {
  const { routes, routeKeyOf, jobs, fillPath } = app;
  const statuses: Record<string, number> = {};
  for (const route of routes) {
    const headers: Record<string, string> =
      route.credential === 'organiser'
        ? { authorization: `Bearer ${fixture.organiserToken}` }
        : route.credential === 'volunteer'
          ? { authorization: `Bearer ${fixture.volunteerToken}` }
          : route.credential === 'manage'
            ? { 'x-manage-token': route.path.includes('/requests/') ? fixture.requestToken : fixture.registrationToken }
            : {};
    // Bodies carry the canary too, valid or not, so a body that were logged would show.
    const body = route.body ? { name: CANARY_NAME, phone: CANARY_PHONE, note: CANARY_NAME, description: CANARY_NAME, category: 'other' } : undefined;
    const query = route.path.includes('/reports/') ? '?month=2026-11' : '';
    const response = await api.call(route.method, `${fillPath(route.path, fixture)}${query}`, { headers, body });
    statuses[routeKeyOf(route)] = response.status;
    if (typeof response.body?.token === 'string') issuedTokens.push(response.body.token);
    if (typeof response.body?.manageToken === 'string') issuedTokens.push(response.body.manageToken);
  }
  for (const job of jobs) await job.run(new Date(clock.nowMs() + 26 * 3_600_000));
  expect(Object.values(statuses).filter((status) => status >= 500)).toEqual([]);
  expect(Object.keys(statuses)).toHaveLength(routes.length);
});

it('wrote log lines, and none of them names the canary or shows its phone', () => {
  const text = captured.join('');
  expect(captured.length).toBeGreaterThan(app.routes.length);
  expect(text).toContain('"message":"request"');
  expect(text).not.toContain(CANARY_NAME);
  for (const spelling of CANARY_SPELLINGS) expect(text).not.toContain(spelling);
});

it('stores no token anywhere in the table, only hashes', async () => {
  const items: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await app.documents().send(new ScanCommand({ TableName: api.tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []).map((item) => JSON.stringify(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const table = items.join('\n');
  expect(issuedTokens.length).toBeGreaterThanOrEqual(4);
  for (const token of issuedTokens) expect(table).not.toContain(token);
  expect(table).not.toMatch(/"(vt|mt)_[\w-]{20,}/);
});
