/**
 * Section 5: what the reference community would pay AWS a month, from the units and
 * durations this run measured and the list prices below (each with where it was read). Every
 * volume is an assumption derived from the reference figures, stated beside it.
 */

import type { CityResult } from './city';
import { JOBS_MEMORY_MB } from '../lib/constructs/jobs';
import { FUNCTION_MEMORY_MB } from '../lib/constructs/linli-function';

export interface CitedPrice {
  what: string;
  /** As the source states it. */
  figure: string;
  url: string;
  /** The words on the page that give the figure. */
  quote: string;
  /** The page's own date, or when the cited copy says it was checked. */
  dated: string;
}

/**
 * Sources. There is no web access from this machine: the pages were read from a stored copy of
 * the public web on 2026-11-26. AWS's own pricing pages render their rate tables in the browser,
 * so where the stored AWS page has no figure the rate comes from a secondary page that quotes it,
 * marked as such — re-check those on the live pages before relying on them.
 */
export const PRICE_SOURCES = {
  lambdaRequests: {
    what: 'AWS Lambda requests',
    figure: '$0.20 per million requests',
    url: 'https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html',
    quote: '$0.20 per 1 million requests thereafter, or $0.0000002 per request.',
    dated: 'AWS whitepaper, undated copy',
  },
  lambdaArmDuration: {
    what: 'AWS Lambda duration, Arm (Graviton), us-east-1, first 7.5 billion GB-s a month',
    figure: '$0.0000133334 per GB-second',
    url: 'https://cloudchipr.com/blog/aws-lambda-pricing',
    quote: 'ARM Pricing - First 7.5 Billion GB-seconds per month: $0.0000133334 per GB-second',
    dated: 'secondary (the AWS page renders its table client-side); guide dated 2024',
  },
  lambdaFreeTier: {
    what: 'AWS Lambda free tier',
    figure: '1 million requests and 400,000 GB-seconds a month',
    url: 'https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html',
    quote: 'Free Tier: 1 million requests per month. … 400,000 GB-seconds per month free',
    dated: 'AWS whitepaper, undated copy',
  },
  dynamoOnDemand: {
    what: 'Amazon DynamoDB on-demand throughput, us-east-1 (after the 50% cut of 1 November 2024)',
    figure: '$0.625 per million write request units, $0.125 per million read request units',
    url: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing',
    quote: 'After the 50% reduction implemented in late 2024: • Write Request Units (WRU): $0.625 per million write request units … • Read Request Units (RRU): $0.125 per million read request units',
    dated: 'secondary, 2025-07-21',
  },
  dynamoTransactions: {
    what: 'DynamoDB transactional writes',
    figure: '2 write request units per item up to 1 KB',
    url: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    quote: 'A transactional write requires two write request units.',
    dated: 'AWS pricing page, undated copy',
  },
  dynamoStorage: {
    what: 'DynamoDB storage',
    figure: 'first 25 GB a month free, then from $0.25 per GB-month',
    url: 'https://aws.amazon.com/dynamodb/pricing/',
    quote: 'The first 25 GB consumed per month is free, and prices start from $0.25 per GB-month thereafter.',
    dated: 'AWS pricing page, undated copy',
  },
  dynamoPitr: {
    what: 'DynamoDB point-in-time recovery',
    figure: '$0.20 per GB-month',
    url: 'https://finops.com.py/services/dynamodb/backups',
    quote: 'Continuous backups (Point-in-Time Recovery - PITR): … Charged based on table size: $0.20 per GB-month',
    dated: 'secondary, undated',
  },
  httpApi: {
    what: 'Amazon API Gateway HTTP API, first 300 million requests a month',
    figure: '$1.00 per million requests',
    url: 'https://aws.amazon.com/api-gateway/pricing/',
    quote: 'HTTP APIs (first 300 million requests/month, from pricing example) price_text: $1.00/million',
    dated: "the AWS page's worked example, as transcribed on 2026-09-20 (api-evangelist/amazon-web-services, plans-pricing.yml)",
  },
  sesEmail: {
    what: 'Amazon SES outbound e-mail',
    figure: '$0.10 per 1,000 e-mails',
    url: 'https://www.acecloudinterviews.com/tutorials/aws/ses/',
    quote: 'It offers one of the lowest costs per email in the industry, starting at $0.10 per thousand emails.',
    dated: 'secondary (the AWS pricing page renders its table client-side), undated copy',
  },
  smsChina: {
    what: 'SMS to Chinese mainland numbers (Alibaba Cloud SMS, domestic)',
    figure: 'about ¥0.045 a message, ¥0.035 at volume',
    url: 'https://www.seridoat.com/article/a-li-yun-duan-xin-fu-wu-ding-jia-jie-xi-yu-cheng-ben-you-hua-zhi-nan-ru-he-zai-bao-zheng-ye-wu-wen-d.html',
    quote: '国内短信(中国大陆):基础价格约为0.045元/条(不含税) … 最低可达0.035元/条',
    dated: 'secondary, prices as of the end of 2023',
  },
  smsChinaTencent: {
    what: 'SMS to Chinese mainland numbers (Tencent Cloud SMS, prepaid packs)',
    figure: '¥0.045 a message in a 10,000 pack, down to ¥0.036',
    url: 'https://github.com/hainingzhang/qcloud-documents/blob/master/%E4%BB%B7%E6%A0%BC%E6%80%BB%E8%A7%88.md',
    quote: '国内文本短信采用预付费的方式,需要购买短信套餐包。 … 1 | 450 | 0.045 | … 300 | 108000 | 0.036',
    dated: 'a copy of Tencent Cloud documentation, undated (may be out of date)',
  },
} as const satisfies Record<string, CitedPrice>;

