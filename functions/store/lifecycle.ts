import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { send, tableName } from './client';
import { appliedIf, cancellationCodes } from './store-errors';
import { transact, type TransactItem } from './transactions';

/**
 * One step of a lifecycle item (a work order, a micro-wish), written once by everyone who moves
 * one: the item's next state, on condition it is still in the state it was read in and, once
 * someone has taken it, still theirs (`taker`: the attribute naming who took it, and who did).
 * That condition is what makes "take it" exactly-once: of several racing steps from one state,
 * one is applied and the others find the state moved.
 */
export function stepPut(item: Record<string, unknown>, readStatus: string, taker?: { attribute: string; value: string | undefined }): TransactItem {
  const mine = taker?.value !== undefined;
  return {
    Put: {
      TableName: tableName(),
      Item: item,
      ConditionExpression: `#status = :read${mine ? ' AND #taker = :by' : ''}`,
      ExpressionAttributeNames: { '#status': 'status', ...(mine ? { '#taker': taker.attribute } : {}) },
      ExpressionAttributeValues: { ':read': readStatus, ...(mine ? { ':by': taker.value } : {}) },
    },
  };
}

/**
 * Applies a step, alone or in one transaction with what comes with it (the pending hours log a
 * resolution makes, the erasure a closing plans): all or nothing. False when the item was no longer
 * as read: someone else moved it first.
 */
export async function applyStep(step: TransactItem, withIt: TransactItem[] = []): Promise<boolean> {
  if (withIt.length === 0) return appliedIf(send(new PutCommand(step.Put!)));
  try {
    await transact([step, ...withIt]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}
