import { erasePersonalData } from '../services/erasure';
import { autoCloseOpenLogs } from '../services/hours';
import { completeDuePromotions, placeDueArrivals } from '../services/registrations';
import { runReminders } from '../services/reminders';
import { oldestDueAgeSeconds, type JobBudget, type Shard } from '../services/drain';
import { listDueNotifications } from '../store/notifications';
import { listDuePlans } from '../store/reminders';
import { oldestDueErasure } from '../store/erasure';
import { oldestDuePromotion } from '../store/registrations';
import { oldestDueArrival } from '../store/arrivals';

/**
 * Scheduled jobs: run by EventBridge on AWS (one rule per entry, see lib/constructs/jobs.ts), and
 * locally by bin/local.ts on the same schedule and on `POST /_local/jobs/{name}`.
 */
export interface JobDefinition {
  readonly name: string;
  /** Minutes between runs (EventBridge `rate(N minutes)`). */
  readonly everyMinutes: number;
  /**
   * `budget`: how long the run may go on (the Lambda's remaining time); unbounded locally.
   * `shard`: this run is one copy of a fan-out, doing its share; `fanOut`: starts the other copies
   * (on AWS, asynchronous invocations of the same function; locally, beside this one).
   */
  readonly run: (now: Date, budget?: JobBudget, options?: JobRunOptions) => Promise<Record<string, unknown>>;
}

export interface JobRunOptions {
  readonly shard?: Shard;
  readonly fanOut?: (shards: readonly Shard[]) => Promise<void>;
}

/**
 * A minute's reminder work at a city's scale is more than one invocation's CPU gets through in
 * time (docs/performance.md, section 7a): from this many due items on, the scheduled run splits it
 * into {@link FAN_OUT_COPIES} copies working side by side, each on the communities that hash to it.
 */
export const FAN_OUT_AT = 200;
export const FAN_OUT_COPIES = 4;

/** Due reminder plans and deliveries, counted up to `limit` (two queue queries). */
export async function dueBacklog(now: Date, limit: number): Promise<number> {
  const [plans, notifications] = await Promise.all([listDuePlans(now, limit), listDueNotifications(now, limit)]);
  return plans.items.length + notifications.items.length;
}

export const jobs: readonly JobDefinition[] = [
  {
    // Every minute, so a reminder goes out within two minutes of its time (API.md). A run that
    // finds nothing due costs two queue queries of one read unit each: at 43,200 runs a month, a
    // few cents of Lambda and DynamoDB, far less than a scheduler entry per reminder would be at
    // a thousand communities.
    name: 'reminders',
    everyMinutes: 1,
    run: async (now, budget, { shard, fanOut } = {}) => {
      if (!shard && fanOut && (await dueBacklog(now, FAN_OUT_AT)) >= FAN_OUT_AT) {
        const shards = Array.from({ length: FAN_OUT_COPIES }, (_, index) => ({ index, of: FAN_OUT_COPIES }));
        // The other copies start first; this one does the first share; every item is claimed
        // before it is handled, so copies that overlap (or a later run) never handle one twice.
        // A failed start of a copy (throttled, refused) must not end this one mid-run: it is
        // thrown once this share is done, so the scheduled run is retried and the items it left
        // are the next run's.
        const others = fanOut(shards.slice(1)).then(
          () => undefined,
          (error: unknown) => error,
        );
        const own = await runReminders(now, budget, shards[0]);
        const failed = await others;
        if (failed) throw failed;
        return { ...own, shard: `1/${FAN_OUT_COPIES}`, fannedOut: FAN_OUT_COPIES };
      }
      return { ...(await runReminders(now, budget, shard)), ...(shard ? { shard: `${shard.index + 1}/${shard.of}` } : {}) };
    },
  },
  {
    // Its four queues are drained side by side, each page after page within the run's time
    // (services/drain.ts), so a long one (a city's erasures after a festival season) cannot starve
    // the others; then it measures how long the oldest erasure, promotion or unplaced sign-up
    // still due has waited.
    name: 'housekeeping',
    everyMinutes: 60,
    run: async (now, budget) => {
      // Settled, all four: one queue's failure does not leave the others running unobserved.
      const [autoClosedLogs, erased, promotionsCompleted, arrivalsPlaced] = settledOrThrow(
        await Promise.allSettled([
          autoCloseOpenLogs(now, budget),
          erasePersonalData(now, budget),
          completeDuePromotions(now, budget),
          placeDueArrivals(now, budget),
        ] as const),
      );
      return {
        autoClosedLogs,
        erased,
        promotionsCompleted,
        arrivalsPlaced,
        oldestDueAgeSeconds: await oldestDueAgeSeconds(now, [oldestDueErasure, oldestDuePromotion, oldestDueArrival]),
      };
    },
  },
];

/** The values of promises that all settled, or the first failure thrown once they all have. */
function settledOrThrow<T extends readonly unknown[]>(results: { -readonly [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((job) => job.name === name);
}