export const PRICES = {
  lambdaGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1_000_000,
  dynamoWriteUnit: 0.625 / 1_000_000,
  dynamoReadUnit: 0.125 / 1_000_000,
  httpApiPerRequest: 1.0 / 1_000_000,
  sesEmailPerMessage: 0.1 / 1_000,
  /** ¥ per SMS (Alibaba Cloud's base domestic price, above). */
  smsChinaCny: 0.045,
  /** An assumed exchange rate for showing the SMS line in dollars; not a cited figure. */
  cnyPerUsd: 7.1,
} as const;

/** What the commercial alternatives charge (section 5's comparison); same citation rules. */
export const ALTERNATIVES: readonly (CitedPrice & { covers: string })[] = [
  {
    covers: 'festival sign-ups (free events)',
    what: 'Eventbrite, free events',
    figure: 'no fees for free tickets',
    url: 'https://www.eventbrite.ca/support/articles/en_US/Troubleshooting/getting-started-with-eventbrite-payment-processing?lg=en_US',
    quote: "You don't pay any fees if your tickets are free.",
    dated: 'Eventbrite help centre, undated copy',
  },
  {
    covers: 'festival sign-ups (if a ticket had a price)',
    what: 'Eventbrite, paid tickets (US)',
    figure: '3.7% + $1.79 per paid ticket, plus 2.9% payment processing per order',
    url: 'https://www.eventbrite.com/organizer/pricing/',
    quote: '3.7% + $1.79 service fee per paid ticket, plus 2.9% payment processing per order',
    dated: 'as quoted from the page on 2026-09-04 by a public note (the stored copy of the page itself has no figures)',
  },
  {
    covers: 'volunteer hours and scheduling',
    what: 'Bloomerang Volunteer',
    figure: '$119 a month, billed annually',
    url: 'https://bloomerang.com/pricing',
    quote: 'Volunteer $119/mo … billed annually',
    dated: 'as quoted from the page on 2026-10-08 by a public note (secondary)',
  },
  {
    covers: 'volunteer hours and scheduling',
    what: 'Volgistics',
    figure: 'from $9 a month; the price rises with the volunteers tracked, operators and modules',
    url: 'https://www.volgistics.com/help/payment-information/payment-options/',
    quote: 'Service levels are based on the number of volunteers you track, the number of System Operators you want, and the VIC options you choose. Service fees start at just $9 USD a month.',
    dated: 'Volgistics help page, undated copy',
  },
];

export type FunctionName = 'public' | 'volunteer' | 'organiser' | 'jobs';

