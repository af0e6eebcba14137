import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Community, CommunitySettings } from '../domain/communities';
import { documents, tableName } from './client';
import { keys } from './keys';
import { translateStoreError } from './store-errors';

function fromItem(item: Record<string, unknown>): Community {
  return {
    id: item.communityId as string,
    name: item.name as string,
    timezone: item.timezone as string,
    pointsPerHour: item.pointsPerHour as number,
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

/**
 * Creates or replaces the settings in one UpdateItem, keeping `createdAt` from the first write
 * and whatever else later issues keep on the profile item.
 */
export async function putCommunitySettings(communityId: string, settings: CommunitySettings, now: Date): Promise<Community> {
  try {
    const { Attributes } = await documents().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.community(communityId),
        UpdateExpression:
          'SET #type = :type, #id = :id, #name = :name, #tz = :tz, #pph = :pph, #offsets = :offsets, ' +
          '#contacts = :contacts, #created = if_not_exists(#created, :now), #updated = :now',
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
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem(Attributes!);
  } catch (error) {
    throw translateStoreError(error);
  }
}
