import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { hoursLogRecord, type Decision, type HoursLog, type HoursStatus } from '../domain/hours';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { queryAllItems, queryDue, queryPage, type DuePage } from './items';
import { keys } from './keys';
import { decodeCursor, encodeCursor } from './pagination';
import { cancellationCodes } from './store-errors';
import { transact } from './transactions';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const fromItem = entityOf<HoursLog>(hoursLogRecord).fromItem;

function logItem(log: HoursLog): Record<string, unknown> {
  const queue =
    log.status === 'open' && log.targetEndsAt
      ? { gsi2pk: keys.openLogs, gsi2sk: keys.openLogSort(log.targetEndsAt, log.communityId, log.id) }
      : log.status === 'pending'
        ? { gsi2pk: keys.pendingLogs(log.communityId), gsi2sk: log.id }
        : {};
  return {
    ...keys.hoursLog(log.communityId, log.id),
    type: 'HoursLog',
    ...log,
    gsi1pk: keys.volunteerLogs(log.communityId, log.volunteerId),
    gsi1sk: log.id,
    ...queue,
  };
}

export type CheckInRefusal = 'already_checked_in' | 'not_on_shift' | 'shift_logged';

/**
 * Opens a log in one transaction with the volunteer's "open log" marker (one open log per
 * volunteer, `attribute_not_exists`) and the shift, on condition it is still held and has no log
 * yet (one log per shift: it records the log's id).
 */
export async function insertOpenLog(log: HoursLog): Promise<CheckInRefusal | undefined> {
  try {
    await transact([
      {
        Put: {
          TableName: tableName(),
          // `target`: which shift the open log is on, so that shift cannot be given back meanwhile.
          Item: { ...keys.openLogMarker(log.communityId, log.volunteerId), type: 'OpenLogMarker', logId: log.id, target: keys.openLogTarget(log.targetKind!, log.targetId!) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: tableName(), Item: logItem(log), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        // The shift is held, and gets its one log: a second check-in on it is refused.
        Update: {
          TableName: tableName(),
          Key: keys.shift(log.communityId, log.targetKind!, log.targetId!, log.volunteerId),
          UpdateExpression: 'SET logId = :id',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(logId)',
          ExpressionAttributeValues: { ':id': log.id },
        },
      },
    ]);
    return undefined;
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') return 'already_checked_in';
    if (codes?.[2] === 'ConditionalCheckFailed') {
      const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.shift(log.communityId, log.targetKind!, log.targetId!, log.volunteerId), ConsistentRead: true }));
      return Item ? 'shift_logged' : 'not_on_shift';
    }
    throw error;
  }
}

/** The id of the volunteer's open log, if any (GetItem on the marker). */
export async function findOpenLogId(communityId: string, volunteerId: string): Promise<string | undefined> {
  const { Item } = await send(
    new GetCommand({ TableName: tableName(), Key: keys.openLogMarker(communityId, volunteerId), ConsistentRead: true }),
  );
  return Item?.logId as string | undefined;
}

export async function getLog(communityId: string, logId: string): Promise<HoursLog | undefined> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.hoursLog(communityId, logId), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
}

/**
 * Closes an open log (check-out, or housekeeping's auto-close) in one transaction: the marker goes,
 * the log becomes pending review with its minutes, and the volunteer's pending total grows.
 * Returns false when it was no longer open (a second check-out, a race with housekeeping).
 */
export async function closeLog(open: HoursLog, closed: HoursLog): Promise<boolean> {
  try {
    await transact([
      {
        Delete: {
          TableName: tableName(),
          Key: keys.openLogMarker(open.communityId, open.volunteerId),
          ConditionExpression: 'logId = :id',
          ExpressionAttributeValues: { ':id': open.id },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: logItem(closed),
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'open' },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.volunteer(open.communityId, open.volunteerId),
          UpdateExpression: 'ADD pendingMinutes :minutes',
          ExpressionAttributeValues: { ':minutes': closed.minutes ?? 0 },
        },
      },
    ]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.slice(0, 2).includes('ConditionalCheckFailed')) return false;
    throw error;
  }
}

/**
 * The items that add a pending log for work done elsewhere (a resolved work order): the log,
 * waiting for review like a checked-out one, and the volunteer's pending total, for one more
 * transaction. No open-log marker is involved: nobody checked in.
 */
