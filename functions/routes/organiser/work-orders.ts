import * as z from 'zod';
import { HELP_CATEGORIES, TEAMS } from '../../domain/glossary';
import { line } from '../../domain/model';
import { WORK_ORDER_STATUSES, workOrderSchema, workView } from '../../domain/work-orders';
import { defineRoute, ok } from '../../http/route';
import { dispatchWorkOrder, rejectWorkOrder, workOrderReport, workOrdersForOrganiser } from '../../services/work-orders';
import { communityParams, instantSchema, listOf, monthSchema, paginationQuery } from '../schemas';
import { workOrderParams } from '../work-orders.schemas';

const one = z.object({ workOrder: workOrderSchema });

const countsOf = <T extends readonly string[]>(names: T) => z.object(Object.fromEntries(names.map((name) => [name, z.number().int()])) as Record<T[number], z.ZodNumber>);

const reportSchema = z
  .object({
    month: z.string().nullable().describe('The month reported on (community time zone), or null for all time'),
    timezone: z.string(),
    total: z.number().int(),
    byStatus: countsOf(WORK_ORDER_STATUSES),
    byCategory: countsOf(HELP_CATEGORIES),
    teams: z.array(
      z.object({
        team: z.enum(TEAMS),
        resolved: z.number().int().describe('Orders it resolved (closed ones included)'),
        medianHoursToResolve: z.number().describe('From report to resolution, the median, to a tenth of an hour'),
      }),
    ),
  })
  .meta({ id: 'WorkOrderReport' });

export const organiserWorkOrderRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/work-orders',
    operationId: 'listWorkOrders',
    summary: 'Work orders, newest first, with reporters’ names and phones',
    tags: ['work orders'],
    credential: 'organiser',
    params: communityParams,
    query: paginationQuery.extend({ status: z.enum(WORK_ORDER_STATUSES).optional() }),
    responses: { 200: { description: 'A page of work orders', schema: listOf(workOrderSchema) } },
    handler: async ({ params, query }) => {
      const { items, nextCursor, community } = await workOrdersForOrganiser(params.c, query.status, query);
      return ok({ items: items.map((order) => workView(order, community.timezone, 'organiser')), nextCursor });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/reports/work-orders',
    operationId: 'workOrderReport',
    summary: 'Work orders by state and category, and each team’s median time from report to resolution (a month, or all time)',
    tags: ['reports', 'work orders'],
    credential: 'organiser',
    params: communityParams,
    query: z.object({ month: monthSchema.optional() }),
    responses: { 200: { description: 'The report', schema: reportSchema } },
    handler: async ({ params, query }) => {
      const { community, ...report } = await workOrderReport(params.c, query.month);
      return ok({ ...report, timezone: community.timezone });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/work-orders/{id}/dispatch',
    operationId: 'dispatchWorkOrder',
    summary: 'Send a new work order to a team, with an optional due time',
    tags: ['work orders'],
    credential: 'organiser',
    params: workOrderParams,
    body: z.object({ team: z.enum(TEAMS), dueBy: instantSchema.optional() }),
    responses: { 200: { description: 'Dispatched (again: as it is)', schema: one } },
    // Dispatching to the same team again answers the order as it is and writes nothing.
    replay: 'handler',
    handler: async ({ params, body }) => {
      const { order, community } = await dispatchWorkOrder(params.c, params.id, body);
      return ok({ workOrder: workView(order, community.timezone, 'organiser') });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/work-orders/{id}/reject',
    operationId: 'rejectWorkOrder',
    summary: 'Turn a new or dispatched work order down, saying why',
    tags: ['work orders'],
    credential: 'organiser',
    params: workOrderParams,
    body: z.object({ note: line(300, 1, 'Please say why') }),
    responses: { 200: { description: 'Rejected (again: as it is)', schema: one } },
    replay: 'handler',
    handler: async ({ params, body }) => {
      const { order, community } = await rejectWorkOrder(params.c, params.id, body.note);
      return ok({ workOrder: workView(order, community.timezone, 'organiser') });
    },
  }),
];
