import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { wishRecord, type Wish, type WishStatus } from '../domain/wishes';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { queryFilledPage } from './items';
import { keys } from './keys';
import { applyStep, stepPut } from './lifecycle';
import { decodeCursor } from './pagination';
import { cancellationCodes } from './store-errors';
import { transact, type TransactItem } from './transactions';

const fromItem = entityOf<Wish>(wishRecord).fromItem;
const itemOf = (wish: Wish) => ({ ...keys.wish(wish.communityId, wish.id), type: 'Wish', ...wish });

/**
 * Stores a new wish with the phone's use of the per-phone limit, on condition the phone's log is
 * as read (or, for a wish whose code came back, with its held request used up), and its erasure
 * plan. False when that first condition failed: read again.
 */
export async function insertWish(wish: Wish, withIt: TransactItem[]): Promise<boolean> {
  try {
    await transact([{ Put: { TableName: tableName(), Item: itemOf(wish), ConditionExpression: 'attribute_not_exists(pk)' } }, ...withIt]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[1] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

export async function getWish(communityId: string, id: string): Promise<Wish | undefined> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.wish(communityId, id), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
}

/**
 * Replaces a wish with its next state, on condition it is still in the state it was read in (and,
 * once a volunteer adopted it, still theirs); with the erasure its end plans, in one transaction.
 * False when someone else moved it first: of several adopters at once, one is applied.
 */
export function moveWish(read: Wish, next: Wish, withIt: TransactItem[] = []): Promise<boolean> {
  return applyStep(stepPut(itemOf(next), read.status, { attribute: 'adopterVolunteerId', value: read.adopterVolunteerId }), withIt);
}

/**
 * A community's wishes, newest first, of the given statuses, or, for a volunteer, the published
 * ones and those they adopted. One partition per community: a festival's wall is a few hundred.
 */
export async function listWishes(
  communityId: string,
  filter: { statuses?: readonly WishStatus[]; forVolunteer?: string },
  page: { limit: number; cursor?: string },
): Promise<{ items: Wish[]; nextCursor: string | null }> {
  const partition = keys.wishes(communityId);
  const startKey = decodeCursor(page.cursor, { pk: partition }, ['pk', 'sk'], (key) => key.sk!.startsWith('WISH#'));
  const values: Record<string, unknown> = { ':pk': partition, ':prefix': 'WISH#' };
  const conditions: string[] = [];
  if (filter.statuses) {
    filter.statuses.forEach((status, index) => (values[`:s${index}`] = status));
    conditions.push(`#status IN (${filter.statuses.map((_, index) => `:s${index}`).join(', ')})`);
  }
  if (filter.forVolunteer) {
    conditions.push('(#status = :published OR adopterVolunteerId = :me)');
    Object.assign(values, { ':published': 'published', ':me': filter.forVolunteer });
  }
  const result = await queryFilledPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...(conditions.length ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    },
    page.limit,
    startKey,
  );
  return { items: result.items.map(fromItem), nextCursor: result.nextCursor };
}

