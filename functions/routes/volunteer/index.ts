import type { RouteDefinition } from '../../http/route';
import { volunteerWishRoutes } from './wishes';
import { volunteerWorkOrderRoutes } from './work-orders';
import { volunteerHoursRoutes } from './hours';
import { volunteerPointsRoutes } from './points';
import { volunteerShiftRoutes } from './shifts';
import { volunteerVolunteerRoutes } from './volunteers';

/**
 * The volunteer function's routes (credential `volunteer`), in route-table order. The volunteer
 * entry imports only this module, so its bundle holds none of the other functions' routes.
 */
export const volunteerRoutes: readonly RouteDefinition[] = [
  ...volunteerVolunteerRoutes,
  ...volunteerShiftRoutes,
  ...volunteerHoursRoutes,
  ...volunteerPointsRoutes,
  ...volunteerWorkOrderRoutes,
  ...volunteerWishRoutes,
];
