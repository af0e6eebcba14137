import { DateTime } from 'luxon';
import * as z from 'zod';
import { ConflictError, ValidationError } from './errors';
import type { ShiftTarget } from './shifts';
import { instant, viewOf, viewSchemaOf } from './model';
import { inZone } from './time';

export const HOURS_STATUSES = ['open', 'pending', 'approved', 'rejected'] as const;
export type HoursStatus = (typeof HOURS_STATUSES)[number];

export const decisionRecord = z.object({
  action: z.enum(['approved', 'rejected', 'entered']),
  /** The organiser's subject (JWT `sub`). */
  by: z.string(),
  at: instant,
  note: z.string().optional(),
  minutes: z.number().int().optional(),
});
export type Decision = Readonly<z.output<typeof decisionRecord>>;

/** A volunteer's stretch of service, declared once: opened by check-in, closed by check-out, then reviewed. */
export const hoursLogRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  volunteerId: z.string(),
  volunteerName: z.string(),
  team: z.string(),
  targetKind: z.enum(['slot', 'event']).optional(),
  targetId: z.string().optional(),
  /** When the shift ends: an open log is closed there by housekeeping 2 h later. */
  targetEndsAt: z.string().optional(),
  /** The shift as the approval queue names it: its title and start (logs since desk codes). */
  targetTitle: z.string().optional(),
  targetStartsAt: z.string().optional(),
  /**
   * What showed the volunteer was there: the community room's desk code, nothing (a community that
   * asks for none, or a log from before desk codes), or an organiser who entered it.
   */
  proof: z.enum(['desk_code', 'none', 'organiser']).optional(),
  /** An organiser's entry on a shift that already had a log: allowed, and flagged for review. */
  secondOnShift: z.boolean().optional(),
  status: z.enum(HOURS_STATUSES),
  checkedInAt: instant,
  checkedOutAt: instant.optional(),
  /** Whole minutes worked, as checked out (or entered). */
  minutes: z.number().int().optional(),
  autoClosed: z.boolean().optional(),
  /** What the organiser approved, and what it earned at the rate in force when it was worked. */
  approvedMinutes: z.number().int().optional(),
  points: z.number().int().optional(),
  pointsPerHour: z.number().optional(),
  decisions: z.array(decisionRecord).readonly(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type HoursLog = Readonly<z.output<typeof hoursLogRecord>>;

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

/** What a reviewer should look at in a log (the approval queue's badges). */
export const HOURS_FLAGS = ['no_proof', 'second_log', 'longer_than_shift'] as const;
export type HoursFlag = (typeof HOURS_FLAGS)[number];

/**
 * A log's flags: checked in without the desk code where the community now asks for it, a second
 * log on one shift, or more minutes than the shift lasted (check-in opens 30 minutes early, and a
 * forgotten check-out runs on).
 */
export function flagsOf(log: HoursLog, community: { checkInProof: 'none' | 'desk_code' }): HoursFlag[] {
  const flags: HoursFlag[] = [];
  if (log.proof === 'none' && community.checkInProof === 'desk_code') flags.push('no_proof');
  if (log.secondOnShift) flags.push('second_log');
  if (log.targetStartsAt && log.targetEndsAt && log.minutes !== undefined && log.minutes > wholeMinutes(log.targetStartsAt, log.targetEndsAt)) flags.push('longer_than_shift');
  return flags;
}

/** What a volunteer and an organiser see of a log. */
export function hoursLogView(log: HoursLog, community: { timezone: string; checkInProof: 'none' | 'desk_code' }) {
  const { timezone } = community;
  return {
    ...viewOf(hoursLogViewFields, log, timezone, { absent: 'omit' }),
    ...(log.targetKind === 'slot' ? { slotId: log.targetId } : {}),
    ...(log.targetKind === 'event' ? { eventId: log.targetId } : {}),
    ...(log.targetKind && log.targetStartsAt && log.targetEndsAt
      ? { shift: { kind: log.targetKind, ...(log.targetTitle ? { title: log.targetTitle } : {}), startsAt: inZone(log.targetStartsAt, timezone), endsAt: inZone(log.targetEndsAt, timezone) } }
      : {}),
    flags: flagsOf(log, community),
    decisions: log.decisions.map((decision) => viewOf(decisionRecord, decision, timezone, { absent: 'omit' })),
  };
}

/** What a log shows of itself; its target is named as `slotId` or `eventId`. */
const hoursLogViewFields = hoursLogRecord.pick({
  id: true,
  status: true,
  volunteerId: true,
  volunteerName: true,
  team: true,
  checkedInAt: true,
  checkedOutAt: true,
  minutes: true,
  autoClosed: true,
  approvedMinutes: true,
  points: true,
  pointsPerHour: true,
  proof: true,
});

export const hoursLogSchema = viewSchemaOf(hoursLogViewFields, { absent: 'omit' })
  .extend({
    slotId: z.string().optional(),
    eventId: z.string().optional(),
    shift: z
      .object({ kind: z.enum(['slot', 'event']), title: z.string().optional(), startsAt: z.string(), endsAt: z.string() })
      .optional()
      .describe('The shift it was logged on'),
    flags: z.array(z.enum(HOURS_FLAGS)).describe('For review: no_proof (no desk code where the community asks for it), second_log (another log on the same shift), longer_than_shift'),
    decisions: z.array(viewSchemaOf(decisionRecord, { absent: 'omit' })),
  })
  .meta({ id: 'HoursLog' });
