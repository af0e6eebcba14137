import * as z from 'zod';
import { defineRoute, ok } from '../../http/route';
import { catalogueOf } from '../../services/points';
import { itemSchema, itemView } from '../points.schemas';
import { communityParams } from '../schemas';

export const publicPointsRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/catalogue',
    operationId: 'listCatalogue',
    summary: 'The points supermarket: items, their cost in points and stock',
    tags: ['points'],
    credential: 'public',
    params: communityParams,
    responses: { 200: { description: 'Items', schema: z.object({ items: z.array(itemSchema), nextCursor: z.null() }) } },
    handler: async ({ params }) => ok({ items: (await catalogueOf(params.c)).map(itemView), nextCursor: null }),
  }),
];
