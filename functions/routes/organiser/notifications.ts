import { notificationSchema, publicNotification } from '../../domain/notifications';
import { defineRoute, ok } from '../../http/route';
import { requireCommunity } from '../../services/communities';
import { listNotifications } from '../../store/notifications';
import { communityParams, listOf, paginationQuery } from '../schemas';

export const organiserNotificationRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/notifications',
    operationId: 'listNotifications',
    summary: 'Messages recorded for delivery, newest first',
    tags: ['notifications'],
    credential: 'organiser',
    params: communityParams,
    query: paginationQuery,
    responses: { 200: { description: 'Notifications', schema: listOf(notificationSchema) } },
    handler: async ({ params, query }) => {
      const community = await requireCommunity(params.c);
      const page = await listNotifications(params.c, query);
      return ok({ items: page.items.map((item) => publicNotification(item, community.timezone)), nextCursor: page.nextCursor });
    },
  }),
];
