import * as z from 'zod';

/** Event schemas shared by the public and the organiser routes (public/events.ts, organiser/events.ts). */

export const publicEventSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    venue: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    capacity: z.number().int(),
    seatsLeft: z.number().int(),
    waitlistLength: z.number().int(),
    maxPartySize: z.number().int(),
    volunteerCapacity: z.number().int(),
    volunteersLeft: z.number().int(),
    registrationOpensAt: z.string().nullable(),
    registrationClosesAt: z.string(),
    status: z.enum(['draft', 'published', 'cancelled']),
  })
  .meta({ id: 'PublicEvent' });
