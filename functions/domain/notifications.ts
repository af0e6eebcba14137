import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';

export type NotificationKind =
  | 'event_cancelled'
  | 'slot_cancelled'
  | 'coverage_alert'
  | 'waitlist_promoted'
  | 'event_digest'
  | 'slot_digest'
  | 'shift_reminder';

export type RecipientType = 'organisers' | 'volunteer' | 'registration' | 'help_request';

export interface Recipient {
  readonly type: RecipientType;
  /** The volunteer, registration or request id; the community id for organisers. */
  readonly id: string;
}

/**
 * pending: waiting to be delivered (again, after a failure, from `nextAttemptAt`);
 * sending: claimed by a run that is delivering it; sent; failed: gave up (attempts exhausted,
 * no address, or a run stopped mid-delivery so the outcome is unknown and it is not re-sent).
 */
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** A message to someone, recorded when something happens; delivered by the reminders job. */
export interface Notification {
  readonly id: string;
  readonly communityId: string;
  readonly kind: NotificationKind;
  readonly targetId: string;
  readonly recipients: readonly Recipient[];
  readonly subject: string;
  readonly body: string;
  readonly dueAt: string;
  readonly status: NotificationStatus;
  readonly createdAt: string;
  readonly sentAt?: string;
  /** Delivery attempts so far, when the next may start, and why the last failed. */
  readonly attempts?: number;
  readonly nextAttemptAt?: string;
  readonly lastError?: string;
}

/**
 * A notification's id, derived from what it is about and whom it is for: recording the same
 * notice twice (a retried request, a re-run job) finds the first instead of making a second.
 */
export function notificationId(kind: NotificationKind, targetId: string, recipient: Recipient, discriminator = ''): string {
  return createHash('sha256').update(`${kind}|${targetId}|${recipient.type}:${recipient.id}|${discriminator}`).digest('base64url').slice(0, 26);
}

/** `12月20日 09:00` in the community's zone: short enough for an SMS. */
export function shortTime(utcIso: string, timezone: string): string {
  return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(timezone).toFormat('M月d日 HH:mm');
}

export function englishTime(utcIso: string, timezone: string): string {
  return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(timezone).setLocale('en-GB').toFormat('d LLL HH:mm');
}

export function publicNotification(notification: Notification, timezone: string) {
  const local = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(timezone).toISO({ suppressMilliseconds: true });
  return {
    id: notification.id,
    kind: notification.kind,
    targetId: notification.targetId,
    dueAt: local(notification.dueAt),
    sentAt: notification.sentAt ? local(notification.sentAt) : null,
    status: notification.status,
    attempts: notification.attempts ?? 0,
    ...(notification.lastError ? { lastError: notification.lastError } : {}),
    recipients: notification.recipients,
    subject: notification.subject,
    body: notification.body,
    createdAt: local(notification.createdAt),
  };
}
