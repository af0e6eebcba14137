import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handler as organiserHandler } from '../../../functions/entry/organiser';
import { handler as publicHandler } from '../../../functions/entry/public';

/**
 * Faults DynamoDB Local cannot produce, injected with aws-sdk-client-mock: what a caller sees
 * when the database throttles, conflicts or fails, after the SDK's own bounded retries.
 */
process.env.TABLE_NAME = 'linli-faults';
process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:9';
process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '0';

const documents = mockClient(DynamoDBDocumentClient);
const context = { awsRequestId: 'r1', functionName: 'linli-test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

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

beforeEach(() => documents.reset());

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
      context,
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
