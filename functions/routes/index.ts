import { functionGroupOf, type FunctionGroup, type RouteDefinition } from '../http/route';
import { communityRoutes } from './communities';
import { eventRoutes } from './events';
import { openApiRoute } from './openapi';
import { helpRequestRoutes } from './help-requests';
import { hoursRoutes } from './hours';
import { pointsRoutes } from './points';
import { notificationRoutes } from './notifications';
import { registrationRoutes } from './registrations';
import { shiftRoutes } from './shifts';
import { slotRoutes } from './slots';
import { volunteerRoutes } from './volunteers';
import { healthRoute } from './system';

/**
 * The route table: every HTTP route, declared once. The CDK stack makes API Gateway routes of it,
 * the local server serves it, and GET /openapi.json describes it.
 */
export const routes: readonly RouteDefinition[] = [healthRoute, openApiRoute, ...communityRoutes,
  ...eventRoutes,
  ...registrationRoutes,
  ...slotRoutes,
  ...helpRequestRoutes,
  ...volunteerRoutes,
  ...shiftRoutes,
  ...hoursRoutes,
  ...pointsRoutes,
  ...notificationRoutes,
];

/** The routes one Lambda function serves. */
export function routesOf(group: FunctionGroup): RouteDefinition[] {
  return routes.filter((route) => functionGroupOf(route.credential) === group);
}
