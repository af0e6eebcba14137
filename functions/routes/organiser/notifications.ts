import * as z from 'zod';
import { publicNotification } from '../../domain/notifications';
import { defineRoute, ok } from '../../http/route';
import { requireCommunity } from '../../services/communities';
import { listNotifications } from '../../store/notifications';
import { communityParams, listOf, paginationQuery } from '../schemas';

const notificationSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    targetId: z.string(),
    dueAt: z.string(),
    sentAt: z.string().nullable(),
    status: z.enum(['pending', 'sending', 'sent', 'failed']).describe('sending: claimed by a run that is handing it over'),
    attempts: z.number().int().min(0).describe('Delivery attempts so far'),
    lastError: z.string().optional().describe('Why the last attempt failed, when one did'),
    recipients: z.array(z.object({ type: z.string(), id: z.string() })),
    subject: z.string(),
    body: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Notification' });

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
