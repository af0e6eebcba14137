import { build, type Metafile } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from './lib/load';

const ROOT = resolve(import.meta.dirname, '..');
const CONSTRUCT = join(ROOT, 'lib/constructs/linli-function.ts');

export interface BundleSpec {
  name: string;
  /** Relative to the project root. */
  entry: string;
}

export const BUNDLES: readonly BundleSpec[] = [
  { name: 'hello-world', entry: 'bench/cold/hello.ts' },
  { name: 'public', entry: 'functions/entry/public.ts' },
  { name: 'volunteer', entry: 'functions/entry/volunteer.ts' },
  { name: 'organiser', entry: 'functions/entry/organiser.ts' },
  { name: 'jobs', entry: 'functions/entry/jobs.ts' },
];

export interface PackageShare {
  name: string;
  kb: number;
  share: number;
}

export interface BundleResult {
  name: string;
  entry: string;
  file: string;
  kb: number;
  sourceMapKb: number;
  /** The largest contributors to the bundle, by bytes in the output (esbuild metafile). */
  topPackages: PackageShare[];
  /** The same, grouped: AWS SDK (@aws-sdk + @smithy), Powertools, middy, zod, the app… */
  groups: PackageShare[];
}

/**
 * The bundling NodejsFunction does for lib/constructs/linli-function.ts (esbuild: ESM, minified,
 * platform node, target node24, source map without sources content, keepNames, mainFields
 * module,main, the createRequire banner, AWS SDK bundled). The banner is read from the construct,
 * and the options this mirrors are checked there, so a change to the construct shows up here.
 */
export function bundlingOptions(): { banner: string; drift: string[] } {
  const source = readFileSync(CONSTRUCT, 'utf8');
  const banner = source.match(/ESM_REQUIRE_SHIM\s*=\s*"([^"]+)"/)?.[1];
  const expected = [
    'format: OutputFormat.ESM',
    "target: 'node24'",
    "mainFields: ['module', 'main']",
    'banner: ESM_REQUIRE_SHIM',
    'minify: true',
    'keepNames: true',
    'sourceMap: true',
    'sourcesContent: false',
    'bundleAwsSDK: true',
  ];
  const drift = expected.filter((option) => !source.includes(option));
  if (!banner) drift.push('ESM_REQUIRE_SHIM banner not found');
  return { banner: banner ?? '', drift };
}

function packageOf(input: string): string {
  const parts = input.split('node_modules/');
  if (parts.length < 2) {
    const top = input.split('/')[0] ?? input;
    return `(app) ${top}/`;
  }
  const rest = parts[parts.length - 1]!.split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

function groupOf(pkg: string): string {
  if (pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/') || pkg.startsWith('@aws-crypto/') || pkg === 'fast-xml-parser' || pkg === 'strnum' || pkg === 'tslib' || pkg === 'bowser' || pkg === '@aws/lambda-invoke-store')
    return 'AWS SDK v3 (@aws-sdk, @smithy, @aws-crypto and their helpers)';
  if (pkg.startsWith('@aws-lambda-powertools/') || pkg === '@aws/lambda-invoke-store') return 'Powertools (logger, idempotency, jmespath…)';
  if (pkg.startsWith('@middy/')) return 'middy';
  if (pkg.startsWith('(app)')) return 'Linli code';
  return pkg;
}

function shares(bytesBy: Map<string, number>, total: number, limit: number): PackageShare[] {
  return [...bytesBy.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, bytes]) => ({ name, kb: bytes / 1024, share: bytes / total }));
}

function analyse(metafile: Metafile, outfile: string): { topPackages: PackageShare[]; groups: PackageShare[] } {
  const key = Object.keys(metafile.outputs).find((name) => name.endsWith('.mjs') && resolve(ROOT, name) === outfile);
  const output = key ? metafile.outputs[key] : undefined;
  if (!output) return { topPackages: [], groups: [] };
  const byPackage = new Map<string, number>();
  const byGroup = new Map<string, number>();
  let total = 0;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = packageOf(input);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    byGroup.set(groupOf(pkg), (byGroup.get(groupOf(pkg)) ?? 0) + bytesInOutput);
    total += bytesInOutput;
  }
  return { topPackages: shares(byPackage, total, 8), groups: shares(byGroup, total, 8) };
}

