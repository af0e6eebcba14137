import * as z from 'zod';
import { CALENDAR_CONTENT_TYPE, shiftUid, toICalendar } from '../../domain/calendar';
import { volunteerSelfView } from '../../domain/volunteers';
import { inZone } from '../../domain/time';
import { defineRoute, ok } from '../../http/route';
import { requireCommunity } from '../../services/communities';
import { upcomingShifts } from '../../services/shifts';
import { openLogOf } from '../../services/hours';
import { hoursLogView } from '../../domain/hours';
import { requireVolunteer } from '../../services/volunteers';
import { skills, team } from '../volunteers.schemas';

const shiftSchema = z
  .object({
    kind: z.enum(['slot', 'event']),
    slotId: z.string().optional(),
    eventId: z.string().optional(),
    title: z.string(),
    venue: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    hoursLogId: z.string().optional().describe('The hours log of this shift, once checked in (one per shift): no second check-in, no giving it back'),
  })
  .meta({ id: 'Shift' });

export const volunteerVolunteerRoutes = [
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
    handler: async ({ principal: me }) => {
      const [volunteer, open, community] = await Promise.all([
        requireVolunteer(me.communityId, me.volunteerId),
        openLogOf(me.communityId, me.volunteerId),
        requireCommunity(me.communityId),
      ]);
      return ok({
        volunteer: volunteerSelfView(volunteer),
        hours: { approvedMinutes: volunteer.approvedMinutes, pendingMinutes: volunteer.pendingMinutes },
        points: { balance: volunteer.pointsBalance },
        openCheckIn: open ? hoursLogView(open, community) : null,
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
    handler: async ({ principal: me }) => {
      const community = await requireCommunity(me.communityId);
      const shifts = await upcomingShifts(me);
      return ok({
        items: shifts.map((shift) => ({
          kind: shift.targetKind,
          ...(shift.targetKind === 'slot' ? { slotId: shift.targetId } : { eventId: shift.targetId }),
          title: shift.title,
          venue: shift.venue,
          startsAt: inZone(shift.startsAt, community.timezone),
          endsAt: inZone(shift.endsAt, community.timezone),
          ...(shift.logId ? { hoursLogId: shift.logId } : {}),
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
    handler: async ({ principal: me }) => {
      const community = await requireCommunity(me.communityId);
      const shifts = await upcomingShifts(me);
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
