/**
 * The integration project run under DynamoDB's documented concurrency (jest.config.js): every
 * local runtime a test file starts lays `local/contention.ts` over DynamoDB Local, so the race
 * tests meet `TransactionConflict` as they would on AWS. Jest gives each test file its own copy
 * of the environment, so this reaches no other project.
 */
process.env.DYNAMODB_CONTENTION = 'aws';
