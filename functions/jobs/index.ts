import { erasePersonalData } from '../services/erasure';
import { autoCloseOpenLogs } from '../services/hours';
import { completeDuePromotions } from '../services/registrations';
import { runReminders } from '../services/reminders';

/**
 * Scheduled jobs: run by EventBridge on AWS (one rule per entry, see lib/constructs/jobs.ts), and
 * locally by bin/local.ts on the same schedule and on `POST /_local/jobs/{name}`.
 */
export interface JobDefinition {
  readonly name: string;
  /** Minutes between runs (EventBridge `rate(N minutes)`). */
  readonly everyMinutes: number;
  readonly run: (now: Date) => Promise<Record<string, unknown>>;
}

export const jobs: readonly JobDefinition[] = [
  {
    name: 'reminders',
    everyMinutes: 5,
    run: async (now) => ({ ...(await runReminders(now)) }),
  },
  {
    name: 'housekeeping',
    everyMinutes: 60,
    run: async (now) => ({
      autoClosedLogs: await autoCloseOpenLogs(now),
      erased: await erasePersonalData(now),
      promotionsCompleted: await completeDuePromotions(now),
    }),
  },
];

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((job) => job.name === name);
}
