/**
 * Section 7, "City scale" (issue 14, item 4): (a) the reminder job against 1,000 communities whose
 * reminders fall due in the same minute, run after run with a Lambda-shaped time budget until
 * nothing is due, and what that projects to on AWS; (b) a festival's flash crowd through the real
 * API under `DYNAMODB_CONTENTION=aws` (local/contention.ts). (c), the city's monthly bill, is
 * `cityCostModel` in cost.ts, fed by (a).
 */
import { DateTime } from 'luxon';
import { decodeTime } from 'ulid';
import { cpuUsage } from 'node:process';
import { performance } from 'node:perf_hooks';
import type { DeliveryAdapter, Envelope } from '../functions/delivery/adapter';
import { useDeliveryAdapter } from '../functions/delivery';
import { DRAIN_CONCURRENCY, STOP_MARGIN_MS, type JobBudget } from '../functions/services/drain';
import { runReminders, type ReminderRunSummary } from '../functions/services/reminders';
import { dueBacklog, FAN_OUT_AT, FAN_OUT_COPIES } from '../functions/jobs';
import { AWS_FIGURES, type ContentionStats } from '../local/contention';
import { signOrganiserToken, type LocalSigningKey } from '../local/jwt';
import { cpuFactorOf } from './cost';
import { awsUnits, type Calibration, type CapacityRecorder, type OpRecord } from './lib/capacity';
import * as fx from './lib/fixtures';
import { HttpClient, type HttpResult } from './lib/http';
import { percentile } from './lib/load';

/** lib/constructs/jobs.ts JOB_TIMEOUT. */
export const JOB_TIMEOUT_MS = 60_000;
/**
 * One hand-over to SES or the SMS provider from Lambda: an assumption (an HTTPS API call in the
 * region), not measured — the bench delivers to a recording adapter that answers at once.
 */
export const PROVIDER_CALL_MS = 100;
/** Local time at which every community's evening slot and festival start (Asia/Shanghai). */
const START_LOCAL = '19:30';
const ZONE = 'Asia/Shanghai';

export interface CityRun {
  run: number;
  /** Wall time of the run in this process, and the CPU time this process spent on it. */
  ms: number;
  cpuMs: number;
  summary: ReminderRunSummary;
  /**
   * Notifications written in the run (PutItem NOTIFICATION requests that succeeded). The run's own
   * `notificationsRecorded` is shown beside it where the two differ (they did while it was summed
   * with `+= await` from 16 items at once, which lost updates; fixed in functions/services/reminders.ts).
   */
  notificationsWritten: number;
  requests: number;
  /** Queue queries (pages read) among them. */
  queueQueries: number;
  byCommand: Record<string, number>;
  /** Mean time a DynamoDB request took locally (from send to answer), with 16 items in flight. */
  meanRequestMs: number;
  rru: number;
  wru: number;
  /** Requests the recorder saw fail (conditional checks that lost, conflicts). */
  failedRequests: number;
  /**
   * Copies the run was split into (functions/jobs/index.ts: FAN_OUT_COPIES from FAN_OUT_AT due
   * items on; 1: a whole run). Here they run one after another, each measured on its own; on AWS
   * they are invocations of their own, side by side, so the run's projection is its slowest copy's.
   */
  copies: number;
  /** Each copy's projected time on AWS, ms. */
  copyMs: number[];
  projection: RunProjection;
}

/** The copies of one run as one: counts added up, complete when every copy was, the oldest due as the first copy saw it. */
function mergeSummaries(summaries: readonly ReminderRunSummary[]): ReminderRunSummary {
  const [first, ...rest] = summaries;
  return rest.reduce(
    (total, next) => ({
      remindersDue: total.remindersDue + next.remindersDue,
      remindersClaimed: total.remindersClaimed + next.remindersClaimed,
      notificationsRecorded: total.notificationsRecorded + next.notificationsRecorded,
      delivered: total.delivered + next.delivered,
      retrying: total.retrying + next.retrying,
      failed: total.failed + next.failed,
      queueReadUnits: total.queueReadUnits + next.queueReadUnits,
      complete: total.complete && next.complete,
      oldestDueAgeSeconds: total.oldestDueAgeSeconds,
    }),
    first!,
  );
}

