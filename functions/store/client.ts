import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { translateStoreError } from './store-errors';

let documentClient: DynamoDBDocumentClient | undefined;
let lowLevelClient: DynamoDBClient | undefined;

/**
 * The DynamoDB client, created once per process (once per cold start on Lambda).
 * The SDK's standard retry mode gives bounded retries with jittered backoff.
 */
export function dynamo(): DynamoDBClient {
  if (!lowLevelClient) {
    const { dynamodbEndpoint, region } = config();
    lowLevelClient = new DynamoDBClient({
      region,
      maxAttempts: 4,
      retryMode: 'standard',
      ...(dynamodbEndpoint
        ? { endpoint: dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
  }
  return lowLevelClient;
}

/** The document client over {@link dynamo}: plain JavaScript values in and out. */
export function documents(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(dynamo(), { marshallOptions: { removeUndefinedValues: true } });
  return documentClient;
}

/**
 * The one way the store sends a request, and the one place an SDK error is translated for the
 * layers above (`translateStoreError`: throttling and an unreachable database become
 * `503 unavailable`; a failed condition or a cancelled transaction passes through for the store
 * function to read). No store function wraps its calls in a try/catch of its own for this.
 */
export const send = (async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
  try {
    return await documents().send(command);
  } catch (error) {
    throw translateStoreError(error);
  }
}) as DynamoDBDocumentClient['send'];

export function tableName(): string {
  return config().tableName;
}

/** Forget the clients (tests point the process at another endpoint). */
export function resetClients(): void {
  documentClient = undefined;
  lowLevelClient?.destroy();
  lowLevelClient = undefined;
}
