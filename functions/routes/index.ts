import { functionGroupOf, type FunctionGroup, type RouteDefinition } from '../http/route';
import { communityRoutes } from './communities';
import { eventRoutes } from './events';
import { openApiRoute } from './openapi';
import { registrationRoutes } from './registrations';
import { healthRoute } from './system';

/**
 * The route table: every HTTP route, declared once. The CDK stack makes API Gateway routes of it,
 * the local server serves it, and GET /openapi.json describes it.
 */
export const routes: readonly RouteDefinition[] = [healthRoute, openApiRoute, ...communityRoutes, ...eventRoutes, ...registrationRoutes];

/** The routes one Lambda function serves. */
export function routesOf(group: FunctionGroup): RouteDefinition[] {
  return routes.filter((route) => functionGroupOf(route.credential) === group);
}
