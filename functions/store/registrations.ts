import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import type { CommunityEvent } from '../domain/events';
import { registrationRecord, type QueuedParty, type Registration, type RegistrationStatus } from '../domain/registrations';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { oldestDue, queryAllItems, queryDue, type DuePage } from './items';
import { keys } from './keys';
import { decodeCursor, encodeCursor } from './pagination';
import { appliedIf, cancellationCodes } from './store-errors';
import { transact } from './transactions';
import { notificationItem } from './notifications';
import type { Notification } from '../domain/notifications';
import { insertPhoneBooking, phoneHoldsPlace } from './phone-bookings';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { addressScope, countUpTo } from './rate-limits';

/** The phone's hash keys the uniqueness marker, so the marker itself holds no phone number. */
export function phoneHash(phone: string): string {
  return createHash('sha256').update(`linli-phone:${phone}`).digest('base64url');
}

const fromItem = entityOf<Registration>(registrationRecord).fromItem;

/** A registration as its item: keys, type tag, and the waitlist index while it waits. */
export function registrationItem(registration: Registration): Record<string, unknown> {
  return {
    ...keys.registration(registration.communityId, registration.eventId, registration.id),
    type: 'Registration',
    ...registration,
    ...(registration.status === 'waitlisted'
      ? { gsi1pk: keys.waitlist(registration.communityId, registration.eventId), gsi1sk: registration.id }
      : {}),
  };
}

/** Why a registration's transaction was refused, from its cancellation reasons. */
export type InsertRefusal = 'event_changed' | 'duplicate_phone' | 'phone_uses_changed' | 'address_limit';

/**
 * Stores a registration in one transaction with the seat counter and the phone marker
 * (store/phone-bookings.ts):
 *
 *   1. Update the event: confirmed → `confirmedSeats += party`, on condition it still fits
 *      (condition expressions have no arithmetic, so "fits" is `confirmedSeats <= capacity − party`
 *      with the capacity the placement was decided on, and `capacity` unchanged since), and on
 *      condition that no promotion is due (seats just freed belong to the waitlist first);
 *      waitlisted → `waitlistLength += 1`, on condition it still does *not* fit (so a party is
 *      never queued while seats it fits in are free). Either way on condition that the event is
 *      published, its registration window is open at `now` and the party is within its limit.
 *      The conditions check everything the placement was decided on, so the caller may decide
 *      it on a copy of the event that is not fresh: a refusal sends it back to read the event.
 *   2. Put the registration (new id).
 *   3. Put the phone marker, on condition no active registration holds this phone.
 *   4. Record the use in the phone's log, on condition the log is as read (the limit was decided on it).
 *   5. Where the per-address limit is on, count the party for the client address, on condition it
 *      is under the limit.
 *
 * All or nothing: a 201 always means all four were written.
 */
export async function insertRegistration(
  registration: Registration,
  capacityRead: number,
  phoneUse: NonNullable<TransactWriteCommandInput['TransactItems']>[number],
  now: Date,
  addressCount?: ReturnType<typeof countUpTo>,
): Promise<InsertRefusal | undefined> {
  const confirmed = registration.status === 'confirmed';
  const refusal = await insertPhoneBooking({
    target: {
      TableName: tableName(),
      Key: keys.event(registration.communityId, registration.eventId),
      UpdateExpression: confirmed
        ? 'SET confirmedSeats = confirmedSeats + :party'
        : 'SET waitlistLength = waitlistLength + :one, waitlistPeople = if_not_exists(waitlistPeople, :zero) + :party',
      ConditionExpression:
        '#status = :published AND registrationClosesAt >= :now AND ' +
        '(attribute_not_exists(registrationOpensAt) OR registrationOpensAt <= :now) AND ' +
        `maxPartySize >= :party AND #capacity = :capacity AND confirmedSeats ${confirmed ? '<=' : '>'} :fitsUnder` +
        // Freed seats go to the waitlist first: no newcomer is confirmed while a promotion is due.
        (confirmed ? ' AND attribute_not_exists(promotionDueAt)' : ''),
      // STATUS and CAPACITY are DynamoDB reserved words.
      ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' },
      ExpressionAttributeValues: {
        ':published': 'published',
        ':now': now.toISOString(),
        ':party': registration.partySize,
        ':capacity': capacityRead,
        ':fitsUnder': capacityRead - registration.partySize,
        ...(confirmed ? {} : { ':one': 1, ':zero': 0 }),
      },
    },
    record: registrationItem(registration),
    marker: {
      ...keys.phoneMarker(registration.communityId, registration.eventId, phoneHash(registration.phone)),
      type: 'PhoneMarker',
      registrationId: registration.id,
    },
    phoneUse,
    addressCount,
  });
  return refusal === 'target_changed' ? 'event_changed' : refusal;
}

/**
 * The item that counts one more party for a client address on an event, refused at `limit`
 * (item 5 of the registration's transaction). Kept a day past the event's registration window.
 */
