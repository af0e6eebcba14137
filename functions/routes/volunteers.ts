import * as z from 'zod';
import { CALENDAR_CONTENT_TYPE, shiftUid, toICalendar } from '../domain/calendar';
import { HELP_CATEGORIES, TEAMS, volunteerAdminView, volunteerSelfView } from '../domain/volunteers';
import { inZone } from '../domain/time';
import { created, defineRoute, ok } from '../http/route';
import type { Principal } from '../auth/principal';
import { ForbiddenError } from '../domain/errors';
import { requireCommunity } from '../services/communities';
import { upcomingShifts } from '../services/shifts';
import { openLogOf } from '../services/hours';
import { hoursLogView } from '../domain/hours';
import { createVolunteer, requireVolunteer, rotateVolunteerToken, updateVolunteer, volunteersOf } from '../services/volunteers';
import { communityParams, idSchema, listOf, paginationQuery, personName, phoneSchema } from './schemas';

const volunteerParams = communityParams.extend({ volunteerId: idSchema });
const team = z.enum(TEAMS);
const skills = z.array(z.enum(HELP_CATEGORIES)).max(HELP_CATEGORIES.length);

const volunteerSchema = z
  .object({
    id: z.string(),
    communityId: z.string(),
    name: z.string(),
    phone: z.string(),
    team,
    skills,
    status: z.enum(['active', 'inactive']),
    hours: z.object({ approvedMinutes: z.number().int(), pendingMinutes: z.number().int() }),
    points: z.object({ balance: z.number().int() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Volunteer' });

const shiftSchema = z
  .object({
    kind: z.enum(['slot', 'event']),
    slotId: z.string().optional(),
    eventId: z.string().optional(),
    title: z.string(),
    venue: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
  })
  .meta({ id: 'Shift' });

function volunteerPrincipal(principal: Principal) {
  if (principal.kind !== 'volunteer') throw new ForbiddenError('Volunteers only');
  return principal;
}

export const volunteerRoutes = [
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/volunteers',
    operationId: 'createVolunteer',
    summary: 'Register a volunteer; the token is shown only here',
    tags: ['volunteers'],
    credential: 'organiser',
    params: communityParams,
    body: z.object({ name: personName, phone: phoneSchema, team, skills: skills.default([]) }),
    responses: { 201: { description: 'Created', schema: z.object({ volunteer: volunteerSchema, token: z.string() }) } },
    handler: async ({ params, body }) => {
      const { volunteer, token } = await createVolunteer(params.c, body);
      return created({ volunteer: volunteerAdminView(volunteer), token });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/volunteers',
    operationId: 'listVolunteers',
    summary: 'Volunteers with their hours and points totals',
    tags: ['volunteers'],
    credential: 'organiser',
    params: communityParams,
    query: paginationQuery,
    responses: { 200: { description: 'Volunteers', schema: listOf(volunteerSchema) } },
    handler: async ({ params, query }) => {
      const page = await volunteersOf(params.c, query);
      return ok({ items: page.items.map(volunteerAdminView), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/communities/{c}/volunteers/{volunteerId}',
    operationId: 'updateVolunteer',
    summary: 'Change name, team, skills or status (inactive tokens are refused at once)',
    tags: ['volunteers'],
    credential: 'organiser',
    params: volunteerParams,
    body: z
      .object({ name: personName, team, skills, status: z.enum(['active', 'inactive']) })
      .partial()
      .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Send at least one field to change'),
    responses: { 200: { description: 'The volunteer', schema: z.object({ volunteer: volunteerSchema }) } },
    handler: async ({ params, body }) => ok({ volunteer: volunteerAdminView(await updateVolunteer(params.c, params.volunteerId, body)) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/volunteers/{volunteerId}/token',
    operationId: 'rotateVolunteerToken',
    summary: 'Issue a new token; the old one stops at once',
    tags: ['volunteers'],
    credential: 'organiser',
    params: volunteerParams,
    responses: { 201: { description: 'The new token, shown only here', schema: z.object({ token: z.string() }) } },
    handler: async ({ params }) => created({ token: await rotateVolunteerToken(params.c, params.volunteerId) }),
  }),
  defineRoute({
    method: 'GET',
    path: '/me',
    operationId: 'getMe',
    summary: "The volunteer's profile, hours, points and open check-in",
    tags: ['me'],
    credential: 'volunteer',
    responses: {
      200: {
        description: 'Me',
        schema: z.object({
          volunteer: z.object({ id: z.string(), name: z.string(), team, communityId: z.string(), skills }),
          hours: z.object({ approvedMinutes: z.number().int(), pendingMinutes: z.number().int() }),
          points: z.object({ balance: z.number().int() }),
          openCheckIn: z.object({}).passthrough().nullable(),
        }),
      },
    },
    handler: async ({ principal }) => {
      const me = volunteerPrincipal(principal);
      const [volunteer, open, community] = await Promise.all([
        requireVolunteer(me.communityId, me.volunteerId),
        openLogOf(me.communityId, me.volunteerId),
        requireCommunity(me.communityId),
      ]);
      return ok({
        volunteer: volunteerSelfView(volunteer),
        hours: { approvedMinutes: volunteer.approvedMinutes, pendingMinutes: volunteer.pendingMinutes },
        points: { balance: volunteer.pointsBalance },
        openCheckIn: open ? hoursLogView(open, community.timezone) : null,
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/me/shifts',
    operationId: 'listMyShifts',
    summary: 'My upcoming shifts, on evening slots and festivals',
    tags: ['me'],
    credential: 'volunteer',
    responses: { 200: { description: 'Shifts, soonest first', schema: z.object({ items: z.array(shiftSchema) }) } },
    handler: async ({ principal }) => {
      const me = volunteerPrincipal(principal);
      const community = await requireCommunity(me.communityId);
      const shifts = await upcomingShifts(principal);
      return ok({
        items: shifts.map((shift) => ({
          kind: shift.targetKind,
          ...(shift.targetKind === 'slot' ? { slotId: shift.targetId } : { eventId: shift.targetId }),
          title: shift.title,
          venue: shift.venue,
          startsAt: inZone(shift.startsAt, community.timezone),
          endsAt: inZone(shift.endsAt, community.timezone),
        })),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/me/calendar.ics',
    operationId: 'getMyCalendar',
    summary: 'My upcoming shifts as iCalendar',
    tags: ['me'],
    credential: 'volunteer',
    responses: { 200: { description: 'iCalendar', contentType: CALENDAR_CONTENT_TYPE } },
    handler: async ({ principal }) => {
      const me = volunteerPrincipal(principal);
      const community = await requireCommunity(me.communityId);
      const shifts = await upcomingShifts(principal);
      const body = toICalendar(
        `${community.name} 志愿服务 Volunteer shifts`,
        shifts.map((shift) => ({
          uid: shiftUid(me.communityId, shift.targetKind, shift.targetId, me.volunteerId),
          title: `值班 Shift: ${shift.title}`,
          venue: shift.venue,
          startsAt: shift.startsAt,
          endsAt: shift.endsAt,
        })),
      );
      return { status: 200, contentType: CALENDAR_CONTENT_TYPE, headers: { 'Content-Disposition': 'attachment; filename="linli-shifts.ics"' }, body };
    },
  }),
];
