import * as z from 'zod';
import type { ShiftTargetKind } from './shifts';

/** Who a planned reminder is for: the organisers' digest, or each volunteer on shift. */
export type Audience = 'organisers' | 'volunteers';


/** API.md/issue: volunteers are reminded one hour before each shift, whatever the organisers chose. */
export const VOLUNTEER_REMINDER_MINUTES = 60;

export const PLAN_STATUSES = ['pending', 'claimed', 'done', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** One planned reminder, declared once: a (target, offset, audience) with its due time. */
export const reminderPlanRecord = z.object({
  communityId: z.string(),
  targetKind: z.enum(['slot', 'event']),
  targetId: z.string(),
  offsetMinutes: z.number().int(),
  audience: z.enum(['organisers', 'volunteers']),
  dueAt: z.string(),
  /** The start the plan was made for: a moved target is planned again, never reminded at the old time. */
  targetStartsAt: z.string(),
  status: z.enum(PLAN_STATUSES),
});

export type ReminderPlan = Readonly<z.output<typeof reminderPlanRecord>>;

export interface PlannableTarget {
  readonly kind: ShiftTargetKind;
  readonly id: string;
  readonly communityId: string;
  readonly startsAt: string;
}

/** The reminders a target needs: the organisers' digest at each offset, volunteers an hour before. */
export function planReminders(target: PlannableTarget, organiserOffsets: readonly number[]): ReminderPlan[] {
  const plan = (offsetMinutes: number, audience: Audience): ReminderPlan => ({
    communityId: target.communityId,
    targetKind: target.kind,
    targetId: target.id,
    offsetMinutes,
    audience,
    dueAt: new Date(Date.parse(target.startsAt) - offsetMinutes * 60_000).toISOString(),
    targetStartsAt: target.startsAt,
    status: 'pending',
  });
  return [
    ...[...new Set(organiserOffsets)].map((offset) => plan(offset, 'organisers')),
    plan(VOLUNTEER_REMINDER_MINUTES, 'volunteers'),
  ];
}

/** Delivery attempts before a notification is marked `failed`. */
export const MAX_DELIVERY_ATTEMPTS = 5;

/** Wait before the next attempt: 1, 2, 4, 8 … minutes, at most an hour. */
export function retryDelayMs(attemptsSoFar: number): number {
  return Math.min(60, 2 ** Math.max(0, attemptsSoFar - 1)) * 60_000;
}