/** lib/constructs: the HTTP functions at FUNCTION_MEMORY_MB, the jobs function at JOBS_MEMORY_MB. */
export const MEMORY_MB: Readonly<Record<FunctionName, number>> = { public: FUNCTION_MEMORY_MB, volunteer: FUNCTION_MEMORY_MB, organiser: FUNCTION_MEMORY_MB, jobs: JOBS_MEMORY_MB };
export const memoryGbOf = (fn: FunctionName) => MEMORY_MB[fn] / 1024;
/** The HTTP functions' memory, for the cost section's assumptions line. */
export const MEMORY_GB = FUNCTION_MEMORY_MB / 1024;
/**
 * Lambda gives a function CPU in proportion to its memory (1,769 MB ≈ one vCPU), so 512 MB has
 * ≈ 0.29 of one; CPU-bound work is taken to run 1,769 / memory times slower there than on one core
 * of this machine (never faster: Node runs a handler on one thread). A rough factor.
 */
export const cpuFactorOf = (fn: FunctionName) => Math.max(1, 1769 / MEMORY_MB[fn]);

/** The reference community (#8). */
export const REFERENCE = {
  residents: 5_000,
  volunteers: 200,
  festivalsPerYear: 60,
  signUpsPerFestival: 200,
  eveningSlotsPerYear: 365,
  /** Organisers' reminders: the community's two offsets (1 day and 1 hour before). */
  organiserReminderOffsets: 2,
} as const;

const PER_MONTH = 1 / 12;
const FESTIVALS = REFERENCE.festivalsPerYear * PER_MONTH; // 5
const SIGN_UPS = FESTIVALS * REFERENCE.signUpsPerFestival; // 1,000
const EVENINGS = REFERENCE.eveningSlotsPerYear * PER_MONTH; // 30.4
const VOLUNTEERS_PER_EVENING = 2; // the series default
const VOLUNTEERS_PER_FESTIVAL = 10;
const SHIFTS = EVENINGS * VOLUNTEERS_PER_EVENING + FESTIVALS * VOLUNTEERS_PER_FESTIVAL;
const BOOKINGS_PER_EVENING = 4; // half the default capacity of 8
const LIST_VIEWS_PER_SIGN_UP = 5;
const CANCELLED_SHARE = 0.1;
const BUSY_REMINDER_RUNS = (FESTIVALS + EVENINGS) * REFERENCE.organiserReminderOffsets;
/** functions/jobs/index.ts: the reminder job runs every minute (30 days × 24 h × 60). */
export const REMINDER_RUNS_PER_MONTH = 30 * 24 * 60;
export const HOUSEKEEPING_RUNS_PER_MONTH = 30 * 24;

export interface Volume {
  call: string;
  label: string;
  fn: FunctionName;
  perMonth: number;
  why: string;
  /** Part of what one sign-up costs (for the price per 1,000 sign-ups). */
  signUp?: boolean;
}

const round = (value: number) => Math.round(value);

