import * as z from 'zod';
import { ConflictError, NotFoundError } from './errors';
import type { CommunityEvent } from './events';
import type { Slot } from './slots';

export type ShiftTargetKind = 'slot' | 'event';

/** Something volunteers staff: an evening help-desk slot or a festival. */
export interface ShiftTarget {
  readonly kind: ShiftTargetKind;
  readonly id: string;
  readonly communityId: string;
  readonly title: string;
  readonly venue: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly volunteerCapacity: number;
  readonly volunteersStaffed: number;
  readonly open: boolean;
  readonly cancelled: boolean;
}

/** A volunteer's shift, declared once; denormalised so "my shifts" and calendars read one query. */
export const shiftRecord = z.object({
  communityId: z.string(),
  targetKind: z.enum(['slot', 'event']),
  targetId: z.string(),
  volunteerId: z.string(),
  volunteerName: z.string(),
  team: z.string(),
  title: z.string(),
  venue: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  takenAt: z.string(),
  /** The hours log opened on this shift: one per shift per volunteer (an organiser may add another). */
  logId: z.string().optional(),
});

export type Shift = Readonly<z.output<typeof shiftRecord>>;

export const HELP_DESK_TITLE = '每晚一小时延时服务 Evening help desk';

export function slotTarget(slot: Slot): ShiftTarget {
  return {
    kind: 'slot',
    id: slot.id,
    communityId: slot.communityId,
    title: HELP_DESK_TITLE,
    venue: slot.venue,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    volunteerCapacity: slot.volunteerCapacity,
    volunteersStaffed: slot.volunteersStaffed,
    open: slot.status === 'open',
    cancelled: slot.status === 'cancelled',
  };
}

export function eventTarget(event: CommunityEvent): ShiftTarget {
  return {
    kind: 'event',
    id: event.id,
    communityId: event.communityId,
    title: event.title,
    venue: event.venue,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    volunteerCapacity: event.volunteerCapacity,
    volunteersStaffed: event.volunteersStaffed,
    open: event.status === 'published',
    cancelled: event.status === 'cancelled',
  };
}

/** Whether a volunteer may take a shift on the target now (the store re-checks the seats). */
export function checkCanTakeShift(target: ShiftTarget | undefined, now: Date): ShiftTarget {
  if (!target || (!target.open && !target.cancelled)) throw new NotFoundError(`No such ${target?.kind ?? 'slot or event'}`);
  if (target.cancelled) throw new ConflictError(target.kind === 'slot' ? 'slot_cancelled' : 'event_cancelled');
  if (now.toISOString() >= target.endsAt) throw new ConflictError('invalid_state', 'This has already ended');
  if (target.volunteersStaffed >= target.volunteerCapacity) throw new ConflictError('slot_full', 'All volunteer places are taken');
  return target;
}

/** Organisers want to know at once when a shift is given back with less than this much notice. */
export const LATE_GIVE_BACK_MS = 24 * 60 * 60 * 1000;

export function isLateGiveBack(target: Pick<ShiftTarget, 'startsAt'>, now: Date): boolean {
  const startsIn = Date.parse(target.startsAt) - now.getTime();
  return startsIn < LATE_GIVE_BACK_MS;
}

/** Giving back a shift that has already ended changes nothing anyone can use: refuse it. */
export function checkCanGiveBack(target: ShiftTarget, now: Date): void {
  if (now.toISOString() >= target.endsAt) throw new ConflictError('invalid_state', 'This has already ended');
}
