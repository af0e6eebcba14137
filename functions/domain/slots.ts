import { DateTime } from 'luxon';
import * as z from 'zod';
import { ConflictError, ValidationError } from './errors';
import { instant, line, viewOf, viewSchemaOf } from './model';

export const SLOT_STATUSES = ['open', 'cancelled'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

/** What an organiser sets on an evening, with its rules: the series and patch bodies follow from it. */
export const slotFields = z.object({
  venue: line(120),
  requestCapacity: z.number().int().min(0).max(200),
  volunteerCapacity: z.number().int().min(0).max(50),
  status: z.enum(SLOT_STATUSES),
});

/** One evening of the help desk, declared once: a time, a place, places for residents' requests and for volunteers. */
export const slotRecord = slotFields.extend({
  id: z.string(),
  communityId: z.string(),
  startsAt: instant,
  endsAt: instant,
  /** Counters, changed only in the transactions that book or give back a place. */
  requestsBooked: z.number().int(),
  volunteersStaffed: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Slot = Readonly<z.output<typeof slotRecord>>;

export interface SeriesSpec {
  from: string;
  to: string;
  startTime: string;
  durationMinutes: number;
  daysOfWeek: number[];
  venue: string;
  volunteerCapacity: number;
  requestCapacity: number;
}

/** API.md: a series spans at most 92 days. */
export const MAX_SERIES_DAYS = 92;

/**
 * The slot id for a local date and time: deterministic, so sending the same series again finds
 * the slots it made instead of making new ones.
 */
export function slotIdFor(localDate: string, startTime: string): string {
  return `${localDate.replaceAll('-', '')}-${startTime.replace(':', '')}`;
}

/**
 * The slots of a series: one per chosen weekday (ISO, Monday = 1) between two dates inclusive,
 * each starting at the same local time in the community's zone, so a series across a daylight
 * saving change keeps 19:30 on both sides. A local time that does not exist on a spring-forward
 * day is moved forward by the gap, as clocks do.
 */
export function planSeries(communityId: string, spec: SeriesSpec, timezone: string, now: Date): Slot[] {
  const first = DateTime.fromISO(spec.from, { zone: timezone });
  const last = DateTime.fromISO(spec.to, { zone: timezone });
  const days = Math.round(last.diff(first, 'days').days);
  if (days < 0) throw new ValidationError([{ path: 'to', message: 'Must not be before from' }]);
  if (days > MAX_SERIES_DAYS) throw new ValidationError([{ path: 'to', message: `At most ${MAX_SERIES_DAYS} days after from` }]);
  const [hour, minute] = spec.startTime.split(':').map(Number) as [number, number];
  const nowIso = now.toISOString();
  const slots: Slot[] = [];
  for (let offset = 0; offset <= days; offset += 1) {
    const day = first.plus({ days: offset });
    if (!spec.daysOfWeek.includes(day.weekday)) continue;
    const start = day.set({ hour, minute, second: 0, millisecond: 0 });
    const end = start.plus({ minutes: spec.durationMinutes });
    slots.push({
      id: slotIdFor(day.toISODate()!, spec.startTime),
      communityId,
      startsAt: start.toUTC().toISO()!,
      endsAt: end.toUTC().toISO()!,
      venue: spec.venue,
      requestCapacity: spec.requestCapacity,
      volunteerCapacity: spec.volunteerCapacity,
      requestsBooked: 0,
      volunteersStaffed: 0,
      status: 'open',
      version: 1,
      createdAt: nowIso,
      updatedAt: nowIso,
    });
  }
  return slots;
}

export interface SlotPatch {
  venue?: string;
  requestCapacity?: number;
  volunteerCapacity?: number;
  status?: 'open' | 'cancelled';
}

/** The slot after an organiser's change. Capacities never go under the places already taken. */
export function applySlotPatch(slot: Slot, patch: SlotPatch, now: Date): Slot {
  if (slot.status === 'cancelled') throw new ConflictError('slot_cancelled', 'A cancelled slot cannot be changed');
  const requestCapacity = patch.requestCapacity ?? slot.requestCapacity;
  const volunteerCapacity = patch.volunteerCapacity ?? slot.volunteerCapacity;
  if (requestCapacity < slot.requestsBooked) {
    throw new ConflictError('capacity_below_confirmed', `${slot.requestsBooked} requests are already booked`);
  }
  if (volunteerCapacity < slot.volunteersStaffed) {
    throw new ConflictError('capacity_below_confirmed', `${slot.volunteersStaffed} volunteers already hold shifts`);
  }
  return {
    ...slot,
    venue: patch.venue ?? slot.venue,
    requestCapacity,
    volunteerCapacity,
    status: patch.status ?? slot.status,
    version: slot.version + 1,
    updatedAt: now.toISOString(),
  };
}

const publicSlotFields = slotRecord.pick({ startsAt: true, endsAt: true, venue: true, requestCapacity: true, volunteerCapacity: true, status: true });

/** The public shape (API.md): counts only, never who. */
export function publicSlot(slot: Slot, timezone: string) {
  return {
    id: slot.id,
    ...viewOf(publicSlotFields, slot, timezone),
    requestsLeft: Math.max(0, slot.requestCapacity - slot.requestsBooked),
    volunteersLeft: Math.max(0, slot.volunteerCapacity - slot.volunteersStaffed),
  };
}

export const publicSlotSchema = z
  .object({ id: z.string(), ...viewSchemaOf(publicSlotFields).shape, requestsLeft: z.number().int(), volunteersLeft: z.number().int() })
  .meta({ id: 'Slot' });
