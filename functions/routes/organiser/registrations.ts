import * as z from 'zod';
import { rosterEntry } from '../../domain/registrations';
import { CSV_CONTENT_TYPE, csvTime, toCsv } from '../../http/csv';
import { phoneForPeople } from '../phone';
import { defineRoute, ok } from '../../http/route';
import { allRegistrations, eventRoster } from '../../services/registrations';
import { eventParams, listOf, paginationQuery } from '../schemas';

const rosterEntrySchema = z
  .object({
    id: z.string(),
    status: z.enum(['confirmed', 'waitlisted', 'cancelled']),
    waitlistPosition: z.number().int().optional(),
    name: z.string(),
    phone: z.string().nullable().describe('null once erased, N days after the event'),
    partySize: z.number().int(),
    building: z.string().nullable(),
    note: z.string().nullable(),
    createdAt: z.string(),
    confirmedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
  })
  .meta({ id: 'RosterEntry' });

const STATUS_LABELS = { confirmed: '已确认 confirmed', waitlisted: '候补 waitlisted', cancelled: '已取消 cancelled' } as const;

export const organiserRegistrationRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/events/{eventId}/registrations',
    operationId: 'listRegistrations',
    summary: 'The roster with names and phones, in arrival order',
    tags: ['registrations'],
    credential: 'organiser',
    params: eventParams,
    query: paginationQuery.extend({ status: z.enum(['confirmed', 'waitlisted', 'cancelled']).optional() }),
    responses: { 200: { description: 'Registrations', schema: listOf(rosterEntrySchema) } },
    handler: async ({ params, query }) => {
      const page = await eventRoster(params.c, params.eventId, query);
      return ok({
        items: page.items.map((registration) => rosterEntry(registration, page.positions.get(registration.id), page.community.timezone)),
        nextCursor: page.nextCursor,
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/events/{eventId}/registrations.csv',
    operationId: 'exportRegistrations',
    summary: 'The roster as CSV (UTF-8 with BOM, formula-safe)',
    tags: ['registrations'],
    credential: 'organiser',
    params: eventParams,
    responses: { 200: { description: 'CSV', contentType: CSV_CONTENT_TYPE } },
    handler: async ({ params }) => {
      const { items, positions, community } = await allRegistrations(params.c, params.eventId);
      const rows = items.map((registration) => {
        const entry = rosterEntry(registration, positions.get(registration.id), community.timezone);
        // For people: the phone as it is written at home, times to the minute in the community's zone.
        const when = (instant: string | null | undefined) => csvTime(instant, community.timezone);
        return [
          STATUS_LABELS[entry.status], entry.waitlistPosition ?? '', entry.name, phoneForPeople(entry.phone), entry.partySize,
          entry.building ?? '', entry.note ?? '', when(registration.createdAt), when(registration.confirmedAt), when(registration.cancelledAt),
        ];
      });
      const header = ['状态 status', '候补 position', '姓名 name', '电话 phone', '人数 party', '楼栋 building', '备注 note', '报名时间 registered', '确认时间 confirmed', '取消时间 cancelled'];
      return {
        status: 200,
        contentType: CSV_CONTENT_TYPE,
        headers: { 'Content-Disposition': `attachment; filename="registrations-${params.eventId}.csv"` },
        body: toCsv(header, rows),
      };
    },
  }),
];
