import { createHash } from 'node:crypto';
import type { Community } from '../domain/communities';
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from '../domain/reminders';
import { maskPhone } from '../domain/phones';
import type { Delivery, Notification } from '../domain/notifications';
import { DeliveryError, type Envelope } from '../delivery/adapter';
import { deliveryAdapter } from '../delivery';
import { addressesOf, contactId, isEmail, ROBOT_SHOWN_AS } from './notice';
import { emitMetric, DELIVERIES_FAILED } from '../jobs/metrics';
import { logger } from '../logger';
import { openSetting } from '../settings-cipher';
import { getCommunity } from '../store/communities';
import { getHelpRequest } from '../store/help-requests';
import { claimNotification, recordDeliveryOutcome, releaseNotification } from '../store/notifications';
import { consumeRateWindow } from '../store/rate-limits';
import { getRegistration } from '../store/registrations';
import { getVolunteer } from '../store/volunteers';
import * as clock from '../clock';

/** A 企业微信 group robot takes at most 20 messages a minute (its documented limit). */
export const ROBOT_MESSAGES_PER_MINUTE = 20;
/** How long a run holds a claimed notification before another may finish it (well past the job's 60 s). */
const CLAIM_MS = 5 * 60_000;
/** Addresses of one notification handed over at once. */
const PARALLEL_DELIVERIES = 4;

/** What came of one delivery in a run. */
type Counted = 'delivered' | 'retrying' | 'failed';

/**
 * The address behind a delivery as it is now, or why there is none: a contact removed from
 * Settings or a robot taken away stops at once; a person erased has no phone any more.
 */
async function addressOf(community: Community, notification: Notification, delivery: Delivery): Promise<{ address: string; shownAs: string } | { gone: string }> {
  if (delivery.id === 'wecom') {
    return community.wecomRobot ? { address: await openSetting(community.wecomRobot.sealedKey), shownAs: ROBOT_SHOWN_AS } : { gone: 'removed_from_settings' };
  }
  if (delivery.id !== 'phone') {
    const contact = community.organiserContacts.find((candidate) => contactId(candidate) === delivery.id);
    return contact ? { address: contact, shownAs: delivery.to } : { gone: 'removed_from_settings' };
  }
  const recipient = notification.recipients[0]!;
  const phone =
    recipient.type === 'volunteer'
      ? (await getVolunteer(notification.communityId, recipient.id))?.phone
      : recipient.type === 'registration'
        ? (await getRegistration(notification.communityId, notification.targetId, recipient.id))?.phone
        : (await getHelpRequest(notification.communityId, notification.targetId, recipient.id))?.phone;
  return phone ? { address: phone, shownAs: maskPhone(phone) } : { gone: 'no_address' };
}

