import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { send, tableName } from './client';
import { keys } from './keys';

export interface VolunteerCredential {
  readonly volunteerId: string;
  readonly communityId: string;
  readonly status: 'active' | 'inactive';
}

/** Credential by token hash (GetItem on `VOLTOKEN#<hash>`). */
export async function findVolunteerCredential(tokenHash: string): Promise<VolunteerCredential | undefined> {
  const { Item } = await send(
    new GetCommand({ TableName: tableName(), Key: keys.volunteerToken(tokenHash), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return { volunteerId: Item.volunteerId, communityId: Item.communityId, status: Item.status };
}

/** The item that lets a token find its volunteer; written with the volunteer, in one transaction. */
export function credentialItem(tokenHash: string, credential: VolunteerCredential): Record<string, unknown> {
  return { ...keys.volunteerToken(tokenHash), type: 'VolunteerCredential', ...credential };
}

/** Stores a credential on its own (tests); the volunteer registry writes it with the volunteer. */
export async function putVolunteerCredential(tokenHash: string, credential: VolunteerCredential): Promise<void> {
  await send(
    new PutCommand({
      TableName: tableName(),
      Item: credentialItem(tokenHash, credential),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}