/** A run's work priced at AWS's latencies (see projectRun). */
export interface RunProjection {
  dynamoMs: number;
  providerMs: number;
  cpuMs: number;
  /** max(dynamo + provider, cpu): the I/O of 16 items in flight overlaps one item's computing. */
  ms: number;
  /** dynamo + provider + cpu, as if nothing overlapped (an upper bound). */
  serialMs: number;
}

export interface CityResult {
  communities: number;
  setup: { ms: number; calls: number; retries: number; concurrency: number; perCommunity: string };
  targetsStartAt: string;
  dueAt: string;
  offsets: number[];
  /** What a run at the real time handled before the measured runs (set-up leftovers; expected nothing). */
  preDrain: { remindersClaimed: number; delivered: number };
  runs: CityRun[];
  expected: { plans: number; notifications: number; deliveries: number };
  delivered: { total: number; byKind: Record<string, number>; byChannel: Record<string, number>; communitiesMissing: number; duplicates: number };
  /** Remaining plans or deliveries due after the last run (should be 0). */
  leftAfter: { remindersClaimed: number; delivered: number };
  assumptions: { awsRequestMs: number; providerCallMs: number; cpuFactor: number; parallelism: number; stopMarginMs: number; timeoutMs: number };
  aws: { workMs: number; runs: number; worstDelaySeconds: number; typicalDelaySeconds: number; note: string };
  totals: { ms: number; cpuMs: number; requests: number; rru: number; wru: number };
}

export interface CityCtx {
  http: HttpClient;
  signingKey: LocalSigningKey;
  recorder: CapacityRecorder;
  calibration: Calibration;
  log: (line: string) => void;
}

/** Runs `task(i)` for i in 0…count−1, at most `concurrency` at once. */
const inParallel = fx.inParallel;

/**
 * The measured run's work priced at AWS's figures: every DynamoDB request of an item waits for the
 * one before it (the job's code awaits each: read from services/reminders.ts and deliveries.ts),
 * items run DRAIN_CONCURRENCY at a time, the queue queries one after another; each hand-over to a
 * provider takes PROVIDER_CALL_MS; the CPU this process spent, × the jobs function's CPU factor (its memory's share of a vCPU).
 */
export function projectRun(requests: number, queueQueries: number, handovers: number, cpuMs: number): RunProjection {
  const perRequest = AWS_FIGURES.singleWriteMs;
  const dynamoMs = queueQueries * perRequest + ((requests - queueQueries) * perRequest) / DRAIN_CONCURRENCY;
  const providerMs = (handovers * PROVIDER_CALL_MS) / DRAIN_CONCURRENCY;
  const lambdaCpuMs = cpuMs * cpuFactorOf('jobs');
  return { dynamoMs, providerMs, cpuMs: lambdaCpuMs, ms: Math.max(dynamoMs + providerMs, lambdaCpuMs), serialMs: dynamoMs + providerMs + lambdaCpuMs };
}

function unitsOf(ops: readonly OpRecord[], calibration: Calibration): { rru: number; wru: number } {
  let rru = 0;
  let wru = 0;
  for (const op of ops) {
    const aws = awsUnits(op, calibration);
    rru += aws.rru;
    wru += aws.wru;
  }
  return { rru, wru };
}

/** A JobBudget exactly as functions/entry/jobs.ts builds it, from a Lambda context of JOB_TIMEOUT_MS. */
function lambdaBudget(): JobBudget {
  const deadline = performance.now() + JOB_TIMEOUT_MS;
  const context = { getRemainingTimeInMillis: () => Math.max(0, deadline - performance.now()) };
  return { timeLeftMs: () => context.getRemainingTimeInMillis() };
}

/**
 * (a) `communities` communities, each with one evening slot (2 volunteers on shift) and one
 * published festival, all starting at START_LOCAL on the same day; each community reminds its
 * organisers 1 hour before (one offset), and volunteers are reminded 1 hour before their shift.
 * So at T − 60 min, per community: 4 plans (the event's and the slot's organisers' digests, the
 * event's and the slot's volunteers), 4 notifications (2 digests, 2 shift reminders), 4 deliveries
 * (2 e-mails to the organisers' one contact, 2 SMS).
 */
