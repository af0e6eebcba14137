import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AddressInfo } from 'node:net';
import { defineRoute, ok, type LambdaHttpHandler } from '../../../functions/http/route';
import { FUNCTION_TIMEOUT_MS, LOCAL_CONCURRENCY_PER_FUNCTION, createLocalServer } from '../../../local/server';

/**
 * The local server stands in for many Lambda execution environments in one process: a burst
 * runs at most LOCAL_CONCURRENCY_PER_FUNCTION invocations of a function at once, and a request's
 * timeout starts when its invocation does, not while it waits its turn.
 */
const route = defineRoute({
  method: 'GET',
  path: '/slow',
  operationId: 'slow',
  summary: 'Takes 40 ms',
  tags: ['test'],
  credential: 'public',
  responses: { 200: { description: 'ok' } },
  handler: async () => ok({}),
});

it('runs a burst a few at a time, each with its whole timeout', async () => {
  let running = 0;
  let most = 0;
  const remainingAtStart: number[] = [];
  // The first invocations hold until the gate is full, however slowly a loaded machine sends the
  // burst: "most" then shows the limit is reached and never passed, whatever the timing.
  let full!: () => void;
  const gateFull = new Promise<void>((resolve) => (full = resolve));
  const handler: LambdaHttpHandler = async (_event, context) => {
    remainingAtStart.push(context.getRemainingTimeInMillis());
    running += 1;
    most = Math.max(most, running);
    if (running === LOCAL_CONCURRENCY_PER_FUNCTION) full();
    await gateFull;
    await new Promise((resolve) => setTimeout(resolve, 40));
    running -= 1;
    return { statusCode: 200, body: '{}' } satisfies APIGatewayProxyStructuredResultV2;
  };
  const server = createLocalServer({
    routes: [route],
    handlers: { public: handler, volunteer: handler, organiser: handler },
    authorize: async () => undefined,
    jobs: [],
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
    const burst = LOCAL_CONCURRENCY_PER_FUNCTION * 4;
    const responses = await Promise.all(Array.from({ length: burst }, () => fetch(url)));
    expect(responses.map((response) => response.status)).toEqual(Array(burst).fill(200));
    expect(most).toBe(LOCAL_CONCURRENCY_PER_FUNCTION);
    // The last three quarters waited for a turn (the first quarter held until the gate filled);
    // their countdown had not started.
    expect(Math.min(...remainingAtStart)).toBeGreaterThan(FUNCTION_TIMEOUT_MS - 60);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
