import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../../logger';

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

const startedAt = new WeakMap<object, number>();

/**
 * One structured line per request: the route template (never the raw path or query, which could
 * carry what a resident typed), status, duration and the request id. Bodies are never logged.
 */
export function requestLog(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const done = (request: Request) => {
    const started = startedAt.get(request.event);
    const status = request.response?.statusCode ?? 500;
    const fields = {
      route: request.event.routeKey,
      status,
      durationMs: started === undefined ? undefined : Math.round(performance.now() - started),
      requestId: request.event.requestContext?.requestId,
    };
    if (status >= 500) logger.error('request', fields);
    else logger.info('request', fields);
  };
  return {
    before: (request) => {
      startedAt.set(request.event, performance.now());
    },
    after: done,
    onError: done,
  };
}
