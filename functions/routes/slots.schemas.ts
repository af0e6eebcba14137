import * as z from 'zod';
import { communityParams } from './schemas';

/** Slot schemas shared by the routes of every function group (slots, help requests, shifts). */

export const slotParams = communityParams.extend({ slotId: z.string().regex(/^\d{8}-\d{4}$/, 'Not a slot id') });

export const publicSlotSchema = z
  .object({
    id: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    venue: z.string(),
    requestCapacity: z.number().int(),
    requestsLeft: z.number().int(),
    volunteerCapacity: z.number().int(),
    volunteersLeft: z.number().int(),
    status: z.enum(['open', 'cancelled']),
  })
  .meta({ id: 'Slot' });
