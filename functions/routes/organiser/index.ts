import type { RouteDefinition } from '../../http/route';
import { organiserWishRoutes } from './wishes';
import { organiserWorkOrderRoutes } from './work-orders';
import { organiserAssignmentRoutes } from './assignments';
import { organiserCommunityRoutes } from './communities';
import { organiserEventRoutes } from './events';
import { organiserDeskCodeRoutes } from './desk-code';
import { organiserHoursRoutes } from './hours';
import { organiserNotificationRoutes } from './notifications';
import { organiserCatalogueRoutes, organiserRedemptionRoutes } from './points';
import { organiserRegistrationRoutes } from './registrations';
import { organiserSlotRoutes } from './slots';
import { organiserVolunteerRoutes } from './volunteers';

/**
 * The organiser function's routes (credential `organiser`), in route-table order. The organiser
 * entry imports only this module, so its bundle holds none of the other functions' routes.
 */
export const organiserRoutes: readonly RouteDefinition[] = [
  ...organiserCommunityRoutes,
  ...organiserEventRoutes,
  ...organiserRegistrationRoutes,
  ...organiserSlotRoutes,
  ...organiserVolunteerRoutes,
  ...organiserAssignmentRoutes,
  ...organiserHoursRoutes,
  ...organiserDeskCodeRoutes,
  ...organiserCatalogueRoutes,
  ...organiserRedemptionRoutes,
  ...organiserNotificationRoutes,
  ...organiserWorkOrderRoutes,
  ...organiserWishRoutes,
];
