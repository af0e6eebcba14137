import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Community, CommunitySettings } from '../domain/communities';
import type { EarningRate } from '../domain/points';
import { isConditionalCheckFailed } from './store-errors';
import { documents, tableName } from './client';
import { keys } from './keys';
import { translateStoreError } from './store-errors';

function fromItem(item: Record<string, unknown>): Community {
  return {
    id: item.communityId as string,
    name: item.name as string,
    timezone: item.timezone as string,
    pointsPerHour: item.pointsPerHour as number,
    pointsPerHourHistory: (item.pointsPerHourHistory as EarningRate[] | undefined) ?? [
      { pointsPerHour: item.pointsPerHour as number, effectiveFrom: item.createdAt as string },
    ],
    reminderOffsetsMinutes: (item.reminderOffsetsMinutes as number[]) ?? [],
    organiserContacts: (item.organiserContacts as string[]) ?? [],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

/** The community's profile (GetItem `COMMUNITY#c` / `PROFILE`). */
export async function getCommunity(communityId: string): Promise<Community | undefined> {
  try {
    const { Item } = await documents().send(new GetCommand({ TableName: tableName(), Key: keys.community(communityId) }));
    return Item ? fromItem(Item) : undefined;
  } catch (error) {
    throw translateStoreError(error);
  }
}

/** The community changed since it was read (another organiser saved settings): read again. */
export class StaleCommunityError extends Error {
  constructor() {
    super('The community changed while its settings were being saved');
    this.name = 'StaleCommunityError';
  }
}

/**
 * Creates or replaces the settings in one UpdateItem, keeping `createdAt` from the first write,
 * on condition that the profile is as it was read (`updatedAt`; absent for a new community), so
 * two organisers saving at once cannot lose a version of the earning standard.
 */
export async function putCommunitySettings(
  communityId: string,
  settings: CommunitySettings,
  pointsPerHourHistory: readonly EarningRate[],
  readUpdatedAt: string | undefined,
  now: Date,
): Promise<Community> {
  try {
    const { Attributes } = await documents().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.community(communityId),
        UpdateExpression:
          'SET #type = :type, #id = :id, #name = :name, #tz = :tz, #pph = :pph, #offsets = :offsets, ' +
          '#contacts = :contacts, #history = :history, #created = if_not_exists(#created, :now), #updated = :now',
        ConditionExpression: readUpdatedAt === undefined ? 'attribute_not_exists(pk)' : '#updated = :read',
        // Names for every attribute: TIMEZONE and NAME are DynamoDB reserved words.
        ExpressionAttributeNames: {
          '#type': 'type',
          '#id': 'communityId',
          '#name': 'name',
          '#tz': 'timezone',
          '#pph': 'pointsPerHour',
          '#offsets': 'reminderOffsetsMinutes',
          '#contacts': 'organiserContacts',
          '#created': 'createdAt',
          '#updated': 'updatedAt',
          '#history': 'pointsPerHourHistory',
        },
        ExpressionAttributeValues: {
          ':type': 'Community',
          ':id': communityId,
          ':name': settings.name,
          ':tz': settings.timezone,
          ':pph': settings.pointsPerHour,
          ':offsets': settings.reminderOffsetsMinutes,
          ':contacts': settings.organiserContacts,
          ':now': now.toISOString(),
          ':history': pointsPerHourHistory,
          ...(readUpdatedAt === undefined ? {} : { ':read': readUpdatedAt }),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem(Attributes!);
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new StaleCommunityError();
    throw translateStoreError(error);
  }
}
