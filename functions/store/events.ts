import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors';
import { eventRecord, isPublic, type CommunityEvent } from '../domain/events';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { queryPage, queryTimeWindowPage } from './items';
import { keys } from './keys';
import { decodeCursor } from './pagination';
import { cancellationCodes, isConditionalCheckFailed } from './store-errors';

const events = entityOf<CommunityEvent>(eventRecord);

function toItem(event: CommunityEvent): Record<string, unknown> {
  return {
    ...keys.event(event.communityId, event.id),
    type: 'Event',
    ...event,
    // In the public listing (gsi1) only while visible to the public.
    ...(isPublic(event)
      ? { gsi1pk: keys.publicEvents(event.communityId), gsi1sk: keys.publicEventSort(event.endsAt, event.id) }
      : {}),
  };
}

const fromItem = events.fromItem;

/** Writes a new event, in one transaction with a check that its community exists. */
export async function insertEvent(event: CommunityEvent): Promise<void> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: keys.community(event.communityId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          { Put: { TableName: tableName(), Item: toItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') {
      throw new NotFoundError('Set up the community first: PUT /communities/{c}/settings');
    }
    throw error;
  }
}

/** One event (GetItem `COMMUNITY#c` / `EVENT#id`), drafts included. */
export async function getEvent(communityId: string, eventId: string): Promise<CommunityEvent | undefined> {
  const { Item } = await send(
    new GetCommand({ TableName: tableName(), Key: keys.event(communityId, eventId), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : undefined;
}

/**
 * Replaces an event with its patched form, on condition that nobody changed it since it was
 * read (`version`) and that the confirmed seats still fit the new capacity. The caller retries
 * on {@link StaleEventError}.
 */
export async function replaceEvent(previous: CommunityEvent, next: CommunityEvent): Promise<void> {
  const item = toItem(next);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': previous.version, ':capacity': next.capacity };
  const sets: string[] = [];
  const removes: string[] = [];
  // Counters are owned by the transactions that change them: never overwritten here.
  const owned = new Set(['pk', 'sk', 'confirmedSeats', 'waitlistLength', 'waitlistPeople', 'volunteersStaffed', 'promotionDueAt', 'gsi2pk', 'gsi2sk']);
  const all = new Set([...Object.keys(item), 'description', 'registrationOpensAt', 'gsi1pk', 'gsi1sk']);
  for (const field of all) {
    if (owned.has(field)) continue;
    names[`#${field}`] = field;
    if (item[field] === undefined) removes.push(`#${field}`);
    else {
      values[`:${field}`] = item[field];
      sets.push(`#${field} = :${field}`);
    }
  }
  // This write's own mark: sent again by the SDK after a lost answer (a timeout, a cut connection)
  // when the first was stored, it finds its own write rather than "another patch landed", and does
  // not bump the version a second time for one organiser's patch.
  sets.push('lastWriteId = :writeId');
  values[':writeId'] = randomUUID();
  // More seats: marked for the waitlist in the same write, as a cancellation marks them.
  if (next.capacity > previous.capacity) {
    sets.push('promotionDueAt = :dueNow', 'gsi2pk = :dueQueue', 'gsi2sk = :dueSort');
    Object.assign(values, { ':dueNow': next.updatedAt, ':dueQueue': keys.duePromotions, ':dueSort': keys.duePromotionSort(next.updatedAt, next.communityId, next.id) });
  }
  try {
    await send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.event(next.communityId, next.id),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: '(#version = :expected AND confirmedSeats <= :capacity) OR lastWriteId = :writeId',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new StaleEventError();
    throw error;
  }
}

/** The event changed between read and write; read it again and re-apply the patch. */
export class StaleEventError extends ConflictError {
  constructor() {
    super('invalid_state', 'The event changed while it was being updated');
    this.name = 'StaleEventError';
  }
}

export interface EventPage {
  items: CommunityEvent[];
  nextCursor: string | null;
}

/**
 * Public events that end at or after `fromUtc` and start no later than `toUtc`
 * (Query gsi1: `gsi1pk = COMMUNITY#c#EVENTS AND gsi1sk >= fromUtc`, filter on startsAt),
 * in order of end time.
 */
export async function listPublicEvents(
  communityId: string,
  range: { fromUtc: string; toUtc?: string },
  page: { limit: number; cursor?: string },
): Promise<EventPage> {
  const result = await queryTimeWindowPage({ partition: keys.publicEvents(communityId), communityId, skPrefix: 'EVENT#' }, range, page);
  return { items: result.items.map(fromItem), nextCursor: result.nextCursor };
}

/**
 * Every event of a community, drafts included, for organisers (Query `pk = COMMUNITY#c AND
 * begins_with(sk, EVENT#)`, filtered on `endsAt >= from`).
 */
export async function listAllEvents(communityId: string, fromUtc: string, page: { limit: number; cursor?: string }): Promise<EventPage> {
  const pk = keys.community(communityId).pk;
  const startKey = decodeCursor(page.cursor, { pk }, ['pk', 'sk'], (key) => key.sk!.startsWith('EVENT#'));
  const result = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'endsAt >= :from',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': 'EVENT#', ':from': fromUtc },
    },
    page.limit,
    startKey,
  );
  return { items: result.items.map(fromItem), nextCursor: result.nextCursor };
}
