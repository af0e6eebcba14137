import * as z from 'zod';
import { reporterView, reporterWorkOrderSchema } from '../../domain/work-orders';
import { created, defineRoute, ok } from '../../http/route';
import { giveFeedback, ownWorkOrder, reportAsResident, verifyReport } from '../../services/work-orders';
import { communityParams, optionalText, personName, verificationCodeBody, withHoneypot } from '../schemas';
import { phoneSchema } from '../phone';
import { reportFields, workOrderParams } from '../work-orders.schemas';


export const publicWorkOrderRoutes = [
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/work-orders',
    operationId: 'reportProblem',
    summary: 'A resident reports a problem (派单): new, until an organiser dispatches it to a team',
    tags: ['work orders'],
    credential: 'public',
    acceptsForm: true,
    params: communityParams,
    body: withHoneypot({ name: personName, phone: phoneSchema, ...reportFields }),
    responses: {
      201: { description: 'Reported; the manage token is shown only here', schema: z.object({ workOrder: reporterWorkOrderSchema, manageToken: z.string() }) },
    },
    replay: async ({ params, outcome }) => {
      const { order, community } = await ownWorkOrder(params.c, outcome.workOrderId!, outcome.manageToken!);
      return created({ workOrder: reporterView(order, community.timezone), manageToken: outcome.manageToken });
    },
    handler: async ({ params, body, event }) => {
      const { order, manageToken, community } = await reportAsResident(params.c, body, { address: event.requestContext.http.sourceIp });
      return created({ workOrder: reporterView(order, community.timezone), manageToken });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/work-orders/{id}',
    operationId: 'getOwnWorkOrder',
    summary: 'The reporter follows their work order: status, team, resolution',
    tags: ['work orders'],
    credential: 'manage',
    params: workOrderParams,
    responses: { 200: { description: 'The work order', schema: z.object({ workOrder: reporterWorkOrderSchema }) } },
    handler: async ({ params, principal }) => {
      const { order, community } = await ownWorkOrder(params.c, params.id, principal.manageToken);
      return ok({ workOrder: reporterView(order, community.timezone) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/work-orders/{id}/feedback',
    operationId: 'rateWorkOrder',
    summary: 'The reporter confirms a resolved work order with a rating: closed',
    tags: ['work orders'],
    credential: 'manage',
    acceptsForm: true,
    params: workOrderParams,
    body: z.object({ rating: z.coerce.number().int().min(1).max(5), comment: optionalText(300, true) }),
    responses: { 200: { description: 'Closed (again: as it is)', schema: z.object({ workOrder: reporterWorkOrderSchema }) } },
    // Rating a closed order again answers it as it is and writes nothing.
    replay: 'handler',
    handler: async ({ params, principal, body }) => {
      const { order, community } = await giveFeedback(params.c, params.id, principal.manageToken, body);
      return ok({ workOrder: reporterView(order, community.timezone) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/work-orders/{id}/verify',
    operationId: 'verifyWorkOrder',
    summary: 'The code sent to the phone comes back: the held report is filed (new)',
    tags: ['work orders'],
    credential: 'manage',
    acceptsForm: true,
    params: workOrderParams,
    body: verificationCodeBody,
    responses: { 200: { description: 'Verified and filed (again: as it is)', schema: z.object({ workOrder: reporterWorkOrderSchema }) } },
    // Verifying a filed report again answers it as it is and writes nothing.
    replay: 'handler',
    handler: async ({ params, principal, body }) => {
      const { order, community } = await verifyReport(params.c, params.id, principal.manageToken, body.code);
      return ok({ workOrder: reporterView(order, community.timezone) });
    },
  }),
];
