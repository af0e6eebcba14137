import { CALENDAR_CONTENT_TYPE, eventUid, toICalendar } from '../../domain/calendar';
import { publicEvent, publicEventSchema } from '../../domain/events';
import { defineRoute, ok } from '../../http/route';
import { getPublicEvent, listEvents } from '../../services/events';
import { communityParams, dateOrInstantSchema, eventParams, listOf, paginationQuery } from '../schemas';

const eventQuery = paginationQuery.extend({ from: dateOrInstantSchema.optional(), to: dateOrInstantSchema.optional() });

export const publicEventRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/events',
    operationId: 'listEvents',
    summary: 'Published events, from what has not yet ended',
    tags: ['events'],
    credential: 'public',
    params: communityParams,
    query: eventQuery,
    responses: { 200: { description: 'Events in order of end time', schema: listOf(publicEventSchema) } },
    handler: async ({ params, query }) => {
      const page = await listEvents(params.c, query);
      return ok({ items: page.items.map((event) => publicEvent(event, page.community.timezone)), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/events/{eventId}',
    operationId: 'getEvent',
    summary: 'One published event',
    tags: ['events'],
    credential: 'public',
    params: eventParams,
    responses: { 200: { description: 'The event', schema: publicEventSchema } },
    handler: async ({ params }) => {
      const { event, community } = await getPublicEvent(params.c, params.eventId);
      return ok(publicEvent(event, community.timezone));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/events/{eventId}/calendar.ics',
    operationId: 'getEventCalendar',
    summary: 'The event as iCalendar, for "add to calendar"',
    tags: ['events'],
    credential: 'public',
    params: eventParams,
    responses: { 200: { description: 'iCalendar', contentType: CALENDAR_CONTENT_TYPE } },
    handler: async ({ params }) => {
      const { event, community } = await getPublicEvent(params.c, params.eventId);
      const body = toICalendar(
        community.name,
        [{ uid: eventUid(params.c, event.id), title: event.title, description: event.description, venue: event.venue, startsAt: event.startsAt, endsAt: event.endsAt, cancelled: event.status === 'cancelled' }],
      );
      return { status: 200, contentType: CALENDAR_CONTENT_TYPE, headers: { 'Content-Disposition': `attachment; filename="event-${event.id}.ics"` }, body };
    },
  }),
];
