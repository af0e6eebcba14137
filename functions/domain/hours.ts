import { DateTime } from 'luxon';
import { ConflictError, ValidationError } from './errors';
import type { ShiftTarget, ShiftTargetKind } from './shifts';
import { inZone } from './time';

export type HoursStatus = 'open' | 'pending' | 'approved' | 'rejected';

export interface Decision {
  readonly action: 'approved' | 'rejected' | 'entered';
  /** The organiser's subject (JWT `sub`). */
  readonly by: string;
  readonly at: string;
  readonly note?: string;
  readonly minutes?: number;
}

/** A volunteer's stretch of service: opened by check-in, closed by check-out, then reviewed. */
export interface HoursLog {
  readonly id: string;
  readonly communityId: string;
  readonly volunteerId: string;
  readonly volunteerName: string;
  readonly team: string;
  readonly targetKind?: ShiftTargetKind;
  readonly targetId?: string;
  /** When the shift ends: an open log is closed there by housekeeping 2 h later. */
  readonly targetEndsAt?: string;
  readonly status: HoursStatus;
  readonly checkedInAt: string;
  readonly checkedOutAt?: string;
  /** Whole minutes worked, as checked out (or entered). */
  readonly minutes?: number;
  readonly autoClosed?: boolean;
  /** What the organiser approved, and what it earned at the rate in force when it was worked. */
  readonly approvedMinutes?: number;
  readonly points?: number;
  readonly pointsPerHour?: number;
  readonly decisions: readonly Decision[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** API.md: check-in from 30 minutes before the shift starts until it ends. */
export const EARLY_CHECK_IN_MS = 30 * 60 * 1000;
/** Logs left open are closed this long after their shift ends. */
export const AUTO_CLOSE_AFTER_MS = 2 * 60 * 60 * 1000;
/** API.md: approved minutes are 0–720. */
export const MAX_MINUTES = 720;

export function checkCheckInWindow(target: Pick<ShiftTarget, 'startsAt' | 'endsAt'>, now: Date): void {
  const opens = Date.parse(target.startsAt) - EARLY_CHECK_IN_MS;
  if (now.getTime() < opens || now.toISOString() > target.endsAt) {
    throw new ConflictError('check_in_window_closed', 'Check in from 30 minutes before the shift starts until it ends');
  }
}

/** Whole minutes between two instants, never negative. */
export function wholeMinutes(fromIso: string, toIso: string): number {
  return Math.max(0, Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
}

/** The calendar month (`YYYY-MM`) an instant falls in, in the community's zone. */
export function monthOf(instant: string, timezone: string): string {
  return DateTime.fromISO(instant, { zone: 'utc' }).setZone(timezone).toFormat('yyyy-MM');
}

/**
 * An organiser's approval: the minutes as logged, or changed with a note saying why.
 * Returns the minutes to credit.
 */
export function approvedMinutesFor(log: HoursLog, minutes: number | undefined, note: string | undefined): number {
  const logged = log.minutes ?? 0;
  if (minutes === undefined || minutes === logged) return Math.min(logged, MAX_MINUTES);
  if (!note) throw new ValidationError([{ path: 'note', message: 'Say why the minutes were changed' }]);
  return minutes;
}

/** What a volunteer and an organiser see of a log. */
export function hoursLogView(log: HoursLog, timezone: string) {
  return {
    id: log.id,
    status: log.status,
    volunteerId: log.volunteerId,
    volunteerName: log.volunteerName,
    team: log.team,
    ...(log.targetKind === 'slot' ? { slotId: log.targetId } : {}),
    ...(log.targetKind === 'event' ? { eventId: log.targetId } : {}),
    checkedInAt: inZone(log.checkedInAt, timezone),
    ...(log.checkedOutAt ? { checkedOutAt: inZone(log.checkedOutAt, timezone) } : {}),
    ...(log.minutes !== undefined ? { minutes: log.minutes } : {}),
    ...(log.autoClosed ? { autoClosed: true } : {}),
    ...(log.approvedMinutes !== undefined ? { approvedMinutes: log.approvedMinutes, points: log.points, pointsPerHour: log.pointsPerHour } : {}),
    decisions: log.decisions.map((decision) => ({ ...decision, at: inZone(decision.at, timezone) })),
  };
}
