import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { notificationRecord, type Notification } from '../domain/notifications';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { oldestDue, queryDue, queryPage, type DuePage } from './items';
import { keys } from './keys';
import { decodeCursor } from './pagination';
import { appliedIf, isConditionalCheckFailed } from './store-errors';

const fromItem = entityOf<Notification>(notificationRecord).fromItem;

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
        await send(
          new PutCommand({
            TableName: tableName(),
            Item: {
              ...keys.notification(next.communityId, next.id),
              type: 'Notification',
              ...next,
              gsi1pk: keys.notifications(next.communityId),
              gsi1sk: `${next.createdAt}#${next.id}`,
              attempts: 0,
              nextAttemptAt: next.dueAt,
              // Into the delivery queue at once.
              gsi2pk: keys.dueNotifications,
              gsi2sk: `${next.dueAt}#${next.communityId}#${next.id}`,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        recorded += 1;
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
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

/** Notifications whose next delivery attempt is due (Query gsi2 `NOTIFY#DUE`, `<= now`). */
/** When the oldest delivery still due fell due, if one is (one item read). */
export const oldestDueNotification = (now: Date) => oldestDue(keys.dueNotifications, now);

export async function listDueNotifications(now: Date, limit = 100, startKey?: Record<string, unknown>): Promise<DuePage<Notification>> {
  const page = await queryDue(keys.dueNotifications, now, limit, startKey);
  return { ...page, items: page.items.map(fromItem) };
}

/**
 * Claims a notification for delivery: still pending, still at the attempt count read. Of several
 * overlapping runs exactly one gets it; it leaves the queue while it is being delivered.
 */
export async function claimNotification(notification: Notification, claimToken: string): Promise<boolean> {
  return appliedIf(
    send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.notification(notification.communityId, notification.id),
        UpdateExpression: 'SET #status = :sending, claimToken = :token REMOVE gsi2pk, gsi2sk',
        ConditionExpression: '#status = :pending AND attempts = :attempts',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending', ':pending': 'pending', ':token': claimToken, ':attempts': notification.attempts ?? 0 },
      }),
    ),
  );
}

/** What came of a delivery attempt by the run holding the claim. */
export type DeliveryOutcome =
  | { readonly status: 'sent'; readonly at: string }
  | { readonly status: 'pending'; readonly error: string; readonly nextAttemptAt: string }
  | { readonly status: 'failed'; readonly error: string };

export async function recordDelivery(notification: Notification, claimToken: string, outcome: DeliveryOutcome): Promise<void> {
  const attempts = (notification.attempts ?? 0) + 1;
  const base = { ':token': claimToken, ':sending': 'sending', ':status': outcome.status, ':attempts': attempts };
  const update =
    outcome.status === 'sent'
      ? { expression: 'SET #status = :status, attempts = :attempts, sentAt = :at REMOVE lastError', values: { ':at': outcome.at } }
      : outcome.status === 'pending'
        ? {
            expression: 'SET #status = :status, attempts = :attempts, lastError = :error, nextAttemptAt = :next, gsi2pk = :queue, gsi2sk = :sort',
            values: {
              ':error': outcome.error,
              ':next': outcome.nextAttemptAt,
              ':queue': keys.dueNotifications,
              ':sort': `${outcome.nextAttemptAt}#${notification.communityId}#${notification.id}`,
            },
          }
        : { expression: 'SET #status = :status, attempts = :attempts, lastError = :error', values: { ':error': outcome.error } };
  await send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.notification(notification.communityId, notification.id),
      UpdateExpression: update.expression,
      ConditionExpression: 'claimToken = :token AND #status = :sending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...base, ...update.values },
    }),
  );
}
