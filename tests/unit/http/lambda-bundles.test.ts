import { build, type Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * What each Lambda function carries, bundled the way lib/constructs/linli-function.ts has esbuild
 * do it (ESM, one file): only its own group's routes, no module left to be initialised lazily (a
 * dynamic import anywhere would make esbuild evaluate whole packages instead of what is used),
 * and the public function answers GET /openapi.json with the committed document shipped beside it.
 */
const ROOT = resolve(__dirname, '../../..');
const GROUPS = ['public', 'volunteer', 'organiser'] as const;
let dir: string;
const metafiles = new Map<string, Metafile>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linli-bundles-'));
  for (const group of GROUPS) {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: [join(ROOT, `functions/entry/${group}.ts`)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      mainFields: ['module', 'main'],
      // As lib/constructs/linli-function.ts: node-fetch (in Tencent Cloud's SDK) asks for Node's
      // deprecated punycode module; the userland package of the same code is bundled instead.
      alias: { punycode: 'punycode/' },
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      outfile: join(dir, group, 'index.mjs'),
      metafile: true,
      logLevel: 'error',
    });
    metafiles.set(group, result.metafile);
  }
  copyFileSync(join(ROOT, 'docs/openapi.json'), join(dir, 'public', 'openapi.json'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The source files that put code into a bundle. */
function bundled(group: string): string[] {
  const output = Object.values(metafiles.get(group)!.outputs).find((entry) => entry.entryPoint);
  return Object.entries(output!.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
}

describe('the Lambda bundles', () => {
  it.each(GROUPS)('carry only their own group of routes: %s', (group) => {
    const routeFiles = bundled(group).filter((file) => /functions\/routes\/(public|volunteer|organiser)\//.test(file));
    expect(routeFiles.length).toBeGreaterThan(0);
    expect(routeFiles.filter((file) => !file.includes(`functions/routes/${group}/`))).toEqual([]);
  });

  it.each(GROUPS)('initialise none of the application lazily (no import() of its modules): %s', (group) => {
    // esbuild wraps a module reachable through import() in a lazy initialiser keyed by its path,
    // and then evaluates it, and what it imports, whole (without tree shaking) when first reached.
    // Some of the AWS SDK's credential providers are loaded that way by design; Linli's own code
    // must not be.
    const code = readFileSync(join(dir, group, 'index.mjs'), 'utf8');
    expect(code.match(/"functions\/[^"]+"\(\)\s*\{/g) ?? []).toEqual([]);
  });

  it('leave the phone-number library out where no route takes a phone number', () => {
    expect(bundled('volunteer').some((file) => file.includes('libphonenumber-js'))).toBe(false);
    expect(bundled('public').some((file) => file.includes('libphonenumber-js'))).toBe(true);
  });

  it('serve GET /openapi.json from the public bundle as docs/openapi.json says, without the route table', () => {
    expect(bundled('public').some((file) => file.endsWith('functions/http/openapi.ts'))).toBe(false);
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `const { handler } = await import(${JSON.stringify(join(dir, 'public', 'index.mjs'))});
       const http = { method: 'GET', path: '/openapi.json', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' };
       const result = await handler({ version: '2.0', routeKey: 'GET /openapi.json', rawPath: '/openapi.json', rawQueryString: '', headers: {},
         requestContext: { http, requestId: 'r1', routeKey: 'GET /openapi.json' }, isBase64Encoded: false },
         { awsRequestId: 'r1', functionName: 'linli-public', getRemainingTimeInMillis: () => 10000 });
       process.stdout.write(JSON.stringify({ status: result.statusCode, body: result.body }));`,
    );
    const run = spawnSync(process.execPath, [probe], { env: { PATH: process.env.PATH, TABLE_NAME: 'linli-bundle-test', AWS_REGION: 'us-east-1', LOG_LEVEL: 'SILENT' }, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    const { status, body } = JSON.parse(run.stdout) as { status: number; body: string };
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual(JSON.parse(readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8')));
  });
});
