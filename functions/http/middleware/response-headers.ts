import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

function isCredentialed(event: APIGatewayProxyEventV2): boolean {
  return Boolean(event.headers?.authorization || event.headers?.['x-manage-token']);
}

/** Answers to anything but a read: a public sign-up's 201 carries the one-time manage token. */
const isWrite = (event: APIGatewayProxyEventV2) => !['GET', 'HEAD', 'OPTIONS'].includes(event.requestContext?.http?.method ?? 'GET');

/**
 * API.md: every response carries `X-Content-Type-Options: nosniff`; responses to credentialed
 * calls carry `Cache-Control: no-store` (they hold rosters, phone numbers, tokens), and so do the
 * answers to every write, credential or not (the manage token is shown in a public POST's 201).
 * Runs after middy's security-headers middleware, on errors as well as successes.
 */
export function apiResponseHeaders(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const apply = (request: Request) => {
    const response = request.response;
    if (!response) return;
    response.headers = { ...response.headers, 'X-Content-Type-Options': 'nosniff' };
    if (isCredentialed(request.event) || isWrite(request.event)) response.headers['Cache-Control'] = 'no-store';
  };
  return { after: apply, onError: apply };
}
