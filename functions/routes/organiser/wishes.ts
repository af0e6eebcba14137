import * as z from 'zod';
import { line } from '../../domain/model';
import { WISH_STATUSES, wishSchema, organiserWishView } from '../../domain/wishes';
import { defineRoute, ok } from '../../http/route';
import { publishWish, rejectWish, wishesForOrganiser } from '../../services/wishes';
import { communityParams, listOf, paginationQuery } from '../schemas';
import { wishParams } from '../wishes.schemas';

const one = z.object({ wish: wishSchema });

export const organiserWishRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/organiser/wishes',
    operationId: 'listWishes',
    summary: 'Every wish, newest first, with residents’ names and phones (submitted ones to review)',
    tags: ['wishes'],
    credential: 'organiser',
    params: communityParams,
    query: paginationQuery.extend({ status: z.enum(WISH_STATUSES).optional() }),
    responses: { 200: { description: 'A page of wishes', schema: listOf(wishSchema) } },
    handler: async ({ params, query }) => {
      const { items, nextCursor, community } = await wishesForOrganiser(params.c, query.status, query);
      return ok({ items: items.map((wish) => organiserWishView(wish, community.timezone)), nextCursor });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/wishes/{id}/publish',
    operationId: 'publishWish',
    summary: 'Show a submitted wish on the wall, for volunteers and partner units to adopt',
    tags: ['wishes'],
    credential: 'organiser',
    params: wishParams,
    responses: { 200: { description: 'Published (again: as it is)', schema: one } },
    replay: 'handler',
    handler: async ({ params }) => {
      const { wish, community } = await publishWish(params.c, params.id);
      return ok({ wish: organiserWishView(wish, community.timezone) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/wishes/{id}/reject',
    operationId: 'rejectWish',
    summary: 'Turn a submitted wish down, saying why (the resident reads it on the manage page)',
    tags: ['wishes'],
    credential: 'organiser',
    params: wishParams,
    body: z.object({ note: line(300, 1, 'Please say why') }),
    responses: { 200: { description: 'Rejected (again: as it is)', schema: one } },
    replay: 'handler',
    handler: async ({ params, body }) => {
      const { wish, community } = await rejectWish(params.c, params.id, body.note);
      return ok({ wish: organiserWishView(wish, community.timezone) });
    },
  }),
];
