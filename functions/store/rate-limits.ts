import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { send, tableName } from './client';
import { keys } from './keys';
import { isConditionalCheckFailed } from './store-errors';

/**
 * Counts one request in a fixed window and says whether it is within `limit`.
 * One conditional UpdateItem: the counter never passes the limit, however many requests race.
 * Windows expire through the table's TTL a window after they close.
 */
/** A window a write can count itself in, as one more item of its own transaction. */
export interface RateWindow {
  readonly key: { pk: string; sk: string };
  readonly limit: number;
  readonly expiresAt: number;
  readonly retryAfterSeconds: number;
}

export function rateWindow(scope: string, windowSeconds: number, limit: number, now: Date): RateWindow {
  const windowStartMs = Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000;
  const windowEndMs = windowStartMs + windowSeconds * 1000;
  return {
    key: keys.rateWindow(scope, new Date(windowStartMs).toISOString()),
    limit,
    expiresAt: Math.ceil(windowEndMs / 1000) + windowSeconds,
    retryAfterSeconds: Math.max(1, Math.ceil((windowEndMs - now.getTime()) / 1000)),
  };
}

/** The transaction item that counts one more in a window, refused once the window is full. */
export function countInWindow(window: RateWindow) {
  return {
    Update: {
      TableName: tableName(),
      Key: window.key,
      UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expires)',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':limit': window.limit, ':expires': window.expiresAt },
    },
  };
}

export async function consumeRateWindow(
  scope: string,
  windowSeconds: number,
  limit: number,
  now: Date,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const windowStartMs = Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000;
  const windowEndMs = windowStartMs + windowSeconds * 1000;
  try {
    await send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.rateWindow(scope, new Date(windowStartMs).toISOString()),
        UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expires)',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': Math.ceil(windowEndMs / 1000) + windowSeconds },
      }),
    );
    return { allowed: true, retryAfterSeconds: 0 };
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEndMs - now.getTime()) / 1000)) };
    }
    throw error;
  }
}
