import { GetCommand, PutCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { workOrderRecord, type WorkOrder, type WorkOrderStatus } from '../domain/work-orders';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { queryAllItems, queryPage } from './items';
import { keys } from './keys';
import { decodeCursor } from './pagination';
import { appliedIf, cancellationCodes } from './store-errors';
import { transact } from './transactions';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const fromItem = entityOf<WorkOrder>(workOrderRecord).fromItem;
const itemOf = (order: WorkOrder) => ({ ...keys.workOrder(order.communityId, order.id), type: 'WorkOrder', ...order });

/**
 * Stores a new work order: alone (a volunteer's report), or with the phone's use of the per-phone
 * limit (a resident's), on condition the log is as read. False when the phone's log changed since.
 */
export async function insertWorkOrder(order: WorkOrder, phoneUse?: TransactItem): Promise<boolean> {
  const put = { TableName: tableName(), Item: itemOf(order), ConditionExpression: 'attribute_not_exists(pk)' };
  if (!phoneUse) {
    await send(new PutCommand(put));
    return true;
  }
  try {
    await transact([{ Put: put }, phoneUse]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[1] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

export async function getWorkOrder(communityId: string, id: string): Promise<WorkOrder | undefined> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.workOrder(communityId, id), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
}

/**
 * Replaces an order with its next state, on condition it is still in the state it was read in
 * (and, for a volunteer's step, still theirs). False when it was not: someone else moved it first.
 */
export function moveWorkOrder(read: WorkOrder, next: WorkOrder): Promise<boolean> {
  return appliedIf(send(new PutCommand(moveItem(read, next).Put!)));
}

function moveItem(read: WorkOrder, next: WorkOrder): TransactItem {
  const mine = read.acceptedBy !== undefined;
  return {
    Put: {
      TableName: tableName(),
      Item: itemOf(next),
      ConditionExpression: `#status = :read${mine ? ' AND acceptedBy = :by' : ''}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':read': read.status, ...(mine ? { ':by': read.acceptedBy } : {}) },
    },
  };
}

/**
 * Resolves an accepted order in one transaction with the pending hours log its minutes become
 * (store/hours.ts `pendingLogItems`): both or neither. False when it was no longer the
 * volunteer's accepted order.
 */
export async function resolveWorkOrder(read: WorkOrder, resolved: WorkOrder, logItems: TransactItem[]): Promise<boolean> {
  try {
    await transact([moveItem(read, resolved), ...logItems]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/**
 * A community's work orders, newest first, optionally of one status or for one volunteer (those
 * dispatched to their team and not yet accepted, and those they accepted). A community's orders
 * are one partition: a few hundred a year.
 */
export async function listWorkOrders(
  communityId: string,
  filter: { status?: WorkOrderStatus; forVolunteer?: { id: string; team: string } },
  page: { limit: number; cursor?: string },
): Promise<{ items: WorkOrder[]; nextCursor: string | null }> {
  const partition = keys.workOrders(communityId);
  const startKey = decodeCursor(page.cursor, { pk: partition }, ['pk', 'sk'], (key) => key.sk!.startsWith('WO#'));
  const values: Record<string, unknown> = { ':pk': partition, ':prefix': 'WO#' };
  let filterExpression: string | undefined;
  if (filter.status) {
    filterExpression = '#status = :status';
    values[':status'] = filter.status;
  }
  if (filter.forVolunteer) {
    filterExpression = '(#status = :dispatched AND team = :team) OR acceptedBy = :me';
    Object.assign(values, { ':dispatched': 'dispatched', ':team': filter.forVolunteer.team, ':me': filter.forVolunteer.id });
  }
  const result = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...(filterExpression ? { FilterExpression: filterExpression, ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    },
    page.limit,
    startKey,
  );
  return { items: result.items.map(fromItem), nextCursor: result.nextCursor };
}

/** How many of a community's orders are dispatched or accepted and past their due time (the organisers' digest says so). */
export async function countOverdueWorkOrders(communityId: string, nowIso: string): Promise<number> {
  const items = await queryAllItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    FilterExpression: '(#status = :dispatched OR #status = :accepted) AND dueBy < :now',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': keys.workOrders(communityId), ':prefix': 'WO#', ':dispatched': 'dispatched', ':accepted': 'accepted', ':now': nowIso },
    ProjectionExpression: 'pk',
  });
  return items.length;
}
