import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../domain/errors';
import { volunteerRecord, type Volunteer } from '../domain/volunteers';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { queryPage } from './items';
import { keys } from './keys';
import { decodeCursor } from './pagination';
import { cancellationCodes } from './store-errors';
import { transact } from './transactions';
import { credentialItem } from './volunteer-credentials';

const fromItem = entityOf<Volunteer>(volunteerRecord).fromItem;

const credentialOf = (volunteer: Volunteer) => ({
  volunteerId: volunteer.id,
  communityId: volunteer.communityId,
  status: volunteer.status,
});

/** Writes a new volunteer and its token's credential together, in a community that exists. */
export async function insertVolunteer(volunteer: Volunteer): Promise<void> {
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tableName(), Key: keys.community(volunteer.communityId), ConditionExpression: 'attribute_exists(pk)' } },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.volunteer(volunteer.communityId, volunteer.id), type: 'Volunteer', ...volunteer },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: tableName(), Item: credentialItem(volunteer.tokenHash, credentialOf(volunteer)), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new NotFoundError('Set up the community first: PUT /communities/{c}/settings');
    throw error;
  }
}

/** One volunteer (GetItem, consistent). */
export async function getVolunteer(communityId: string, volunteerId: string): Promise<Volunteer | undefined> {
  const { Item } = await send(
    new GetCommand({ TableName: tableName(), Key: keys.volunteer(communityId, volunteerId), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : undefined;
}

/** A community's volunteers (Query `pk = COMMUNITY#c AND begins_with(sk, VOLUNTEER#)`). */
export async function listVolunteers(communityId: string, page: { limit: number; cursor?: string }) {
  const pk = keys.community(communityId).pk;
  const startKey = decodeCursor(page.cursor, { pk }, ['pk', 'sk'], (key) => key.sk!.startsWith(keys.volunteerPrefix));
  const result = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.volunteerPrefix },
    },
    page.limit,
    startKey,
  );
  return { items: result.items.map(fromItem), nextCursor: result.nextCursor };
}

/** The volunteer changed since it was read; read again. */
export class StaleVolunteerError extends Error {
  constructor() {
    super('The volunteer changed while it was being updated');
    this.name = 'StaleVolunteerError';
  }
}

/**
 * Saves an organiser's change (name, team, skills, status) on condition nothing else changed it
 * (`updatedAt` as the version), and carries the status onto the token's credential in the same
 * transaction, so an inactive volunteer's token stops at once.
 */
export async function saveVolunteerProfile(previous: Volunteer, next: Volunteer): Promise<void> {
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: keys.volunteer(next.communityId, next.id),
          UpdateExpression: 'SET #name = :name, team = :team, skills = :skills, #status = :status, updatedAt = :now',
          ConditionExpression: 'updatedAt = :read AND tokenHash = :token',
          ExpressionAttributeNames: { '#name': 'name', '#status': 'status' },
          ExpressionAttributeValues: {
            ':name': next.name,
            ':team': next.team,
            ':skills': next.skills,
            ':status': next.status,
            ':now': next.updatedAt,
            ':read': previous.updatedAt,
            ':token': previous.tokenHash,
          },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.volunteerToken(previous.tokenHash),
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: 'volunteerId = :id',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': next.status, ':id': next.id },
        },
      },
    ]);
  } catch (error) {
    if (cancellationCodes(error)?.includes('ConditionalCheckFailed')) throw new StaleVolunteerError();
    throw error;
  }
}

/**
 * Replaces the volunteer's token in one transaction: the old credential is deleted (so the old
 * token stops at once), the new one put, and the volunteer records the new hash.
 */
export async function replaceVolunteerToken(volunteer: Volunteer, newTokenHash: string, now: Date): Promise<void> {
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: keys.volunteer(volunteer.communityId, volunteer.id),
          UpdateExpression: 'SET tokenHash = :new, updatedAt = :now',
          // updatedAt too: a status change racing the rotation must not leave the new
          // credential with the old status.
          ConditionExpression: 'tokenHash = :old AND updatedAt = :read',
          ExpressionAttributeValues: {
            ':new': newTokenHash,
            ':old': volunteer.tokenHash,
            ':now': now.toISOString(),
            ':read': volunteer.updatedAt,
          },
        },
      },
      { Delete: { TableName: tableName(), Key: keys.volunteerToken(volunteer.tokenHash) } },
      { Put: { TableName: tableName(), Item: credentialItem(newTokenHash, credentialOf(volunteer)), ConditionExpression: 'attribute_not_exists(pk)' } },
    ]);
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new StaleVolunteerError();
    throw error;
  }
}
