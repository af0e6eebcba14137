import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The cold-start baseline: a handler that imports the same DynamoDB clients as
 * functions/store/client.ts, builds them the same way on first use, reads one item and answers.
 * Bundled exactly like the Linli functions (bench/cold.ts).
 */
let documents: DynamoDBDocumentClient | undefined;

export const handler = async () => {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  documents ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: process.env.AWS_REGION ?? 'us-east-1',
      maxAttempts: 4,
      retryMode: 'standard',
      ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const { Item } = await documents.send(
    new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'COMMUNITY#cold', sk: 'PROFILE' } }),
  );
  return { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: Item ? 'hello' : 'hello (no item)' };
};
