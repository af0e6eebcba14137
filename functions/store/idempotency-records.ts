import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as clock from '../clock';
import { config } from '../config';
import { send } from './client';
import { keys } from './keys';
import { seal, unseal, type RequestRecordScope } from './request-record';

/**
 * Reading and completing a keyed request's record (store/request-record.ts writes it, with the
 * effect). Apart from it because the store's `send` itself depends on that module.
 */
export interface StoredRecord {
  readonly status: 'applied' | 'completed';
  readonly bodyHash: string;
  readonly outcome: Record<string, string>;
  readonly response?: StoredResponse;
}

export interface StoredResponse {
  readonly statusCode?: number;
  readonly headers?: Record<string, string | number | boolean>;
  readonly body?: string;
}

/** The record of a keyed request, opened with its key; undefined if there is none (or it expired). */
export async function readRecord(scope: RequestRecordScope): Promise<StoredRecord | undefined> {
  const result = (await send(
    new GetCommand({ TableName: config().tableName, Key: keys.idempotencyRecord(scope.id), ConsistentRead: true }),
  )) as { Item?: Record<string, unknown> };
  const item = result.Item;
  if (!item || (item.expiresAt as number) < Math.floor(clock.nowMs() / 1000)) return undefined;
  return {
    status: item.status as StoredRecord['status'],
    bodyHash: item.bodyHash as string,
    outcome: item.outcome ? unseal<Record<string, string>>(item.outcome as string, scope.sealingKey) : {},
    ...(item.response ? { response: unseal<StoredResponse>(item.response as string, scope.sealingKey) } : {}),
  };
}

/** Stores the answer to an applied request, sealed, so later replays return it byte for byte. */
export async function completeRecord(scope: RequestRecordScope, response: StoredResponse): Promise<void> {
  await send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: keys.idempotencyRecord(scope.id),
      UpdateExpression: 'SET #status = :completed, #response = :response',
      ConditionExpression: '#status = :applied',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: { ':completed': 'completed', ':applied': 'applied', ':response': seal(response, scope.sealingKey) },
    }),
  );
}
