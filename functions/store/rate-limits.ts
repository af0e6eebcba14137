import { createHash } from 'node:crypto';
import { GetCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { send, tableName } from './client';
import { keys } from './keys';
import { isConditionalCheckFailed } from './store-errors';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The last uses of a scope (a phone number), kept in one item for a sliding window
 * (domain/limits.ts): read, decided in code, and written back in the transaction of the use on
 * condition nobody wrote it since (`version`).
 */
export interface UseLog {
  readonly scope: string;
  readonly uses: readonly string[];
  readonly version: number;
}

export async function readUseLog(scope: string): Promise<UseLog> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.useLog(scope), ConsistentRead: true }));
  return { scope, uses: (Item?.uses as string[] | undefined) ?? [], version: (Item?.version as number | undefined) ?? 0 };
}

/** The transaction item that records `uses` as the scope's log, refused if the log changed since `log` was read. */
export function writeUseLog(log: UseLog, uses: readonly string[], expiresAt: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.useLog(log.scope),
      UpdateExpression: 'SET uses = :uses, version = :next, expiresAt = :expires',
      ConditionExpression: 'attribute_not_exists(version) OR version = :read',
      ExpressionAttributeValues: { ':uses': [...uses], ':next': log.version + 1, ':read': log.version, ':expires': expiresAt },
    },
  };
}

/** A client address as a key: hashed first, since an IP address is personal data too. */
export function addressScope(address: string): string {
  return `ip#${createHash('sha256').update(address || 'unknown').digest('base64url').slice(0, 22)}`;
}

/**
 * The write that counts one more under `key`, refused once `limit` is reached: one conditional
 * update, so the count never passes the limit however many requests race. Alone (a window of
 * public POSTs) or as one more item of a transaction (an address's parties for an event).
 */
export function countUpTo(key: { pk: string; sk: string }, limit: number, expiresAt: number) {
  return {
    TableName: tableName(),
    Key: key,
    UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expires)',
    ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
    ExpressionAttributeNames: { '#count': 'count' },
    ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': expiresAt },
  };
}

/**
 * Counts one request in a fixed window and says whether it is within `limit`.
 * Windows expire through the table's TTL a window after they close.
 */
export async function consumeRateWindow(
  scope: string,
  windowSeconds: number,
  limit: number,
  now: Date,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const windowStartMs = Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000;
  const windowEndMs = windowStartMs + windowSeconds * 1000;
  try {
    await send(new UpdateCommand(countUpTo(keys.rateWindow(scope, new Date(windowStartMs).toISOString()), limit, Math.ceil(windowEndMs / 1000) + windowSeconds)));
    return { allowed: true, retryAfterSeconds: 0 };
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEndMs - now.getTime()) / 1000)) };
    }
    throw error;
  }
}