export function addressPartiesCounter(address: string, event: Pick<CommunityEvent, 'communityId' | 'id' | 'registrationClosesAt'>, limit: number) {
  const until = Math.ceil(Date.parse(event.registrationClosesAt) / 1000) + 86_400;
  return countUpTo(keys.addressParties(addressScope(address), event.communityId, event.id), limit, until);
}

/** One registration (GetItem, consistent). */
/** Whether this phone already holds an active registration for the event (its phone marker). */
export function phoneHoldsRegistration(communityId: string, eventId: string, phone: string): Promise<boolean> {
  return phoneHoldsPlace(keys.phoneMarker(communityId, eventId, phoneHash(phone)));
}

export async function getRegistration(communityId: string, eventId: string, registrationId: string): Promise<Registration | undefined> {
  const { Item } = await send(
    new GetCommand({ TableName: tableName(), Key: keys.registration(communityId, eventId, registrationId), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : undefined;
}

/** The registration changed state under us (promoted, cancelled): read it again. */
export class StaleRegistrationError extends ConflictError {
  constructor() {
    super('invalid_state', 'The registration changed while it was being updated');
    this.name = 'StaleRegistrationError';
  }
}

/**
 * The values that mark an event's freed seats as due for promotion: `promotionDueAt`, and the
 * event in the due-promotions queue (gsi2) where housekeeping finds it if nobody else completes it.
 */
export function promotionDue(communityId: string, eventId: string, nowIso: string) {
  return { ':now': nowIso, ':queue': keys.duePromotions, ':due': keys.duePromotionSort(nowIso, communityId, eventId) };
}

/**
 * Cancels a registration in one transaction: its status (on condition it is still in the status
 * read), the phone marker (so the phone may register again), and the event's counter; a confirmed
 * one also marks the event's seats as due for promotion, so that from this write on no newcomer can
 * take them before the waitlist has had them.
 */
export async function cancelRegistration(
  registration: Registration,
  by: 'resident' | 'organiser',
  now: Date,
): Promise<Registration> {
  const nowIso = now.toISOString();
  const cancelled: Registration = { ...registration, status: 'cancelled', cancelledAt: nowIso, cancelledBy: by, updatedAt: nowIso };
  const counter =
    registration.status === 'confirmed'
      ? {
          // The seats freed are marked for the waitlist in the same write (see promotionDue).
          UpdateExpression: 'SET confirmedSeats = confirmedSeats - :n, promotionDueAt = :now, gsi2pk = :queue, gsi2sk = :due',
          ExpressionAttributeValues: { ':n': registration.partySize, ...promotionDue(registration.communityId, registration.eventId, nowIso) },
        }
      : {
          UpdateExpression: 'SET waitlistLength = waitlistLength - :n, waitlistPeople = if_not_exists(waitlistPeople, :party) - :party',
          ExpressionAttributeValues: { ':n': 1, ':party': registration.partySize },
        };
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: keys.registration(registration.communityId, registration.eventId, registration.id),
          UpdateExpression: 'SET #status = :cancelled, cancelledAt = :now, cancelledBy = :by, updatedAt = :now REMOVE gsi1pk, gsi1sk',
          ConditionExpression: '#status = :was',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':now': nowIso, ':by': by, ':was': registration.status },
        },
      },
      {
        Delete: {
          TableName: tableName(),
          Key: keys.phoneMarker(registration.communityId, registration.eventId, phoneHash(registration.phone)),
          ConditionExpression: 'registrationId = :id',
          ExpressionAttributeValues: { ':id': registration.id },
        },
      },
      { Update: { TableName: tableName(), Key: keys.event(registration.communityId, registration.eventId), ...counter } },
    ]);
    return cancelled;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new StaleRegistrationError();
    throw error;
  }
}

/**
 * Moves one party from the waitlist to confirmed, in one transaction: the seats (on condition
 * they still fit and the event is still published), the registration (on condition it is still
 * waitlisted) and the household's notice that they have a place (so no crash can promote a party
 * without telling them). Returns false when another promoter or a cancellation got there first.
 */
export async function promoteRegistration(
  communityId: string,
  eventId: string,
  party: QueuedParty,
  capacityRead: number,
  now: Date,
  notice: Notification,
): Promise<boolean> {
  const nowIso = now.toISOString();
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: keys.event(communityId, eventId),
          UpdateExpression:
            'SET confirmedSeats = confirmedSeats + :party, waitlistLength = waitlistLength - :one, waitlistPeople = if_not_exists(waitlistPeople, :party) - :party',
          ConditionExpression: '#status = :published AND #capacity = :capacity AND confirmedSeats <= :fitsUnder',
          // STATUS and CAPACITY are DynamoDB reserved words.
          ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' },
          ExpressionAttributeValues: {
            ':party': party.partySize,
            ':one': 1,
            ':published': 'published',
            ':capacity': capacityRead,
            ':fitsUnder': capacityRead - party.partySize,
          },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.registration(communityId, eventId, party.id),
          UpdateExpression: 'SET #status = :confirmed, confirmedAt = :now, updatedAt = :now REMOVE gsi1pk, gsi1sk',
          ConditionExpression: '#status = :waitlisted',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':confirmed': 'confirmed', ':waitlisted': 'waitlisted', ':now': nowIso },
        },
      },
      // Its id is the party's (what and whom it is about): a party is promoted once, so it is new.
      { Put: { TableName: tableName(), Item: notificationItem(notice) } },
    ]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.some((code) => code === 'ConditionalCheckFailed')) return false;
    throw error;
  }
}

