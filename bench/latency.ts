import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import { hashToken, MANAGE_TOKEN_PREFIX, newOpaqueToken } from '../functions/auth/opaque-token';
import { verifyVolunteerToken } from '../functions/auth/volunteer-token';
import type { HoursLog } from '../functions/domain/hours';
import type { Registration } from '../functions/domain/registrations';
import { requireCommunity } from '../functions/services/communities';
import { listEvents } from '../functions/services/events';
import { checkIn, checkOut } from '../functions/services/hours';
import { eventRoster, readPhoneUses, registerForEvent, usePhone } from '../functions/services/registrations';
import { listPublicEvents } from '../functions/store/events';
import { closeLog, insertOpenLog } from '../functions/store/hours';
import { keys } from '../functions/store/keys';
import { send, tableName } from '../functions/store/client';
import { insertRegistration, listRegistrations, phoneHash } from '../functions/store/registrations';
import type { ContentionStats } from '../local/contention';
import { signOrganiserToken, type LocalSigningKey } from '../local/jwt';
import { roundTrips, signature, type CapacityRecorder } from './lib/capacity';
import * as fx from './lib/fixtures';
import { HttpClient } from './lib/http';
import { mergeRuns, runLoad, summarise, type Operation, type RawRun, type RunStats } from './lib/load';

const ROOT = resolve(import.meta.dirname, '..');

/** The API server in its own process (bench/server.ts). */
export interface ApiChild {
  url: string;
  signingKey: LocalSigningKey;
  /** DynamoDB requests the server sent since the last call, by command. */
  counts(): Promise<Record<string, number>>;
  /** With DYNAMODB_CONTENTION=aws in its environment: the contention layer's counts so far (local/contention.ts). */
  contention(): Promise<ContentionStats | undefined>;
  stop(): Promise<void>;
}

