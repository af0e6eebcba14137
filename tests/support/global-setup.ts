import { startDynamoLocal } from '../../local/dynamodb';

/**
 * One DynamoDB Local (in memory) for the integration suite; each test file makes its own table.
 * Jest runs this in the parent process; the endpoint reaches the workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DYNAMODB_ENDPOINT) return;
  const dynamo = await startDynamoLocal();
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  (globalThis as { __linliDynamo?: typeof dynamo }).__linliDynamo = dynamo;
}
