import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents, tableName } from './client';
import { keys } from './keys';
import { isConditionalCheckFailed, translateStoreError } from './store-errors';

/**
 * Counts one request in a fixed window and says whether it is within `limit`.
 * One conditional UpdateItem: the counter never passes the limit, however many requests race.
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
    await documents().send(
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
    throw translateStoreError(error);
  }
}
