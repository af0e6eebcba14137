import { randomUUID } from 'node:crypto';
import { digests, withOverdueWorkOrders } from '../domain/messages';
import type { Notification, Recipient } from '../domain/notifications';
import type { ReminderPlan } from '../domain/reminders';
import { eventTarget, slotTarget } from '../domain/shifts';
import { getCommunity } from '../store/communities';
import { getEvent } from '../store/events';
import { listHelpRequests } from '../store/help-requests';
import { listDueNotifications, oldestDueNotification, recordNotifications } from '../store/notifications';
import { claimPlan, finishPlan, listDuePlans, oldestDuePlan } from '../store/reminders';
import { listShiftsOfTarget } from '../store/shifts';
import { getSlot } from '../store/slots';
import { countOverdueWorkOrders } from '../store/work-orders';
import { deliverNotification } from './deliveries';
import { noticeOf } from './notice';
import { drain, oldestDueAgeSeconds, shardOf, UNBOUNDED, type JobBudget, type Shard } from './drain';

/** The notifications a due reminder turns into, or why it turns into none. */
async function expand(plan: ReminderPlan, now: Date): Promise<{ notifications: Notification[]; outcome: 'done' | 'cancelled'; reason: string }> {
  const community = await getCommunity(plan.communityId);
  const event = plan.targetKind === 'event' ? await getEvent(plan.communityId, plan.targetId) : undefined;
  const slot = plan.targetKind === 'slot' ? await getSlot(plan.communityId, plan.targetId) : undefined;
  const target = event ? eventTarget(event) : slot ? slotTarget(slot) : undefined;
  if (!community || !target || target.cancelled || (event && event.status !== 'published')) {
    return { notifications: [], outcome: 'cancelled', reason: 'target cancelled or gone' };
  }
  if (target.startsAt !== plan.targetStartsAt) return { notifications: [], outcome: 'cancelled', reason: 'target moved' };
  if (now.toISOString() >= target.startsAt) return { notifications: [], outcome: 'done', reason: 'target already started' };

  const discriminator = `${plan.offsetMinutes}|${plan.targetStartsAt}`;
  const shifts = await listShiftsOfTarget(plan.communityId, plan.targetKind, plan.targetId);
  if (plan.audience === 'volunteers') {
    const text = digests.shift(community.name, target.title, target.venue, target.startsAt, community.timezone);
    return {
      notifications: shifts.map((shift) =>
        noticeOf(community, 'shift_reminder', target.id, { type: 'volunteer', id: shift.volunteerId }, text, plan.dueAt, discriminator),
      ),
      outcome: 'done',
      reason: `${shifts.length} volunteers`,
    };
  }
  const organisers: Recipient = { type: 'organisers', id: community.id };
  if (event) {
    const text = digests.event({
      community: community.name,
      title: event.title,
      startsAt: event.startsAt,
      timezone: community.timezone,
      confirmedSeats: event.confirmedSeats,
      capacity: event.capacity,
      waitlistLength: event.waitlistLength,
      volunteersStaffed: event.volunteersStaffed,
      volunteerCapacity: event.volunteerCapacity,
    });
    const withOverdue = withOverdueWorkOrders(text, await countOverdueWorkOrders(community.id, now.toISOString()));
    return { notifications: [noticeOf(community, 'event_digest', event.id, organisers, withOverdue, plan.dueAt, discriminator)], outcome: 'done', reason: 'digest' };
  }
  const requestsByCategory: Record<string, number> = {};
  for (const request of await listHelpRequests(plan.communityId, plan.targetId)) {
    if (request.status === 'booked') requestsByCategory[request.category] = (requestsByCategory[request.category] ?? 0) + 1;
  }
  const text = digests.slot({
    community: community.name,
    startsAt: target.startsAt,
    timezone: community.timezone,
    volunteerNames: shifts.map((shift) => shift.volunteerName),
    volunteerCapacity: target.volunteerCapacity,
    requestsByCategory,
  });
  const withOverdue = withOverdueWorkOrders(text, await countOverdueWorkOrders(community.id, now.toISOString()));
  return { notifications: [noticeOf(community, 'slot_digest', target.id, organisers, withOverdue, plan.dueAt, discriminator)], outcome: 'done', reason: 'digest' };
}

export interface ReminderRunSummary {
  remindersDue: number;
  remindersClaimed: number;
  notificationsRecorded: number;
  delivered: number;
  retrying: number;
  failed: number;
  /** `delivered`, `retrying` and `failed` count addresses: one organisers' digest to two contacts and a robot is three. */
  /** Read capacity the run's queue queries consumed. */
  queueReadUnits: number;
  /** False when the run stopped for time with work left (the next run goes on). */
  complete: boolean;
  /** How long the oldest reminder or delivery still due when the run began had been waiting. */
  oldestDueAgeSeconds: number;
}

/**
 * The reminder job. Phase one turns each due reminder into notifications; phase two delivers
 * every notification whose attempt is due. Each phase drains its queue (services/drain.ts): every
 * page of what is due, a few items at once, until none is left or time is short. Both claim each
 * item with a conditional write first, so overlapping or retried runs never handle the same
 * reminder or notification twice.
 *
 * Delivery is per address and at most once (services/deliveries.ts): each address is handed
 * over only by the run holding the notification's claim, and its outcome recorded right after. A
 * channel that says it failed is retried on later runs (1, 2, 4… minutes, then `failed` after 5
 * attempts, or at once when the refusal is permanent). A run that dies between handing over and
 * recording leaves that address `sending`, and the next run marks it `failed`, never re-sent: a
 * lost reminder is better than an organiser or a resident receiving it twice.
 */
export async function runReminders(now: Date, budget: JobBudget = UNBOUNDED, shard?: Shard): Promise<ReminderRunSummary> {
  const token = randomUUID();
  const summary: ReminderRunSummary = {
    remindersDue: 0,
    remindersClaimed: 0,
    notificationsRecorded: 0,
    delivered: 0,
    retrying: 0,
    failed: 0,
    queueReadUnits: 0,
    complete: true,
    oldestDueAgeSeconds: 0,
  };
  // How far behind the queues are as the run starts: alarmed on AWS (OldestDueAgeSeconds).
  summary.oldestDueAgeSeconds = await oldestDueAgeSeconds(now, [oldestDuePlan, oldestDueNotification]);

  const plans = await drain(
    shardOf((startKey) => listDuePlans(now, 100, startKey), shard),
    async (plan) => {
      if (!(await claimPlan(plan, token))) return;
      summary.remindersClaimed += 1;
      const { notifications, outcome, reason } = await expand(plan, now);
      // Awaited first: `x += await …` would read the sum before the await and lose other items' additions.
      const recorded = await recordNotifications(notifications, token);
      summary.notificationsRecorded += recorded;
      await finishPlan(plan, token, outcome, reason);
    },
    budget,
  );
  summary.remindersDue = plans.seen;

  const deliveries = await drain(
    shardOf((startKey) => listDueNotifications(now, 100, startKey), shard),
    async (notification) => {
      const counts = await deliverNotification(notification, token, now);
      summary.delivered += counts.delivered;
      summary.retrying += counts.retrying;
      summary.failed += counts.failed;
    },
    budget,
  );
  summary.queueReadUnits = plans.readUnits + deliveries.readUnits;
  summary.complete = plans.complete && deliveries.complete;
  return summary;
}
