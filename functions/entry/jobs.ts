import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { findJob } from '../jobs';
import { emitMetric, OLDEST_DUE_AGE } from '../jobs/metrics';
import { logger } from '../logger';
import * as clock from '../clock';

/**
 * Lambda entry point for the scheduled jobs. Each EventBridge rule sends `{ "job": "<name>" }`.
 * A failure is thrown, not swallowed: Lambda retries the asynchronous invocation and then hands
 * the event to the dead-letter queue, whose depth is alarmed.
 */
export const handler = middy(async (event: { job?: string }, context: Context) => {
  const job = event.job ? findJob(event.job) : undefined;
  if (!job) throw new Error(`Unknown job: ${String(event.job)}`);
  const startedAt = performance.now();
  // Each queue is drained until it is empty or the function's time is nearly up (services/drain.ts).
  const summary = await job.run(clock.now(), { timeLeftMs: () => context.getRemainingTimeInMillis() });
  // The reminders' backlog as it always was (no dimension); every other job's by its name.
  if (typeof summary.oldestDueAgeSeconds === 'number') emitMetric(OLDEST_DUE_AGE, summary.oldestDueAgeSeconds, 'Seconds', undefined, job.name === 'reminders' ? {} : { Job: job.name });
  logger.info('job finished', { job: job.name, durationMs: Math.round(performance.now() - startedAt), ...summary });
  return summary;
}).use(injectLambdaContext(logger, { resetKeys: true }));
