import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CommunityEvent } from '../domain/events';
import type { Registration, Tally } from '../domain/registrations';
import { send, tableName } from './client';
import { oldestDue, queryDue, type DuePage } from './items';
import { keys } from './keys';
import { appliedIf, cancellationCodes } from './store-errors';
import { transact, type TransactItem } from './transactions';
import { phoneHash, registrationItem } from './registrations';

/**
 * The sign-up queue of an event (services/admission.ts): a sign-up is first stored as an
 * *arrival*, an item of its own beside the event's registrations, and then placed (confirmed or
 * waitlisted) with others in arrival order, many in one transaction on the event's counter.
 *
 *   arrival  `EVENT#c#e` / `ARRIVAL#<registration id>`: the registration as it will be stored,
 *            without its status; in the due-arrivals queue (gsi2) a minute after it arrived,
 *            where housekeeping places it if no request did (a crash between the two steps).
 *   placer   `EVENT#c#e` / `PLACER`: who is placing the event's arrivals now, and until when.
 */

/** Housekeeping leaves an arrival to the requests for this long before placing it itself. */
const HOUSEKEEPING_AFTER_MS = 60_000;

export interface Arrival {
  /** The registration to store, its status still to be decided. */
  readonly registration: Omit<Registration, 'status'>;
}

/** Why an arrival's transaction was refused, from the item whose condition failed. */
export type ArrivalRefusal = 'duplicate_phone' | 'phone_uses_changed' | 'address_limit';

/**
 * Stores a sign-up's arrival, in one transaction with the items that belong to the sign-up alone
 * (none of them is the event's, so a rush does not queue on one item here):
 *   1. the arrival, on condition its key is new;
 *   2. the phone marker, on condition no registration (or arrival) of the event holds this phone;
 *   3. the phone's log of uses with this use added, on condition it is as read (the hourly limit);
 *   4. (optionally) one more party for the client address, under its limit.
 * The keyed request's record joins this transaction (store/request-record.ts): the arrival is the
 * request's effect, and its placement follows from it.
 */