const robotScope = (key: string) => `robot#${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;

/** Hands one claimed delivery over and says what came of it: the delivery as it now stands. */
async function deliverOne(community: Community, notification: Notification, delivery: Delivery, now: Date): Promise<Delivery> {
  const { claim: _claim, ...settled } = delivery;
  const found = await addressOf(community, notification, delivery);
  if ('gone' in found) return { ...settled, status: 'failed', error: found.gone };
  if (delivery.channel === 'wecom') {
    // The robot's minute is shared by every run and every notification of the community.
    const window = await consumeRateWindow(robotScope(found.address), 60, ROBOT_MESSAGES_PER_MINUTE, now);
    if (!window.allowed) {
      return { ...settled, status: 'pending', error: 'wecom_rate_limited', nextAttemptAt: new Date(now.getTime() + window.retryAfterSeconds * 1000).toISOString() };
    }
  }
  const envelope: Envelope = {
    notificationId: notification.id,
    communityId: notification.communityId,
    kind: notification.kind,
    channel: delivery.id === 'wecom' ? 'wecom' : delivery.id === 'phone' || !isEmail(found.address) ? 'sms' : 'email',
    address: found.address,
    shownAs: found.shownAs,
    community: community.name,
    subject: notification.subject,
    body: notification.body,
    params: notification.params ?? {},
  };
  const attempts = delivery.attempts + 1;
  try {
    await deliveryAdapter(delivery.channel).deliver(envelope);
    return { ...settled, to: found.shownAs, status: 'sent', attempts, sentAt: clock.nowIso(), error: undefined };
  } catch (error) {
    const code = error instanceof DeliveryError ? error.code : error instanceof Error ? error.name : 'Error';
    logger.warn('delivery failed', { notificationId: notification.id, deliveryId: delivery.id, channel: delivery.channel, attempts, errorCode: code });
    if ((error instanceof DeliveryError && error.permanent) || attempts >= MAX_DELIVERY_ATTEMPTS) {
      emitMetric(DELIVERIES_FAILED, 1, 'Count');
      emitMetric(DELIVERIES_FAILED, 1, 'Count', undefined, { Channel: delivery.channel });
      return { ...settled, to: found.shownAs, status: 'failed', attempts, error: code };
    }
    const pause = Math.max(retryDelayMs(attempts), error instanceof DeliveryError ? (error.retryAfterMs ?? 0) : 0);
    return { ...settled, to: found.shownAs, status: 'pending', attempts, error: code, nextAttemptAt: new Date(now.getTime() + pause).toISOString() };
  }
}

/** Runs `work` over `items`, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next);
  }));
}

/**
 * Delivers a due notification, each address once. One conditional write claims the notification
 * and marks every delivery it will hand over `sending` with the run's token; each outcome is
 * recorded the moment it is known; the release settles the whole and puts it back in the queue
 * if a delivery waits for a retry. Overlapping runs cannot both claim it. A run that dies leaves
 * its claim to lapse: the next run finishes the deliveries never handed over and marks those left
 * `sending` as `failed` (`outcome_unknown`) rather than risk sending them twice.
 */
export async function deliverNotification(notification: Notification, token: string, now: Date): Promise<Record<Counted, number>> {
  const counts: Record<Counted, number> = { delivered: 0, retrying: 0, failed: 0 };
  const community = await getCommunity(notification.communityId);
  const planned = notification.deliveries ?? (community ? addressesOf(community, notification.recipients[0]!).deliveries : []);
  const nowIso = now.toISOString();
  const due: number[] = [];
  const deliveries: Delivery[] = planned.map((delivery, index) => {
    if (delivery.status === 'sending') {
      // Held by a run that died: it may have been handed over.
      const { claim: _claim, ...settled } = delivery;
      return { ...settled, status: 'failed', error: 'outcome_unknown' };
    }
    if (delivery.status !== 'pending' || (delivery.nextAttemptAt ?? '') > nowIso) return delivery;
    due.push(index);
    return { ...delivery, status: 'sending', claim: token };
  });
  const claimed = await claimNotification(notification, { token, until: new Date(now.getTime() + CLAIM_MS).toISOString(), now: nowIso, deliveries });
  if (!claimed) return counts;

  await eachLimited(due, PARALLEL_DELIVERIES, async (index) => {
    const outcome = community ? await deliverOne(community, notification, deliveries[index]!, now) : { ...deliveries[index]!, claim: undefined, status: 'failed' as const, error: 'no_address' };
    deliveries[index] = outcome;
    await recordDeliveryOutcome(notification, token, index, outcome);
    counts[outcome.status === 'sent' ? 'delivered' : outcome.status === 'pending' ? 'retrying' : 'failed'] += 1;
  });

  const waiting = deliveries.filter((delivery) => delivery.status === 'pending');
  const sentAt = deliveries.map((delivery) => delivery.sentAt).filter((at) => at !== undefined).sort()[0] ?? notification.sentAt;
  const lastError = deliveries.length === 0 ? 'no_address' : undefined;
  await releaseNotification(notification, token, {
    status: waiting.length ? 'pending' : sentAt ? 'sent' : 'failed',
    deliveries,
    ...(sentAt ? { sentAt } : {}),
    ...(waiting.length ? { nextAttemptAt: waiting.map((delivery) => delivery.nextAttemptAt ?? nowIso).sort()[0]! } : {}),
    ...(lastError ? { lastError } : {}),
  });
  return counts;
}
