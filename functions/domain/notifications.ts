import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import * as z from 'zod';
import { instant, viewOf, viewSchemaOf } from './model';

export const NOTIFICATION_KINDS = [
  'event_cancelled',
  'slot_cancelled',
  'coverage_alert',
  'waitlist_promoted',
  'event_digest',
  'slot_digest',
  'shift_reminder',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const RECIPIENT_TYPES = ['organisers', 'volunteer', 'registration', 'help_request'] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];

export const recipientRecord = z.object({
  type: z.enum(RECIPIENT_TYPES),
  /** The volunteer, registration or request id; the community id for organisers. */
  id: z.string(),
});
export type Recipient = Readonly<z.output<typeof recipientRecord>>;

/**
 * pending: waiting to be delivered (again, after a failure, from `nextAttemptAt`);
 * sending: claimed by a run that is delivering it; sent; failed: gave up (attempts exhausted,
 * no address, or a run stopped mid-delivery so the outcome is unknown and it is not re-sent).
 */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** A message to someone, declared once: recorded when something happens; delivered by the reminders job. */
export const notificationRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  targetId: z.string(),
  recipients: z.array(recipientRecord).readonly(),
  subject: z.string(),
  body: z.string(),
  dueAt: instant,
  status: z.enum(NOTIFICATION_STATUSES),
  createdAt: instant,
  sentAt: instant.optional(),
  /** Delivery attempts so far, when the next may start, and why the last failed. */
  attempts: z.number().int().min(0).optional(),
  nextAttemptAt: z.string().optional(),
  lastError: z.string().optional(),
});

export type Notification = Readonly<z.output<typeof notificationRecord>>;

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
  return {
    ...viewOf(notificationViewFields, notification, timezone),
    attempts: notification.attempts ?? 0,
    ...(notification.lastError ? { lastError: notification.lastError } : {}),
  };
}

/** What organisers see of a notification: all but its community and the delivery queue's bookkeeping. */
const notificationViewFields = notificationRecord.omit({ communityId: true, attempts: true, nextAttemptAt: true, lastError: true });

export const notificationSchema = viewSchemaOf(notificationViewFields)
  .extend({
    status: notificationRecord.shape.status.describe('sending: claimed by a run that is handing it over'),
    attempts: z.number().int().min(0).describe('Delivery attempts so far'),
    lastError: z.string().optional().describe('Why the last attempt failed, when one did'),
  })
  .meta({ id: 'Notification' });
