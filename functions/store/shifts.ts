import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors';
import { shiftRecord, type Shift, type ShiftTarget, type ShiftTargetKind } from '../domain/shifts';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { queryAllItems } from './items';
import { keys } from './keys';
import { cancellationCodes } from './store-errors';
import { transact } from './transactions';

const fromItem = entityOf<Shift>(shiftRecord).fromItem;

function targetKey(target: Pick<ShiftTarget, 'kind' | 'communityId' | 'id'>) {
  return target.kind === 'slot' ? keys.slot(target.communityId, target.id) : keys.event(target.communityId, target.id);
}

/** The status a target must have to take shifts. */
const OPEN_STATUS: Record<ShiftTargetKind, string> = { slot: 'open', event: 'published' };

/** Why a shift could not be taken. */
export type TakeRefusal = 'target_changed' | 'already_signed_up';

/**
 * Takes a shift in one transaction: the target's volunteer counter, on condition a place is left
 * (`volunteerCapacity = :read AND volunteersStaffed <= :read − 1`, conditions have no arithmetic)
 * and the target is open; and the shift item, whose key is the "one shift per volunteer per
 * target" marker.
 */
export async function insertShift(target: ShiftTarget, shift: Shift): Promise<TakeRefusal | undefined> {
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: targetKey(target),
          UpdateExpression: 'SET volunteersStaffed = volunteersStaffed + :one',
          ConditionExpression: '#status = :open AND volunteerCapacity = :capacity AND volunteersStaffed <= :below',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':open': OPEN_STATUS[target.kind],
            ':capacity': target.volunteerCapacity,
            ':below': target.volunteerCapacity - 1,
          },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.shift(shift.communityId, shift.targetKind, shift.targetId, shift.volunteerId),
            type: 'Shift',
            ...shift,
            gsi1pk: keys.volunteerShifts(shift.communityId, shift.volunteerId),
            gsi1sk: keys.volunteerShiftSort(shift.endsAt, shift.targetKind, shift.targetId),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    return undefined;
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[1] === 'ConditionalCheckFailed') return 'already_signed_up';
    if (codes?.[0] === 'ConditionalCheckFailed') return 'target_changed';
    throw error;
  }
}

/** Gives a shift back: deletes it (on condition it exists) and frees the place, in one transaction. */
export async function deleteShift(target: Pick<ShiftTarget, 'kind' | 'communityId' | 'id'>, volunteerId: string): Promise<void> {
  try {
    await transact([
      {
        Delete: {
          TableName: tableName(),
          Key: keys.shift(target.communityId, target.kind, target.id, volunteerId),
          // A shift with its hours log stays: the log counts hours for it (one log per shift).
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(logId)',
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: targetKey(target),
          UpdateExpression: 'SET volunteersStaffed = volunteersStaffed - :one',
          ConditionExpression: 'volunteersStaffed >= :one',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
      {
        // Not while checked in on it: the open log would lose the shift it counts hours for.
        ConditionCheck: {
          TableName: tableName(),
          Key: keys.openLogMarker(target.communityId, volunteerId),
          // A marker from before markers named their shift has no target: it blocks nothing.
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(#target) OR #target <> :target',
          ExpressionAttributeNames: { '#target': 'target' },
          ExpressionAttributeValues: { ':target': keys.openLogTarget(target.kind, target.id) },
        },
      },
    ]);
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') {
      if (await findShift(target.communityId, target.kind, target.id, volunteerId)) throw new ConflictError('invalid_state', 'You have worked on this shift: its hours log keeps it');
      throw new NotFoundError('You hold no shift here');
    }
    if (codes?.[2] === 'ConditionalCheckFailed') throw new ConflictError('invalid_state', 'Check out before giving this shift back');
    throw error;
  }
}

/** The volunteers on duty for a target (Query `pk = <KIND>#c#id AND begins_with(sk, SHIFT#)`). */
export async function listShiftsOfTarget(communityId: string, kind: ShiftTargetKind, targetId: string): Promise<Shift[]> {
  const items = await queryAllItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.targetPartition(communityId, kind, targetId), ':prefix': keys.shiftPrefix },
  });
  return items.map(fromItem);
}

/** A volunteer's shifts that end at or after `fromUtc`, soonest first (Query gsi1). */
export async function listVolunteerShifts(communityId: string, volunteerId: string, fromUtc: string, limit = 100): Promise<Shift[]> {
  const page = await send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :from',
      ExpressionAttributeValues: { ':pk': keys.volunteerShifts(communityId, volunteerId), ':from': fromUtc },
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map(fromItem);
}

/** A volunteer's shift on a target, if they hold one (GetItem on the marker key). */
export async function findShift(communityId: string, kind: ShiftTargetKind, targetId: string, volunteerId: string): Promise<Shift | undefined> {
  const { Item } = await send(
    new GetCommand({ TableName: tableName(), Key: keys.shift(communityId, kind, targetId, volunteerId), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : undefined;
}

/**
 * Keeps the copies of a target's title, place and times on its shifts true after an organiser
 * moves or renames it (shifts are few per target: a handful of updates).
 */
export async function refreshShiftsOfTarget(target: ShiftTarget): Promise<void> {
  const shifts = await listShiftsOfTarget(target.communityId, target.kind, target.id);
  await Promise.all(
    shifts.map((shift) =>
      send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.shift(target.communityId, target.kind, target.id, shift.volunteerId),
          UpdateExpression: 'SET title = :title, venue = :venue, startsAt = :start, endsAt = :end, gsi1sk = :sort',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':title': target.title,
            ':venue': target.venue,
            ':start': target.startsAt,
            ':end': target.endsAt,
            ':sort': keys.volunteerShiftSort(target.endsAt, target.kind, target.id),
          },
        }),
      ).catch((error: unknown) => {
        // Given back in the meantime: nothing to refresh.
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      }),
    ),
  );
}