export async function measureCityReminders(ctx: CityCtx, communities: number, maxRuns: number): Promise<CityResult> {
  const { http, log } = ctx;
  const start = DateTime.now().setZone(ZONE).plus({ days: 3 }).startOf('day').set({ hour: Number(START_LOCAL.slice(0, 2)), minute: Number(START_LOCAL.slice(3)) });
  const offsets = [60];
  const setupConcurrency = 16;
  let calls = 0;
  let setupRetries = 0;
  // Set-up calls on a busy machine may meet a 503 (DynamoDB Local slow to answer): each POST carries
  // an Idempotency-Key, so sending it again is safe, as the residents' form does.
  const call = async (status: number, method: string, path: string, options: Parameters<HttpClient['expect']>[3], key?: string) => {
    const headers = key ? { 'idempotency-key': key } : undefined;
    for (let attempt = 0; ; attempt += 1) {
      calls += 1;
      const result = await http.call(method, path, { ...options, headers });
      if (result.status === status) return result.body;
      if (result.status !== 503 || attempt >= 8) throw new Error(`${method} ${path}: expected ${status}, got ${result.status} ${result.text.slice(0, 300)}`);
      setupRetries += 1;
      await new Promise((resolve) => setTimeout(resolve, 250 + Math.random() * 500));
    }
  };
  const ids = Array.from({ length: communities }, (_, i) => `city-${String(i).padStart(4, '0')}`);
  const t0 = performance.now();
  await inParallel(communities, setupConcurrency, async (i) => {
    const c = ids[i]!;
    const token = await signOrganiserToken(ctx.signingKey, c);
    await call(200, 'PUT', `/communities/${c}/settings`, {
      token,
      body: { name: `邻里中心 ${i}`, organiserContacts: [`desk-${i}@example.org`], reminderOffsetsMinutes: offsets },
    });
    const [slot, , ...volunteers] = await Promise.all([
      call(201, 'POST', `/communities/${c}/slots/series`, {
        token,
        body: { from: start.toISODate(), to: start.toISODate(), startTime: START_LOCAL, durationMinutes: 150, volunteerCapacity: 2, requestCapacity: 8 },
      }, `${c}-slots`),
      call(201, 'POST', `/communities/${c}/events`, {
        token,
        body: {
          title: '邻里节',
          venue: '社区广场',
          startsAt: start.toISO(),
          endsAt: start.plus({ hours: 3 }).toISO(),
          capacity: 200,
          volunteerCapacity: 10,
          status: 'published',
        },
      }, `${c}-event`),
      call(201, 'POST', `/communities/${c}/volunteers`, { token, body: { name: '陈师傅', phone: fx.nextPhone(), team: 'convenience' } }, `${c}-v1`),
      call(201, 'POST', `/communities/${c}/volunteers`, { token, body: { name: '李阿姨', phone: fx.nextPhone(), team: 'convenience' } }, `${c}-v2`),
    ]);
    const slotId = slot.slots?.[0]?.id as string | undefined;
    if (!slotId) throw new Error(`no slot created for ${c}`);
    await Promise.all(volunteers.map((v, n) => call(201, 'POST', `/communities/${c}/slots/${slotId}/shifts`, { token: v.token as string }, `${c}-shift-${n}`)));
  });
  const setupMs = performance.now() - t0;
  log(`  set up ${communities} communities (${calls} API calls, ${setupRetries} of them repeats after a 503, ${setupConcurrency} communities at a time) in ${(setupMs / 1000).toFixed(1)} s`);

  // Every envelope handed over, recorded and discarded.
  const sent: Envelope[] = [];
  const recording: DeliveryAdapter = { name: 'bench-city-recording', deliver: async (envelope) => void sent.push(envelope) };
  useDeliveryAdapter(recording);
  try {
    // Anything due now from the set-up (nothing is expected) goes first, not counted.
    const pre = await runReminders(new Date());
    sent.length = 0;

    const dueAt = start.minus({ minutes: offsets[0]! });
    // The run starts 30 s into the due minute (EventBridge's rate(1 minute) is not aligned to it).
    const now = dueAt.plus({ seconds: 30 }).toJSDate();
    const runs: CityRun[] = [];
    for (let run = 1; run <= maxRuns; run += 1) {
      // As the scheduled run does (functions/jobs/index.ts): a minute with enough due splits into copies.
      let copies = 1;
      const parts: { summary: ReminderRunSummary; ops: OpRecord[]; ms: number; cpuMs: number }[] = [];
      for (let copy = 0; copy < copies; copy += 1) {
        const cpu0 = cpuUsage();
        const { result: summary, ops, ms } = await ctx.recorder.measure(async () => {
          if (copy === 0 && (await dueBacklog(now, FAN_OUT_AT)) >= FAN_OUT_AT) copies = FAN_OUT_COPIES;
          return runReminders(now, lambdaBudget(), copies > 1 ? { index: copy, of: copies } : undefined);
        });
        const cpu = cpuUsage(cpu0);
        parts.push({ summary, ops, ms, cpuMs: (cpu.user + cpu.system) / 1000 });
      }
      const summary = mergeSummaries(parts.map((part) => part.summary));
      const ops = parts.flatMap((part) => part.ops);
      const ms = parts.reduce((total, part) => total + part.ms, 0);
      const cpuMs = parts.reduce((total, part) => total + part.cpuMs, 0);
      const isQueueQuery = (op: OpRecord) => op.command === 'Query' && /REMINDERS#DUE|NOTIFY#DUE/.test(op.target);
      const copyProjections = parts.map((part) =>
        projectRun(part.ops.length, part.ops.filter(isQueueQuery).length, part.summary.delivered + part.summary.retrying + part.summary.failed, part.cpuMs),
      );
      const byCommand: Record<string, number> = {};
      for (const op of ops) byCommand[op.command] = (byCommand[op.command] ?? 0) + 1;
      const queueQueries = ops.filter(isQueueQuery).length;
      const units = unitsOf(ops, ctx.calibration);
      const handovers = summary.delivered + summary.retrying + summary.failed;
      const entry: CityRun = {
        run,
        ms,
        cpuMs,
        summary,
        notificationsWritten: ops.filter((op) => op.command === 'PutItem' && op.target === 'NOTIFICATION' && !op.failed).length,
        requests: ops.length,
        queueQueries,
        byCommand,
        meanRequestMs: ops.length ? ops.reduce((total, op) => total + (op.endMs - op.startMs), 0) / ops.length : 0,
        rru: units.rru,
        wru: units.wru,
        failedRequests: ops.filter((op) => op.failed).length,
        copies,
        copyMs: copyProjections.map((projection) => projection.ms),
        // Side by side on AWS: the run lasts as long as its slowest copy.
        projection: copyProjections.reduce((slowest, projection) => (projection.ms > slowest.ms ? projection : slowest)),
      };
      runs.push(entry);
      log(
        `  run ${run}${copies > 1 ? ` (${copies} copies)` : ''}: ${(ms / 1000).toFixed(1)} s, ${summary.remindersClaimed} plans, ${entry.notificationsWritten} notifications, ${summary.delivered} delivered, ` +
          `${ops.length} requests, ${units.rru} RRU / ${units.wru} WRU, complete ${summary.complete}; projected on AWS ${(entry.projection.ms / 1000).toFixed(1)} s`,
      );
      // Until a run finds nothing to do (a complete run is followed by one more, which shows that).
      if (summary.complete && summary.remindersClaimed === 0 && handovers === 0) break;
    }
    // The last run found nothing; if the loop ended on maxRuns, say what is left.
    const last = runs[runs.length - 1]!;
    const leftAfter =
      last.summary.remindersClaimed === 0 && last.summary.delivered === 0 ? { remindersClaimed: 0, delivered: 0 } : await (async () => {
        const after = await runReminders(now);
        return { remindersClaimed: after.remindersClaimed, delivered: after.delivered };
      })();

    const byKind: Record<string, number> = {};
    const byChannel: Record<string, number> = {};
    const perCommunity = new Map<string, number>();
    const seen = new Set<string>();
    let duplicates = 0;
    for (const envelope of sent) {
      byKind[envelope.kind] = (byKind[envelope.kind] ?? 0) + 1;
      byChannel[envelope.channel] = (byChannel[envelope.channel] ?? 0) + 1;
      perCommunity.set(envelope.communityId, (perCommunity.get(envelope.communityId) ?? 0) + 1);
      const key = `${envelope.notificationId}|${envelope.address}`;
      if (seen.has(key)) duplicates += 1;
      seen.add(key);
    }
    const communitiesMissing = ids.filter((c) => (perCommunity.get(c) ?? 0) !== 4).length;

    // AWS: the work of all local runs, priced at AWS's figures, in runs of at most
    // (timeout − stop margin) of page-starting time, one a minute.
    const workMs = runs.reduce((total, run) => total + run.projection.ms, 0);
    const window = JOB_TIMEOUT_MS - STOP_MARGIN_MS;
    const awsRuns = Math.max(1, Math.ceil(workMs / window));
    const lastRunMs = workMs - (awsRuns - 1) * window;
    // Due at hh:mm:00; the schedule fires once a minute at a second of its own: up to 60 s until a
    // run starts (30 s on average), then the runs before the last take a minute each.
    const worstDelaySeconds = 60 + (awsRuns - 1) * 60 + lastRunMs / 1000;
    const typicalDelaySeconds = 30 + (awsRuns - 1) * 60 + lastRunMs / 2000;
    const totals = {
      ms: runs.reduce((total, run) => total + run.ms, 0),
      cpuMs: runs.reduce((total, run) => total + run.cpuMs, 0),
      requests: runs.reduce((total, run) => total + run.requests, 0),
      rru: runs.reduce((total, run) => total + run.rru, 0),
      wru: runs.reduce((total, run) => total + run.wru, 0),
    };
    return {
      communities,
      setup: { ms: setupMs, calls, retries: setupRetries, concurrency: setupConcurrency, perCommunity: 'PUT settings → POST slots/series, POST events, 2 × POST volunteers (at once) → 2 × POST shifts (at once)' },
      targetsStartAt: start.toISO()!,
      dueAt: dueAt.toISO()!,
      offsets,
      preDrain: { remindersClaimed: pre.remindersClaimed, delivered: pre.delivered },
      runs,
      expected: { plans: communities * 4, notifications: communities * 4, deliveries: communities * 4 },
      delivered: { total: sent.length, byKind, byChannel, communitiesMissing, duplicates },
      leftAfter,
      assumptions: {
        awsRequestMs: AWS_FIGURES.singleWriteMs,
        providerCallMs: PROVIDER_CALL_MS,
        cpuFactor: cpuFactorOf('jobs'),
        parallelism: DRAIN_CONCURRENCY,
        stopMarginMs: STOP_MARGIN_MS,
        timeoutMs: JOB_TIMEOUT_MS,
      },
      aws: {
        workMs,
        runs: awsRuns,
        worstDelaySeconds,
        typicalDelaySeconds,
        note: awsRuns === 1 ? 'one run' : `${awsRuns} runs a minute apart`,
      },
      totals,
    };
  } finally {
    useDeliveryAdapter({ name: 'bench-discard', deliver: async () => undefined });
  }
}

