import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

function isCredentialed(event: APIGatewayProxyEventV2): boolean {
  return Boolean(event.headers?.authorization || event.headers?.['x-manage-token']);
}

/**
 * API.md: every response carries `X-Content-Type-Options: nosniff`; responses to credentialed
 * calls carry `Cache-Control: no-store` (they hold rosters, phone numbers, tokens).
 * Runs after middy's security-headers middleware, on errors as well as successes.
 */
export function apiResponseHeaders(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const apply = (request: Request) => {
    const response = request.response;
    if (!response) return;
    response.headers = { ...response.headers, 'X-Content-Type-Options': 'nosniff' };
    if (isCredentialed(request.event)) response.headers['Cache-Control'] = 'no-store';
  };
  return { after: apply, onError: apply };
}
