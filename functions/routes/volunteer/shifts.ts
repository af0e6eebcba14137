import * as z from 'zod';
import type { ShiftTargetKind } from '../../domain/shifts';
import { created, defineRoute, ok } from '../../http/route';
import { giveBackShift, takeShift } from '../../services/shifts';
import { eventParams } from '../schemas';
import { slotParams } from '../slots.schemas';

const shiftResponse = z.object({
  shift: z.object({ slotId: z.string().optional(), eventId: z.string().optional(), volunteerId: z.string() }),
});

function shiftRoutesFor(kind: ShiftTargetKind) {
  const noun = kind === 'slot' ? 'slots/{slotId}' : 'events/{eventId}';
  const params = kind === 'slot' ? slotParams : eventParams;
  const idField = kind === 'slot' ? 'slotId' : 'eventId';
  const targetIdOf = (p: Record<string, string>) => p[idField]!;
  const what = kind === 'slot' ? 'an evening help-desk slot' : 'a festival (its volunteerCapacity)';
  return [
    defineRoute({
      method: 'POST',
      path: `/communities/{c}/${noun}/shifts`,
      operationId: kind === 'slot' ? 'takeSlotShift' : 'takeEventShift',
      summary: `Take a shift on ${what}`,
      tags: ['shifts'],
      credential: 'volunteer',
      params,
      responses: { 201: { description: 'The shift', schema: shiftResponse } },
      replay: async ({ params: p, principal }) =>
        created({ shift: { [idField]: targetIdOf(p as Record<string, string>), volunteerId: principal.volunteerId } }),
      handler: async ({ params: p, principal }) => {
        const shift = await takeShift(principal, kind, targetIdOf(p as Record<string, string>));
        return created({ shift: { [idField]: shift.targetId, volunteerId: shift.volunteerId } });
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: `/communities/{c}/${noun}/shifts/me`,
      operationId: kind === 'slot' ? 'giveBackSlotShift' : 'giveBackEventShift',
      summary: `Give back my shift on ${what}; under 24 h before it starts, organisers are alerted`,
      tags: ['shifts'],
      credential: 'volunteer',
      params,
      responses: { 200: { description: 'Given back', schema: z.object({ released: z.literal(true) }) } },
      handler: async ({ params: p, principal }) => {
        await giveBackShift(principal, kind, targetIdOf(p as Record<string, string>));
        return ok({ released: true });
      },
    }),
  ];
}

export const volunteerShiftRoutes = [...shiftRoutesFor('slot'), ...shiftRoutesFor('event')];
