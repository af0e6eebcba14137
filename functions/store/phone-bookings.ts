import { GetCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { send, tableName } from './client';
import { cancellationCodes } from './store-errors';
import { transact } from './transactions';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Why a booking held by a phone number was refused, from the item whose condition failed. */
export type PhoneBookingRefusal = 'target_changed' | 'duplicate_phone' | 'phone_uses_changed' | 'address_limit';

/**
 * A place held by a phone number (a festival registration, a help-desk request), in one
 * transaction of four items, all or nothing:
 *   1. the target's counter, under the conditions the caller decided the booking on;
 *   2. the new record, on condition its key is new;
 *   3. the phone marker `marker` (a key of the target's partition), on condition no active booking
 *      of the target holds this phone;
 *   4. the phone's log of uses (store/rate-limits.ts), with this use added, on condition nobody
 *      else wrote it since it was read and decided on (the per-phone limit, API.md);
 *   5. (optionally) one more party counted for the client address, on condition it is under its
 *      limit (`PARTIES_PER_ADDRESS_PER_EVENT`).
 * Refusals are told apart by which item failed; anything else is a store error.
 */
export async function insertPhoneBooking(booking: {
  target: NonNullable<TransactItem['Update']>;
  record: Record<string, unknown>;
  marker: Record<string, unknown>;
  phoneUse: TransactItem;
  addressCount?: NonNullable<TransactItem['Update']>;
}): Promise<PhoneBookingRefusal | undefined> {
  try {
    await transact([
      { Update: booking.target },
      { Put: { TableName: tableName(), Item: booking.record, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName(), Item: booking.marker, ConditionExpression: 'attribute_not_exists(pk)' } },
      booking.phoneUse,
      ...(booking.addressCount ? [{ Update: booking.addressCount }] : []),
    ]);
    return undefined;
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[2] === 'ConditionalCheckFailed') return 'duplicate_phone';
    if (codes?.[3] === 'ConditionalCheckFailed') return 'phone_uses_changed';
    if (codes?.[4] === 'ConditionalCheckFailed') return 'address_limit';
    if (codes?.[0] === 'ConditionalCheckFailed') return 'target_changed';
    throw error;
  }
}

/** Whether a phone marker (item 3 above) is held: the phone has an active booking of its target. */
export async function phoneHoldsPlace(marker: { pk: string; sk: string }): Promise<boolean> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: marker, ConsistentRead: true, ProjectionExpression: 'pk' }));
  return Item !== undefined;
}

/** The id of the booking holding a phone marker (`registrationId` or `requestId`), if one does. */
export async function phoneHolder(marker: { pk: string; sk: string }): Promise<string | undefined> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: marker, ConsistentRead: true }));
  return (Item?.registrationId ?? Item?.requestId) as string | undefined;
}
