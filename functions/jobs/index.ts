import { erasePersonalData } from '../services/erasure';
import { autoCloseOpenLogs } from '../services/hours';
import { completeDuePromotions } from '../services/registrations';
import { runReminders } from '../services/reminders';
import type { JobBudget } from '../services/drain';

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
    name: 'housekeeping',
    everyMinutes: 60,
    run: async (now, budget) => ({
      autoClosedLogs: await autoCloseOpenLogs(now, budget),
      erased: await erasePersonalData(now, budget),
      promotionsCompleted: await completeDuePromotions(now, budget),
    }),
  },
];

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((job) => job.name === name);
}
