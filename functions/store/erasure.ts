import { DeleteCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { send, tableName } from './client';
import { oldestDue, queryAllItems, queryDue, type DuePage } from './items';
import { keys } from './keys';
import { phoneHash } from './registrations';
import type { TransactItem } from './transactions';
import { appliedIf, isConditionalCheckFailed } from './store-errors';

/** What an erasure is for: an event's registrations, a slot's requests, or one closed work order or wish. */
export type ErasureKind = 'slot' | 'event' | 'work_order' | 'wish';

export interface ErasurePlan {
  readonly communityId: string;
  readonly targetKind: ErasureKind;
  readonly targetId: string;
  readonly eraseAt: string;
}

/** Plans (or moves) the erasure of a target's residents' personal data. */
export async function saveErasurePlan(plan: ErasurePlan): Promise<void> {
  await send(new PutCommand(erasurePlanPut(plan).Put!));
}

/** The plan as a write of a transaction: a work order or wish plans its erasure in the step that closes it. */
export function erasurePlanPut(plan: ErasurePlan): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.erasurePlan(plan.communityId, plan.targetKind, plan.targetId),
        type: 'ErasurePlan',
        ...plan,
        gsi2pk: keys.dueErasures,
        gsi2sk: `${plan.eraseAt}#${plan.communityId}#${plan.targetKind}#${plan.targetId}`,
      },
    },
  };
}

/** When the oldest erasure still due fell due (undefined when none is): one item read. */
export const oldestDueErasure = (now: Date) => oldestDue(keys.dueErasures, now);

/** Erasures due by `now` (Query gsi2 `ERASE#DUE`, `<= now`), a page at a time. */
export async function listDueErasures(now: Date, limit = 50, startKey?: Record<string, unknown>): Promise<DuePage<ErasurePlan>> {
  const page = await queryDue(keys.dueErasures, now, limit, startKey);
  return {
    ...page,
    items: page.items.map((item) => ({
      communityId: item.communityId as string,
      targetKind: item.targetKind as ErasureKind,
      targetId: item.targetId as string,
      eraseAt: item.eraseAt as string,
    })),
  };
}

const ERASED_NAME = '（已删除）';

/**
 * Erases residents' names, phones and free text from a target's registrations or help requests,
 * and their phone markers. Statuses, party sizes and the target's counters are left as they are,
 * so counts and statistics stay true. Safe to run again.
 */
export async function eraseResidentsOf(plan: ErasurePlan, now: Date): Promise<number> {
  if (plan.targetKind === 'work_order' || plan.targetKind === 'wish') return eraseOne(plan, now);
  const prefix = plan.targetKind === 'event' ? keys.registrationPrefix : keys.helpRequestPrefix;
  const items = await queryAllItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.targetPartition(plan.communityId, plan.targetKind, plan.targetId), ':prefix': prefix },
  });
  let erased = 0;
  for (const item of items) {
    if (item.erasedAt) continue;
    if (typeof item.phone === 'string') {
      await send(
        new DeleteCommand({
          TableName: tableName(),
          Key: { pk: item.pk, sk: `PHONE#${phoneHash(item.phone)}` },
        }),
      );
    }
    await send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #name = :erased, erasedAt = :now REMOVE phone, building, note, description',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':erased': ERASED_NAME, ':now': now.toISOString() },
      }),
    );
    erased += 1;
  }
  return erased;
}

/**
 * A closed work order's resident reporter (a volunteer's report names the volunteer, who is not
 * erased with residents) or a finished wish's resident: name, phone and the resident's comment.
 * The order's category, team, times and rating, and the wish's title and story, stay.
 */
async function eraseOne(plan: ErasurePlan, now: Date): Promise<number> {
  const [key, fields] =
    plan.targetKind === 'work_order'
      ? [keys.workOrder(plan.communityId, plan.targetId), { name: 'reporterName', phone: 'reporterPhone', remove: ', feedback' }]
      : [keys.wish(plan.communityId, plan.targetId), { name: 'residentName', phone: 'residentPhone', remove: '' }];
  return (await appliedIf(
    send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET #name = :erased, erasedAt = :now REMOVE #phone${fields.remove}`,
        ConditionExpression: 'attribute_exists(#phone)',
        ExpressionAttributeNames: { '#name': fields.name, '#phone': fields.phone },
        ExpressionAttributeValues: { ':erased': ERASED_NAME, ':now': now.toISOString() },
      }),
    ),
  ))
    ? 1
    : 0;
}

/** The plan is done: it leaves the due queue. */
export async function finishErasurePlan(plan: ErasurePlan, now: Date): Promise<void> {
  try {
    await send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.erasurePlan(plan.communityId, plan.targetKind, plan.targetId),
        UpdateExpression: 'SET erasedAt = :now REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'eraseAt = :at',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':at': plan.eraseAt },
      }),
    );
  } catch (error) {
    // Moved in the meantime (the event was rescheduled): the new plan stands.
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/**
 * Expired idempotency records and held sign-ups (phone verification, with a resident's name and
 * phone). DynamoDB's TTL removes them on AWS; DynamoDB Local never does, so housekeeping does it
 * there, with a Scan (each is its own partition; a local table is small).
 */
export async function deleteExpiredIdempotencyRecords(now: Date): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: '(begins_with(pk, :prefix) OR begins_with(pk, :held)) AND expiresAt < :now',
        ExpressionAttributeValues: { ':prefix': keys.idempotencyPrefix, ':held': 'VERIFY#', ':now': Math.floor(now.getTime() / 1000) },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) await send(new DeleteCommand({ TableName: tableName(), Key: { pk: item.pk, sk: item.sk } }));
    count += page.Items?.length ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}
