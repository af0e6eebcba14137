import * as z from 'zod';
import { inZone } from '../domain/time';
import type { Redemption } from '../domain/points';
import { created, defineRoute, ok } from '../http/route';
import { requireCommunity } from '../services/communities';
import {
  addCatalogueItem,
  cancelReservation,
  catalogueOf,
  changeCatalogueItem,
  collectRedemption,
  myPoints,
  redeem,
  redemptionsOf,
} from '../services/points';
import { communityParams, idSchema, listOf, paginationQuery } from './schemas';

const itemParams = communityParams.extend({ itemId: idSchema });
const redemptionParams = communityParams.extend({ id: idSchema });

const itemSchema = z.object({ id: z.string(), name: z.string(), pointsCost: z.number().int(), stock: z.number().int() }).meta({ id: 'CatalogueItem' });
const redemptionSchema = z
  .object({
    id: z.string(),
    itemId: z.string(),
    itemName: z.string(),
    quantity: z.number().int(),
    points: z.number().int(),
    status: z.enum(['reserved', 'collected', 'cancelled']),
    pickupCode: z.string(),
    volunteerId: z.string(),
    volunteerName: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Redemption' });
const ledgerSchema = z
  .object({ id: z.string(), kind: z.enum(['earn', 'redeem', 'refund', 'adjustment']), points: z.number().int(), ref: z.string(), note: z.string().optional(), createdAt: z.string() })
  .meta({ id: 'LedgerEntry' });

const itemFields = {
  name: z.string().trim().min(1).max(60),
  pointsCost: z.number().int().min(1).max(1_000_000),
  stock: z.number().int().min(0).max(1_000_000),
};

const itemView = (item: { id: string; name: string; pointsCost: number; stock: number }) => ({
  id: item.id,
  name: item.name,
  pointsCost: item.pointsCost,
  stock: item.stock,
});

const redemptionView = (redemption: Redemption, timezone: string) => ({
  id: redemption.id,
  itemId: redemption.itemId,
  itemName: redemption.itemName,
  quantity: redemption.quantity,
  points: redemption.points,
  status: redemption.status,
  pickupCode: redemption.pickupCode,
  volunteerId: redemption.volunteerId,
  volunteerName: redemption.volunteerName,
  createdAt: inZone(redemption.createdAt, timezone),
});

export const pointsRoutes = [
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
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/catalogue',
    operationId: 'addCatalogueItem',
    summary: 'Add goods to the points supermarket',
    tags: ['points'],
    credential: 'organiser',
    params: communityParams,
    body: z.object(itemFields),
    responses: { 201: { description: 'Added', schema: z.object({ item: itemSchema }) } },
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
    body: z
      .object(itemFields)
      .partial()
      .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Send at least one field to change'),
    responses: { 200: { description: 'The item', schema: z.object({ item: itemSchema }) } },
    handler: async ({ params, body }) => ok({ item: itemView(await changeCatalogueItem(params.c, params.itemId, body)) }),
  }),
  defineRoute({
    method: 'GET',
    path: '/me/points',
    operationId: 'getMyPoints',
    summary: 'My balance and ledger, newest first',
    tags: ['points'],
    credential: 'volunteer',
    query: paginationQuery,
    responses: { 200: { description: 'Balance and ledger', schema: z.object({ balance: z.number().int(), items: z.array(ledgerSchema), nextCursor: z.string().nullable() }) } },
    handler: async ({ principal, query }) => {
      const result = await myPoints(principal, query);
      const community = await requireCommunity(principal.kind === 'volunteer' ? principal.communityId : '');
      return ok({
        balance: result.balance,
        items: result.items.map((entry) => ({
          id: entry.id,
          kind: entry.kind,
          points: entry.points,
          ref: entry.ref,
          ...(entry.note ? { note: entry.note } : {}),
          createdAt: inZone(entry.createdAt, community.timezone),
        })),
        nextCursor: result.nextCursor,
      });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/me/redemptions',
    operationId: 'redeem',
    summary: 'Reserve goods with my points; shows a pickup code',
    tags: ['points'],
    credential: 'volunteer',
    body: z.object({ itemId: idSchema, quantity: z.number().int().min(1).max(10).default(1) }),
    responses: { 201: { description: 'Reserved', schema: z.object({ redemption: redemptionSchema, balance: z.number().int() }) } },
    handler: async ({ principal, body }) => {
      const { redemption, balance } = await redeem(principal, body);
      const community = await requireCommunity(redemption.communityId);
      return created({ redemption: redemptionView(redemption, community.timezone), balance });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/redemptions',
    operationId: 'listRedemptions',
    summary: 'Reservations at the points supermarket, newest first',
    tags: ['points'],
    credential: 'organiser',
    params: communityParams,
    query: paginationQuery.extend({ status: z.enum(['reserved', 'collected', 'cancelled']).optional() }),
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
    handler: async ({ params }) => {
      const community = await requireCommunity(params.c);
      return ok({ redemption: redemptionView(await cancelReservation(params.c, params.id), community.timezone) });
    },
  }),
];
