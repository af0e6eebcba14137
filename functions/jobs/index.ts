import { autoCloseOpenLogs } from '../services/hours';

/**
 * Scheduled jobs: run by EventBridge on AWS, and locally by bin/local.ts on the same schedule and
 * on `POST /_local/jobs/{name}`. The reminders job joins this list with its issue.
 */
export interface JobDefinition {
  readonly name: string;
  /** Minutes between runs (EventBridge `rate(N minutes)`). */
  readonly everyMinutes: number;
  readonly run: (now: Date) => Promise<Record<string, unknown>>;
}

export const jobs: readonly JobDefinition[] = [
  {
    name: 'housekeeping',
    everyMinutes: 15,
    run: async (now) => ({ autoClosedLogs: await autoCloseOpenLogs(now) }),
  },
];

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((job) => job.name === name);
}