export function startApiChild(endpoint: string, tableName: string, env: NodeJS.ProcessEnv = {}): Promise<ApiChild> {
  const child = fork(join(ROOT, 'bench/server.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_DYNAMODB_ENDPOINT: endpoint,
      BENCH_TABLE_NAME: tableName,
      LOG_LEVEL: 'INFO',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const waiters: ((counts: Record<string, number>) => void)[] = [];
  const contentionWaiters: ((stats: ContentionStats | undefined) => void)[] = [];
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API server did not start: ${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API server exited (${code}): ${stderr}`));
    });
    child.on('message', (message: { type: string; url?: string; signingKey?: LocalSigningKey; counts?: Record<string, number>; contention?: ContentionStats | null }) => {
      if (message.type === 'counts') waiters.shift()?.(message.counts ?? {});
      if (message.type === 'contention') contentionWaiters.shift()?.(message.contention ?? undefined);
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolveStart({
        url: message.url!,
        signingKey: message.signingKey!,
        counts: () =>
          new Promise((resolveCounts) => {
            waiters.push(resolveCounts);
            child.send({ type: 'counts' });
          }),
        contention: () =>
          new Promise((resolveStats) => {
            contentionWaiters.push(resolveStats);
            child.send({ type: 'contention' });
          }),
        stop: () =>
          new Promise<void>((resolveStop) => {
            if (child.exitCode !== null) return resolveStop();
            const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.removeAllListeners('exit');
            child.once('exit', () => {
              clearTimeout(kill);
              resolveStop();
            });
            child.send({ type: 'stop' });
          }),
      });
    });
  });
}

export type Level = 'floor' | 'service' | 'http' | 'http+key';

export interface LevelResult {
  level: Level;
  concurrency: number;
  stats: RunStats;
  /** DynamoDB requests per operation (retries included), and by command. */
  requestsPerOp: number;
  requestsByCommand: Record<string, number>;
  /** The median of each round on its own, in order: how much the figure moved during the run. */
  roundP50s: number[];
  firstError?: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** The requests of one floor call and of one service call, as recorded (in order; overlapping ones share a round trip). */
  floorRequests: string[];
  floorRoundTrips: number;
  serviceRequests: string[];
  serviceRoundTrips: number;
  results: LevelResult[];
}

export interface LatencyPlan {
  requests: Record<number, number>;
  warmup: Record<number, number>;
  maxMsPerRound: Record<number, number>;
  /** Rounds per measurement, alternating the order of the levels; the samples are pooled. */
  rounds: number;
  concurrencies: readonly number[];
}

interface ScenarioDef {
  id: string;
  title: string;
  levels: Partial<Record<Level, Operation>>;
}

interface Context {
  api: ApiChild;
  http: HttpClient;
  recorder: CapacityRecorder;
  plan: LatencyPlan;
  log: (line: string) => void;
}

async function measureScenario(ctx: Context, def: ScenarioDef): Promise<ScenarioResult> {
  const results: LevelResult[] = [];
  const levels = Object.entries(def.levels) as [Level, Operation][];
  // One call of the floor and of the service with the recorder on, to say what each sends; the
  // service is called once before, so that what is recorded is a warm instance's call (a first
  // call also reads what the instance keeps: the community profile, the event it registers for).
  const floorCall = await ctx.recorder.measure(() => def.levels.floor!(0));
  await def.levels.service!(0);
  const serviceCall = await ctx.recorder.measure(() => def.levels.service!(0));
  for (const concurrency of ctx.plan.concurrencies) {
    const total = ctx.plan.requests[concurrency] ?? 100;
    const raw = new Map<Level, { runs: RawRun[]; attempts: number; counts: Record<string, number> }>(
      levels.map(([level]) => [level, { runs: [], attempts: 0, counts: {} }]),
    );
    if (concurrency === 1) {
      await interleavedOneByOne(ctx, levels, raw, total, (ctx.plan.maxMsPerRound[1] ?? 1_000) * ctx.plan.rounds * levels.length);
    }
    // At higher concurrency, rounds alternate the order of the levels, so that none always runs
    // first or last and a change in the machine's load during the measurement falls on every level alike.
    for (let round = 0; concurrency > 1 && round < ctx.plan.rounds; round += 1) {
      const order = round % 2 === 0 ? levels : [...levels].reverse();
      for (const [level, op] of order) {
        const entry = raw.get(level)!;
        const counted: Operation = async (worker) => {
          entry.attempts += 1;
          await op(worker);
        };
        ctx.recorder.takeCounts();
        await ctx.api.counts();
        ctx.recorder.mode = 'count';
        const run = await runLoad(counted, {
          concurrency,
          requests: Math.ceil(total / ctx.plan.rounds),
          maxMs: ctx.plan.maxMsPerRound[concurrency] ?? 3_000,
          warmup: round === 0 ? (ctx.plan.warmup[concurrency] ?? 0) : 0,
        });
        ctx.recorder.mode = 'off';
        const counts = level === 'floor' || level === 'service' ? ctx.recorder.takeCounts() : await ctx.api.counts();
        for (const [command, count] of Object.entries(counts)) entry.counts[command] = (entry.counts[command] ?? 0) + count;
        entry.runs.push(run);
      }
    }
    for (const [level, entry] of raw) {
      const { stats, firstError } = mergeRuns(entry.runs);
      const requests = Object.values(entry.counts).reduce((sum, count) => sum + count, 0);
      const byCommand = Object.fromEntries(Object.entries(entry.counts).map(([command, count]) => [command, count / Math.max(1, entry.attempts)]));
      const roundP50s = entry.runs.map((run) => summarise(run.latencies, run.errors, run.elapsedMs).p50);
      results.push({ level, concurrency, stats, requestsPerOp: requests / Math.max(1, entry.attempts), requestsByCommand: byCommand, roundP50s, firstError });
      ctx.log(
        `  ${def.id} c=${concurrency} ${level.padEnd(8)} n=${stats.count} p50=${stats.p50.toFixed(2)}ms p99=${stats.p99.toFixed(2)}ms ` +
          `${stats.throughput.toFixed(0)}/s req/op=${(requests / Math.max(1, entry.attempts)).toFixed(2)}${stats.errors ? ` errors=${stats.errors} (${firstError})` : ''}`,
      );
    }
  }
  return {
    id: def.id,
    title: def.title,
    floorRequests: floorCall.ops.map(signature),
    floorRoundTrips: roundTrips(floorCall.ops),
    serviceRequests: serviceCall.ops.map(signature),
    serviceRoundTrips: roundTrips(serviceCall.ops),
    results,
  };
}

/**
 * Concurrency 1: the levels take turns call by call (floor, service, http…, then the reverse
 * order), so that each level's samples meet the same moments of the machine's load. The
 * samples are cut into `rounds` consecutive blocks to show how the ratio moved during the run.
 */
async function interleavedOneByOne(
  ctx: Context,
  levels: readonly [Level, Operation][],
  raw: Map<Level, { runs: RawRun[]; attempts: number; counts: Record<string, number> }>,
  cycles: number,
  maxMs: number,
): Promise<void> {
  for (let i = 0; i < (ctx.plan.warmup[1] ?? 0); i += 1) {
    for (const [, op] of levels) await op(0).catch(() => undefined);
  }
  ctx.recorder.takeCounts();
  await ctx.api.counts();
  ctx.recorder.mode = 'count';
  const perBlock = Math.ceil(cycles / ctx.plan.rounds);
  const deadline = performance.now() + maxMs;
  try {
    for (let block = 0; block < ctx.plan.rounds && performance.now() < deadline; block += 1) {
      const runs = new Map<Level, RawRun>(levels.map(([level]) => [level, { latencies: [], errors: 0, elapsedMs: 0 }]));
      for (let i = 0; i < perBlock && performance.now() < deadline; i += 1) {
        for (const [level, op] of i % 2 === 0 ? levels : [...levels].reverse()) {
          const run = runs.get(level)!;
          const entry = raw.get(level)!;
          entry.attempts += 1;
          const t0 = performance.now();
          try {
            await op(0);
            run.latencies.push(performance.now() - t0);
          } catch (error) {
            run.errors += 1;
            run.firstError ??= (error as Error).message;
          }
          run.elapsedMs += performance.now() - t0;
          const counts = level === 'floor' || level === 'service' ? ctx.recorder.takeCounts() : await ctx.api.counts();
          for (const [command, count] of Object.entries(counts)) entry.counts[command] = (entry.counts[command] ?? 0) + count;
        }
      }
      for (const [level, run] of runs) raw.get(level)!.runs.push(run);
    }
  } finally {
    ctx.recorder.mode = 'off';
  }
}

const C = 'bench-lat';
const CAPACITY = 100_000;

function floorRegistration(communityId: string, eventId: string, capacity: number): Operation {
  return async () => {
    const now = new Date();
    const nowIso = now.toISOString();
    const registration: Registration = {
      id: ulid(),
      communityId,
      eventId,
      name: '王阿姨',
      phone: fx.nextPhone(),
      partySize: 1,
      building: '3栋',
      status: 'confirmed',
      manageTokenHash: hashToken(newOpaqueToken(MANAGE_TOKEN_PREFIX)),
      createdAt: nowIso,
      updatedAt: nowIso,
      confirmedAt: nowIso,
    };
    const refusal = await insertRegistration(registration, capacity, usePhone(await readPhoneUses(registration.phone), now), now);
    if (refusal) throw new Error(`floor registration refused: ${refusal}`);
  };
}

function httpRegistration(http: HttpClient, communityId: string, eventId: string, withKey: boolean): Operation {
  return async () => {
    const headers: Record<string, string> = withKey ? { 'idempotency-key': randomUUID() } : {};
    const response = await http.call('POST', `/communities/${communityId}/events/${eventId}/registrations`, { body: fx.registrationBody(), headers });
    if (response.status !== 201) throw new Error(`registration: ${response.status} ${response.text.slice(0, 200)}`);
  };
}

/** Registration's floor, service and http levels on one event (section 1 adds http+key; section 6 uses these three). */
function registrationLevels(http: HttpClient, communityId: string, eventId: string): Partial<Record<Level, Operation>> {
  return {
    floor: floorRegistration(communityId, eventId, CAPACITY),
    service: async () => {
      await registerForEvent(communityId, eventId, { name: '王阿姨', phone: fx.nextPhone(), partySize: 1, building: '3栋' });
    },
    http: httpRegistration(http, communityId, eventId, false),
  };
}

/** What the HTTP request path adds to registration, taken apart (section 1's discussion). */
export interface PathOverhead {
  /** GET /health through the API process: an HTTP round trip and the pipeline, no DynamoDB. */
  healthP50Ms: number;
  healthCalls: number;
  /** The public function's handler for one registration with DynamoDB stubbed out (in this process): its own work. */
  handlerMeanMs: number;
  handlerCalls: number;
}

/**
 * Takes apart what separates the request path from its floor: an HTTP round trip to the API
 * process that does no DynamoDB work (GET /health), and the registration handler's own CPU with
 * the document client's `send` stubbed to answer at once (restored afterwards).
 */
export async function measurePathOverhead(http: HttpClient, calls: number): Promise<PathOverhead> {
  const health: number[] = [];
  for (let i = 0; i < calls + 20; i += 1) {
    const t0 = performance.now();
    const response = await http.call('GET', '/health');
    if (response.status !== 200) throw new Error(`health: ${response.status}`);
    if (i >= 20) health.push(performance.now() - t0);
  }
  const { handler } = await import('../functions/entry/public');
  const { DynamoDBDocumentClient, GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const community = { communityId: 'stub-c', name: '幸福邻里', timezone: 'Asia/Shanghai', pointsPerHour: 10, createdAt: now, updatedAt: now };
  const event = {
    id: 'stub-e', communityId: 'stub-c', title: '邻里节', venue: '活动室', startsAt: later, endsAt: later, capacity: 1_000_000_000, maxPartySize: 4,
    volunteerCapacity: 0, registrationClosesAt: later, status: 'published', confirmedSeats: 0, waitlistLength: 0, volunteersStaffed: 0, version: 1, createdAt: now, updatedAt: now,
  };
  const { QueryCommand, TransactWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const original = DynamoDBDocumentClient.prototype.send;
  // Answers at once, keeping just enough to walk the sign-up queue (services/admission.ts): the
  // arrival a transaction puts is what the placer's query finds, the registration the placement
  // puts is what a GetItem finds; a profile or the event for any other GetItem, success otherwise.
  const arrivals = new Map<string, Record<string, unknown>>();
  const placed = new Map<string, Record<string, unknown>>();
  DynamoDBDocumentClient.prototype.send = async function stubbed(command: unknown) {
    if (command instanceof GetCommand) {
      const { sk } = command.input.Key as { sk: string };
      if (sk.startsWith('REG#')) return { Item: placed.get(sk) };
      if (sk === 'PLACER') return {};
      return { Item: sk === 'PROFILE' ? community : event };
    }
    if (command instanceof QueryCommand) return { Items: [...arrivals.values()] };
    if (command instanceof TransactWriteCommand) {
      for (const item of command.input.TransactItems ?? []) {
        const put = item.Put?.Item as { sk?: string } | undefined;
        if (put?.sk?.startsWith('ARRIVAL#')) arrivals.set(put.sk, put);
        if (put?.sk?.startsWith('REG#')) placed.set(put.sk, put);
        const gone = (item.Delete?.Key as { sk?: string } | undefined)?.sk;
        if (gone) arrivals.delete(gone);
      }
    }
    return {};
  } as typeof original;
  const context = { awsRequestId: 'bench', functionName: 'linli-public', getRemainingTimeInMillis: () => 10_000 } as never;
  const path = '/communities/stub-c/events/stub-e/registrations';
  const request = () =>
    ({
      version: '2.0', routeKey: 'POST /communities/{c}/events/{eventId}/registrations', rawPath: path, rawQueryString: '',
      headers: { 'content-type': 'application/json', host: 'api.example', 'user-agent': 'bench' },
      pathParameters: { c: 'stub-c', eventId: 'stub-e' },
      requestContext: { http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'bench' }, requestId: randomUUID(), routeKey: 'POST /communities/{c}/events/{eventId}/registrations' },
      body: JSON.stringify(fx.registrationBody()), isBase64Encoded: false,
    }) as never;
  let elapsed = 0;
  try {
    for (let i = 0; i < calls + 100; i += 1) {
      const t0 = performance.now();
      const result = (await handler(request(), context)) as { statusCode: number; body?: string };
      if (i >= 100) elapsed += performance.now() - t0;
      if (result.statusCode !== 201) throw new Error(`stubbed registration: ${result.statusCode} ${result.body}`);
    }
  } finally {
    DynamoDBDocumentClient.prototype.send = original;
  }
  return { healthP50Ms: summarise(health, 0, 1).p50, healthCalls: health.length, handlerMeanMs: elapsed / calls, handlerCalls: calls };
}

/**
 * Section 6: registration and its floor at concurrency 1, 2, 4, 8 and 16, on an event of its own,
 * for the chart (latency against concurrency). Fewer calls per point than section 1.
 */
export async function measureRegistrationSweep(ctx: Context, concurrencies: readonly number[], callsPerPoint: number): Promise<ScenarioResult> {
  const { http } = ctx;
  const community = `${C}-sweep`;
  const organiser = await signOrganiserToken(ctx.api.signingKey, community);
  await fx.community(http, community, organiser);
  const eventId = await fx.event(http, community, organiser, { startsInMinutes: 32 * 24 * 60, capacity: CAPACITY });
  const plan: LatencyPlan = {
    concurrencies,
    rounds: 4,
    requests: Object.fromEntries(concurrencies.map((c) => [c, c === 1 ? Math.ceil(callsPerPoint / 2) : callsPerPoint])),
    warmup: Object.fromEntries(concurrencies.map((c) => [c, c === 1 ? 5 : 2 * c])),
    maxMsPerRound: Object.fromEntries(concurrencies.map((c) => [c, 700])),
  };
  return measureScenario({ ...ctx, plan }, {
    id: 'registration-sweep',
    title: 'Registration against concurrency (chart)',
    levels: registrationLevels(http, community, eventId),
  });
}

/** Section 1: the four calls at each concurrency, beside their floor. */
export async function measureRequestPaths(ctx: Context): Promise<ScenarioResult[]> {
  const { http } = ctx;
  const organiser = await signOrganiserToken(ctx.api.signingKey, C);
  await fx.community(http, C, organiser);
  const registrationEvent = await fx.event(http, C, organiser, { startsInMinutes: 30 * 24 * 60, capacity: CAPACITY });
  const rosterEvent = await fx.event(http, C, organiser, { startsInMinutes: 31 * 24 * 60, capacity: 1000 });
  await fx.inParallel(8, 4, async (i) => void (await fx.event(http, C, organiser, { startsInMinutes: (20 + i) * 24 * 60, capacity: 200 })));
  await fx.inParallel(40, 4, async () => void (await fx.register(http, C, rosterEvent)));
  const slot = await fx.slot(http, C, organiser, -5, { durationMinutes: 240, volunteerCapacity: 50 });
  const maxConcurrency = Math.max(...ctx.plan.concurrencies);
  const volunteers: fx.VolunteerRef[] = [];
  for (let i = 0; i < maxConcurrency; i += 1) {
    const v = await fx.volunteer(http, C, organiser, `志愿者${i}`);
    await fx.takeShift(http, C, slot.id, v);
    volunteers.push(v);
  }
  const volunteerOf = (worker: number) => volunteers[worker]!;
  // One log per shift per volunteer (issue 17): each round frees the shift's log mark first, so one
  // evening serves every round. One UpdateItem of the bench's own, the same in every level.
  const freeShift = (v: fx.VolunteerRef) =>
    send(new UpdateCommand({ TableName: tableName(), Key: keys.shift(C, 'slot', slot.id, v.id), UpdateExpression: 'REMOVE logId' }));

  const scenarios: ScenarioDef[] = [
    {
      id: 'registration',
      title: 'Registration — POST /communities/{c}/events/{e}/registrations',
      levels: { ...registrationLevels(http, C, registrationEvent), 'http+key': httpRegistration(http, C, registrationEvent, true) },
    },
    {
      id: 'check-in-out',
      title: 'Check-in + check-out — POST /me/check-ins then POST /me/check-outs (volunteer token)',
      levels: {
        floor: async (worker) => {
          const v = volunteerOf(worker);
          await freeShift(v);
          const now = new Date().toISOString();
          const open: HoursLog = {
            id: ulid(),
            communityId: C,
            volunteerId: v.id,
            volunteerName: v.name,
            team: v.team,
            targetKind: 'slot',
            targetId: slot.id,
            targetEndsAt: slot.endsAt,
            status: 'open',
            checkedInAt: now,
            decisions: [],
            createdAt: now,
            updatedAt: now,
          };
          const refusal = await insertOpenLog(open);
          if (refusal) throw new Error(`floor check-in refused: ${refusal}`);
          const at = new Date().toISOString();
          if (!(await closeLog(open, { ...open, status: 'pending', checkedOutAt: at, minutes: 0, updatedAt: at }))) throw new Error('floor check-out refused');
        },
        service: async (worker) => {
          await freeShift(volunteerOf(worker));
          const authorization = `Bearer ${volunteerOf(worker).token}`;
          const log = await checkIn(await verifyVolunteerToken(authorization, undefined), 'slot', slot.id);
          await requireCommunity(log.communityId);
          const closed = await checkOut(await verifyVolunteerToken(authorization, undefined));
          await requireCommunity(closed.communityId);
        },
        http: async (worker) => {
          await freeShift(volunteerOf(worker));
          const token = volunteerOf(worker).token;
          const opened = await http.call('POST', '/me/check-ins', { token, body: { slotId: slot.id } });
          if (opened.status !== 201) {
            await http.call('POST', '/me/check-outs', { token });
            throw new Error(`check-in: ${opened.status} ${opened.text.slice(0, 200)}`);
          }
          const closed = await http.call('POST', '/me/check-outs', { token });
          if (closed.status !== 200) throw new Error(`check-out: ${closed.status} ${closed.text.slice(0, 200)}`);
        },
      },
    },
    {
      id: 'event-list',
      title: 'Public event list — GET /communities/{c}/events (10 events)',
      levels: {
        floor: async () => {
          const page = await listPublicEvents(C, { fromUtc: new Date().toISOString() }, { limit: 25 });
          if (page.items.length < 10) throw new Error(`floor list: ${page.items.length} events`);
        },
        service: async () => {
          await listEvents(C, { limit: 25 });
        },
        http: async () => {
          const response = await http.call('GET', `/communities/${C}/events`);
          if (response.status !== 200) throw new Error(`list: ${response.status}`);
        },
      },
    },
    {
      id: 'roster',
      title: 'Organiser roster — GET /communities/{c}/events/{e}/registrations (first page of 25, 40 registered)',
      levels: {
        floor: async () => {
          const page = await listRegistrations(C, rosterEvent, { limit: 25 });
          if (page.items.length !== 25) throw new Error(`floor roster: ${page.items.length}`);
        },
        service: async () => {
          await eventRoster(C, rosterEvent, { limit: 25 });
        },
        http: async () => {
          const response = await http.call('GET', `/communities/${C}/events/${rosterEvent}/registrations`, { token: organiser });
          if (response.status !== 200) throw new Error(`roster: ${response.status}`);
        },
      },
    },
  ];
  const results: ScenarioResult[] = [];
  for (const def of scenarios) results.push(await measureScenario(ctx, def));
  return results;
}

export interface GrowthRegistration {
  seeded: { registrations: number; method: string; ms: number };
  events: {
    label: string;
    c: string;
    eventId: string;
    registrations: number;
    http: RunStats;
    floor: RunStats;
    roster: RunStats;
    /** The roster's own query alone (listRegistrations, first page of 25). */
    rosterFloor: RunStats;
  }[];
}

/** Section 4: registration with an event holding 10 and 10,000 registrations. */
export async function measureRegistrationGrowth(
  ctx: Context,
  rawClient: DynamoDBClient,
  tableName: string,
  samples: number,
): Promise<GrowthRegistration> {
  const { http } = ctx;
  const c = 'bench-grow-reg';
  const organiser = await signOrganiserToken(ctx.api.signingKey, c);
  await fx.community(http, c, organiser);
  const small = await fx.event(http, c, organiser, { startsInMinutes: 40 * 24 * 60, capacity: 20_000 });
  const large = await fx.event(http, c, organiser, { startsInMinutes: 41 * 24 * 60, capacity: 20_000 });
  for (const eventId of [small, large]) await fx.inParallel(10, 4, async () => void (await fx.register(http, c, eventId)));

  // The other 9,990 of the large event are written straight into the table (BatchWriteItem), in
  // the shape store/registrations.ts writes them, with the seat counter moved to match.
  const documents = DynamoDBDocumentClient.from(rawClient, { marshallOptions: { removeUndefinedValues: true } });
  const seed = 9_990;
  const started = Date.now();
  const items: Record<string, unknown>[] = [];
  const now = new Date().toISOString();
  for (let i = 0; i < seed; i += 1) {
    const id = ulid();
    const phone = `+86138${String(i).padStart(8, '0')}`;
    items.push({
      ...keys.registration(c, large, id),
      type: 'Registration',
      id,
      communityId: c,
      eventId: large,
      name: `居民${i}`,
      phone,
      partySize: 1,
      building: '5栋',
      status: 'confirmed',
      manageTokenHash: hashToken(newOpaqueToken(MANAGE_TOKEN_PREFIX)),
      createdAt: now,
      updatedAt: now,
      confirmedAt: now,
    });
    items.push({ ...keys.phoneMarker(c, large, phoneHash(phone)), type: 'PhoneMarker', registrationId: id });
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await fx.inParallel(batches.length, 4, async (index) => {
    let pending = batches[index]!.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0 && attempt < 10; attempt += 1) {
      const result = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
    if (pending.length) throw new Error('seeding: unprocessed items left');
  });
  await documents.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.event(c, large),
      UpdateExpression: 'SET confirmedSeats = confirmedSeats + :n',
      ExpressionAttributeValues: { ':n': seed },
    }),
  );
  const seededMs = Date.now() - started;

  const targets = [
    { label: '10 registrations', eventId: small, registrations: 10 },
    { label: '10,000 registrations', eventId: large, registrations: 10 + seed },
  ];
  // Call by call, alternating the two events and the four measurements, so both events meet the
  // same moments of the machine's load.
  type Kind = 'http' | 'floor' | 'roster' | 'rosterFloor';
  const kinds: Record<Kind, (eventId: string) => Promise<void>> = {
    http: (eventId) => httpRegistration(http, c, eventId, false)(0),
    floor: (eventId) => floorRegistration(c, eventId, 20_000)(0),
    roster: async (eventId) => {
      const response = await http.call('GET', `/communities/${c}/events/${eventId}/registrations`, { token: organiser });
      if (response.status !== 200) throw new Error(`roster: ${response.status}`);
    },
    rosterFloor: async (eventId) => {
      const page = await listRegistrations(c, eventId, { limit: 25 });
      if (page.items.length !== 25) throw new Error(`roster floor: ${page.items.length}`);
    },
  };
  const samplesOf = new Map(targets.map((target) => [target.eventId, { http: [] as number[], floor: [] as number[], roster: [] as number[], rosterFloor: [] as number[] }]));
  const errorsOf = new Map(targets.map((target) => [target.eventId, 0]));
  const deadline = performance.now() + (ctx.plan.maxMsPerRound[1] ?? 1_000) * 12;
  for (let i = 0; i < samples + 5 && performance.now() < deadline; i += 1) {
    for (const target of i % 2 === 0 ? targets : [...targets].reverse()) {
      for (const kind of Object.keys(kinds) as Kind[]) {
        const t0 = performance.now();
        try {
          await kinds[kind](target.eventId);
          if (i >= 5) samplesOf.get(target.eventId)![kind].push(performance.now() - t0); // the first 5 are a warm-up
        } catch {
          errorsOf.set(target.eventId, errorsOf.get(target.eventId)! + 1);
        }
      }
    }
  }
  const stats = (latencies: number[], errors: number) => summarise(latencies, errors, latencies.reduce((sum, value) => sum + value, 0));
  return {
    seeded: { registrations: seed, method: 'BatchWriteItem (25 items per request), straight into the table, plus one UpdateItem of the seat counter', ms: seededMs },
    events: targets.map((target) => {
      const entry = samplesOf.get(target.eventId)!;
      return {
        label: target.label,
        c,
        eventId: target.eventId,
        registrations: target.registrations,
        http: stats(entry.http, errorsOf.get(target.eventId)!),
        floor: stats(entry.floor, 0),
        roster: stats(entry.roster, 0),
        rosterFloor: stats(entry.rosterFloor, 0),
      };
    }),
  };
}
