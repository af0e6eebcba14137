import * as z from 'zod';
import { inZone } from '../domain/time';
import type { Redemption } from '../domain/points';

/** Points schemas and views shared by the routes of every function group (public/, volunteer/ and organiser/points.ts). */

export const itemSchema = z.object({ id: z.string(), name: z.string(), pointsCost: z.number().int(), stock: z.number().int() }).meta({ id: 'CatalogueItem' });
export const redemptionSchema = z
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

export const itemView = (item: { id: string; name: string; pointsCost: number; stock: number }) => ({
  id: item.id,
  name: item.name,
  pointsCost: item.pointsCost,
  stock: item.stock,
});

export const redemptionView = (redemption: Redemption, timezone: string) => ({
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
