import { randomUUID } from 'node:crypto';
import type { Community } from '../domain/communities';
import type { CommunityEvent } from '../domain/events';
import { digests } from '../domain/messages';
import { notificationId, type Notification, type NotificationKind, type Recipient } from '../domain/notifications';
import { MAX_DELIVERY_ATTEMPTS, planReminders, retryDelayMs, type ReminderPlan } from '../domain/reminders';
import { eventTarget, slotTarget } from '../domain/shifts';
import type { Slot } from '../domain/slots';
import type { DeliveryAdapter, OutgoingMessage } from '../delivery/adapter';
import { deliveryAdapter } from '../delivery';
import { logger } from '../logger';
import { getCommunity } from '../store/communities';
import { getEvent } from '../store/events';
import { getHelpRequest, listHelpRequests } from '../store/help-requests';
import { claimNotification, listDueNotifications, oldestDueNotification, recordDelivery, recordNotifications } from '../store/notifications';
import { getRegistration } from '../store/registrations';
import { cancelPlans, claimPlan, finishPlan, listDuePlans, oldestDuePlan, savePlans } from '../store/reminders';
import { listShiftsOfTarget } from '../store/shifts';
import { getSlot } from '../store/slots';
import { getVolunteer } from '../store/volunteers';
import * as clock from '../clock';
import { drain, UNBOUNDED, type JobBudget } from './drain';

/** Plans (or re-plans, or cancels) an event's reminders after it was created or changed. */
export async function planEventReminders(community: Community, event: CommunityEvent): Promise<void> {
  if (event.status === 'published') await savePlans(planReminders(eventTarget(event), community.reminderOffsetsMinutes));
  else await cancelPlans(community.id, 'event', event.id);
}

/** Plans (or cancels) an evening's reminders. */
export async function planSlotReminders(community: Community, slot: Slot): Promise<void> {
  if (slot.status === 'open') await savePlans(planReminders(slotTarget(slot), community.reminderOffsetsMinutes));
  else await cancelPlans(community.id, 'slot', slot.id);
}

function notice(community: Community, kind: NotificationKind, targetId: string, recipient: Recipient, text: { subject: string; body: string }, dueAt: string, discriminator: string): Notification {
  return {
    id: notificationId(kind, targetId, recipient, discriminator),
    communityId: community.id,
    kind,
    targetId,
    recipients: [recipient],
    ...text,
    dueAt,
    status: 'pending',
    createdAt: clock.nowIso(),
  };
}

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
        notice(community, 'shift_reminder', target.id, { type: 'volunteer', id: shift.volunteerId }, text, plan.dueAt, discriminator),
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
    return { notifications: [notice(community, 'event_digest', event.id, organisers, text, plan.dueAt, discriminator)], outcome: 'done', reason: 'digest' };
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
  return { notifications: [notice(community, 'slot_digest', target.id, organisers, text, plan.dueAt, discriminator)], outcome: 'done', reason: 'digest' };
}

/** Where a notification goes, or undefined when there is no address any more (erased). */
async function addressOf(notification: Notification): Promise<OutgoingMessage | undefined> {
  const recipient = notification.recipients[0]!;
  const common = { notificationId: notification.id, communityId: notification.communityId, subject: notification.subject, body: notification.body };
  if (recipient.type === 'organisers') {
    const community = await getCommunity(notification.communityId);
    return { to: 'organisers', contacts: community?.organiserContacts ?? [], ...common };
  }
  const phone =
    recipient.type === 'volunteer'
      ? (await getVolunteer(notification.communityId, recipient.id))?.phone
      : recipient.type === 'registration'
        ? (await getRegistration(notification.communityId, notification.targetId, recipient.id))?.phone
        : (await getHelpRequest(notification.communityId, notification.targetId, recipient.id))?.phone;
  return phone ? { to: 'person', phone, recipient, ...common } : undefined;
}

export interface ReminderRunSummary {
  remindersDue: number;
  remindersClaimed: number;
  notificationsRecorded: number;
  delivered: number;
  retrying: number;
  failed: number;
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
 * Delivery is at-most-once: a message is handed to the adapter only by the run holding its
 * claim, and marked sent right after. An adapter that says it failed is retried on later runs
 * (1, 2, 4… minutes, then `failed` after 5 attempts). A run that dies between handing over and
 * recording leaves the notification `sending`, never re-sent: a lost reminder is better than an
 * organiser or a resident receiving it twice.
 */
export async function runReminders(now: Date, budget: JobBudget = UNBOUNDED): Promise<ReminderRunSummary> {
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
  const oldest = (await Promise.all([oldestDuePlan(now), oldestDueNotification(now)])).filter((due) => due !== undefined).sort()[0];
  if (oldest) summary.oldestDueAgeSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(oldest)) / 1000));

  const plans = await drain(
    (startKey) => listDuePlans(now, 100, startKey),
    async (plan) => {
      if (!(await claimPlan(plan, token))) return;
      summary.remindersClaimed += 1;
      const { notifications, outcome, reason } = await expand(plan, now);
      summary.notificationsRecorded += await recordNotifications(notifications);
      await finishPlan(plan, token, outcome, reason);
    },
    budget,
  );
  summary.remindersDue = plans.seen;

  const adapter = deliveryAdapter();
  const deliveries = await drain(
    (startKey) => listDueNotifications(now, 100, startKey),
    async (notification) => {
      if (!(await claimNotification(notification, token))) return;
      summary[await deliverClaimed(adapter, notification, token, now)] += 1;
    },
    budget,
  );
  summary.queueReadUnits = plans.readUnits + deliveries.readUnits;
  summary.complete = plans.complete && deliveries.complete;
  return summary;
}

/** Hands a claimed notification to the adapter and records what came of it. */
async function deliverClaimed(adapter: DeliveryAdapter, notification: Notification, token: string, now: Date): Promise<'delivered' | 'retrying' | 'failed'> {
  const message = await addressOf(notification);
  if (!message) {
    await recordDelivery(notification, token, { status: 'failed', error: 'no address (erased or removed)' });
    return 'failed';
  }
  try {
    await adapter.deliver(message);
  } catch (error) {
    const attempts = (notification.attempts ?? 0) + 1;
    const errorName = error instanceof Error ? error.name : 'Error';
    logger.warn('delivery failed', { notificationId: notification.id, attempts, errorName });
    if (attempts >= MAX_DELIVERY_ATTEMPTS) {
      await recordDelivery(notification, token, { status: 'failed', error: errorName });
      return 'failed';
    }
    await recordDelivery(notification, token, { status: 'pending', error: errorName, nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)).toISOString() });
    return 'retrying';
  }
  await recordDelivery(notification, token, { status: 'sent', at: clock.nowIso() });
  return 'delivered';
}
