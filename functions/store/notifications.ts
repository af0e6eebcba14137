import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { notificationRecord, type Delivery, type Notification } from '../domain/notifications';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { oldestDue, queryDue, queryPage, type DuePage } from './items';
import { keys } from './keys';
import { decodeCursor } from './pagination';
import { appliedIf, isConditionalCheckFailed } from './store-errors';

const fromItem = entityOf<Notification>(notificationRecord).fromItem;

/** At most this many puts in flight at once when recording many notices (a cancelled festival). */
const PARALLEL_PUTS = 10;

/** A new notification as stored: listed for the console, and in the delivery queue at once unless there is nowhere to deliver it. */
export function notificationItem(notification: Notification): Record<string, unknown> {
  return {
    ...keys.notification(notification.communityId, notification.id),
    type: 'Notification',
    ...notification,
    version: 0,
    gsi1pk: keys.notifications(notification.communityId),
    gsi1sk: `${notification.createdAt}#${notification.id}`,
    ...(notification.status === 'pending' ? { gsi2pk: keys.dueNotifications, gsi2sk: `${notification.dueAt}#${notification.communityId}#${notification.id}` } : {}),
  };
}

/**
 * Records notifications, each once: the id is derived from what and whom it is about, and the
 * put is conditional, so recording the same notice again (a retried request) changes nothing.
 */
export async function recordNotifications(notifications: readonly Notification[], by?: string): Promise<number> {
  let recorded = 0;
  const queue = [...notifications];
  // A run that says who it is (`by`, the reminder run's token) counts a put sent again after a
  // lost answer as its own, not as a notice recorded before (and overwrites it only while no run
  // has claimed it since: version 0).
  const mine = by
    ? {
        ConditionExpression: 'attribute_not_exists(pk) OR (recordedBy = :by AND #version = :first)',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':by': by, ':first': 0 },
      }
    : { ConditionExpression: 'attribute_not_exists(pk)' };
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        await send(new PutCommand({ TableName: tableName(), Item: { ...notificationItem(next), ...(by ? { recordedBy: by } : {}) }, ...mine }));
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
 * Claims a notification for delivery, and with it each of its deliveries the run is about to
 * hand over (their `sending` state, with the run's token, is in `deliveries`). Of overlapping runs
 * exactly one gets it: the write is conditional on the version read, and the notification must be
 * pending, or held by a run whose claim lapsed (it died). While held it stays in the queue, due
 * again when the claim lapses.
 */
export async function claimNotification(
  notification: Notification,
  claim: { token: string; until: string; now: string; deliveries: readonly Delivery[] },
): Promise<boolean> {
  const version = notification.version;
  return appliedIf(
    send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.notification(notification.communityId, notification.id),
        UpdateExpression:
          'SET #status = :sending, claimToken = :token, claimedUntil = :until, deliveries = :deliveries, #version = :next, gsi2pk = :queue, gsi2sk = :sort',
        // Or already this run's (its first attempt stored, the answer lost, and the SDK sent it again).
        ConditionExpression:
          `(${version === undefined ? 'attribute_not_exists(#version)' : '#version = :read'} AND ` +
          '(#status = :pending OR (#status = :sending AND claimedUntil < :now))) OR ' +
          '(#status = :sending AND claimToken = :token AND #version = :next)',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':pending': 'pending',
          ':token': claim.token,
          ':until': claim.until,
          ':now': claim.now,
          ':deliveries': claim.deliveries,
          ':next': (version ?? 0) + 1,
          ':queue': keys.dueNotifications,
          ':sort': `${claim.until}#${notification.communityId}#${notification.id}`,
          ...(version === undefined ? {} : { ':read': version }),
        },
      }),
    ),
  );
}

/** Records one delivery's outcome the moment it is known, by the run holding the claim. */
export async function recordDeliveryOutcome(notification: Notification, token: string, index: number, delivery: Delivery): Promise<void> {
  await send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.notification(notification.communityId, notification.id),
      UpdateExpression: `SET deliveries[${index}] = :delivery`,
      ConditionExpression: 'claimToken = :token AND #status = :sending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':delivery': delivery, ':token': token, ':sending': 'sending' },
    }),
  );
}

/** What a run leaves a notification as when it lets go of it. */
export interface Release {
  readonly status: 'pending' | 'sent' | 'failed';
  readonly deliveries: readonly Delivery[];
  readonly sentAt?: string;
  /** Pending: when the earliest delivery is due again. */
  readonly nextAttemptAt?: string;
  readonly lastError?: string;
}

/** Lets go of a claimed notification: its outcome, and back in the queue if a delivery waits. */
export async function releaseNotification(notification: Notification, token: string, release: Release): Promise<void> {
  const queued = release.status === 'pending' && release.nextAttemptAt;
  // The version the claim wrote, and the one after it, as values (not `+ 1`): sent again after a
  // lost answer, the release writes the same thing, and `claimToken` stays as the run that last
  // held it, so that a release already stored is recognised as this run's.
  const claimed = (notification.version ?? 0) + 1;
  const set = ['#status = :status', 'deliveries = :deliveries', '#version = :released'];
  const remove = ['claimedUntil'];
  const values: Record<string, unknown> = {
    ':status': release.status,
    ':deliveries': release.deliveries,
    ':claimed': claimed,
    ':released': claimed + 1,
    ':token': token,
    ':sending': 'sending',
  };
  if (release.sentAt) {
    set.push('sentAt = :sentAt');
    values[':sentAt'] = release.sentAt;
  }
  if (release.lastError) {
    set.push('lastError = :error');
    values[':error'] = release.lastError;
  } else remove.push('lastError');
  if (queued) {
    set.push('gsi2pk = :queue', 'gsi2sk = :sort');
    values[':queue'] = keys.dueNotifications;
    values[':sort'] = `${release.nextAttemptAt}#${notification.communityId}#${notification.id}`;
  } else remove.push('gsi2pk', 'gsi2sk');
  await send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.notification(notification.communityId, notification.id),
      UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
      ConditionExpression: 'claimToken = :token AND ((#status = :sending AND #version = :claimed) OR #version = :released)',
      ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
      ExpressionAttributeValues: values,
    }),
  );
}
