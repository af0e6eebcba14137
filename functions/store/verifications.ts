import { DeleteCommand, GetCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { MAX_WRONG_CODES, pendingVerificationRecord, type PendingVerification } from '../domain/verification';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { keys } from './keys';
import { appliedIf, cancellationCodes } from './store-errors';
import { transact } from './transactions';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const fromItem = entityOf<PendingVerification>(pendingVerificationRecord).fromItem;

/** Kept an hour past its code's lapse (TTL), so a late verify is told "expired", not "no such". */
const KEPT_AFTER_LAPSE_SECONDS = 3600;

/**
 * Holds a sign-up or booking until its code comes back: the held request and its counts (the
 * phone's holds from this address, the codes sent to the number) in one transaction. `false` when
 * a count's log changed since it was read (decide the limits again).
 */
export async function holdForVerification(pending: PendingVerification, counts: readonly TransactItem[]): Promise<boolean> {
  try {
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.pendingVerification(pending.communityId, pending.id),
            type: 'PendingVerification',
            ...pending,
            expiresAt: Math.ceil(Date.parse(pending.expiresAtIso) / 1000) + KEPT_AFTER_LAPSE_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...counts,
    ]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.slice(1).includes('ConditionalCheckFailed')) return false;
    throw error;
  }
}

export async function getPendingVerification(communityId: string, id: string): Promise<PendingVerification | undefined> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.pendingVerification(communityId, id), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
}

/** Counts a wrong code, refused once the held request has had its last (`false`). */
export function countWrongCode(pending: PendingVerification): Promise<boolean> {
  return appliedIf(
    send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.pendingVerification(pending.communityId, pending.id),
        UpdateExpression: 'ADD wrongCodes :one',
        ConditionExpression: 'attribute_exists(pk) AND wrongCodes < :max',
        ExpressionAttributeValues: { ':one': 1, ':max': MAX_WRONG_CODES },
      }),
    ),
  );
}

/**
 * The transaction item that uses up a held request as it is placed: in the placement's own
 * transaction, so it is placed once however many verifies race, and never left half-placed.
 */
export function consumePending(pending: PendingVerification): TransactItem {
  return {
    Delete: {
      TableName: tableName(),
      Key: keys.pendingVerification(pending.communityId, pending.id),
      ConditionExpression: 'attribute_exists(pk) AND wrongCodes < :max',
      ExpressionAttributeValues: { ':max': MAX_WRONG_CODES },
    },
  };
}

/** Withdraws a held request (the resident cancels before verifying). */
export async function dropPending(pending: PendingVerification): Promise<void> {
  await send(new DeleteCommand({ TableName: tableName(), Key: keys.pendingVerification(pending.communityId, pending.id) }));
}
