import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { communityRecord, communitySettingsRecord, type Community, type CommunitySettings } from '../domain/communities';
import type { EarningRate } from '../domain/points';
import { isConditionalCheckFailed } from './store-errors';
import { send, tableName } from './client';
import { entityOf } from './entity';
import { keys } from './keys';

const communities = entityOf<Community>(communityRecord);

/** The profile inside its item: the declared fields; the id is the item's `communityId`. */
function fromItem(item: Record<string, unknown>): Community {
  const community = communities.fromItem({ ...item, id: item.communityId });
  return {
    ...community,
    // Profiles saved before the standard had versions: their one rate, from the start.
    pointsPerHourHistory: community.pointsPerHourHistory ?? [{ pointsPerHour: community.pointsPerHour, effectiveFrom: community.createdAt }],
    reminderOffsetsMinutes: community.reminderOffsetsMinutes ?? [],
    organiserContacts: community.organiserContacts ?? [],
    verifyPhone: community.verifyPhone ?? false,
    checkInProof: community.checkInProof ?? 'none',
  };
}

/** The community's profile (GetItem `COMMUNITY#c` / `PROFILE`). */
export async function getCommunity(communityId: string): Promise<Community | undefined> {
  const { Item } = await send(new GetCommand({ TableName: tableName(), Key: keys.community(communityId) }));
  return Item ? fromItem(Item) : undefined;
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
  // Every declared setting (communitySettingsRecord), by name: a setting added there is saved here too.
  const settingNames = Object.keys(communitySettingsRecord.shape) as (keyof CommunitySettings)[];
  // An optional setting left unset is removed (the robot's key after `wecomWebhookUrl: null`).
  const setNames = settingNames.filter((name) => settings[name] !== undefined);
  const removed = settingNames.filter((name) => settings[name] === undefined);
  try {
    const { Attributes } = await send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.community(communityId),
        UpdateExpression:
          `SET #type = :type, #id = :id, ${setNames.map((name) => `#s_${name} = :s_${name}`).join(', ')}, ` +
          '#history = :history, #created = if_not_exists(#created, :now), #updated = :now' +
          (removed.length ? ` REMOVE ${removed.map((name) => `#s_${name}`).join(', ')}` : ''),
        ConditionExpression: readUpdatedAt === undefined ? 'attribute_not_exists(pk)' : '#updated = :read',
        // Names for every attribute: TIMEZONE and NAME are DynamoDB reserved words.
        ExpressionAttributeNames: {
          '#type': 'type',
          '#id': 'communityId',
          ...Object.fromEntries(settingNames.map((name) => [`#s_${name}`, name])),
          '#created': 'createdAt',
          '#updated': 'updatedAt',
          '#history': 'pointsPerHourHistory',
        },
        ExpressionAttributeValues: {
          ':type': 'Community',
          ':id': communityId,
          ...Object.fromEntries(setNames.map((name) => [`:s_${name}`, settings[name]])),
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
    throw error;
  }
}

/** Gives a community saved before desk codes its desk secret, once: of racing callers the first one's stands. */
export async function setDeskSecretOnce(communityId: string, secret: string): Promise<void> {
  try {
    await send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.community(communityId),
        UpdateExpression: 'SET deskSecret = :secret',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deskSecret)',
        ExpressionAttributeValues: { ':secret': secret },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
