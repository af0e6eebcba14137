import { startDynamoLocal } from '../../local/dynamodb';
import buildWebOnce from './web-build';

/**
 * One DynamoDB Local (in memory) for the integration suite; each test file makes its own table.
 * Jest runs this in the parent process; the endpoint reaches the workers through the environment.
 * The pages are built too (dist/web), for the suites that open them.
 */
export default async function globalSetup(): Promise<void> {
  await buildWebOnce();
  if (process.env.TEST_DYNAMODB_ENDPOINT) return;
  const dynamo = await startDynamoLocal();
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  (globalThis as { __linliDynamo?: typeof dynamo }).__linliDynamo = dynamo;
}