export const VOLUMES: readonly Volume[] = [
  { call: 'event-list', label: 'public event list', fn: 'public', perMonth: round(SIGN_UPS * LIST_VIEWS_PER_SIGN_UP), why: `${LIST_VIEWS_PER_SIGN_UP} views of the events page per sign-up (residents look before and after)`, signUp: true },
  { call: 'registration+idempotency', label: 'festival sign-up (web form, with Idempotency-Key)', fn: 'public', perMonth: round(SIGN_UPS), why: `${REFERENCE.festivalsPerYear} festivals × ${REFERENCE.signUpsPerFestival} sign-ups a year ÷ 12`, signUp: true },
  { call: 'cancellation+promotion', label: 'cancellation with promotion', fn: 'public', perMonth: round(SIGN_UPS * CANCELLED_SHARE), why: `1 sign-up in ${1 / CANCELLED_SHARE} is cancelled, each freeing seats for a waiting household`, signUp: true },
  { call: 'help-desk-booking', label: 'help-desk booking', fn: 'public', perMonth: round(EVENINGS * BOOKINGS_PER_EVENING), why: `${REFERENCE.eveningSlotsPerYear} evenings a year ÷ 12 × ${BOOKINGS_PER_EVENING} bookings (half the default 8)` },
  { call: 'volunteer-me', label: "volunteers' own page (GET /me)", fn: 'volunteer', perMonth: REFERENCE.volunteers * 10, why: `${REFERENCE.volunteers} volunteers × 10 visits` },
  { call: 'shift', label: 'take a shift', fn: 'volunteer', perMonth: round(SHIFTS), why: `${EVENINGS.toFixed(1)} evenings × ${VOLUNTEERS_PER_EVENING} volunteers + ${FESTIVALS} festivals × ${VOLUNTEERS_PER_FESTIVAL}` },
  { call: 'check-in', label: 'check-in', fn: 'volunteer', perMonth: round(SHIFTS), why: 'one per shift' },
  { call: 'check-out', label: 'check-out', fn: 'volunteer', perMonth: round(SHIFTS), why: 'one per shift' },
  { call: 'redemption', label: 'redemption at the points supermarket', fn: 'volunteer', perMonth: REFERENCE.volunteers / 2, why: 'one volunteer in two redeems once a month' },
  { call: 'approval', label: 'approval of hours', fn: 'organiser', perMonth: round(SHIFTS), why: 'one per shift' },
  { call: 'roster', label: "organisers' pages (priced as the roster read)", fn: 'organiser', perMonth: 2_000, why: 'organisers and six team leads, ~65 page views a day between them' },
  { call: 'reminder-run', label: 'reminder runs that find work', fn: 'jobs', perMonth: round(BUSY_REMINDER_RUNS), why: `(${FESTIVALS} festivals + ${EVENINGS.toFixed(1)} evenings) × ${REFERENCE.organiserReminderOffsets} offsets, each priced as the measured run with one event's plans due` },
  { call: 'reminder-run-idle', label: 'reminder runs with nothing due', fn: 'jobs', perMonth: REMINDER_RUNS_PER_MONTH - round(BUSY_REMINDER_RUNS), why: `every minute = ${REMINDER_RUNS_PER_MONTH.toLocaleString('en-US')} runs a month (30 days), less those above` },
  { call: 'housekeeping-idle', label: 'housekeeping runs', fn: 'jobs', perMonth: HOUSEKEEPING_RUNS_PER_MONTH, why: 'hourly, priced as a run with nothing to close or erase' },
];

