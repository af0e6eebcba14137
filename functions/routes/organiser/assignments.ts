import * as z from 'zod';
import type { ShiftTargetKind } from '../../domain/shifts';
import { created, defineRoute } from '../../http/route';
import { takeShift } from '../../services/shifts';
import { eventParams, idSchema } from '../schemas';
import { slotParams } from '../slots.schemas';

const assignment = z.object({ volunteerId: idSchema });
const shiftResponse = z.object({
  shift: z.object({ slotId: z.string().optional(), eventId: z.string().optional(), volunteerId: z.string() }),
});

/**
 * An organiser puts a volunteer on an evening or a festival (an extension of the contract): the
 * console's answer to its own "请联系志愿者补位" banner, after a phone call. The same rules as
 * a volunteer taking it (places, one shift per volunteer, an active volunteer, not yet ended).
 */
function assignRouteFor(kind: ShiftTargetKind) {
  const idField = kind === 'slot' ? 'slotId' : 'eventId';
  return defineRoute({
    method: 'POST',
    path: `/communities/{c}/${kind === 'slot' ? 'slots/{slotId}' : 'events/{eventId}'}/assignments`,
    operationId: kind === 'slot' ? 'assignSlotShift' : 'assignEventShift',
    summary: `Put a volunteer on ${kind === 'slot' ? 'an evening help-desk slot' : 'a festival'} (slot_full, already_signed_up as for the volunteer)`,
    tags: ['shifts'],
    credential: 'organiser',
    params: kind === 'slot' ? slotParams : eventParams,
    body: assignment,
    responses: { 201: { description: 'The shift', schema: shiftResponse } },
    replay: async ({ params, body }) => created({ shift: { [idField]: (params as Record<string, string>)[idField], volunteerId: body.volunteerId } }),
    handler: async ({ params, body }) => {
      const shift = await takeShift({ communityId: params.c, volunteerId: body.volunteerId }, kind, (params as Record<string, string>)[idField]!);
      return created({ shift: { [idField]: shift.targetId, volunteerId: shift.volunteerId } });
    },
  });
}

export const organiserAssignmentRoutes = [assignRouteFor('slot'), assignRouteFor('event')];
