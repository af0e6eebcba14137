import * as z from 'zod';
import { catalogueItemFields, REDEMPTION_STATUSES } from '../../domain/points';
import { created, defineRoute, ok } from '../../http/route';
import { requireCommunity } from '../../services/communities';
import { addCatalogueItem, cancelReservation, changeCatalogueItem, collectRedemption, redemptionsOf, requireItem } from '../../services/points';
import { itemSchema, itemView, redemptionSchema, redemptionView } from '../points.schemas';
import { communityParams, idSchema, listOf, paginationQuery } from '../schemas';

const itemParams = communityParams.extend({ itemId: idSchema });
const redemptionParams = communityParams.extend({ id: idSchema });

/**
 * Two lists, not one: in the route table (functions/routes/index.ts) the volunteer points routes
 * sit between them, and the table's order is the order of docs/openapi.json.
 */
export const organiserCatalogueRoutes = [
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/catalogue',
    operationId: 'addCatalogueItem',
    summary: 'Add goods to the points supermarket',
    tags: ['points'],
    credential: 'organiser',
    params: communityParams,
    body: catalogueItemFields,
    responses: { 201: { description: 'Added', schema: z.object({ item: itemSchema }) } },
    replay: async ({ params, outcome }) => created({ item: itemView(await requireItem(params.c, outcome.itemId!)) }),
    handler: async ({ params, body }) => created({ item: itemView(await addCatalogueItem(params.c, body)) }),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/communities/{c}/catalogue/{itemId}',
    operationId: 'changeCatalogueItem',
    summary: 'Rename, re-price or restock an item',
    tags: ['points'],
    credential: 'organiser',
    params: itemParams,
    body: catalogueItemFields
      .partial()
      .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Send at least one field to change'),
    responses: { 200: { description: 'The item', schema: z.object({ item: itemSchema }) } },
    handler: async ({ params, body }) => ok({ item: itemView(await changeCatalogueItem(params.c, params.itemId, body)) }),
  }),
];

export const organiserRedemptionRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/redemptions',
    operationId: 'listRedemptions',
    summary: 'Reservations at the points supermarket, newest first',
    tags: ['points'],
    credential: 'organiser',
    params: communityParams,
    query: paginationQuery.extend({ status: z.enum(REDEMPTION_STATUSES).optional() }),
    responses: { 200: { description: 'Redemptions', schema: listOf(redemptionSchema) } },
    handler: async ({ params, query }) => {
      const community = await requireCommunity(params.c);
      const page = await redemptionsOf(params.c, query);
      return ok({ items: page.items.map((r) => redemptionView(r, community.timezone)), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/redemptions/{id}/collect',
    operationId: 'collectRedemption',
    summary: 'Hand the goods over: reserved → collected',
    tags: ['points'],
    credential: 'organiser',
    params: redemptionParams,
    responses: { 200: { description: 'Collected', schema: z.object({ redemption: redemptionSchema }) } },
    /** The handler answers a repeat as it did the first time and writes nothing again. */
    replay: 'handler',
    handler: async ({ params }) => {
      const community = await requireCommunity(params.c);
      return ok({ redemption: redemptionView(await collectRedemption(params.c, params.id), community.timezone) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/redemptions/{id}/cancel',
    operationId: 'cancelRedemption',
    summary: 'Cancel a reservation: points and stock come back exactly once',
    tags: ['points'],
    credential: 'organiser',
    params: redemptionParams,
    responses: { 200: { description: 'Cancelled', schema: z.object({ redemption: redemptionSchema }) } },
    /** The handler answers a repeat as it did the first time and writes nothing again. */
    replay: 'handler',
    handler: async ({ params }) => {
      const community = await requireCommunity(params.c);
      return ok({ redemption: redemptionView(await cancelReservation(params.c, params.id), community.timezone) });
    },
  }),
];