/** Messages a month, with what each would cost. */
export const MESSAGES = {
  sms: {
    count: round(SHIFTS + SIGN_UPS * CANCELLED_SHARE),
    why: `${round(SHIFTS)} volunteers' shift reminders (one per shift) + ${round(SIGN_UPS * CANCELLED_SHARE)} promotion notices to residents`,
  },
  email: {
    count: round(BUSY_REMINDER_RUNS),
    why: `${round(BUSY_REMINDER_RUNS)} organisers' digests (per target and offset), one e-mail through Amazon SES per contact address in Settings (one address assumed)`,
  },
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

export interface CostLine extends Volume {
  rru: number;
  wru: number;
  durationMs: number;
  durationSource: string;
  dynamoUsd: number;
  lambdaUsd: number;
  apiUsd: number;
}

export interface CostModel {
  sources: typeof PRICE_SOURCES;
  prices: typeof PRICES;
  alternatives: typeof ALTERNATIVES;
  reference: typeof REFERENCE;
  signUpsPerMonth: number;
  memoryGb: number;
  lines: CostLine[];
  coldStarts: { fn: FunctionName; fraction: number; invocations: number; initMsLocal: number; initMsLambda: number; usd: number }[];
  messages: { sms: { count: number; why: string; usd: number }; email: { count: number; why: string; usd: number } };
  totals: { requests: number; apiRequests: number; rru: number; wru: number; dynamoUsd: number; lambdaUsd: number; apiUsd: number; coldStartUsd: number; totalUsd: number };
  /** Price per 1,000 sign-ups: the calls a sign-up brings (its page views, the sign-up, its share of cancellations), and the whole bill spread over the sign-ups. */
  perThousandSignUps: { signUpCallsUsd: number; promotionSmsUsd: number; wholeBillUsd: number };
  missing: string[];
}

const lineUsd = (line: CostLine) => line.dynamoUsd + line.lambdaUsd + line.apiUsd;

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
    const lambdaUsd = volume.perMonth * (PRICES.lambdaPerRequest + (Math.ceil(input.durationMs) / 1000) * memoryGbOf(volume.fn) * PRICES.lambdaGbSecond);
    const apiUsd = volume.fn === 'jobs' ? 0 : volume.perMonth * PRICES.httpApiPerRequest;
    lines.push({ ...volume, rru: input.rru, wru: input.wru, durationMs: input.durationMs, durationSource: input.durationSource, dynamoUsd, lambdaUsd, apiUsd });
  }
  const invocationsBy = (fn: FunctionName) => lines.filter((line) => line.fn === fn).reduce((sum, line) => sum + line.perMonth, 0);
  const coldStarts = (Object.keys(COLD_FRACTION) as FunctionName[]).map((fn) => {
    const invocations = invocationsBy(fn) * COLD_FRACTION[fn];
    const initMsLambda = (initMsLocal[fn] ?? 0) * cpuFactorOf(fn);
    return { fn, fraction: COLD_FRACTION[fn], invocations, initMsLocal: initMsLocal[fn] ?? NaN, initMsLambda, usd: invocations * (initMsLambda / 1000) * memoryGbOf(fn) * PRICES.lambdaGbSecond };
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
    totalUsd: sum(lineUsd) + coldStartUsd,
  };
  const smsUsd = (count: number) => (count * PRICES.smsChinaCny) / PRICES.cnyPerUsd;
  const per1000 = 1000 / SIGN_UPS;
  return {
    sources: PRICE_SOURCES,
    prices: PRICES,
    alternatives: ALTERNATIVES,
    reference: REFERENCE,
    signUpsPerMonth: SIGN_UPS,
    memoryGb: MEMORY_GB,
    lines,
    coldStarts,
    messages: {
      sms: { ...MESSAGES.sms, usd: smsUsd(MESSAGES.sms.count) },
      email: { ...MESSAGES.email, usd: MESSAGES.email.count * PRICES.sesEmailPerMessage },
    },
    totals,
    perThousandSignUps: {
      signUpCallsUsd: lines.filter((line) => line.signUp).reduce((total, line) => total + lineUsd(line), 0) * per1000,
      promotionSmsUsd: smsUsd(SIGN_UPS * CANCELLED_SHARE) * per1000,
      wholeBillUsd: totals.totalUsd * per1000,
    },
    missing,
  };
}

/** The city: one stack for this many communities, each like the reference community. */
export const CITY_COMMUNITIES = 1_000;

/**
 * Storage of the city after a year: an estimate, not a measurement. A registration and its phone
 * marker are about 0.55 KB (section 3's item sizes), and most items are copied into one index
 * (projection ALL); ≈ 1 KB per registration with its copy, and the community's other items of a
 * year (help-desk requests, shifts, hours logs, points ledger, notifications: ≈ 3,000) as much.
 */
export const CITY_STORAGE = {
  kbPerRegistration: 1,
  otherItemsPerCommunityYear: 3_000,
  kbPerOtherItem: 1,
  freeGb: 25,
  usdPerGbMonth: 0.25,
  pitrUsdPerGbMonth: 0.2,
} as const;

export interface CityCostLine {
  label: string;
  fn: FunctionName | 'all';
  perMonth: number;
  why: string;
  rru: number;
  wru: number;
  durationMs: number;
  dynamoUsd: number;
  lambdaUsd: number;
  apiUsd: number;
}

export interface CityCostModel {
  communities: number;
  /** Where the reminder work's figures come from. */
  reminderSource: 'city' | 'reference';
  /** Target-offsets a month (organisers' digests of one target at one offset, with that target's volunteers' plan). */
  reminderTargets: number;
  lines: CityCostLine[];
  storage: { gb: number; why: string; storageUsd: number; pitrUsd: number };
  messages: { sms: { count: number; usd: number; why: string }; email: { count: number; usd: number; why: string } };
  totals: { dynamoUsd: number; lambdaUsd: number; apiUsd: number; coldStartUsd: number; storageUsd: number; totalUsd: number; withMessagesUsd: number };
  /** The reference community's bill × the number of communities, for comparison. */
  referenceTimesCommunities: number;
  perCommunityUsd: number;
}

