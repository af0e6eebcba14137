import * as z from 'zod';

/** Community schemas shared by the public and the organiser routes (public/communities.ts, organiser/communities.ts). */

export const publicCommunity = z
  .object({
    id: z.string(),
    name: z.string(),
    timezone: z.string(),
    pointsPerHour: z.number(),
    pointsPerHourHistory: z.array(z.object({ pointsPerHour: z.number(), effectiveFrom: z.string() })),
  })
  .meta({ id: 'PublicCommunity' });
