import type { RouteDefinition } from '../../http/route';
import { publicWishRoutes } from './wishes';
import { publicWorkOrderRoutes } from './work-orders';
import { publicCommunityRoutes } from './communities';
import { publicEventRoutes } from './events';
import { publicHelpRequestRoutes } from './help-requests';
import { openApiRoute } from './openapi';
import { publicPointsRoutes } from './points';
import { publicRegistrationRoutes } from './registrations';
import { publicSlotRoutes } from './slots';
import { healthRoute } from './system';

/**
 * The public function's routes (credential `public` or `manage`), in route-table order. The public
 * entry imports only this module, so its bundle holds none of the other functions' routes.
 */
export const publicRoutes: readonly RouteDefinition[] = [
  healthRoute,
  openApiRoute,
  ...publicCommunityRoutes,
  ...publicEventRoutes,
  ...publicRegistrationRoutes,
  ...publicSlotRoutes,
  ...publicHelpRequestRoutes,
  ...publicPointsRoutes,
  ...publicWorkOrderRoutes,
  ...publicWishRoutes,
];
