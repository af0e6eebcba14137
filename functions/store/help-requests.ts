import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { helpRequestRecord, type HelpRequest } from '../domain/help-requests';
import type { Slot } from '../domain/slots';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { queryAllItems } from './items';
import { keys } from './keys';
import { phoneHash } from './registrations';
import { insertPhoneBooking, phoneHoldsPlace } from './phone-bookings';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes } from './store-errors';
import { transact } from './transactions';

const fromItem = entityOf<HelpRequest>(helpRequestRecord).fromItem;

export type BookingRefusal = 'slot_changed' | 'duplicate_phone' | 'phone_uses_changed';

/**
 * Books a place in one transaction (store/phone-bookings.ts): the slot's request counter on
 * condition a place is left and the slot is open and not over; the request; the phone marker (one
 * active request per phone per slot); the phone's log of uses.
 */
export async function insertHelpRequest(
  slot: Slot,
  request: HelpRequest,
  phoneUse: NonNullable<TransactWriteCommandInput['TransactItems']>[number],
  now: Date,
): Promise<BookingRefusal | undefined> {
  const refusal = await insertPhoneBooking({
    target: {
      TableName: tableName(),
      Key: keys.slot(slot.communityId, slot.id),
      UpdateExpression: 'SET requestsBooked = requestsBooked + :one',
      ConditionExpression: '#status = :open AND requestCapacity = :capacity AND requestsBooked <= :below AND endsAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':open': 'open',
        ':capacity': slot.requestCapacity,
        ':below': slot.requestCapacity - 1,
        ':now': now.toISOString(),
      },
    },
    record: { ...keys.helpRequest(request.communityId, request.slotId, request.id), type: 'HelpRequest', ...request },
    marker: { ...keys.slotPhoneMarker(request.communityId, request.slotId, phoneHash(request.phone)), type: 'PhoneMarker', requestId: request.id },
    phoneUse,
  });
  // No address count is sent for a booking, so `address_limit` cannot come back.
  return refusal === 'target_changed' ? 'slot_changed' : (refusal as Exclude<typeof refusal, 'address_limit'>);
}

/** Whether this phone already holds a booked request for the evening (its phone marker). */
export function phoneHoldsRequest(communityId: string, slotId: string, phone: string): Promise<boolean> {
  return phoneHoldsPlace(keys.slotPhoneMarker(communityId, slotId, phoneHash(phone)));
}

export async function getHelpRequest(communityId: string, slotId: string, requestId: string): Promise<HelpRequest | undefined> {
  const { Item } = await send(
    new GetCommand({ TableName: tableName(), Key: keys.helpRequest(communityId, slotId, requestId), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : undefined;
}

/**
 * Cancels a booked request in one transaction: its status (on condition it is still booked),
 * the phone marker and the slot's counter, so the place is free at once.
 * Returns false when it was already cancelled.
 */
export async function cancelHelpRequest(request: HelpRequest, now: Date): Promise<boolean> {
  const nowIso = now.toISOString();
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: keys.helpRequest(request.communityId, request.slotId, request.id),
          UpdateExpression: 'SET #status = :cancelled, cancelledAt = :now, updatedAt = :now',
          ConditionExpression: '#status = :booked',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':booked': 'booked', ':now': nowIso },
        },
      },
      {
        Delete: {
          TableName: tableName(),
          Key: keys.slotPhoneMarker(request.communityId, request.slotId, phoneHash(request.phone)),
          ConditionExpression: 'requestId = :id',
          ExpressionAttributeValues: { ':id': request.id },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.slot(request.communityId, request.slotId),
          UpdateExpression: 'SET requestsBooked = requestsBooked - :one',
          ConditionExpression: 'requestsBooked >= :one',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** A slot's requests in arrival order (Query `pk = SLOT#c#id AND begins_with(sk, REQ#)`). */
export async function listHelpRequests(communityId: string, slotId: string): Promise<HelpRequest[]> {
  const items = await queryAllItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.targetPartition(communityId, 'slot', slotId), ':prefix': keys.helpRequestPrefix },
  });
  return items.map(fromItem);
}