export async function insertArrival(
  registration: Omit<Registration, 'status'>,
  phoneUse: TransactItem,
  addressCount?: NonNullable<TransactItem['Update']>,
): Promise<ArrivalRefusal | undefined> {
  const due = new Date(Date.parse(registration.createdAt) + HOUSEKEEPING_AFTER_MS).toISOString();
  try {
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.arrival(registration.communityId, registration.eventId, registration.id),
            type: 'Arrival',
            communityId: registration.communityId,
            eventId: registration.eventId,
            id: registration.id,
            registration,
            gsi2pk: keys.dueArrivals,
            gsi2sk: `${due}#${registration.communityId}#${registration.eventId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.phoneMarker(registration.communityId, registration.eventId, phoneHash(registration.phone)),
            type: 'PhoneMarker',
            registrationId: registration.id,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      phoneUse,
      ...(addressCount ? [{ Update: addressCount }] : []),
    ]);
    return undefined;
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[1] === 'ConditionalCheckFailed') return 'duplicate_phone';
    if (codes?.[2] === 'ConditionalCheckFailed') return 'phone_uses_changed';
    if (codes?.[3] === 'ConditionalCheckFailed') return 'address_limit';
    throw error;
  }
}

function fromItem(item: Record<string, unknown>): Arrival {
  return { registration: item.registration as Arrival['registration'] };
}

/** One arrival still waiting to be placed (GetItem, consistent). */
export async function getArrival(communityId: string, eventId: string, id: string): Promise<Arrival | undefined> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.arrival(communityId, eventId, id), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
}

/** The first `limit` arrivals waiting to be placed, oldest first (a consistent Query of the event's partition). */
export async function waitingArrivals(communityId: string, eventId: string, limit: number): Promise<Arrival[]> {
  const { Items } = await send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :arrival)',
      ExpressionAttributeValues: { ':pk': keys.eventRegistrations(communityId, eventId), ':arrival': keys.arrivalPrefix },
      ConsistentRead: true,
      Limit: limit,
    }),
  );
  return (Items ?? []).map(fromItem);
}

/**
 * Whether a sign-up is placed, and who is placing the event's arrivals: the two items a waiting
 * request looks at, read side by side (eventually consistent: a stale answer costs one more look).
 */
export async function lookAtPlacement(registration: { communityId: string; eventId: string; id: string }): Promise<{ placed: boolean; placerUntil?: number }> {
  const [placed, placer] = await Promise.all([
    send(new GetCommand({ TableName: tableName(), Key: keys.registration(registration.communityId, registration.eventId, registration.id), ProjectionExpression: 'pk' })),
    send(new GetCommand({ TableName: tableName(), Key: keys.placer(registration.communityId, registration.eventId), ProjectionExpression: '#until', ExpressionAttributeNames: { '#until': 'until' } })),
  ]);
  return { placed: placed.Item !== undefined, placerUntil: placer.Item?.until as number | undefined };
}

/**
 * Becomes the event's placer until `untilMs`, if nobody is or the last one's time has passed (a
 * single conditional write, on an item no transaction touches). Only a matter of speed: placing is
 * safe without it (every placement is conditioned), it only keeps requests from racing to place.
 */
export function takePlacer(communityId: string, eventId: string, holder: string, nowMs: number, untilMs: number): Promise<boolean> {
  return appliedIf(
    send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.placer(communityId, eventId), type: 'Placer', holder, until: untilMs, expiresAt: Math.ceil(untilMs / 1000) + 3600 },
        ConditionExpression: 'attribute_not_exists(pk) OR #until < :now OR holder = :holder',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':now': nowMs, ':holder': holder },
      }),
    ),
  );
}

/** Gives the placer's place back (if it is still this holder's). */
export async function releasePlacer(communityId: string, eventId: string, holder: string): Promise<void> {
  await appliedIf(
    send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.placer(communityId, eventId),
        ConditionExpression: 'holder = :holder',
        ExpressionAttributeValues: { ':holder': holder },
      }),
    ),
  );
}

/**
 * Places arrivals, in one transaction: the event's counters set to `after`, on condition the event
 * is as `before` was read (status, capacity, counters, no promotion due); each registration put
 * (new) and its arrival deleted (still there). A cancelled registration (the event was cancelled
 * before its arrival was placed) also gives its phone marker back. False when the event or an
 * arrival changed since it was read: read and plan again.
 */
export async function placeArrivals(before: CommunityEvent, after: Tally, registrations: readonly Registration[]): Promise<boolean> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: keys.event(before.communityId, before.id),
        UpdateExpression: 'SET confirmedSeats = :seats, waitlistLength = :waiting, waitlistPeople = :people',
        ConditionExpression:
          '#status = :status AND #capacity = :capacity AND confirmedSeats = :seatsBefore AND waitlistLength = :waitingBefore AND attribute_not_exists(promotionDueAt)',
        ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' },
        ExpressionAttributeValues: {
          ':seats': after.confirmedSeats,
          ':waiting': after.waitlistLength,
          ':people': after.waitlistPeople,
          ':status': before.status,
          ':capacity': before.capacity,
          ':seatsBefore': before.confirmedSeats,
          ':waitingBefore': before.waitlistLength,
        },
      },
    },
  ];
  for (const registration of registrations) {
    items.push(
      { Put: { TableName: tableName(), Item: registrationItem(registration), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Delete: { TableName: tableName(), Key: keys.arrival(registration.communityId, registration.eventId, registration.id), ConditionExpression: 'attribute_exists(pk)' } },
    );
    if (registration.status === 'cancelled') {
      items.push({
        Delete: {
          TableName: tableName(),
          Key: keys.phoneMarker(registration.communityId, registration.eventId, phoneHash(registration.phone)),
          ConditionExpression: 'registrationId = :id',
          ExpressionAttributeValues: { ':id': registration.id },
        },
      });
    }
  }
  try {
    await transact(items);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.some((code) => code === 'ConditionalCheckFailed')) return false;
    throw error;
  }
}

/** When the oldest arrival left to housekeeping fell due (undefined when none is). */
export const oldestDueArrival = (now: Date) => oldestDue(keys.dueArrivals, now);

/** Events with arrivals nobody placed within a minute, for housekeeping, a page at a time. */
export async function listDueArrivals(now: Date, limit: number, startKey?: Record<string, unknown>): Promise<DuePage<{ communityId: string; eventId: string }>> {
  const page = await queryDue(keys.dueArrivals, now, limit, startKey);
  return { ...page, items: page.items.map((item) => ({ communityId: item.communityId as string, eventId: item.eventId as string })) };
}
