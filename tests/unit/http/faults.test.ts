import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handler as organiserHandler } from '../../../functions/entry/organiser';
import { handler as publicHandler } from '../../../functions/entry/public';
import { forgetKeptProfiles } from '../../../functions/services/communities';
import { forgetSeenEvents } from '../../../functions/services/registrations';

/**
 * Faults DynamoDB Local cannot produce, injected with aws-sdk-client-mock: what a caller sees
 * when the database throttles, conflicts or fails, after the SDK's own bounded retries.
 */
process.env.TABLE_NAME = 'linli-faults';
process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:9';
process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';
// The registration cases below are the direct path's (one transaction per sign-up on the counter),
// the path verified sign-ups take. The queue's faults (services/admission.ts) are the crash suite's
// and the contended integration project's, against DynamoDB Local.
process.env.SIGN_UP_PATH = 'direct';

const documents = mockClient(DynamoDBDocumentClient);
const context = { awsRequestId: 'r1', functionName: 'linli-test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
/** A function with 3 s left: the store's deadline is 1.5 s away (functions/http/function.ts). */
const shortContext = { ...context, getRemainingTimeInMillis: () => 3_000 } as unknown as Context;

function event(method: string, path: string, routeKey: string, pathParameters: Record<string, string>, body?: unknown): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: body ? { 'content-type': 'application/json', authorization: 'Bearer x' } : {},
    pathParameters,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: 'r1',
      routeKey,
      authorizer: { jwt: { claims: { sub: 'u', 'cognito:groups': '[organisers]', 'custom:communityId': 'xingfu' }, scopes: [] } },
    },
    body: body ? JSON.stringify(body) : undefined,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

const getCommunity = () =>
  publicHandler(event('GET', '/communities/xingfu', 'GET /communities/{c}', { c: 'xingfu' }), context) as Promise<APIGatewayProxyStructuredResultV2>;

function named(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} on table linli-faults`), { name, $metadata: {}, ...extra });
}

beforeEach(() => {
  documents.reset();
  // A warm instance keeps what it read; each case starts as a fresh one.
  forgetKeptProfiles();
  forgetSeenEvents();
});

describe('when DynamoDB fails', () => {
  it.each(['ProvisionedThroughputExceededException', 'ThrottlingException', 'InternalServerError', 'RequestLimitExceeded'])(
    'answers %s with 503 unavailable and Retry-After',
    async (name) => {
      documents.on(GetCommand).rejects(named(name));
      const response = await getCommunity();
      expect(response.statusCode).toBe(503);
      expect(response.headers?.['Retry-After']).toBe('2');
      const body = JSON.parse(response.body!);
      expect(body.code).toBe('unavailable');
      expect(response.body).not.toContain(name);
      expect(response.body).not.toContain('linli-faults');
    },
  );

  it('answers a transaction conflict with 503 so the client retries', async () => {
    documents.on(GetCommand).resolves({ Item: { communityId: 'xingfu', name: 'x', timezone: 'Asia/Shanghai', pointsPerHour: 10 } });
    documents.on(TransactWriteCommand).rejects(
      named('TransactionCanceledException', { CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] }),
    );
    const response = (await organiserHandler(
      event('POST', '/communities/xingfu/events', 'POST /communities/{c}/events', { c: 'xingfu' }, {
        title: 't', venue: 'v', startsAt: '2027-01-01T09:00:00+08:00', endsAt: '2027-01-01T10:00:00+08:00', capacity: 5,
      }),
      shortContext,
    )) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(503);
  });

  it('answers an unexpected error with a bare 500: no stack, no AWS error name, no table name', async () => {
    documents.on(GetCommand).rejects(named('ValidationException'));
    const response = await getCommunity();
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body!)).toEqual({ type: '/problems/internal', title: 'Internal error', status: 500, code: 'internal' });
  });
});

describe('a registration under injected faults', () => {
  const community = { communityId: 'xingfu', name: '幸福邻里', timezone: 'Asia/Shanghai', pointsPerHour: 10, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
  const eventItem = {
    id: 'e1', communityId: 'xingfu', title: 't', venue: 'v', startsAt: '2030-01-01T01:00:00.000Z', endsAt: '2030-01-01T03:00:00.000Z',
    capacity: 10, maxPartySize: 4, volunteerCapacity: 0, registrationClosesAt: '2030-01-01T01:00:00.000Z', status: 'published',
    confirmedSeats: 0, waitlistLength: 0, volunteersStaffed: 0, version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const register = (within: Context = context) =>
    publicHandler(
      {
        ...event('POST', '/communities/xingfu/events/e1/registrations', 'POST /communities/{c}/events/{eventId}/registrations', { c: 'xingfu', eventId: 'e1' }, { name: '王', phone: '13800138000' }),
        headers: { 'content-type': 'application/json' },
      } as APIGatewayProxyEventV2,
      within,
    ) as Promise<APIGatewayProxyStructuredResultV2>;
  const conflict = () => named('TransactionCanceledException', { CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }] });

  beforeEach(() => {
    documents.on(GetCommand).callsFake((input: { Key: { sk: string } }) => ({ Item: input.Key.sk === 'PROFILE' ? community : eventItem }));
    documents.on(UpdateCommand).resolves({});
  });

  it('retries a transaction that lost a race, with jitter, and stores it once', async () => {
    documents.on(TransactWriteCommand).rejectsOnce(conflict()).resolves({});
    const response = await register();
    expect(response.statusCode).toBe(201);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('retries a lost race until the request’s deadline nears, then answers 503 with Retry-After, in time', async () => {
    documents.on(TransactWriteCommand).rejects(conflict());
    const started = performance.now();
    const response = await register(shortContext);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBeDefined();
    expect(documents.commandCalls(TransactWriteCommand).length).toBeGreaterThan(8);
    // Answered before the store's deadline (1.5 s), far inside the function's 3 s.
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it.each(['TimeoutError', 'InternalServerError', 'ThrottlingException'])('answers %s from the transaction with 503', async (name) => {
    documents.on(TransactWriteCommand).rejects(named(name));
    expect((await register()).statusCode).toBe(503);
  });

  it('answers 503 when a read fails after the write succeeded, and the retry cannot apply it twice', async () => {
    const full = { ...eventItem, confirmedSeats: 10 }; // the party is waitlisted: a position is read after the write
    documents.on(GetCommand).callsFake((input: { Key: { sk: string } }) => ({ Item: input.Key.sk === 'PROFILE' ? community : full }));
    documents.on(TransactWriteCommand).resolvesOnce({});
    documents.on(QueryCommand).rejects(named('InternalServerError'));
    expect((await register()).statusCode).toBe(503);
    // The retry meets the phone marker the first attempt wrote: the transaction is refused whole.
    documents.on(TransactWriteCommand).rejects(named('TransactionCanceledException', { CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }] }));
    const retry = await register();
    expect(retry.statusCode).toBe(409);
    expect(JSON.parse(retry.body!).code).toBe('duplicate_registration');
  });
});
