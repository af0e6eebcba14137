import { emitMetric, METRICS_NAMESPACE, OLDEST_DUE_AGE } from '../../functions/jobs/metrics';

describe('job metrics', () => {
  it('are written in CloudWatch Embedded Metric Format', () => {
    const lines: string[] = [];
    emitMetric(OLDEST_DUE_AGE, 42, 'Seconds', (line) => lines.push(line));
    const emf = JSON.parse(lines[0]!);
    expect(emf[OLDEST_DUE_AGE]).toBe(42);
    expect(emf._aws.CloudWatchMetrics).toEqual([{ Namespace: METRICS_NAMESPACE, Dimensions: [[]], Metrics: [{ Name: OLDEST_DUE_AGE, Unit: 'Seconds' }] }]);
    expect(Number.isInteger(emf._aws.Timestamp)).toBe(true);
  });
});
