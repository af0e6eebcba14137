import * as clock from '../clock';

/**
 * Job metrics as CloudWatch Embedded Metric Format: one JSON line on stdout that CloudWatch Logs
 * turns into a metric (no PutMetricData call, no permission, no SDK). The alarm on it is in
 * lib/constructs/alarms.ts.
 */
export const METRICS_NAMESPACE = 'Linli';
/**
 * Seconds since the oldest item still waiting in a job's due queues fell due (0 when none waits):
 * the reminders' (reminder plans and deliveries) with no dimension, housekeeping's (erasures and
 * promotions) by `Job: housekeeping`.
 */
export const OLDEST_DUE_AGE = 'OldestDueAgeSeconds';

/** Deliveries given up (a permanent refusal or the last attempt failed), with and without their `Channel`. */
export const DELIVERIES_FAILED = 'DeliveriesFailed';

export function emitMetric(
  name: string,
  value: number,
  unit: 'Seconds' | 'Count',
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  dimensions: Readonly<Record<string, string>> = {},
): void {
  write(
    JSON.stringify({
      _aws: {
        Timestamp: clock.nowMs(),
        CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [Object.keys(dimensions)], Metrics: [{ Name: name, Unit: unit }] }],
      },
      ...dimensions,
      [name]: value,
    }),
  );
}
