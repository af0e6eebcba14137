import { createHash } from 'node:crypto';
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

/**
 * One of `of` copies of a run working side by side (a fan-out, jobs/index.ts): each takes the
 * communities whose id hashes to its `index`, so the copies split a busy minute's work with no
 * item handled by two (and each item is claimed first anyway).
 */
export interface Shard {
  readonly index: number;
  readonly of: number;
}

/** Whether `communityId` is `shard`'s; every community is when there is no shard. */
export function inShard(communityId: string, shard: Shard | undefined): boolean {
  if (!shard || shard.of <= 1) return true;
  return createHash('sha256').update(communityId).digest().readUInt32BE(0) % shard.of === shard.index;
}

/** `page` with only `shard`'s items (the read units are the whole page's: each copy reads the queue). */
export function shardOf<T extends { communityId: string }>(page: (startKey?: Record<string, unknown>) => Promise<DuePage<T>>, shard: Shard | undefined) {
  if (!shard || shard.of <= 1) return page;
  return async (startKey?: Record<string, unknown>): Promise<DuePage<T>> => {
    const current = await page(startKey);
    return { ...current, items: current.items.filter((item) => inShard(item.communityId, shard)) };
  };
}

/** Seconds since the oldest item still due in `queues` fell due; 0 when none is. */
export async function oldestDueAgeSeconds(now: Date, queues: readonly ((now: Date) => Promise<string | undefined>)[]): Promise<number> {
  const oldest = (await Promise.all(queues.map((queue) => queue(now)))).filter((due) => due !== undefined).sort()[0];
  return oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest)) / 1000)) : 0;
}

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
