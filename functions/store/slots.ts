import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import { slotRecord, type Slot } from '../domain/slots';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { queryTimeWindowPage } from './items';
import { keys } from './keys';
import { isConditionalCheckFailed } from './store-errors';

const fromItem = entityOf<Slot>(slotRecord).fromItem;

function listingKeys(slot: Slot) {
  return slot.status === 'open'
    ? { gsi1pk: keys.openSlots(slot.communityId), gsi1sk: keys.openSlotSort(slot.endsAt, slot.id) }
    : {};
}

/** Puts a slot unless one with its (deterministic) id exists: re-sending a series makes nothing new. */
export async function insertSlotIfAbsent(slot: Slot): Promise<'created' | 'existing'> {
  try {
    await send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.slot(slot.communityId, slot.id), type: 'Slot', ...slot, ...listingKeys(slot) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return 'created';
  } catch (error) {
    if (isConditionalCheckFailed(error)) return 'existing';
    throw error;
  }
}

export async function getSlot(communityId: string, slotId: string): Promise<Slot | undefined> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.slot(communityId, slotId), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
}

/** The slot changed since it was read; read again and re-apply. */
export class StaleSlotError extends ConflictError {
  constructor() {
    super('invalid_state', 'The slot changed while it was being updated');
    this.name = 'StaleSlotError';
  }
}

/**
 * Saves an organiser's change on condition of the version read and that the places already
 * taken still fit the new capacities; a cancelled slot leaves the public listing.
 */
export async function replaceSlot(previous: Slot, next: Slot): Promise<void> {
  const open = next.status === 'open';
  try {
    await send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.slot(next.communityId, next.id),
        UpdateExpression:
          'SET venue = :venue, requestCapacity = :rc, volunteerCapacity = :vc, #status = :status, version = :version, updatedAt = :now' +
          (open ? ', gsi1pk = :gpk, gsi1sk = :gsk' : ' REMOVE gsi1pk, gsi1sk'),
        ConditionExpression: 'version = :read AND requestsBooked <= :rc AND volunteersStaffed <= :vc',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':venue': next.venue,
          ':rc': next.requestCapacity,
          ':vc': next.volunteerCapacity,
          ':status': next.status,
          ':version': next.version,
          ':now': next.updatedAt,
          ':read': previous.version,
          ...(open ? { ':gpk': keys.openSlots(next.communityId), ':gsk': keys.openSlotSort(next.endsAt, next.id) } : {}),
        },
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new StaleSlotError();
    throw error;
  }
}

/** Open slots ending at or after `fromUtc`, starting no later than `toUtc` (Query gsi1). */
export async function listOpenSlots(
  communityId: string,
  range: { fromUtc: string; toUtc?: string },
  page: { limit: number; cursor?: string },
) {
  const result = await queryTimeWindowPage({ partition: keys.openSlots(communityId), communityId, skPrefix: 'SLOT#' }, range, page);
  return { items: result.items.map(fromItem), nextCursor: result.nextCursor };
}