/** What the API child reports for the contention layer. */
export interface ContentionSource {
  url: string;
  signingKey: LocalSigningKey;
  contention(): Promise<ContentionStats | undefined>;
}

export type SignUpPath = 'direct' | 'queue';

export interface FlashCrowdResult {
  label: string;
  /** `direct`: each sign-up its own transaction on the counter; `queue`: arrivals placed in batches (services/admission.ts). */
  path: SignUpPath;
  signUps: number;
  seats: number;
  /** Over how long the sign-ups were sent (0: all at once, in one tick). */
  spreadMs: number;
  /** Whether the client retried 503 and short 429 answers as the residents' form does. */
  formRetries: boolean;
  elapsedMs: number;
  /** Latency of the first answer to each sign-up, and until its last answer (after the form's retries). */
  firstAnswer: { p50: number; p99: number; max: number };
  untilPlaced: { p50: number; p99: number; max: number };
  /** Every answer by status, retries included. */
  answers: Record<string, number>;
  /** 5xx answers (every attempt), and sign-ups whose last answer was not 201. */
  fiveXx: number;
  notPlaced: number;
  /** Requests that got no answer in the client's 15 s. */
  noAnswer: number;
  confirmed: number;
  waitlisted: number;
  contention: ContentionStats;
  conflictsPerSignUp: number;
  /** Share of waitlisted sign-ups whose position is not their rank by arrival among the waitlisted. */
  waitlistOutOfOrder: number;
  /** Share of pairs of waitlisted sign-ups placed in the opposite order to their arrival (Kendall). */
  waitlistInversions: number;
  /** Confirmed seats that went to a sign-up not among the first `seats` sent. */
  seatsOutOfOrder: number;
  /**
   * Seats judged by arrival as the API stamped it (the registration's id is a ULID of API
   * Gateway's receipt time, locally the connection's acceptance): what the path itself does with
   * the order it was given, apart from the order the harness delivered the requests in. (The
   * waitlist needs no such figure: a position is the count of waitlisted ids before it, so the
   * waitlist is in stamp order by construction on both paths, and its pairs out of send order are
   * the stamps'.)
   */
  byStamp: { seatsOutOfOrder: number };
  /** Pairs of sign-ups the API stamped in the opposite order to the one they were sent in, and how late the stamps were. */
  stamping: { inversions: number; lagMs: { p50: number; p99: number; max: number } };
  /** Counters vs roster: the event's confirmed seats, waitlist length, and the roster's counts. */
  consistent: boolean;
  counters: { seatsTaken: number; waitlistLength: number; rosterConfirmed: number; rosterWaitlisted: number };
}

