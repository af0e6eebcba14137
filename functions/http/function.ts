import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler from '@middy/http-router';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { UnavailableError } from '../domain/errors';
import { logger } from '../logger';
import { withinDeadline } from '../store/client';
import { allowedOrigins, CORS_POLICY } from './cors-policy';
import { authenticate, principalOf } from './middleware/authenticate';
import { parseBody } from './middleware/body';
import { problemErrorHandler } from './middleware/error-handler';
import { answerOnce } from './middleware/idempotency';
import { rateLimitPublicPosts } from './middleware/rate-limit';
import { requestLog } from './middleware/request-log';
import { apiResponseHeaders } from './middleware/response-headers';
import { validatedInput, validateRequest } from './middleware/validate';
import type { HttpResult, LambdaHttpHandler, RouteDefinition } from './route';

type Event = APIGatewayProxyEventV2;
type Response = APIGatewayProxyStructuredResultV2;

function toLambdaResponse(result: HttpResult): Response {
  if (result.body === undefined) return { statusCode: result.status, headers: { ...result.headers } };
  if (result.contentType) {
    return {
      statusCode: result.status,
      headers: { 'Content-Type': result.contentType, ...result.headers },
      body: String(result.body),
    };
  }
  return {
    statusCode: result.status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...result.headers },
    body: JSON.stringify(result.body),
  };
}

/** Time kept back from the function's timeout to answer `503` when the database hangs. */
const DEADLINE_MARGIN_MS = 1500;

/**
 * If the handler is still running this close to the timeout (a starved CPU, a hang outside the
 * store), middy answers for it. Its own answer would be a 500; the outcome is not known, though,
 * and a retry with the same `Idempotency-Key` is safe (it replays or completes the one effect),
 * so the answer is `503 unavailable` with `Retry-After`, as at the store's deadline.
 */
const TIMEOUT_POLICY = {
  timeoutEarlyInMillis: 100,
  timeoutEarlyResponse: () => {
    throw new UnavailableError();
  },
};

async function invokeRoute(route: RouteDefinition, event: Event, context: Context): Promise<Response> {
  const request = { ...validatedInput(event), principal: principalOf(event), headers: event.headers, event, context };
  const replay = route.replay === 'handler' ? route.handler : route.replay;
  const rebuild = replay && ((outcome: Record<string, string>) => replay({ ...request, outcome }).then(toLambdaResponse));
  return answerOnce(event, async () => toLambdaResponse(await route.handler(request)), rebuild);
}

/**
 * One route's pipeline, in the order a request meets it: rate limit (public POSTs), credential,
 * body (413/415/parse), schemas (400), then the handler, run once per `Idempotency-Key`
 * (middleware/idempotency.ts).
 */
function routePipeline(route: RouteDefinition) {
  const pipeline = middy<Event, Response>(TIMEOUT_POLICY);
  if (route.credential === 'public' && route.method === 'POST') pipeline.use(rateLimitPublicPosts());
  pipeline.use(authenticate(route)).use(parseBody(route)).use(validateRequest(route));
  return pipeline.handler((event, context) => invokeRoute(route, event, context));
}

/**
 * A Lambda handler serving `routes` (one function group): middy's router inside the shared
 * middleware stack. The CDK stack points API Gateway routes at it; the local server invokes it.
 * Middleware order matters for onError: the problem handler is registered last so it runs first,
 * and the header middlewares then decorate the problem response too.
 */
export function createHttpFunction(routes: readonly RouteDefinition[]): LambdaHttpHandler {
  const router = httpRouterHandler({
    routes: routes.map((route) => ({ method: route.method, path: route.path, handler: routePipeline(route) })),
  });
  const handler = middy<Event, Response>(router as never, TIMEOUT_POLICY)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestLog())
    .use(httpHeaderNormalizer())
    .use(httpCors({ origins: allowedOrigins(), exposeHeaders: CORS_POLICY.exposeHeaders.join(','), maxAge: CORS_POLICY.maxAgeSeconds }))
    .use(httpSecurityHeaders())
    .use(apiResponseHeaders())
    .use(problemErrorHandler()) as unknown as LambdaHttpHandler;
  // The store's deadline covers the whole invocation, the credential lookup included.
  return (event, context) => withinDeadline(context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS, () => handler(event, context));
}
