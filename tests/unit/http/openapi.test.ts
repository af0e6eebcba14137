import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../../../functions/http/openapi';
import { routes } from '../../../functions/routes';
import { ContractCheck } from '../../support/contract';

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(routes) as any;

  it('is committed as docs/openapi.json exactly as generated (run `npm run openapi`)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../../docs/openapi.json'), 'utf8'));
    expect(committed).toEqual(document);
  });

  it('documents a problem+json response for every error status it lists', () => {
    for (const path of Object.values<any>(document.paths)) {
      for (const operation of Object.values<any>(path)) {
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          if (Number(status) >= 400) expect(response.content['application/problem+json']).toBeDefined();
        }
      }
    }
  });

  it('announces Retry-After on 503', () => {
    const op = document.paths['/communities/{c}'].get;
    expect(op.responses['503'].headers['Retry-After']).toBeDefined();
  });

  it('resolves every $ref to a component', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
    for (const name of refs) expect(document.components.schemas[name]).toBeDefined();
  });
});

describe('the OpenAPI document, read by real clients', () => {
  const root = join(__dirname, '../../..');
  const document = buildOpenApiDocument(routes) as any;

  it('lints clean with @redocly/cli (recommended rules; what is acknowledged is in redocly.yaml and .redocly.lint-ignore.yaml with its reason)', () => {
    const lint = spawnSync(process.execPath, [require.resolve('@redocly/cli/bin/cli.js'), 'lint', 'docs/openapi.json', '--format=json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{')));
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(lint.status).toBe(0);
  }, 30_000);

  it('has no component schema that is only a reference to itself', () => {
    for (const [name, schema] of Object.entries<any>(document.components.schemas)) {
      expect([name, schema.$ref]).not.toEqual([name, `#/components/schemas/${name}`]);
    }
  });

  describe('the response check the suites run (tests/support/contract.ts)', () => {
    const check = new ContractCheck(document);
    const notification = {
      id: 'n1',
      kind: 'event_digest',
      targetId: 'e1',
      dueAt: '2026-12-19T09:00:00+08:00',
      sentAt: null,
      status: 'pending',
      attempts: 0,
      deliveries: [],
      recipients: [{ type: 'organisers', id: 'xingfu' }],
      subject: 's',
      body: 'b',
      createdAt: '2026-12-01T09:00:00+08:00',
    };
    const notifications = (items: unknown[], status = 200, contentType = 'application/json; charset=utf-8') => ({
      method: 'GET',
      path: '/communities/xingfu/notifications',
      status,
      contentType,
      text: JSON.stringify({ items, nextCursor: null }),
    });

    it('passes a response that keeps to its route', () => {
      expect(check.problems(notifications([notification]))).toEqual([]);
    });

    it('names a field the schema does not declare, and one that is missing', () => {
      expect(check.problems(notifications([{ ...notification, claimToken: 'x' }]))).toEqual([
        'GET /communities/xingfu/notifications → 200: /items/0 must NOT have additional properties (claimToken)',
      ]);
      const { attempts: _attempts, ...without } = notification;
      expect(check.problems(notifications([without]))).toEqual(["GET /communities/xingfu/notifications → 200: /items/0 must have required property 'attempts'"]);
    });

    it('refuses a status or a media type the route does not declare', () => {
      expect(check.problems(notifications([], 418))[0]).toMatch(/418 is not a declared status of GET \/communities\/\{c\}\/notifications/);
      expect(check.problems(notifications([], 200, 'text/html'))[0]).toMatch(/media type text\/html is not declared/);
    });

    it('takes the literal route over the templated one, and wants problem+json for an unknown path', () => {
      const series = { method: 'POST', path: '/communities/xingfu/slots/series', status: 201, contentType: 'application/json', text: '{}' };
      expect(check.problems(series).join('\n')).toMatch(/POST \/communities\/xingfu\/slots\/series → 201: \(body\) must have required property/);
      const unknown = { method: 'GET', path: '/nowhere', status: 404, contentType: 'text/plain', text: 'Not found' };
      expect(check.problems(unknown)).toEqual(['GET /nowhere → 404: an error for an undeclared route must be application/problem+json, got text/plain']);
    });
  });
});
