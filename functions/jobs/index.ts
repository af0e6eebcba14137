import { erasePersonalData } from '../services/erasure';
import { autoCloseOpenLogs } from '../services/hours';
import { completeDuePromotions } from '../services/registrations';
import { runReminders } from '../services/reminders';
import type { JobBudget } from '../services/drain';
import { oldestDueErasure } from '../store/erasure';
import { oldestDuePromotion } from '../store/registrations';

/**
 * Scheduled jobs: run by EventBridge on AWS (one rule per entry, see lib/constructs/jobs.ts), and
 * locally by bin/local.ts on the same schedule and on `POST /_local/jobs/{name}`.
 */
export interface JobDefinition {
  readonly name: string;
  /** Minutes between runs (EventBridge `rate(N minutes)`). */
  readonly everyMinutes: number;
  /** `budget`: how long the run may go on (the Lambda's remaining time); unbounded locally. */
  readonly run: (now: Date, budget?: JobBudget) => Promise<Record<string, unknown>>;
}

export const jobs: readonly JobDefinition[] = [
  {
    // Every minute, so a reminder goes out within two minutes of its time (API.md). A run that
    // finds nothing due costs two queue queries of one read unit each: at 43,200 runs a month, a
    // few cents of Lambda and DynamoDB, far less than a scheduler entry per reminder would be at
    // a thousand communities.
    name: 'reminders',
    everyMinutes: 1,
    run: async (now, budget) => ({ ...(await runReminders(now, budget)) }),
  },
  {
    // Its three queues are drained side by side, each page after page within the run's time
    // (services/drain.ts), so a long one (a city's erasures after a festival season) cannot starve
    // the others; then it measures how long the oldest erasure or promotion still due has waited.
    name: 'housekeeping',
    everyMinutes: 60,
    run: async (now, budget) => {
      const [autoClosedLogs, erased, promotionsCompleted] = await Promise.all([
        autoCloseOpenLogs(now, budget),
        erasePersonalData(now, budget),
        completeDuePromotions(now, budget),
      ]);
      return { autoClosedLogs, erased, promotionsCompleted, oldestDueAgeSeconds: await oldestDueAgeSeconds(now, [oldestDueErasure, oldestDuePromotion]) };
    },
  },
];

/** Seconds since the oldest item still due in `queues` fell due; 0 when none is. */
async function oldestDueAgeSeconds(now: Date, queues: readonly ((now: Date) => Promise<string | undefined>)[]): Promise<number> {
  const oldest = (await Promise.all(queues.map((queue) => queue(now)))).filter((due) => due !== undefined).sort()[0];
  return oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest)) / 1000)) : 0;
}

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((job) => job.name === name);
}
