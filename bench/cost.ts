/**
 * Section 5: what a compound of 3,000 households would pay a month, from the measured units and
 * durations and the list prices below. Every volume is an assumption, stated beside it.
 */
export const PRICES = {
  source:
    'us-east-1 list prices as commonly published: Lambda arm64 $0.0000133334 per GB-s and $0.20 per 1M requests; ' +
    'DynamoDB on-demand $1.25 per million write request units and $0.25 per million read request units; ' +
    'API Gateway HTTP API $1.00 per million requests; SNS SMS varies by country',
  readOn: 'not read from AWS during this run (no web access); stated as commonly published — to be re-checked before use',
  lambdaGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1_000_000,
  dynamoWriteUnit: 1.25 / 1_000_000,
  dynamoReadUnit: 0.25 / 1_000_000,
  httpApiPerRequest: 1.0 / 1_000_000,
} as const;

/** lib/constructs/linli-function.ts: FUNCTION_MEMORY_MB. */
export const MEMORY_GB = 512 / 1024;
/**
 * Lambda gives a function CPU in proportion to its memory (1,769 MB ≈ one vCPU), so 512 MB has
 * ≈ 0.29 of one; CPU-bound work such as module loading is taken to run 3.5× slower there than on
 * one core of this machine. A rough factor, used only for the (small) cold-start line.
 */
export const CPU_FACTOR_512MB = 3.5;

export type FunctionName = 'public' | 'volunteer' | 'organiser' | 'jobs';

export interface Volume {
  call: string;
  label: string;
  fn: FunctionName;
  perMonth: number;
  why: string;
}

const TARGETS_PER_MONTH = 4 + 30; // festivals + help-desk evenings
const BUSY_REMINDER_RUNS = TARGETS_PER_MONTH * 2; // the 1-day and the 1-hour reminders of each target

export const HOUSEHOLDS = 3000;

export const VOLUMES: readonly Volume[] = [
  { call: 'event-list', label: 'public event list', fn: 'public', perMonth: 20_000, why: 'a third of the 3,000 households open the events page ~20 times a month' },
  { call: 'registration+idempotency', label: 'registration (web form, with Idempotency-Key)', fn: 'public', perMonth: 1_500, why: '4 festivals a month, ~375 households (1 in 8) signing up for each' },
  { call: 'cancellation+promotion', label: 'cancellation with promotion', fn: 'public', perMonth: 150, why: '1 sign-up in 10 is cancelled, each freeing a seat for a waiting household' },
  { call: 'help-desk-booking', label: 'help-desk booking', fn: 'public', perMonth: 240, why: '30 evenings × 8 bookings (the default request capacity)' },
  { call: 'volunteer-me', label: "volunteer's own pages (GET /me)", fn: 'volunteer', perMonth: 3_600, why: '60 volunteers (six teams of 10) × 60 page views' },
  { call: 'shift', label: 'take a shift', fn: 'volunteer', perMonth: 140, why: '30 evenings × 2 volunteers + 4 festivals × 20' },
  { call: 'check-in', label: 'check-in', fn: 'volunteer', perMonth: 140, why: 'one per shift' },
  { call: 'check-out', label: 'check-out', fn: 'volunteer', perMonth: 140, why: 'one per shift' },
  { call: 'redemption', label: 'redemption', fn: 'volunteer', perMonth: 60, why: 'one volunteer in two redeems once a month' },
  { call: 'approval', label: 'approval', fn: 'organiser', perMonth: 140, why: 'one per shift' },
  { call: 'roster', label: "organisers' pages (priced as the roster read)", fn: 'organiser', perMonth: 2_000, why: 'a few organisers, ~70 page views a day between them' },
  { call: 'reminder-run', label: 'reminder runs that find work', fn: 'jobs', perMonth: BUSY_REMINDER_RUNS, why: `${TARGETS_PER_MONTH} targets × 2 offsets (1 day, 1 hour), each priced as the measured run with one event's plans due` },
  { call: 'reminder-run-idle', label: 'reminder runs with nothing due', fn: 'jobs', perMonth: 8_640 - BUSY_REMINDER_RUNS, why: 'every 5 minutes = 8,640 runs a month, less those above' },
  { call: 'housekeeping-idle', label: 'housekeeping runs', fn: 'jobs', perMonth: 720, why: 'hourly; priced as the measured run with nothing to close or erase, which still read the idempotency records this bench had left (see the discussion)' },
];