/**
 * The city's month: every call residents, volunteers and organisers make scales with the
 * communities (the reference community's lines × 1,000); the jobs do not — one reminder run a
 * minute and one housekeeping run an hour serve the whole city, and what grows is the reminder
 * work inside them, priced per target and offset from the city-scale measurement (units as
 * measured, duration as projected on AWS).
 */
export function cityCostModel(reference: CostModel, city: CityResult | undefined, communities = CITY_COMMUNITIES): CityCostModel {
  const lines: CityCostLine[] = [];
  const lambdaOf = (perMonth: number, durationMs: number, fn: FunctionName = 'jobs') => perMonth * (PRICES.lambdaPerRequest + (Math.ceil(durationMs) / 1000) * memoryGbOf(fn) * PRICES.lambdaGbSecond);
  const dynamoOf = (perMonth: number, rru: number, wru: number) => perMonth * (rru * PRICES.dynamoReadUnit + wru * PRICES.dynamoWriteUnit);
  for (const line of reference.lines.filter((entry) => entry.fn !== 'jobs')) {
    const perMonth = line.perMonth * communities;
    lines.push({
      label: line.label,
      fn: line.fn,
      perMonth,
      why: `${n(line.perMonth)} × ${n(communities)} communities`,
      rru: line.rru,
      wru: line.wru,
      durationMs: line.durationMs,
      dynamoUsd: dynamoOf(perMonth, line.rru, line.wru),
      lambdaUsd: lambdaOf(perMonth, line.durationMs, line.fn),
      apiUsd: perMonth * PRICES.httpApiPerRequest,
    });
  }
  const reminderTargets = BUSY_REMINDER_RUNS * communities;
  const idle = reference.lines.find((line) => line.call === 'reminder-run-idle');
  const housekeeping = reference.lines.find((line) => line.call === 'housekeeping-idle');
  const busy = reference.lines.find((line) => line.call === 'reminder-run');
  // The measured burst: each community's event and slot, at one offset, with their volunteers' plans.
  const measuredTargets = city ? city.communities * 2 : 0;
  const work = city && measuredTargets
    ? { rru: city.totals.rru / measuredTargets, wru: city.totals.wru / measuredTargets, ms: city.aws.workMs / measuredTargets, source: 'city' as const }
    : busy
      ? { rru: busy.rru, wru: busy.wru, ms: busy.durationMs, source: 'reference' as const }
      : undefined;
  if (idle) {
    lines.push({
      label: 'reminder runs (each run\'s two queue queries)',
      fn: 'jobs',
      perMonth: REMINDER_RUNS_PER_MONTH,
      why: 'every minute, one run for the whole city; the work found is the next line',
      rru: idle.rru,
      wru: idle.wru,
      durationMs: idle.durationMs,
      dynamoUsd: dynamoOf(REMINDER_RUNS_PER_MONTH, idle.rru, idle.wru),
      lambdaUsd: lambdaOf(REMINDER_RUNS_PER_MONTH, idle.durationMs),
      apiUsd: 0,
    });
  }
  if (work) {
    lines.push({
      label: 'reminder work, per target and offset',
      fn: 'jobs',
      perMonth: reminderTargets,
      why:
        `${n(BUSY_REMINDER_RUNS)} a community (as section 5) × ${n(communities)}; ` +
        (work.source === 'city'
          ? `units and AWS-projected duration per target and offset from section 7's burst (each community's event and slot at one offset, their volunteers' plans and 2 shift reminders included: an overestimate for the day-before offset, which has no volunteers' plan); billed as duration only (the runs are the line above)`
          : 'priced as section 5\'s run with one event\'s plans due (section 7 did not run)'),
      rru: work.rru,
      wru: work.wru,
      durationMs: work.ms,
      dynamoUsd: dynamoOf(reminderTargets, work.rru, work.wru),
      // Duration only: the work runs inside the per-minute invocations priced above.
      lambdaUsd: reminderTargets * (work.ms / 1000) * memoryGbOf('jobs') * PRICES.lambdaGbSecond,
      apiUsd: 0,
    });
  }
  if (housekeeping) {
    lines.push({
      label: 'housekeeping runs',
      fn: 'jobs',
      perMonth: HOUSEKEEPING_RUNS_PER_MONTH,
      why: 'hourly, one for the whole city, priced as a run with nothing to close or erase (its per-item work is not measured here)',
      rru: housekeeping.rru,
      wru: housekeeping.wru,
      durationMs: housekeeping.durationMs,
      dynamoUsd: dynamoOf(HOUSEKEEPING_RUNS_PER_MONTH, housekeeping.rru, housekeeping.wru),
      lambdaUsd: lambdaOf(HOUSEKEEPING_RUNS_PER_MONTH, housekeeping.durationMs),
      apiUsd: 0,
    });
  }
  // Cold starts: the HTTP functions' as the reference × communities (an overestimate: at a city's
  // traffic more invocations find a warm environment); the jobs' at their share of the runs.
  const jobsCold = reference.coldStarts.find((entry) => entry.fn === 'jobs');
  const jobsInvocations = REMINDER_RUNS_PER_MONTH + HOUSEKEEPING_RUNS_PER_MONTH;
  const coldStartUsd =
    reference.coldStarts.filter((entry) => entry.fn !== 'jobs').reduce((total, entry) => total + entry.usd, 0) * communities +
    (jobsCold ? jobsInvocations * jobsCold.fraction * (jobsCold.initMsLambda / 1000) * memoryGbOf('jobs') * PRICES.lambdaGbSecond : 0);
  const gb =
    (communities * (reference.reference.festivalsPerYear * reference.reference.signUpsPerFestival * CITY_STORAGE.kbPerRegistration + CITY_STORAGE.otherItemsPerCommunityYear * CITY_STORAGE.kbPerOtherItem)) /
    1024 ** 2;
  const storage = {
    gb,
    why: `after a year: ${n(communities)} × (${n(reference.reference.festivalsPerYear * reference.reference.signUpsPerFestival)} registrations × ≈${CITY_STORAGE.kbPerRegistration} KB with phone marker and index copy + ≈${n(CITY_STORAGE.otherItemsPerCommunityYear)} other items × ≈${CITY_STORAGE.kbPerOtherItem} KB) — an estimate; erasure keeps the items (it removes names and phones)`,
    storageUsd: Math.max(0, gb - CITY_STORAGE.freeGb) * CITY_STORAGE.usdPerGbMonth,
    pitrUsd: gb * CITY_STORAGE.pitrUsdPerGbMonth,
  };
  const sum = (pick: (line: CityCostLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  const dynamoUsd = sum((line) => line.dynamoUsd);
  const lambdaUsd = sum((line) => line.lambdaUsd);
  const apiUsd = sum((line) => line.apiUsd);
  const storageUsd = storage.storageUsd + storage.pitrUsd;
  const totalUsd = dynamoUsd + lambdaUsd + apiUsd + coldStartUsd + storageUsd;
  const smsCount = reference.messages.sms.count * communities;
  const emailCount = reference.messages.email.count * communities;
  const messages = {
    sms: { count: smsCount, usd: (smsCount * PRICES.smsChinaCny) / PRICES.cnyPerUsd, why: `${n(reference.messages.sms.count)} × ${n(communities)} (section 5's SMS)` },
    email: { count: emailCount, usd: emailCount * PRICES.sesEmailPerMessage, why: `${n(reference.messages.email.count)} × ${n(communities)} organisers' digests, one SES e-mail per contact (one contact each assumed)` },
  };
  return {
    communities,
    reminderSource: work?.source ?? 'reference',
    reminderTargets,
    lines,
    storage,
    messages,
    totals: { dynamoUsd, lambdaUsd, apiUsd, coldStartUsd, storageUsd, totalUsd, withMessagesUsd: totalUsd + messages.sms.usd + messages.email.usd },
    referenceTimesCommunities: reference.totals.totalUsd * communities,
    perCommunityUsd: totalUsd / communities,
  };
}

const n = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 1 });
