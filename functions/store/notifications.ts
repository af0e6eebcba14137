import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Notification } from '../domain/notifications';
import { documents, tableName } from './client';
import { pickFields, queryPage } from './items';
import { keys } from './keys';
import { decodeCursor } from './pagination';
import { isConditionalCheckFailed, translateStoreError } from './store-errors';

const FIELDS = ['id', 'communityId', 'kind', 'targetId', 'recipients', 'subject', 'body', 'dueAt', 'status', 'createdAt', 'sentAt'] as const;

const fromItem = (item: Record<string, unknown>): Notification => pickFields<Notification>(item, FIELDS);

/** At most this many puts in flight at once when recording many notices (a cancelled festival). */
const PARALLEL_PUTS = 10;

/**
 * Records notifications, each once: the id is derived from what and whom it is about, and the
 * put is conditional, so recording the same notice again (a retried request) changes nothing.
 */
export async function recordNotifications(notifications: readonly Notification[]): Promise<number> {
  let recorded = 0;
  const queue = [...notifications];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        await documents().send(
          new PutCommand({
            TableName: tableName(),
            Item: {
              ...keys.notification(next.communityId, next.id),
              type: 'Notification',
              ...next,
              gsi1pk: keys.notifications(next.communityId),
              gsi1sk: `${next.createdAt}#${next.id}`,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        recorded += 1;
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw translateStoreError(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PUTS, queue.length) }, worker));
  return recorded;
}

/** A community's notifications, newest first (Query gsi1 `gsi1pk = COMMUNITY#c#NOTIFICATIONS`, descending). */
export async function listNotifications(communityId: string, page: { limit: number; cursor?: string }) {
  const partition = keys.notifications(communityId);
  const startKey = decodeCursor(page.cursor, { gsi1pk: partition, pk: `COMMUNITY#${communityId}` }, ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
    (key) => key.sk!.startsWith('NOTIFICATION#'));
  const result = await queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: false,
    },
    page.limit,
    startKey,
  );
  return { items: result.items.map(fromItem), nextCursor: result.nextCursor };
}
