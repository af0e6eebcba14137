import * as z from 'zod';
import { hoursLogSchema, hoursLogView } from '../../domain/hours';
import { created, defineRoute, ok } from '../../http/route';
import { requireCommunity } from '../../services/communities';
import { checkIn, checkOut, logWithCommunity, myLogs } from '../../services/hours';
import { idSchema, listOf, paginationQuery } from '../schemas';

/** The code on the community room's kiosk, as typed (spaces allowed) or read from its QR code. */
const deskCode = z
  .preprocess((value) => (typeof value === 'string' ? value.replace(/\s+/g, '') : value), z.string().regex(/^\d{6}$/, 'The six digits on the community room’s screen'))
  .optional()
  .describe('The code on the community room’s kiosk screen (GET /communities/{c}/desk-code): required where the community’s checkInProof is desk_code');
const checkInBody = z.union([z.object({ slotId: z.string().regex(/^\d{8}-\d{4}$/), deskCode }).strict(), z.object({ eventId: idSchema, deskCode }).strict()], {
  message: 'Send either slotId or eventId',
});

export const volunteerHoursRoutes = [
  defineRoute({
    method: 'POST',
    path: '/me/check-ins',
    operationId: 'checkIn',
    summary: 'Check in on a shift I hold, from 30 minutes before it starts until it ends',
    tags: ['hours'],
    credential: 'volunteer',
    body: checkInBody,
    // Ten wrong desk codes in ten minutes: 429 until the window ends.
    limitsFailedAttempts: true,
    responses: { 201: { description: 'Checked in', schema: z.object({ hoursLog: hoursLogSchema }) } },
    replay: async ({ principal, outcome }) => {
      const { log, community } = await logWithCommunity(principal.communityId, outcome.logId!);
      return created({ hoursLog: hoursLogView(log, community) });
    },
    handler: async ({ body, principal }) => {
      const log = 'slotId' in body ? await checkIn(principal, 'slot', body.slotId, body.deskCode) : await checkIn(principal, 'event', body.eventId, body.deskCode);
      const community = await requireCommunity(log.communityId);
      return created({ hoursLog: hoursLogView(log, community) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/me/check-outs',
    operationId: 'checkOut',
    summary: 'Check out of my open log: whole minutes, then waiting for review',
    tags: ['hours'],
    credential: 'volunteer',
    responses: { 200: { description: 'Checked out', schema: z.object({ hoursLog: hoursLogSchema }) } },
    replay: async ({ principal, outcome }) => {
      const { log, community } = await logWithCommunity(principal.communityId, outcome.logId!);
      return ok({ hoursLog: hoursLogView(log, community) });
    },
    handler: async ({ principal }) => {
      const log = await checkOut(principal);
      const community = await requireCommunity(log.communityId);
      return ok({ hoursLog: hoursLogView(log, community) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/me/hours',
    operationId: 'listMyHours',
    summary: 'My hours logs, newest first',
    tags: ['hours'],
    credential: 'volunteer',
    query: paginationQuery,
    responses: { 200: { description: 'Logs', schema: listOf(hoursLogSchema) } },
    handler: async ({ principal, query }) => {
      const page = await myLogs(principal, query);
      return ok({ items: page.items.map((log) => hoursLogView(log, page.community)), nextCursor: page.nextCursor });
    },
  }),
];
