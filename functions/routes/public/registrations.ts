import * as z from 'zod';
import { residentView } from '../../domain/registrations';
import { inZone } from '../../domain/time';
import { created, defineRoute, ok } from '../../http/route';
import { cancelOwnRegistration, registerForEvent, verifyRegistration, viewOwnRegistration } from '../../services/registrations';
import { eventParams, idSchema, optionalText, personName, verificationCodeBody, withHoneypot } from '../schemas';
import { phoneSchema } from '../phone';

const registrationParams = eventParams.extend({ id: idSchema });

/** Form posts send every field as a string, and empty inputs as ''. */
const partySize = z.preprocess(
  (value) => (value === '' || value === null ? undefined : value),
  z.coerce.number({ message: 'A number of people' }).int().min(1).max(20).default(1),
);

const registrationBody = withHoneypot({
  name: personName,
  phone: phoneSchema,
  partySize,
  building: optionalText(40),
  note: optionalText(500, true),
});

const registrationSchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    status: z.enum(['confirmed', 'waitlisted', 'cancelled', 'pending_verification']).describe('pending_verification: held, with no seat, until the code sent to the phone comes back (communities with verifyPhone)'),
    partySize: z.number().int(),
    waitlistPosition: z.number().int().min(1).optional(),
    name: z.string(),
    phoneHint: z.string(),
    building: z.string().nullable(),
    createdAt: z.string(),
    cancelledAt: z.string().optional(),
  })
  .meta({ id: 'Registration' });

const eventSummary = z.object({ id: z.string(), title: z.string(), venue: z.string(), startsAt: z.string(), status: z.string() });

export const publicRegistrationRoutes = [
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/events/{eventId}/registrations',
    operationId: 'registerForEvent',
    summary: 'Register a household: confirmed if the party fits, otherwise waitlisted',
    tags: ['registrations'],
    credential: 'public',
    acceptsForm: true,
    params: eventParams,
    body: registrationBody,
    responses: {
      201: {
        description: 'Registered. The manage token is shown only here.',
        schema: z.object({ registration: registrationSchema, manageToken: z.string() }),
      },
    },
    replay: async ({ params, outcome }) => {
      const result = await viewOwnRegistration(params.c, params.eventId, outcome.registrationId!, outcome.manageToken!);
      return created({
        registration: residentView(result.registration, result.waitlistPosition, result.community.timezone),
        manageToken: outcome.manageToken,
      });
    },
    handler: async ({ params, body, event }) => {
      const result = await registerForEvent(params.c, params.eventId, body, { address: event.requestContext.http.sourceIp, arrivedAtMs: event.requestContext.timeEpoch });
      return created({
        registration: residentView(result.registration, result.waitlistPosition, result.community.timezone),
        manageToken: result.manageToken,
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/events/{eventId}/registrations/{id}',
    operationId: 'getOwnRegistration',
    summary: 'A resident views their registration and live waitlist position',
    tags: ['registrations'],
    credential: 'manage',
    params: registrationParams,
    responses: {
      200: { description: 'The registration', schema: z.object({ registration: registrationSchema, event: eventSummary.nullable() }) },
    },
    handler: async ({ params, principal }) => {
      const token = principal.kind === 'resident' ? principal.manageToken : '';
      const { registration, waitlistPosition, community, event } = await viewOwnRegistration(params.c, params.eventId, params.id, token);
      return ok({
        registration: residentView(registration, waitlistPosition, community.timezone),
        event: event
          ? { id: event.id, title: event.title, venue: event.venue, startsAt: inZone(event.startsAt, community.timezone), status: event.status }
          : null,
      });
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/communities/{c}/events/{eventId}/registrations/{id}',
    operationId: 'cancelOwnRegistration',
    summary: 'A resident cancels; freed seats go to the waitlist',
    tags: ['registrations'],
    credential: 'manage',
    params: registrationParams,
    responses: { 200: { description: 'Cancelled', schema: z.object({ registration: registrationSchema }) } },
    handler: async ({ params, principal }) => {
      const token = principal.kind === 'resident' ? principal.manageToken : '';
      const { registration, community } = await cancelOwnRegistration(params.c, params.eventId, params.id, token);
      return ok({ registration: residentView(registration, undefined, community.timezone) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/events/{eventId}/registrations/{id}/verify',
    operationId: 'verifyRegistration',
    summary: 'The code sent to the phone comes back: the held sign-up is placed (confirmed or waitlisted)',
    tags: ['registrations'],
    credential: 'manage',
    acceptsForm: true,
    params: registrationParams,
    body: verificationCodeBody,
    responses: { 200: { description: 'Verified and placed (again: as it is)', schema: z.object({ registration: registrationSchema }) } },
    // Verifying a placed registration again answers it as it is and writes nothing.
    replay: 'handler',
    handler: async ({ params, principal, body }) => {
      const token = principal.kind === 'resident' ? principal.manageToken : '';
      const { registration, waitlistPosition, community } = await verifyRegistration(params.c, params.eventId, params.id, token, body.code);
      return ok({ registration: residentView(registration, waitlistPosition, community.timezone) });
    },
  }),
];
