import type { FunctionGroup, RouteDefinition } from '../http/route';
import { organiserAssignmentRoutes } from './organiser/assignments';
import { organiserCommunityRoutes } from './organiser/communities';
import { organiserEventRoutes } from './organiser/events';
import { organiserDeskCodeRoutes } from './organiser/desk-code';
import { organiserHoursRoutes } from './organiser/hours';
import { organiserNotificationRoutes } from './organiser/notifications';
import { organiserCatalogueRoutes, organiserRedemptionRoutes } from './organiser/points';
import { organiserRegistrationRoutes } from './organiser/registrations';
import { organiserSlotRoutes } from './organiser/slots';
import { organiserVolunteerRoutes } from './organiser/volunteers';
import { organiserWishRoutes } from './organiser/wishes';
import { organiserWorkOrderRoutes } from './organiser/work-orders';
import { organiserRoutes } from './organiser';
import { publicCommunityRoutes } from './public/communities';
import { publicEventRoutes } from './public/events';
import { publicHelpRequestRoutes } from './public/help-requests';
import { openApiRoute } from './public/openapi';
import { publicPointsRoutes } from './public/points';
import { publicRegistrationRoutes } from './public/registrations';
import { publicSlotRoutes } from './public/slots';
import { publicWishRoutes } from './public/wishes';
import { publicWorkOrderRoutes } from './public/work-orders';
import { healthRoute } from './public/system';
import { publicRoutes } from './public';
import { volunteerHoursRoutes } from './volunteer/hours';
import { volunteerPointsRoutes } from './volunteer/points';
import { volunteerShiftRoutes } from './volunteer/shifts';
import { volunteerVolunteerRoutes } from './volunteer/volunteers';
import { volunteerWishRoutes } from './volunteer/wishes';
import { volunteerWorkOrderRoutes } from './volunteer/work-orders';
import { volunteerRoutes } from './volunteer';

/**
 * The route table: every HTTP route, declared once. The CDK stack makes API Gateway routes of it,
 * the local server serves it, and GET /openapi.json describes it.
 *
 * Routes live in one module per function group (public/, volunteer/, organiser/), so each Lambda
 * entry imports only its own group (./public, ./volunteer, ./organiser) and bundles only its own
 * routes; schemas used by more than one group live in the <domain>.schemas.ts modules beside this
 * one. Nothing in functions/entry may import this module. The table keeps the order by domain,
 * which is the order of docs/openapi.json.
 */
export const routes: readonly RouteDefinition[] = [healthRoute, openApiRoute, ...publicCommunityRoutes, ...organiserCommunityRoutes,
  ...publicEventRoutes, ...organiserEventRoutes,
  ...publicRegistrationRoutes, ...organiserRegistrationRoutes,
  ...publicSlotRoutes, ...organiserSlotRoutes,
  ...publicHelpRequestRoutes,
  ...organiserVolunteerRoutes, ...volunteerVolunteerRoutes,
  ...volunteerShiftRoutes, ...organiserAssignmentRoutes,
  ...volunteerHoursRoutes, ...organiserHoursRoutes, ...organiserDeskCodeRoutes,
  ...publicPointsRoutes, ...organiserCatalogueRoutes, ...volunteerPointsRoutes, ...organiserRedemptionRoutes,
  ...organiserNotificationRoutes,
  ...publicWorkOrderRoutes, ...organiserWorkOrderRoutes, ...volunteerWorkOrderRoutes,
  ...publicWishRoutes, ...organiserWishRoutes, ...volunteerWishRoutes,
];

const GROUPS: Readonly<Record<FunctionGroup, readonly RouteDefinition[]>> = {
  public: publicRoutes,
  volunteer: volunteerRoutes,
  organiser: organiserRoutes,
};

/** The routes one Lambda function serves: its group module's list. */
export function routesOf(group: FunctionGroup): RouteDefinition[] {
  return [...GROUPS[group]];
}
