import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { AddressInfo } from 'node:net';
import { createHttpFunction } from '../../../functions/http/function';
import { defineRoute, ok } from '../../../functions/http/route';
import { send } from '../../../functions/store/client';
import { createLocalServer } from '../../../local/server';

/**
 * The local runtime's timeout behaves as Lambda's (issue 19): an invocation still running at its
 * timeout is answered `503 unavailable` (a retry with its key is safe) and has no say after it. Node cannot freeze a handler as Lambda freezes
 * its environment, so what must hold is what a caller could notice: nothing the handler sends to
 * the database after its time is written. The database is aws-sdk-client-mock here, because the
 * point is whether a write is sent at all.
 */
process.env.TABLE_NAME = 'linli-timeout';
process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:9';
process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';

const TIMEOUT_MS = 2_000;
const documents = mockClient(DynamoDBDocumentClient);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let wroteAt: 'before' | 'after' | undefined;

const hanging = defineRoute({
  method: 'POST',
  path: '/hang',
  operationId: 'hang',
  summary: 'Hangs past the timeout on something that is not the store, then writes',
  tags: ['test'],
  credential: 'public',
  responses: { 200: { description: 'ok' } },
  handler: async () => {
    await sleep(TIMEOUT_MS + 300);
    try {
      await send(new PutCommand({ TableName: 'linli-timeout', Item: { pk: 'late', sk: 'write' } }));
      wroteAt = 'after';
    } catch {
      wroteAt = 'before'; // refused before it was sent
    }
    return ok({});
  },
});

afterAll(() => documents.restore());

it('answers 503 with Retry-After just before the timeout, and sends nothing to the database after it', async () => {
  const handler = createHttpFunction([hanging]);
  const server = createLocalServer({
    routes: [hanging],
    handlers: { public: handler, volunteer: handler, organiser: handler },
    authorize: async () => undefined,
    jobs: [],
    functionTimeoutMs: TIMEOUT_MS,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hang`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const elapsed = performance.now() - started;
    // middy answers 100 ms before the timeout (functions/http/function.ts, TIMEOUT_POLICY): the
    // outcome is unknown, so `unavailable` with Retry-After, never the handler's own 200 (which a
    // loaded machine running the timer late would let through) and never a bare 500.
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(((await response.json()) as { code: string }).code).toBe('unavailable');
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 200);
    // The handler wakes after the answer and tries to write: the store refuses it unsent.
    await sleep(700);
    expect(wroteAt).toBe('before');
    expect(documents.commandCalls(PutCommand)).toHaveLength(0);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
