import * as z from 'zod';
import { rosterRequestView } from '../../domain/help-requests';
import { calendarDate } from '../../domain/model';
import { MAX_SERIES_DAYS, publicSlot, slotFields } from '../../domain/slots';
import { inZone } from '../../domain/time';
import { created, defineRoute, ok } from '../../http/route';
import { createSlotSeries, slotWithRoster, updateSlot } from '../../services/slots';
import { communityParams } from '../schemas';
import { publicSlotSchema, slotParams } from '../slots.schemas';

const seriesBody = z.object({
  from: calendarDate,
  to: calendarDate,
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:mm').default('19:30'),
  durationMinutes: z.number().int().min(15).max(240).default(60),
  daysOfWeek: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5, 6, 7]),
  venue: slotFields.shape.venue.default('幸福邻里 community room'),
  volunteerCapacity: slotFields.shape.volunteerCapacity.default(2),
  requestCapacity: slotFields.shape.requestCapacity.default(8),
});

const rosterSchema = publicSlotSchema.extend({
  volunteers: z.array(z.object({ id: z.string(), name: z.string(), team: z.string(), phone: z.string().nullable(), takenAt: z.string() })),
  requests: z.array(z.object({}).passthrough()),
});

export const organiserSlotRoutes = [
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/slots/series',
    operationId: 'createSlotSeries',
    summary: `One slot per chosen weekday between two dates (at most ${MAX_SERIES_DAYS} days apart); re-sending creates nothing new`,
    tags: ['slots'],
    credential: 'organiser',
    params: communityParams,
    body: seriesBody,
    responses: {
      201: {
        description: 'The series',
        schema: z.object({ created: z.number().int(), existing: z.number().int(), slots: z.array(publicSlotSchema) }),
      },
    },
    /** The handler answers a repeat as it did the first time and writes nothing again. */
    replay: 'handler',
    handler: async ({ params, body }) => {
      const result = await createSlotSeries(params.c, body);
      return created({
        created: result.created,
        existing: result.existing,
        slots: result.slots.map((slot) => publicSlot(slot, result.community.timezone)),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/slots/{slotId}',
    operationId: 'getSlotRoster',
    summary: "The evening's roster: volunteers on duty and residents' requests, with contact details",
    tags: ['slots'],
    credential: 'organiser',
    params: slotParams,
    responses: { 200: { description: 'The slot and its roster', schema: rosterSchema } },
    handler: async ({ params }) => {
      const { community, slot, shifts, requests, phones } = await slotWithRoster(params.c, params.slotId);
      return ok({
        ...publicSlot(slot, community.timezone),
        volunteers: shifts.map((shift) => ({
          id: shift.volunteerId,
          name: shift.volunteerName,
          team: shift.team,
          phone: phones.get(shift.volunteerId) ?? null,
          takenAt: inZone(shift.takenAt, community.timezone),
        })),
        requests: requests.map((request) => rosterRequestView(request, community.timezone)),
      });
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/communities/{c}/slots/{slotId}',
    operationId: 'updateSlot',
    summary: 'Change capacities or venue, or cancel (notifies everyone affected; a cancellation sent again is answered as done and completes its notices)',
    tags: ['slots'],
    credential: 'organiser',
    params: slotParams,
    body: slotFields
      .partial()
      .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Send at least one field to change'),
    responses: { 200: { description: 'The slot', schema: z.object({ slot: publicSlotSchema }) } },
    handler: async ({ params, body }) => {
      const { slot, community } = await updateSlot(params.c, params.slotId, body);
      return ok({ slot: publicSlot(slot, community.timezone) });
    },
  }),
];
