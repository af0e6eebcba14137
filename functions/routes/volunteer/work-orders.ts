import * as z from 'zod';
import { workOrderSchema, workView } from '../../domain/work-orders';
import { paragraph } from '../../domain/model';
import { created, defineRoute, ok } from '../../http/route';
import { acceptWorkOrder, reportAsVolunteer, requireWorkOrder, resolveOwnWorkOrder, workOrdersForVolunteer } from '../../services/work-orders';
import { requireCommunity } from '../../services/communities';
import { listOf, paginationQuery } from '../schemas';
import { reportFields, workOrderParams } from '../work-orders.schemas';

const one = z.object({ workOrder: workOrderSchema });

export const volunteerWorkOrderRoutes = [
  defineRoute({
    method: 'POST',
    path: '/me/work-orders',
    operationId: 'reportOnRound',
    summary: 'A volunteer reports a problem found on their round',
    tags: ['work orders'],
    credential: 'volunteer',
    body: z.object(reportFields),
    responses: { 201: { description: 'Reported', schema: one } },
    replay: async ({ principal, outcome }) => {
      const [order, community] = await Promise.all([requireWorkOrder(principal.communityId, outcome.workOrderId!), requireCommunity(principal.communityId)]);
      return created({ workOrder: workView(order, community.timezone, 'volunteer') });
    },
    handler: async ({ principal, body }) => {
      const { order, community } = await reportAsVolunteer(principal, body);
      return created({ workOrder: workView(order, community.timezone, 'volunteer') });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/me/work-orders',
    operationId: 'getMyWorkOrders',
    summary: 'Work orders dispatched to my team and not yet taken, and those I took',
    tags: ['work orders'],
    credential: 'volunteer',
    query: paginationQuery,
    responses: { 200: { description: 'A page of work orders', schema: listOf(workOrderSchema) } },
    handler: async ({ principal, query }) => {
      const { items, nextCursor, community } = await workOrdersForVolunteer(principal, query);
      return ok({ items: items.map((order) => workView(order, community.timezone, 'volunteer')), nextCursor });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/work-orders/{id}/accept',
    operationId: 'acceptWorkOrder',
    summary: 'Take on a work order dispatched to my team: exactly one volunteer gets it',
    tags: ['work orders'],
    credential: 'volunteer',
    params: workOrderParams,
    responses: { 200: { description: 'Accepted (again, by the same volunteer: as it is)', schema: one } },
    replay: 'handler',
    handler: async ({ principal, params }) => {
      const { order, community } = await acceptWorkOrder(principal, params.id);
      return ok({ workOrder: workView(order, community.timezone, 'volunteer') });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/work-orders/{id}/resolve',
    operationId: 'resolveWorkOrder',
    summary: 'Say how it was fixed and how long it took: the minutes become a pending hours log',
    tags: ['work orders'],
    credential: 'volunteer',
    params: workOrderParams,
    body: z.object({ note: paragraph(500, 1, 'Please say what was done'), minutes: z.number().int().min(1).max(720) }),
    responses: { 200: { description: 'Resolved (again: as it is)', schema: one } },
    replay: 'handler',
    handler: async ({ principal, params, body }) => {
      const { order, community } = await resolveOwnWorkOrder(principal, params.id, body);
      return ok({ workOrder: workView(order, community.timezone, 'volunteer') });
    },
  }),
];