const RETRIES = 4; // web/js/api.js
const MAX_RETRY_AFTER_S = 10;

/** As web/js/api.js retryDelay: how long the form waits before sending the same request again, or undefined. */
function formRetryDelay(result: HttpResult, attempt: number): number | undefined {
  if (result.status !== 503 && result.status !== 429) return undefined;
  const after = Number(result.headers['retry-after']);
  const seconds = Number.isFinite(after) && after > 0 ? after : 1;
  if (result.status === 429 && seconds > MAX_RETRY_AFTER_S) return undefined;
  return Math.min(seconds * 1000, 5000) + Math.random() * 250 * (attempt + 1);
}

/** Share of pairs out of ascending order in `values` (0: sorted; Kendall's distance over the pairs). */
function inversionShare(values: readonly number[]): number {
  let inversions = 0;
  for (let a = 0; a < values.length; a += 1) for (let b = a + 1; b < values.length; b += 1) if (values[a]! > values[b]!) inversions += 1;
  const pairs = (values.length * (values.length - 1)) / 2;
  return pairs ? inversions / pairs : 0;
}

const stat = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
};

/**
 * (b) `signUps` residents sign up for one event of `seats` seats, through the API in its own
 * process with the contention layer on, each with its own Idempotency-Key and phone as the form
 * sends them; sent in order (arrival = the order sent), all in one tick or spread evenly over
 * `spreadMs`; 503 and short 429 answers retried as web/js/api.js does.
 */
