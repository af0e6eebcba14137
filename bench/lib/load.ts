import { performance } from 'node:perf_hooks';

/** Summary of one measured run: latencies in milliseconds, throughput in operations per second. */
export interface RunStats {
  count: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
  throughput: number;
  elapsedMs: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function summarise(latencies: readonly number[], errors: number, elapsedMs: number): RunStats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    errors,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: sorted.length ? sum / sorted.length : NaN,
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    throughput: elapsedMs > 0 ? (sorted.length / elapsedMs) * 1000 : NaN,
    elapsedMs,
  };
}

/** One operation of a load run; `worker` is 0…concurrency−1 and owns its own fixtures. Throws on failure. */
export type Operation = (worker: number) => Promise<void>;

export interface LoadOptions {
  concurrency: number;
  /** Operations to measure (an upper bound: the run also stops at maxMs). */
  requests: number;
  /** Wall-clock bound of the measured part. */
  maxMs: number;
  /** Operations run first and not measured. */
  warmup: number;
}

export interface RawRun {
  latencies: number[];
  errors: number;
  elapsedMs: number;
  firstError?: string;
}

/**
 * A closed-loop load: `concurrency` workers, each issuing its next operation as soon as the last
 * one answered, until `requests` were issued or `maxMs` passed. Bounded in count and in time.
 */
export async function runLoad(op: Operation, options: LoadOptions): Promise<RawRun> {
  const run = async (total: number, maxMs: number, record: boolean): Promise<RawRun> => {
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    let issued = 0;
    const started = performance.now();
    const deadline = started + maxMs;
    let lastDone = started;
    const worker = async (index: number) => {
      while (issued < total && performance.now() < deadline) {
        issued += 1;
        const t0 = performance.now();
        try {
          await op(index);
          const t1 = performance.now();
          if (record) latencies.push(t1 - t0);
          lastDone = t1;
        } catch (error) {
          errors += 1;
          firstError ??= (error as Error).message;
          lastDone = performance.now();
          // A failing fixture must not spin: give up this worker after many errors.
          if (errors > Math.max(20, total / 10)) return;
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
    return { latencies, errors, elapsedMs: lastDone - started, firstError };
  };
  if (options.warmup > 0) await run(options.warmup, Math.min(options.maxMs, 5_000), false);
  return run(options.requests, options.maxMs, true);
}

/** Merges rounds of the same measurement (interleaved with other levels) into one summary. */
export function mergeRuns(runs: readonly RawRun[]): { stats: RunStats; firstError?: string } {
  const latencies = runs.flatMap((run) => run.latencies);
  const errors = runs.reduce((total, run) => total + run.errors, 0);
  const elapsedMs = runs.reduce((total, run) => total + run.elapsedMs, 0);
  return { stats: summarise(latencies, errors, elapsedMs), firstError: runs.find((run) => run.firstError)?.firstError };
}

