import * as z from 'zod';
import { residentView, rosterEntry } from '../domain/registrations';
import { inZone } from '../domain/time';
import { CSV_CONTENT_TYPE, toCsv } from '../http/csv';
import { created, defineRoute, ok } from '../http/route';
import {
  allRegistrations,
  cancelOwnRegistration,
  eventRoster,
  registerForEvent,
  viewOwnRegistration,
} from '../services/registrations';
import { communityParams, idSchema, listOf, optionalText, paginationQuery, personName, phoneSchema } from './schemas';

const eventParams = communityParams.extend({ eventId: idSchema });
const registrationParams = eventParams.extend({ id: idSchema });

/** Form posts send every field as a string, and empty inputs as ''. */
const partySize = z.preprocess(
  (value) => (value === '' || value === null ? undefined : value),
  z.coerce.number({ message: 'A number of people' }).int().min(1).max(20).default(1),
);

const registrationBody = z.object({
  name: personName,
  phone: phoneSchema,
  partySize,
  building: optionalText(40),
  note: optionalText(500),
  /** Honeypot: hidden from people, filled in by bots. */
  website: z.string().max(0, 'Leave this field empty').optional(),
});

const registrationSchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    status: z.enum(['confirmed', 'waitlisted', 'cancelled']),
    partySize: z.number().int(),
    waitlistPosition: z.number().int().min(1).optional(),
    name: z.string(),
    phoneHint: z.string(),
    building: z.string().nullable(),
    createdAt: z.string(),
    cancelledAt: z.string().optional(),
  })
  .meta({ id: 'Registration' });

const rosterEntrySchema = z
  .object({
    id: z.string(),
    status: z.enum(['confirmed', 'waitlisted', 'cancelled']),
    waitlistPosition: z.number().int().optional(),
    name: z.string(),
    phone: z.string(),
    partySize: z.number().int(),
    building: z.string().nullable(),
    note: z.string().nullable(),
    createdAt: z.string(),
    confirmedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
  })
  .meta({ id: 'RosterEntry' });

const eventSummary = z.object({ id: z.string(), title: z.string(), venue: z.string(), startsAt: z.string(), status: z.string() });

const STATUS_LABELS = { confirmed: '已确认 confirmed', waitlisted: '候补 waitlisted', cancelled: '已取消 cancelled' } as const;

export const registrationRoutes = [
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
    handler: async ({ params, body }) => {
      const result = await registerForEvent(params.c, params.eventId, body);
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
        return [
          STATUS_LABELS[entry.status], entry.waitlistPosition ?? '', entry.name, entry.phone, entry.partySize,
          entry.building ?? '', entry.note ?? '', entry.createdAt, entry.confirmedAt ?? '', entry.cancelledAt ?? '',
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
