import * as z from 'zod';
import { inZone } from '../../domain/time';
import { created, defineRoute, ok } from '../../http/route';
import { requireCommunity } from '../../services/communities';
import { myPoints, redeem, redemptionWithBalance } from '../../services/points';
import { redemptionSchema, redemptionView } from '../points.schemas';
import { idSchema, paginationQuery } from '../schemas';

const ledgerSchema = z
  .object({ id: z.string(), kind: z.enum(['earn', 'redeem', 'refund', 'adjustment']), points: z.number().int(), ref: z.string(), note: z.string().optional(), createdAt: z.string() })
  .meta({ id: 'LedgerEntry' });

export const volunteerPointsRoutes = [
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
    replay: async ({ principal, outcome }) => {
      const { redemption, balance, community } = await redemptionWithBalance(principal, outcome.redemptionId!);
      return created({ redemption: redemptionView(redemption, community.timezone), balance });
    },
    handler: async ({ principal, body }) => {
      const { redemption, balance } = await redeem(principal, body);
      const community = await requireCommunity(redemption.communityId);
      return created({ redemption: redemptionView(redemption, community.timezone), balance });
    },
  }),
];
