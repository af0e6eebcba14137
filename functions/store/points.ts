import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors';
import { catalogueItemRecord, ledgerEntryRecord, redemptionRecord, type CatalogueItem, type LedgerEntry, type Redemption, type RedemptionStatus } from '../domain/points';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { queryAllItems, queryPage } from './items';
import { keys } from './keys';
import { decodeCursor } from './pagination';
import { cancellationCodes, appliedIf } from './store-errors';
import { transact } from './transactions';

const catalogue = entityOf<CatalogueItem>(catalogueItemRecord);
const redemptions = entityOf<Redemption>(redemptionRecord);
const ledger = entityOf<LedgerEntry>(ledgerEntryRecord);


export async function insertCatalogueItem(item: CatalogueItem): Promise<void> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tableName(), Key: keys.community(item.communityId), ConditionExpression: 'attribute_exists(pk)' } },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.catalogueItem(item.communityId, item.id), type: 'CatalogueItem', ...item },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new NotFoundError('Set up the community first: PUT /communities/{c}/settings');
    throw error;
  }
}

export async function getCatalogueItem(communityId: string, itemId: string): Promise<CatalogueItem | undefined> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.catalogueItem(communityId, itemId), ConsistentRead: true }));
  return Item ? catalogue.fromItem(Item) : undefined;
}

/**
 * An organiser's change to an item. Stock is set as a value on condition that it is still what was
 * read, so a redemption landing in between is never overwritten (the caller re-reads and retries).
 */
export async function updateCatalogueItem(previous: CatalogueItem, next: CatalogueItem): Promise<boolean> {
  return appliedIf(
    send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.catalogueItem(next.communityId, next.id),
        UpdateExpression: 'SET #name = :name, pointsCost = :cost, stock = :stock, updatedAt = :now',
        ConditionExpression: 'stock = :readStock AND updatedAt = :readAt',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: {
          ':name': next.name,
          ':cost': next.pointsCost,
          ':stock': next.stock,
          ':now': next.updatedAt,
          ':readStock': previous.stock,
          ':readAt': previous.updatedAt,
        },
      }),
    ),
  );
}

/** The points supermarket's items (Query `pk = COMMUNITY#c AND begins_with(sk, ITEM#)`). */
export async function listCatalogue(communityId: string): Promise<CatalogueItem[]> {
  const items = await queryAllItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.community(communityId).pk, ':prefix': keys.cataloguePrefix },
  });
  return items.map((item) => catalogue.fromItem(item));
}

function ledgerPut(entry: LedgerEntry) {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.ledgerEntry(entry.communityId, entry.volunteerId, entry.id), type: 'LedgerEntry', ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * A redemption, in one transaction: the balance (on condition `pointsBalance >= cost`), the stock
 * (on condition `stock >= quantity`), the ledger entry and the reservation. Neither can go below zero.
 */
export async function insertRedemption(redemption: Redemption, entry: LedgerEntry): Promise<void> {
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: keys.volunteer(redemption.communityId, redemption.volunteerId),
          UpdateExpression: 'SET pointsBalance = pointsBalance - :cost',
          ConditionExpression: 'pointsBalance >= :cost',
          ExpressionAttributeValues: { ':cost': redemption.points },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.catalogueItem(redemption.communityId, redemption.itemId),
          UpdateExpression: 'SET stock = stock - :quantity',
          ConditionExpression: 'stock >= :quantity',
          ExpressionAttributeValues: { ':quantity': redemption.quantity },
        },
      },
      ledgerPut(entry),
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.redemption(redemption.communityId, redemption.id), type: 'Redemption', ...redemption },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') throw new ConflictError('insufficient_points', 'Not enough points for this');
    if (codes?.[1] === 'ConditionalCheckFailed') throw new ConflictError('out_of_stock', 'Not enough left in stock');
    throw error;
  }
}

export async function getRedemption(communityId: string, redemptionId: string): Promise<Redemption | undefined> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.redemption(communityId, redemptionId), ConsistentRead: true }));
  return Item ? redemptions.fromItem(Item) : undefined;
}

/** reserved → collected, on condition it is still reserved. False when it no longer was. */
export async function markCollected(redemption: Redemption, now: Date): Promise<boolean> {
  return appliedIf(
    send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.redemption(redemption.communityId, redemption.id),
        UpdateExpression: 'SET #status = :collected, collectedAt = :now, updatedAt = :now',
        ConditionExpression: '#status = :reserved',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':collected': 'collected', ':reserved': 'reserved', ':now': now.toISOString() },
      }),
    ),
  );
}

/**
 * reserved → cancelled with points and stock returned, in one transaction conditioned on the
 * reservation still being reserved: they come back exactly once. False when it no longer was.
 */
export async function cancelRedemption(redemption: Redemption, refund: LedgerEntry, now: Date): Promise<boolean> {
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: keys.redemption(redemption.communityId, redemption.id),
          UpdateExpression: 'SET #status = :cancelled, cancelledAt = :now, updatedAt = :now',
          ConditionExpression: '#status = :reserved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':reserved': 'reserved', ':now': now.toISOString() },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.volunteer(redemption.communityId, redemption.volunteerId),
          UpdateExpression: 'SET pointsBalance = pointsBalance + :points',
          ExpressionAttributeValues: { ':points': redemption.points },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.catalogueItem(redemption.communityId, redemption.itemId),
          UpdateExpression: 'SET stock = stock + :quantity',
          ExpressionAttributeValues: { ':quantity': redemption.quantity },
        },
      },
      ledgerPut(refund),
    ]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** A community's redemptions, newest first, optionally one status (Query `pk = REDEMPTIONS#c`, filtered). */
export async function listRedemptions(communityId: string, options: { status?: RedemptionStatus; limit: number; cursor?: string }) {
  const partition = keys.redemptionsPartition(communityId);
  const startKey = decodeCursor(options.cursor, { pk: partition }, ['pk', 'sk'], (key) => key.sk!.startsWith('RED#'));
  const result = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ...(options.status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':pk': partition, ...(options.status ? { ':status': options.status } : {}) },
      ScanIndexForward: false,
    },
    options.limit,
    startKey,
  );
  return { items: result.items.map((item) => redemptions.fromItem(item)), nextCursor: result.nextCursor };
}

/** A volunteer's ledger, newest first (Query `pk = VOLUNTEER#c#v AND begins_with(sk, LEDGER#)`, descending). */
export async function listLedger(communityId: string, volunteerId: string, page: { limit: number; cursor?: string }) {
  const partition = keys.ledgerPartition(communityId, volunteerId);
  const startKey = decodeCursor(page.cursor, { pk: partition }, ['pk', 'sk'], (key) => key.sk!.startsWith(keys.ledgerPrefix));
  const result = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.ledgerPrefix },
      ScanIndexForward: false,
    },
    page.limit,
    startKey,
  );
  return { items: result.items.map((item) => ledger.fromItem(item)), nextCursor: result.nextCursor };
}

