import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { send, tableName } from './client';
import { decodeCursor, encodeCursor } from './pagination';

/**
 * The domain object inside an item: only the named fields, so keys, index attributes and the
 * `type` tag never leak into what the layers above see.
 */
export function pickFields<T>(item: Record<string, unknown>, fields: readonly string[]): T {
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (item[field] !== undefined) picked[field] = item[field];
  return picked as T;
}

/** Every item a query matches, following `LastEvaluatedKey` (for lists that are small by nature). */
export async function queryAllItems(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * One page of a filtered query on the table's own keys, filled: DynamoDB applies `Limit` before
 * the filter, so a page of a partition where most items are filtered out (a wish wall whose newest
 * wishes are still under review) would come back short or empty with a cursor. This reads on until
 * `limit` items match, the partition ends, or `maxReads` reads are spent (then a short page with a
 * cursor, which the contract allows), and cuts the page at its last item.
 */
export async function queryFilledPage(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  limit: number,
  startKey: Record<string, unknown> | undefined,
  maxReads = 5,
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const items: Record<string, unknown>[] = [];
  let lastKey = startKey;
  for (let read = 0; read < maxReads; read += 1) {
    const page = await send(new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: lastKey }));
    items.push(...(page.Items ?? []));
    lastKey = page.LastEvaluatedKey;
    if (items.length >= limit || !lastKey) break;
  }
  if (items.length > limit) {
    const last = items[limit - 1]!;
    return { items: items.slice(0, limit), nextCursor: encodeCursor({ pk: last.pk, sk: last.sk }) };
  }
  return { items, nextCursor: encodeCursor(lastKey) };
}

/**
 * One page of a query, from a start key already checked by `decodeCursor`, with the next page's
 * cursor.
 */
export async function queryPage(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  limit: number,
  startKey: Record<string, unknown> | undefined,
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const result = await send(new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: startKey }));
  return { items: result.Items ?? [], nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/**
 * One page of a community's listing on gsi1 whose sort key is the end time (public events, open
 * evenings): `gsi1pk = partition AND gsi1sk >= fromUtc`, filtered on `startsAt <= toUtc`, in order
 * of end time. A cursor is accepted only for this partition, for items of `skPrefix` and inside
 * the window.
 */
export async function queryTimeWindowPage(
  listing: { partition: string; communityId: string; skPrefix: string },
  range: { fromUtc: string; toUtc?: string },
  page: { limit: number; cursor?: string },
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const { partition, communityId, skPrefix } = listing;
  const startKey = decodeCursor(page.cursor, { gsi1pk: partition, pk: `COMMUNITY#${communityId}` }, ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
    (key) => key.sk!.startsWith(skPrefix) && key.gsi1sk! >= range.fromUtc);
  return queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :from',
      ...(range.toUtc ? { FilterExpression: 'startsAt <= :to' } : {}),
      ExpressionAttributeValues: { ':pk': partition, ':from': range.fromUtc, ...(range.toUtc ? { ':to': range.toUtc } : {}) },
    },
    page.limit,
    startKey,
  );
}

/**
 * What is due in one of the sparse work queues (gsi2: `gsi2pk = <queue> AND gsi2sk < now + 1 ms`,
 * sort keys start with the due time): only what is due is read, with the read units it cost.
 * A sort key is `<due>#<id…>`, so an item due at exactly `now` sorts after `now` itself; the bound
 * is the next millisecond, which every key due at `now` or before sorts under.
 */
/**
 * When the oldest item of a due queue fell due (its sort key starts with the due time), or
 * undefined when nothing is due. One item read.
 */
export async function oldestDue(queue: string, now: Date): Promise<string | undefined> {
  const { items } = await queryDue(queue, now, 1);
  return items[0] ? String(items[0].gsi2sk).split('#')[0] : undefined;
}

export interface DuePage<T> {
  readonly items: T[];
  readonly readUnits: number;
  /** Where the next page starts; undefined after the last. */
  readonly nextKey?: Record<string, unknown>;
}

export async function queryDue(queue: string, now: Date, limit: number, startKey?: Record<string, unknown>): Promise<DuePage<Record<string, unknown>>> {
  const result = await send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :after',
      ExpressionAttributeValues: { ':pk': queue, ':after': new Date(now.getTime() + 1).toISOString() },
      Limit: limit,
      ExclusiveStartKey: startKey,
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  return { items: result.Items ?? [], readUnits: result.ConsumedCapacity?.CapacityUnits ?? 0, nextKey: result.LastEvaluatedKey };
}
