import { publicSlot } from '../../domain/slots';
import { defineRoute, ok } from '../../http/route';
import { listSlots } from '../../services/slots';
import { communityParams, dateOrInstantSchema, listOf, paginationQuery } from '../schemas';
import { publicSlotSchema } from '../slots.schemas';

export const publicSlotRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/slots',
    operationId: 'listSlots',
    summary: 'Open help-desk evenings, with places left (counts only)',
    tags: ['slots'],
    credential: 'public',
    params: communityParams,
    query: paginationQuery.extend({ from: dateOrInstantSchema.optional(), to: dateOrInstantSchema.optional() }),
    responses: { 200: { description: 'Slots in time order', schema: listOf(publicSlotSchema) } },
    handler: async ({ params, query }) => {
      const page = await listSlots(params.c, query);
      return ok({ items: page.items.map((slot) => publicSlot(slot, page.community.timezone)), nextCursor: page.nextCursor });
    },
  }),
];