export async function measureFlashCrowd(
  api: ContentionSource,
  options: { label: string; community: string; signUps: number; seats: number; spreadMs: number; formRetries: boolean; path: SignUpPath },
): Promise<FlashCrowdResult> {
  const { community: c, signUps, seats, spreadMs } = options;
  // A browser's fetch waits minutes for an answer; 60 s here (the API answers 503 within 10 s).
  const http = new HttpClient(api.url, signUps + 16, 60_000);
  try {
    const token = await signOrganiserToken(api.signingKey, c);
    await http.expect(200, 'PUT', `/communities/${c}/settings`, { token, body: { name: `抢报名 ${c}`, organiserContacts: ['desk@example.org'] } });
    const starts = DateTime.now().plus({ days: 20 }).startOf('hour');
    const created = await http.expect(201, 'POST', `/communities/${c}/events`, {
      token,
      body: { title: '邻里节', venue: '社区广场', startsAt: starts.toISO(), endsAt: starts.plus({ hours: 3 }).toISO(), capacity: seats, status: 'published' },
    });
    const eventId = created.event.id as string;
    const path = `/communities/${c}/events/${eventId}/registrations`;
    const before = (await api.contention()) ?? { cancelled: 0, refused: 0, passed: 0 };
    const answers: Record<string, number> = {};
    const first: number[] = [];
    const placed: number[] = [];
    const outcome: { id?: string; status?: string; final: number }[] = [];
    // When each sign-up was first sent, on the wall clock the API stamps with (same machine).
    const sentEpoch: number[] = [];
    let noAnswer = 0;
    const t0 = performance.now();
    const one = async (i: number) => {
      const wait = spreadMs > 0 ? t0 + (i * spreadMs) / signUps - performance.now() : 0;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const sentAt = performance.now();
      sentEpoch[i] = performance.timeOrigin + sentAt;
      const body = { name: `居民${i}`, phone: fx.nextPhone(), partySize: 1 };
      const headers = { 'idempotency-key': `${c}-${i}` };
      for (let attempt = 0; ; attempt += 1) {
        let result: HttpResult;
        try {
          result = await http.call('POST', path, { body, headers });
        } catch {
          noAnswer += 1;
          if (attempt === 0) first.push(performance.now() - sentAt);
          if (options.formRetries && attempt < RETRIES) {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 500 * 2 ** attempt));
            continue;
          }
          outcome[i] = { final: 0 };
          return;
        }
        answers[result.status] = (answers[result.status] ?? 0) + 1;
        if (attempt === 0) first.push(performance.now() - sentAt);
        const delay = options.formRetries && attempt < RETRIES ? formRetryDelay(result, attempt) : undefined;
        if (delay !== undefined) {
          await new Promise((resolve) => setTimeout(resolve, delay));
          continue;
        }
        placed.push(performance.now() - sentAt);
        outcome[i] = { id: result.body?.registration?.id, status: result.body?.registration?.status, final: result.status };
        return;
      }
    };
    await Promise.all(Array.from({ length: signUps }, (_, i) => one(i)));
    const elapsedMs = performance.now() - t0;
    const after = (await api.contention()) ?? before;
    const contention = { cancelled: after.cancelled - before.cancelled, refused: after.refused - before.refused, passed: after.passed - before.passed };

    // The roster, every page, for the waitlist positions.
    const roster: { id: string; status: string; waitlistPosition?: number }[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await http.expect(200, 'GET', `${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
      roster.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const event = await http.expect(200, 'GET', `/communities/${c}/events/${eventId}`, {});
    const arrival = new Map<string, number>();
    outcome.forEach((entry, i) => entry?.id && arrival.set(entry.id, i));
    const waitlisted = roster
      .filter((r) => r.status === 'waitlisted' && arrival.has(r.id))
      .map((r) => ({ arrival: arrival.get(r.id)!, position: r.waitlistPosition ?? NaN }))
      .sort((a, b) => a.arrival - b.arrival);
    const outOfOrder = waitlisted.filter((entry, rank) => entry.position !== rank + 1).length;
    const confirmedIds = roster.filter((r) => r.status === 'confirmed').map((r) => r.id);
    const seatsOutOfOrder = confirmedIds.filter((id) => (arrival.get(id) ?? Infinity) >= seats).length;
    // By stamp: rank every placed sign-up by its id (ULID: receipt time, then random).
    const stamped = outcome.map((entry, i) => ({ i, id: entry?.id })).filter((entry): entry is { i: number; id: string } => Boolean(entry.id));
    const stampRank = new Map([...stamped].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((entry, rank) => [entry.id, rank]));
    const stampLag = stamped.map((entry) => decodeTime(entry.id) - sentEpoch[entry.i]!);
    const byStamp = { seatsOutOfOrder: confirmedIds.filter((id) => (stampRank.get(id) ?? Infinity) >= seats).length };
    const stamping = { inversions: inversionShare(stamped.map((entry) => stampRank.get(entry.id)!)), lagMs: stat(stampLag) };
    const counters = {
      seatsTaken: seats - Number(event.seatsLeft ?? NaN),
      waitlistLength: Number(event.waitlistLength ?? NaN),
      rosterConfirmed: confirmedIds.length,
      rosterWaitlisted: roster.filter((r) => r.status === 'waitlisted').length,
    };
    const fiveXx = Object.entries(answers).filter(([status]) => status.startsWith('5')).reduce((sum, [, count]) => sum + count, 0);
    return {
      label: options.label,
      path: options.path,
      signUps,
      seats,
      spreadMs,
      formRetries: options.formRetries,
      elapsedMs,
      firstAnswer: stat(first),
      untilPlaced: stat(placed),
      answers,
      fiveXx,
      notPlaced: outcome.filter((entry) => !entry || entry.final !== 201).length,
      noAnswer,
      confirmed: outcome.filter((entry) => entry?.status === 'confirmed').length,
      waitlisted: outcome.filter((entry) => entry?.status === 'waitlisted').length,
      contention,
      conflictsPerSignUp: (contention.cancelled + contention.refused) / signUps,
      waitlistOutOfOrder: waitlisted.length ? outOfOrder / waitlisted.length : 0,
      waitlistInversions: inversionShare(waitlisted.map((entry) => entry.position)),
      seatsOutOfOrder,
      byStamp,
      stamping,
      consistent: counters.seatsTaken === counters.rosterConfirmed && counters.waitlistLength === counters.rosterWaitlisted,
      counters,
    };
  } finally {
    http.close();
  }
}
