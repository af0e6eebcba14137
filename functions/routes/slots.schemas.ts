import * as z from 'zod';
import { communityParams } from './schemas';

/** Slot schemas shared by the routes of every function group (slots, help requests, shifts). */

export const slotParams = communityParams.extend({ slotId: z.string().regex(/^\d{8}-\d{4}$/, 'Not a slot id') });

export { publicSlotSchema } from '../domain/slots';
