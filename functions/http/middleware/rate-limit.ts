import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '../../config';
import { AppError } from '../../domain/errors';
import { addressScope, consumeRateWindow } from '../../store/rate-limits';
import * as clock from '../../clock';

/**
 * API.md: public POSTs are limited per client address (`PUBLIC_RATE_LIMIT_PER_MINUTE`, 0 = off).
 * The address is hashed before it becomes a key: an IP address is personal data too.
 */
export function rateLimitPublicPosts(): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async (request) => {
      const limit = config().publicRateLimitPerMinute;
      if (limit === 0) return;
      const scope = addressScope(request.event.requestContext.http.sourceIp);
      const { allowed, retryAfterSeconds } = await consumeRateWindow(scope, 60, limit, clock.now());
      if (!allowed) throw new AppError('rate_limited', { detail: 'Too many requests from this address', retryAfterSeconds });
    },
  };
}
