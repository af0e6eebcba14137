import * as z from 'zod';
import { organiserEvent } from '../../domain/events';
import { created, defineRoute, ok } from '../../http/route';
import { createEvent, listEventsForOrganisers, updateEvent } from '../../services/events';
import { publicEventSchema } from '../events.schemas';
import { communityParams, dateOrInstantSchema, eventParams, instantSchema, listOf, paginationQuery } from '../schemas';

const eventFields = {
  title: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).optional(),
  venue: z.string().trim().min(1).max(120),
  startsAt: instantSchema,
  endsAt: instantSchema,
  capacity: z.number().int().min(1).max(100000),
  maxPartySize: z.number().int().min(1).max(20),
  volunteerCapacity: z.number().int().min(0).max(1000),
  registrationOpensAt: instantSchema.optional(),
  registrationClosesAt: instantSchema.optional(),
};

const createEventBody = z.object({
  ...eventFields,
  maxPartySize: eventFields.maxPartySize.default(4),
  volunteerCapacity: eventFields.volunteerCapacity.default(0),
  status: z.enum(['draft', 'published']).default('draft'),
});

const patchEventBody = z
  .object({ ...eventFields, status: z.enum(['draft', 'published', 'cancelled']) })
  .partial()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Send at least one field to change');

const organiserEventSchema = publicEventSchema
  .extend({
    confirmedSeats: z.number().int(),
    volunteersStaffed: z.number().int(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Event' });

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
    handler: async ({ params, body }) => {
      const { event, community } = await createEvent(params.c, body);
      return created({ event: organiserEvent(event, community.timezone) });
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/communities/{c}/events/{eventId}',
    operationId: 'updateEvent',
    summary: 'Change, publish or cancel an event',
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