export async function buildBundles(outDir: string): Promise<{ bundles: BundleResult[]; drift: string[] }> {
  const { banner, drift } = bundlingOptions();
  const bundles: BundleResult[] = [];
  for (const spec of BUNDLES) {
    const dir = join(outDir, spec.name);
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'index.mjs');
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: [join(ROOT, spec.entry)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      outfile,
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      keepNames: true,
      mainFields: ['module', 'main'],
      banner: { js: banner },
      metafile: true,
      logLevel: 'error',
    });
    bundles.push({
      name: spec.name,
      entry: spec.entry,
      file: outfile,
      kb: statSync(outfile).size / 1024,
      sourceMapKb: statSync(`${outfile}.map`).size / 1024,
      ...analyse(result.metafile, outfile),
    });
  }
  return { bundles, drift };
}

export interface ProbeSample {
  bootMs: number;
  loadMs: number;
  invokeMs: number;
  /** CPU time (user + system) of the same two phases. */
  loadCpuMs: number;
  invokeCpuMs: number;
}

export interface ColdResult {
  name: string;
  samples: ProbeSample[];
  failures: string[];
  loadMs: number;
  invokeMs: number;
  totalMs: number;
  bootMs: number;
  /** Medians of the CPU time of the two phases. */
  loadCpuMs: number;
  invokeCpuMs: number;
  /** The same without NODE_OPTIONS=--enable-source-maps, on every other round. */
  withoutSourceMaps: { samples: ProbeSample[]; loadMs: number; invokeMs: number; totalMs: number; loadCpuMs: number; invokeCpuMs: number };
}

function probe(bundle: string, eventFile: string, env: NodeJS.ProcessEnv): Promise<ProbeSample> {
  return new Promise((resolveProbe, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench/cold/probe.mjs'), bundle, eventFile], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const line = out.split('\n').find((candidate) => candidate.startsWith('BENCH_PROBE '));
      if (!line) return reject(new Error(`probe printed no result: ${err.slice(-500)}`));
      const parsed = JSON.parse(line.slice('BENCH_PROBE '.length)) as ProbeSample & { status: unknown };
      if (parsed.status !== 200 && parsed.status !== 'ok') return reject(new Error(`handler answered ${String(parsed.status)}`));
      resolveProbe({ bootMs: parsed.bootMs, loadMs: parsed.loadMs, invokeMs: parsed.invokeMs, loadCpuMs: parsed.loadCpuMs, invokeCpuMs: parsed.invokeCpuMs });
    });
  });
}

/**
 * Cold starts, round-robin over the bundles so drift in the machine's load spreads evenly:
 * each sample is a fresh `node` with NODE_OPTIONS=--enable-source-maps (Lambda's, from the
 * construct) importing the bundle and invoking its handler once with a real request against
 * DynamoDB Local. Every other round also takes a sample without source maps, to show their share.
 */
export async function measureColdStarts(
  bundles: readonly BundleResult[],
  eventFiles: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv,
  rounds: number,
  deadline: number,
): Promise<ColdResult[]> {
  const results = new Map<string, ColdResult>(
    bundles.map((bundle) => [
      bundle.name,
      {
        name: bundle.name,
        samples: [],
        failures: [],
        loadMs: NaN,
        invokeMs: NaN,
        totalMs: NaN,
        bootMs: NaN,
        loadCpuMs: NaN,
        invokeCpuMs: NaN,
        withoutSourceMaps: { samples: [], loadMs: NaN, invokeMs: NaN, totalMs: NaN, loadCpuMs: NaN, invokeCpuMs: NaN },
      },
    ]),
  );
  const { NODE_OPTIONS: _maps, ...envWithoutMaps } = env;
  void _maps;
  for (let round = 0; round < rounds && Date.now() < deadline; round += 1) {
    for (const bundle of bundles) {
      const result = results.get(bundle.name)!;
      try {
        result.samples.push(await probe(bundle.file, eventFiles[bundle.name]!, env));
        if (round % 2 === 1) result.withoutSourceMaps.samples.push(await probe(bundle.file, eventFiles[bundle.name]!, envWithoutMaps));
      } catch (error) {
        result.failures.push((error as Error).message);
      }
    }
  }
  const medians = (samples: readonly ProbeSample[]) => ({
    loadMs: median(samples.map((sample) => sample.loadMs)),
    invokeMs: median(samples.map((sample) => sample.invokeMs)),
    totalMs: median(samples.map((sample) => sample.loadMs + sample.invokeMs)),
    loadCpuMs: median(samples.map((sample) => sample.loadCpuMs)),
    invokeCpuMs: median(samples.map((sample) => sample.invokeCpuMs)),
  });
  for (const result of results.values()) {
    Object.assign(result, medians(result.samples));
    result.bootMs = median(result.samples.map((sample) => sample.bootMs));
    Object.assign(result.withoutSourceMaps, medians(result.withoutSourceMaps.samples));
  }
  return [...results.values()];
}
