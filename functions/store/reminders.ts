import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { reminderPlanRecord, type ReminderPlan } from '../domain/reminders';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { oldestDue, queryAllItems, queryDue, type DuePage } from './items';
import { keys } from './keys';
import { appliedIf, isConditionalCheckFailed } from './store-errors';

const fromItem = entityOf<ReminderPlan>(reminderPlanRecord).fromItem;

const keyOf = (plan: ReminderPlan) => keys.reminderPlan(plan.communityId, plan.targetKind, plan.targetId, plan.audience, plan.offsetMinutes);
const dueSort = (plan: ReminderPlan) =>
  `${plan.dueAt}#${plan.communityId}#${plan.targetKind}#${plan.targetId}#${plan.audience}#${plan.offsetMinutes}`;

/**
 * (Re)plans reminders: each plan is written pending, into the due queue, unless the same
 * reminder for the same start time was already claimed or sent. A target that moved gets its
 * reminders anew for the new time; one that did not keeps what already went out.
 */
export async function savePlans(plans: readonly ReminderPlan[]): Promise<number> {
  let written = 0;
  await Promise.all(
    plans.map(async (plan) => {
      try {
        await send(
          new PutCommand({
            TableName: tableName(),
            Item: { ...keyOf(plan), type: 'ReminderPlan', ...plan, gsi2pk: keys.dueReminders, gsi2sk: dueSort(plan) },
            ConditionExpression: 'attribute_not_exists(pk) OR targetStartsAt <> :start OR #status IN (:pending, :cancelled)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':start': plan.targetStartsAt, ':pending': 'pending', ':cancelled': 'cancelled' },
          }),
        );
        written += 1;
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }),
  );
  return written;
}

/** A cancelled target: every reminder not yet sent is cancelled and leaves the due queue. */
export async function cancelPlans(communityId: string, kind: 'slot' | 'event', targetId: string): Promise<void> {
  const items = await queryAllItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.reminderPartition(communityId, kind, targetId) },
  });
  await Promise.all(
    items.map((item) =>
      send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET #status = :cancelled REMOVE gsi2pk, gsi2sk',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':pending': 'pending' },
        }),
      ).catch((error: unknown) => {
          if (!isConditionalCheckFailed(error)) throw error;
        }),
    ),
  );
}

/**
 * Reminders due by `now` (Query gsi2 `gsi2pk = REMINDERS#DUE AND gsi2sk <= now`): only what is
 * due is read, however many future events and slots the table holds. Returns the read units too.
 */
/** When the oldest reminder still due fell due, if one is (one item read). */
export const oldestDuePlan = (now: Date) => oldestDue(keys.dueReminders, now);

export async function listDuePlans(now: Date, limit = 100, startKey?: Record<string, unknown>): Promise<DuePage<ReminderPlan>> {
  const page = await queryDue(keys.dueReminders, now, limit, startKey);
  return { ...page, items: page.items.map(fromItem) };
}

/**
 * Claims a due reminder for this run with a conditional write (still pending, still for the same
 * start): of several overlapping runs exactly one gets it. It leaves the due queue as it is claimed.
 */
export async function claimPlan(plan: ReminderPlan, claimToken: string): Promise<boolean> {
  return appliedIf(
    send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keyOf(plan),
        UpdateExpression: 'SET #status = :claimed, claimToken = :token REMOVE gsi2pk, gsi2sk',
        // Or already this run's: the SDK sends a write again when its answer was lost (a timeout,
        // a cut connection), and the first one may have been stored; the claim is still ours.
        ConditionExpression: '(#status = :pending AND targetStartsAt = :start AND dueAt = :due) OR (#status = :claimed AND claimToken = :token)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':token': claimToken, ':pending': 'pending', ':start': plan.targetStartsAt, ':due': plan.dueAt },
      }),
    ),
  );
}

/** Records what came of a claimed reminder (`done`, or `cancelled` when its target was). */
export async function finishPlan(plan: ReminderPlan, claimToken: string, status: 'done' | 'cancelled', outcome: string): Promise<void> {
  try {
    await send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keyOf(plan),
        UpdateExpression: 'SET #status = :status, outcome = :outcome',
        ConditionExpression: 'claimToken = :token AND #status = :claimed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':outcome': outcome, ':token': claimToken, ':claimed': 'claimed' },
      }),
    );
  } catch (error) {
    // Re-planned in the meantime (the target moved): the new plan stands.
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
