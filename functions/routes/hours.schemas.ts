import * as z from 'zod';

/** Hours schemas shared by the volunteer and the organiser routes (volunteer/hours.ts, organiser/hours.ts). */

export const hoursLogSchema = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'pending', 'approved', 'rejected']),
    volunteerId: z.string(),
    volunteerName: z.string(),
    team: z.string(),
    slotId: z.string().optional(),
    eventId: z.string().optional(),
    checkedInAt: z.string(),
    checkedOutAt: z.string().optional(),
    minutes: z.number().int().optional(),
    autoClosed: z.boolean().optional(),
    approvedMinutes: z.number().int().optional(),
    points: z.number().int().optional(),
    pointsPerHour: z.number().optional(),
    decisions: z.array(z.object({ action: z.string(), by: z.string(), at: z.string(), note: z.string().optional(), minutes: z.number().optional() })),
  })
  .meta({ id: 'HoursLog' });
