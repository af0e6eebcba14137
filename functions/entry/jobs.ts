import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { findJob } from '../jobs';
import { emitMetric, OLDEST_DUE_AGE } from '../jobs/metrics';
import type { Shard } from '../services/drain';
import { logger } from '../logger';
import * as clock from '../clock';

let lambdaClient: LambdaClient | undefined;
const lambda = () => (lambdaClient ??= new LambdaClient({}));

/** A fan-out copy's share as the event carries it (anything else is ignored: the run is then a whole one). */
function isShard(value: unknown): value is Shard {
  const shard = value as Shard | undefined;
  return Number.isInteger(shard?.index) && Number.isInteger(shard?.of) && shard!.of >= 1 && shard!.index >= 0 && shard!.index < shard!.of;
}

/**
 * Lambda entry point for the scheduled jobs. Each EventBridge rule sends `{ "job": "<name>" }`.
 * A failure is thrown, not swallowed: Lambda retries the asynchronous invocation and then hands
 * the event to the dead-letter queue, whose depth is alarmed.
 */
export const handler = middy(async (event: { job?: string; shard?: Shard }, context: Context) => {
  const job = event.job ? findJob(event.job) : undefined;
  if (!job) throw new Error(`Unknown job: ${String(event.job)}`);
  const startedAt = performance.now();
  // Each queue is drained until it is empty or the function's time is nearly up (services/drain.ts).
  // A scheduled run may split a busy minute into copies: each an asynchronous invocation of this
  // same function and version (the ARN it was invoked by), with its share in the event.
  const shard = isShard(event.shard) ? event.shard : undefined;
  const fanOut = async (shards: readonly Shard[]) => {
    await Promise.all(
      shards.map((copy) =>
        lambda().send(new InvokeCommand({ FunctionName: context.invokedFunctionArn, InvocationType: 'Event', Payload: JSON.stringify({ job: job.name, shard: copy }) })),
      ),
    );
  };
  const summary = await job.run(clock.now(), { timeLeftMs: () => context.getRemainingTimeInMillis() }, shard ? { shard } : { fanOut });
  // The reminders' backlog as it always was (no dimension); every other job's by its name.
  if (typeof summary.oldestDueAgeSeconds === 'number') emitMetric(OLDEST_DUE_AGE, summary.oldestDueAgeSeconds, 'Seconds', undefined, job.name === 'reminders' ? {} : { Job: job.name });
  logger.info('job finished', { job: job.name, durationMs: Math.round(performance.now() - startedAt), ...summary });
  return summary;
}).use(injectLambdaContext(logger, { resetKeys: true }));
