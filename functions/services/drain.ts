import type { DuePage } from '../store/items';

/** How long a job may still run: the Lambda's remaining time, or unbounded (local runs, tests). */
export interface JobBudget {
  timeLeftMs(): number;
}

export const UNBOUNDED: JobBudget = { timeLeftMs: () => Number.POSITIVE_INFINITY };

/** Items of one page handled at once: enough to hide round trips, few enough not to throttle. */
export const DRAIN_CONCURRENCY = 16;
/** No new page is started with less time left than this: a page's work ends well inside it. */
export const STOP_MARGIN_MS = 15_000;

export interface DrainSummary {
  /** Items read from the queue. */
  readonly seen: number;
  readonly readUnits: number;
  /** False when time ran short with pages left: the next run (a minute later) goes on. */
  readonly complete: boolean;
}

/** Runs `handle` over `items`, at most `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, handle: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await handle(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Works through everything due in one of the sparse queues (store/items.ts `queryDue`): page after
 * page, following the query's own cursor (so an item claimed, and gone from the index, or still
 * shown by an index that lags, never stops the run early), each page's items
 * {@link DRAIN_CONCURRENCY} at a time. Every `handle` claims its item with a conditional write
 * first, so runs that overlap, or one that stops midway, handle nothing twice.
 */
export async function drain<T>(
  page: (startKey?: Record<string, unknown>) => Promise<DuePage<T>>,
  handle: (item: T) => Promise<void>,
  budget: JobBudget,
): Promise<DrainSummary> {
  let seen = 0;
  let readUnits = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    if (budget.timeLeftMs() < STOP_MARGIN_MS) return { seen, readUnits, complete: false };
    const current = await page(startKey);
    seen += current.items.length;
    readUnits += current.readUnits;
    await inParallel(current.items, DRAIN_CONCURRENCY, handle);
    startKey = current.nextKey;
  } while (startKey);
  return { seen, readUnits, complete: true };
}