/** Messages a month that would go out by SMS (to volunteers and residents; organisers may use e-mail). */
export const SMS_PER_MONTH = {
  count: 150 + (30 * 2 + 4 * 20) + TARGETS_PER_MONTH * 2,
  why: '150 promotion notices + 140 shift reminders (one per shift) + 68 organiser digests, if organisers take them by SMS',
};

/** The share of invocations that start a new execution environment (assumption). */
export const COLD_FRACTION: Record<FunctionName, number> = { public: 0.25, volunteer: 0.5, organiser: 0.5, jobs: 1 / 12 };

export interface CallCostInput {
  rru: number;
  wru: number;
  /** Billed duration of a warm invocation, ms. */
  durationMs: number;
  durationSource: string;
}

export interface CostLine {
  call: string;
  label: string;
  fn: FunctionName;
  perMonth: number;
  why: string;
  rru: number;
  wru: number;
  durationMs: number;
  durationSource: string;
  dynamoUsd: number;
  lambdaUsd: number;
  apiUsd: number;
}

export interface CostModel {
  prices: typeof PRICES;
  households: number;
  memoryGb: number;
  lines: CostLine[];
  coldStarts: { fn: FunctionName; fraction: number; invocations: number; initMsLocal: number; initMsLambda: number; usd: number }[];
  sms: typeof SMS_PER_MONTH;
  totals: { requests: number; apiRequests: number; rru: number; wru: number; dynamoUsd: number; lambdaUsd: number; apiUsd: number; coldStartUsd: number; totalUsd: number };
  missing: string[];
}

export function costModel(calls: Readonly<Record<string, CallCostInput>>, initMsLocal: Readonly<Record<FunctionName, number>>): CostModel {
  const lines: CostLine[] = [];
  const missing: string[] = [];
  for (const volume of VOLUMES) {
    const input = calls[volume.call];
    if (!input) {
      missing.push(volume.call);
      continue;
    }
    const dynamoUsd = volume.perMonth * (input.rru * PRICES.dynamoReadUnit + input.wru * PRICES.dynamoWriteUnit);
    const lambdaUsd = volume.perMonth * (PRICES.lambdaPerRequest + (Math.ceil(input.durationMs) / 1000) * MEMORY_GB * PRICES.lambdaGbSecond);
    const apiUsd = volume.fn === 'jobs' ? 0 : volume.perMonth * PRICES.httpApiPerRequest;
    lines.push({ ...volume, rru: input.rru, wru: input.wru, durationMs: input.durationMs, durationSource: input.durationSource, dynamoUsd, lambdaUsd, apiUsd });
  }
  const invocationsBy = (fn: FunctionName) => lines.filter((line) => line.fn === fn).reduce((sum, line) => sum + line.perMonth, 0);
  const coldStarts = (Object.keys(COLD_FRACTION) as FunctionName[]).map((fn) => {
    const invocations = invocationsBy(fn) * COLD_FRACTION[fn];
    const initMsLambda = (initMsLocal[fn] ?? 0) * CPU_FACTOR_512MB;
    return { fn, fraction: COLD_FRACTION[fn], invocations, initMsLocal: initMsLocal[fn] ?? NaN, initMsLambda, usd: invocations * (initMsLambda / 1000) * MEMORY_GB * PRICES.lambdaGbSecond };
  });
  const sum = (pick: (line: CostLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  const coldStartUsd = coldStarts.reduce((total, entry) => total + entry.usd, 0);
  const totals = {
    requests: sum((line) => line.perMonth),
    apiRequests: sum((line) => (line.fn === 'jobs' ? 0 : line.perMonth)),
    rru: sum((line) => line.perMonth * line.rru),
    wru: sum((line) => line.perMonth * line.wru),
    dynamoUsd: sum((line) => line.dynamoUsd),
    lambdaUsd: sum((line) => line.lambdaUsd),
    apiUsd: sum((line) => line.apiUsd),
    coldStartUsd,
    totalUsd: sum((line) => line.dynamoUsd + line.lambdaUsd + line.apiUsd) + coldStartUsd,
  };
  return { prices: PRICES, households: HOUSEHOLDS, memoryGb: MEMORY_GB, lines, coldStarts, sms: SMS_PER_MONTH, totals, missing };
}