export function pendingLogItems(log: HoursLog): TransactItem[] {
  return [
    { Put: { TableName: tableName(), Item: logItem(log), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Update: {
        TableName: tableName(),
        Key: keys.volunteer(log.communityId, log.volunteerId),
        UpdateExpression: 'ADD pendingMinutes :minutes',
        ExpressionAttributeValues: { ':minutes': log.minutes ?? 0 },
      },
    },
  ];
}

export interface Credit {
  readonly minutes: number;
  readonly points: number;
  /** `YYYY-MM` in the community's zone, of when the hours were worked. */
  readonly month: string;
  readonly ledgerEntryId: string;
}

/**
 * Everything approved hours change, as transaction items: the volunteer's approved minutes and
 * balance (pending minutes come off by `pendingDelta`), a ledger entry (when points were earned),
 * and the team's and volunteer's monthly counters. All in the same transaction as the log.
 */
function creditItems(log: HoursLog, credit: Credit, pendingDelta: number, now: string): TransactItem[] {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: keys.volunteer(log.communityId, log.volunteerId),
        UpdateExpression: 'ADD approvedMinutes :minutes, pointsBalance :points, pendingMinutes :pending',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':minutes': credit.minutes, ':points': credit.points, ':pending': pendingDelta },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.teamMonth(log.communityId, credit.month, log.team),
        UpdateExpression: 'ADD minutes :minutes, points :points SET team = :team, #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':minutes': credit.minutes, ':points': credit.points, ':team': log.team, ':type': 'TeamMonth' },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.volunteerMonth(log.communityId, credit.month, log.volunteerId),
        UpdateExpression: 'ADD minutes :minutes, points :points SET volunteerId = :id, #name = :name, team = :team, #type = :type',
        ExpressionAttributeNames: { '#name': 'name', '#type': 'type' },
        ExpressionAttributeValues: {
          ':minutes': credit.minutes,
          ':points': credit.points,
          ':id': log.volunteerId,
          ':name': log.volunteerName,
          ':team': log.team,
          ':type': 'VolunteerMonth',
        },
      },
    },
  ];
  if (credit.points !== 0) {
    items.push({
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.ledgerEntry(log.communityId, log.volunteerId, credit.ledgerEntryId),
          type: 'LedgerEntry',
          id: credit.ledgerEntryId,
          communityId: log.communityId,
          volunteerId: log.volunteerId,
          kind: 'earn',
          points: credit.points,
          ref: log.id,
          createdAt: now,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  return items;
}

/**
 * Approves a pending log and credits it, all in one transaction conditioned on the log still
 * being pending: approving twice, or two organisers at once, credits once.
 * Returns false when the log was no longer pending.
 */
export async function approveLog(pending: HoursLog, approved: HoursLog, credit: Credit): Promise<boolean> {
  try {
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: logItem(approved),
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        },
      },
      ...creditItems(approved, credit, -(pending.minutes ?? 0), approved.updatedAt),
    ]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** Rejects a pending log: its minutes leave the volunteer's pending total. False if no longer pending. */
export async function rejectLog(pending: HoursLog, rejected: HoursLog): Promise<boolean> {
  try {
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: logItem(rejected),
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.volunteer(pending.communityId, pending.volunteerId),
          UpdateExpression: 'ADD pendingMinutes :minutes',
          ExpressionAttributeValues: { ':minutes': -(pending.minutes ?? 0) },
        },
      },
    ]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** An organiser's entry for forgotten check-ins: stored approved and credited in one transaction. */
export async function insertApprovedLog(log: HoursLog, credit: Credit): Promise<void> {
  await transact([
    { Put: { TableName: tableName(), Item: logItem(log), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...creditItems(log, credit, 0, log.createdAt),
  ]);
}

/** A volunteer's logs, newest first (Query gsi1 `gsi1pk = VOLUNTEER#c#v#LOGS`, descending). */
export async function listVolunteerLogs(communityId: string, volunteerId: string, page: { limit: number; cursor?: string }) {
  const partition = keys.volunteerLogs(communityId, volunteerId);
  const startKey = decodeCursor(page.cursor, { gsi1pk: partition, pk: keys.hoursPartition(communityId) }, ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
    (key) => key.sk!.startsWith(keys.hoursLogPrefix));
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

/**
 * Logs for review. Pending ones come from their queue (Query gsi2 `HOURS#c#PENDING`, oldest first);
 * other statuses from the community's hours (Query `pk = HOURS#c`, newest first, filtered).
 */
export async function listLogsByStatus(communityId: string, status: HoursStatus, page: { limit: number; cursor?: string }) {
  if (status === 'pending') {
    const partition = keys.pendingLogs(communityId);
    const startKey = decodeCursor(page.cursor, { gsi2pk: partition, pk: keys.hoursPartition(communityId) }, ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
      (key) => key.sk!.startsWith(keys.hoursLogPrefix));
    const result = await send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        Limit: page.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return { items: (result.Items ?? []).map(fromItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }
  const partition = keys.hoursPartition(communityId);
  const startKey = decodeCursor(page.cursor, { pk: partition }, ['pk', 'sk'], (key) => key.sk!.startsWith(keys.hoursLogPrefix));
  const result = await send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.hoursLogPrefix, ':status': status },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (result.Items ?? []).map(fromItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/** Open logs whose shift ended before `cutoffUtc`, across communities (Query gsi2 `HOURS#OPEN`, `gsi2sk < cutoff`), a page at a time. */
export async function listOpenLogsEndedBefore(cutoffUtc: string, limit = 100, startKey?: Record<string, unknown>): Promise<DuePage<HoursLog>> {
  // queryDue reads what is due by a time, `gsi2sk < time + 1 ms`: a millisecond before the cutoff.
  const page = await queryDue(keys.openLogs, new Date(Date.parse(cutoffUtc) - 1), limit, startKey);
  return { ...page, items: page.items.map(fromItem) };
}

/** Monthly counters for a community (Query `pk = REPORT#c#YYYY-MM`). */
export async function readMonthCounters(communityId: string, month: string) {
  const items = await queryAllItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.reportPartition(communityId, month) },
  });
  return {
    teams: items.filter((item) => String(item.sk).startsWith('TEAM#')).map((item) => ({
      team: item.team as string,
      minutes: item.minutes as number,
      points: item.points as number,
    })),
    volunteers: items.filter((item) => String(item.sk).startsWith('VOL#')).map((item) => ({
      volunteerId: item.volunteerId as string,
      name: item.name as string,
      team: item.team as string,
      minutes: item.minutes as number,
      points: item.points as number,
    })),
  };
}

export type { Decision };