/**
 * Clears the promotion marker, on condition that the event is still as the plan that found no
 * waiting party to fit was made on (seats, queue length, capacity). False when it changed since:
 * plan again.
 */
export async function clearPromotionDue(event: Pick<CommunityEvent, 'communityId' | 'id' | 'confirmedSeats' | 'waitlistLength' | 'capacity'>): Promise<boolean> {
  return appliedIf(
    send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.event(event.communityId, event.id),
        UpdateExpression: 'REMOVE promotionDueAt, gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(promotionDueAt) AND confirmedSeats = :seats AND waitlistLength = :waiting AND #capacity = :capacity',
        ExpressionAttributeNames: { '#capacity': 'capacity' },
        ExpressionAttributeValues: { ':seats': event.confirmedSeats, ':waiting': event.waitlistLength, ':capacity': event.capacity },
      }),
    ),
  );
}

/** When the oldest promotion still due fell due (undefined when none is): one item read. */
export const oldestDuePromotion = (now: Date) => oldestDue(keys.duePromotions, now);

/** Events whose promotion is due (a crash or a timeout stopped it), for housekeeping, a page at a time. */
export async function listDuePromotions(now: Date, limit: number, startKey?: Record<string, unknown>): Promise<DuePage<{ communityId: string; eventId: string }>> {
  const page = await queryDue(keys.duePromotions, now, limit, startKey);
  return { ...page, items: page.items.map((item) => ({ communityId: item.communityId as string, eventId: item.id as string })) };
}

/** The waitlist in queue order (Query gsi1 `gsi1pk = EVENT#c#e#WAITLIST`), all pages. */
export async function listWaitlist(communityId: string, eventId: string): Promise<QueuedParty[]> {
  const items = await queryAllItems({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :queue',
    ExpressionAttributeValues: { ':queue': keys.waitlist(communityId, eventId) },
    ProjectionExpression: 'id, partySize',
  });
  return items.map((item) => ({ id: item.id as string, partySize: item.partySize as number }));
}

/**
 * The waitlist in queue order as stored now, for planning a promotion: a strongly consistent Query
 * of the event's registrations (`pk = EVENT#c#e AND begins_with(sk, REG#)`, filtered to waitlisted).
 * The waitlist index is updated after the write on AWS, and a plan made on it could miss a party
 * that just joined and clear the promotion marker while that party fits a free seat.
 */
export async function listWaitlistAsStored(communityId: string, eventId: string): Promise<QueuedParty[]> {
  const items = await queryAllItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :reg)',
    FilterExpression: '#status = :waitlisted',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': keys.eventRegistrations(communityId, eventId), ':reg': keys.registrationPrefix, ':waitlisted': 'waitlisted' },
    ProjectionExpression: 'id, partySize',
    ConsistentRead: true,
  });
  return items.map((item) => ({ id: item.id as string, partySize: item.partySize as number }));
}

/** How many parties wait ahead of this one (Query gsi1 with `gsi1sk < id`, COUNT). */
export async function countAhead(communityId: string, eventId: string, registrationId: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :queue AND gsi1sk < :id',
        ExpressionAttributeValues: { ':queue': keys.waitlist(communityId, eventId), ':id': registrationId },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

export interface RegistrationPage {
  items: Registration[];
  nextCursor: string | null;
}

/**
 * An event's registrations in arrival order (Query `pk = EVENT#c#e AND begins_with(sk, REG#)`),
 * optionally only one status (filter).
 */
export async function listRegistrations(
  communityId: string,
  eventId: string,
  options: { status?: RegistrationStatus; limit: number; cursor?: string },
): Promise<RegistrationPage> {
  const partition = keys.eventRegistrations(communityId, eventId);
  const startKey = decodeCursor(options.cursor, { pk: partition }, ['pk', 'sk'], (key) => key.sk!.startsWith(keys.registrationPrefix));
  const page = await send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :reg)',
      ...(options.status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':pk': partition, ':reg': keys.registrationPrefix, ...(options.status ? { ':status': options.status } : {}) },
      Limit: options.limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (page.Items ?? []).map(fromItem), nextCursor: encodeCursor(page.LastEvaluatedKey) };
}
