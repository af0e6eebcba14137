import * as z from 'zod';
import { residentRequestView } from '../../domain/help-requests';
import { HELP_CATEGORIES } from '../../domain/volunteers';
import { created, defineRoute, ok } from '../../http/route';
import { bookHelp, cancelOwnRequest, verifyHelpRequest, viewOwnRequest } from '../../services/help-requests';
import { paragraph } from '../../domain/model';
import { idSchema, optionalText, personName, verificationCodeBody, withHoneypot } from '../schemas';
import { phoneSchema } from '../phone';
import { slotParams } from '../slots.schemas';

const requestParams = slotParams.extend({ id: idSchema });

const requestSchema = z
  .object({
    id: z.string(),
    slotId: z.string(),
    status: z.enum(['booked', 'cancelled', 'pending_verification']).describe('pending_verification: held, with no place, until the code sent to the phone comes back (communities with verifyPhone)'),
    category: z.enum(HELP_CATEGORIES),
    description: z.string(),
    name: z.string(),
    phoneHint: z.string(),
    building: z.string().nullable(),
    createdAt: z.string(),
    cancelledAt: z.string().optional(),
  })
  .meta({ id: 'HelpRequest' });


export const publicHelpRequestRoutes = [
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/slots/{slotId}/requests',
    operationId: 'bookHelp',
    summary: 'A resident books the evening help desk for a problem',
    tags: ['help requests'],
    credential: 'public',
    acceptsForm: true,
    params: slotParams,
    body: withHoneypot({
      name: personName,
      phone: phoneSchema,
      category: z.enum(HELP_CATEGORIES, { message: `One of ${HELP_CATEGORIES.join(', ')}` }),
      description: paragraph(500, 1, 'Please describe the problem'),
      building: optionalText(40),
    }),
    responses: {
      201: { description: 'Booked; the manage token is shown only here', schema: z.object({ request: requestSchema, manageToken: z.string() }) },
    },
    replay: async ({ params, outcome }) => {
      const { request, community } = await viewOwnRequest(params.c, params.slotId, outcome.requestId!, outcome.manageToken!);
      return created({ request: residentRequestView(request, community.timezone), manageToken: outcome.manageToken });
    },
    handler: async ({ params, body, event }) => {
      const { request, manageToken, community } = await bookHelp(params.c, params.slotId, body, { address: event.requestContext.http.sourceIp });
      return created({ request: residentRequestView(request, community.timezone), manageToken });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/slots/{slotId}/requests/{id}',
    operationId: 'getOwnHelpRequest',
    summary: 'A resident views their booking',
    tags: ['help requests'],
    credential: 'manage',
    params: requestParams,
    responses: { 200: { description: 'The booking', schema: z.object({ request: requestSchema }) } },
    handler: async ({ params, principal }) => {
      const { request, community } = await viewOwnRequest(params.c, params.slotId, params.id, principal.manageToken);
      return ok({ request: residentRequestView(request, community.timezone) });
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/communities/{c}/slots/{slotId}/requests/{id}',
    operationId: 'cancelOwnHelpRequest',
    summary: 'A resident cancels; the place is free at once',
    tags: ['help requests'],
    credential: 'manage',
    params: requestParams,
    responses: { 200: { description: 'Cancelled', schema: z.object({ request: requestSchema }) } },
    handler: async ({ params, principal }) => {
      const { request, community } = await cancelOwnRequest(params.c, params.slotId, params.id, principal.manageToken);
      return ok({ request: residentRequestView(request, community.timezone) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/slots/{slotId}/requests/{id}/verify',
    operationId: 'verifyHelpRequest',
    summary: 'The code sent to the phone comes back: the held booking is booked',
    tags: ['help requests'],
    credential: 'manage',
    acceptsForm: true,
    params: requestParams,
    body: verificationCodeBody,
    responses: { 200: { description: 'Verified and booked (again: as it is)', schema: z.object({ request: requestSchema }) } },
    // Verifying a booked request again answers it as it is and writes nothing.
    replay: 'handler',
    handler: async ({ params, principal, body }) => {
      const { request, community } = await verifyHelpRequest(params.c, params.slotId, params.id, principal.manageToken, body.code);
      return ok({ request: residentRequestView(request, community.timezone) });
    },
  }),
];
