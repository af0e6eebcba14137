import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { workOrderRecord, type WorkOrder, type WorkOrderStatus } from '../domain/work-orders';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { queryAllItems, queryFilledPage } from './items';
import { keys } from './keys';
import { decodeCursor } from './pagination';
import { applyStep, stepPut } from './lifecycle';
import { cancellationCodes } from './store-errors';
import { transact, type TransactItem } from './transactions';

const fromItem = entityOf<WorkOrder>(workOrderRecord).fromItem;
const itemOf = (order: WorkOrder) => ({ ...keys.workOrder(order.communityId, order.id), type: 'WorkOrder', ...order });

/**
 * Stores a new work order: alone (a volunteer's report), or with what comes with a resident's (the
 * phone's use of the per-phone limit on condition the log is as read, or the held request used up;
 * the erasure plan), in one transaction. False when that first condition failed: read again.
 */
export async function insertWorkOrder(order: WorkOrder, withIt: TransactItem[] = []): Promise<boolean> {
  const put = { TableName: tableName(), Item: itemOf(order), ConditionExpression: 'attribute_not_exists(pk)' };
  if (withIt.length === 0) {
    await send(new PutCommand(put));
    return true;
  }
  try {
    await transact([{ Put: put }, ...withIt]);
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
 * (and, for a volunteer's step, still theirs), with what comes with the step in one transaction:
 * the pending hours log a resolution makes, the erasure a closing plans. False when someone else
 * moved it first.
 */
export function moveWorkOrder(read: WorkOrder, next: WorkOrder, withIt: TransactItem[] = []): Promise<boolean> {
  return applyStep(stepPut(itemOf(next), read.status, { attribute: 'acceptedBy', value: read.acceptedBy }), withIt);
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
  const result = await queryFilledPage(
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

/** Every work order of a community reported from `fromIso` on (all of them without): for the report. */
export async function allWorkOrders(communityId: string, fromIso?: string, toIso?: string): Promise<WorkOrder[]> {
  const items = await queryAllItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ...(fromIso || toIso
      ? {
          FilterExpression: [fromIso ? 'createdAt >= :from' : '', toIso ? 'createdAt < :to' : ''].filter(Boolean).join(' AND '),
        }
      : {}),
    ExpressionAttributeValues: { ':pk': keys.workOrders(communityId), ':prefix': 'WO#', ...(fromIso ? { ':from': fromIso } : {}), ...(toIso ? { ':to': toIso } : {}) },
  });
  return items.map(fromItem);
}
