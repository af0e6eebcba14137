import * as z from 'zod';
import { catalogueItemFields, redemptionRecord, type CatalogueItem, type Redemption } from '../domain/points';
import { viewOf, viewSchemaOf } from '../domain/model';

/**
 * Points views and their response schemas, from the declarations in functions/domain/points.ts;
 * shared by the routes of every function group (public/, volunteer/ and organiser/points.ts).
 */

export const itemSchema = z.object({ id: z.string(), ...viewSchemaOf(catalogueItemFields).shape }).meta({ id: 'CatalogueItem' });

export const itemView = (item: CatalogueItem) => ({ id: item.id, ...viewOf(catalogueItemFields, item, 'UTC') });

/** What a reservation shows: everything but whose community it is and the audit times after it was made. */
const redemptionFields = redemptionRecord.omit({ communityId: true, updatedAt: true, collectedAt: true, cancelledAt: true });

export const redemptionSchema = viewSchemaOf(redemptionFields).meta({ id: 'Redemption' });

export const redemptionView = (redemption: Redemption, timezone: string) => viewOf(redemptionFields, redemption, timezone);
