import * as z from 'zod';
import { eventFields, organiserEvent, organiserEventSchema } from '../../domain/events';
import { created, defineRoute, ok } from '../../http/route';
import { createEvent, listEventsForOrganisers, resumeEventCreation, updateEvent } from '../../services/events';
import { communityParams, dateOrInstantSchema, eventParams, listOf, paginationQuery } from '../schemas';

/** The create and patch bodies, from the event's declaration (functions/domain/events.ts). */
const createEventBody = eventFields.extend({
  maxPartySize: eventFields.shape.maxPartySize.default(4),
  volunteerCapacity: eventFields.shape.volunteerCapacity.default(0),
  status: z.enum(['draft', 'published']).default('draft'),
});

const patchEventBody = eventFields
  .partial()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Send at least one field to change');

export const organiserEventRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/organiser/events',
    operationId: 'listEventsForOrganisers',
    summary: 'Every event not yet ended, drafts included, with the organiser counters (an extension for the console)',
    tags: ['events'],
    credential: 'organiser',
    params: communityParams,
    query: paginationQuery.extend({ from: dateOrInstantSchema.optional() }),
    responses: { 200: { description: 'Events in creation order', schema: listOf(organiserEventSchema) } },
    handler: async ({ params, query }) => {
      const page = await listEventsForOrganisers(params.c, query);
      return ok({ items: page.items.map((event) => organiserEvent(event, page.community.timezone)), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/events',
    operationId: 'createEvent',
    summary: 'Create an event (draft or published)',
    tags: ['events'],
    credential: 'organiser',
    params: communityParams,
    body: createEventBody,
    responses: { 201: { description: 'Created', schema: z.object({ event: organiserEventSchema }) } },
    replay: async ({ params, outcome }) => {
      const { event, community } = await resumeEventCreation(params.c, outcome.eventId!);
      return created({ event: organiserEvent(event, community.timezone) });
    },
    handler: async ({ params, body }) => {
      const { event, community } = await createEvent(params.c, body);
      return created({ event: organiserEvent(event, community.timezone) });
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/communities/{c}/events/{eventId}',
    operationId: 'updateEvent',
    summary: 'Change, publish or cancel an event (a cancellation sent again is answered as done and completes its notices)',
    tags: ['events'],
    credential: 'organiser',
    params: eventParams,
    body: patchEventBody,
    responses: { 200: { description: 'The event after the change', schema: z.object({ event: organiserEventSchema }) } },
    handler: async ({ params, body }) => {
      const { event, community } = await updateEvent(params.c, params.eventId, body);
      return ok({ event: organiserEvent(event, community.timezone) });
    },
  }),
];
