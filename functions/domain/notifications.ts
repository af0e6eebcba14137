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

/**
 * `organisers` names the audience when a notice is recorded (its id is derived from it); the
 * stored message lists each address instead: `email` and `phone` (an organiser contact, the
 * address itself as organisers typed it in Settings), `wecom` (the community's group robot).
 */
export const RECIPIENT_TYPES = ['organisers', 'volunteer', 'registration', 'help_request', 'email', 'phone', 'wecom'] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];

export const recipientRecord = z.object({
  type: z.enum(RECIPIENT_TYPES),
  /** The volunteer, registration or request id; the address for `email` and `phone`; the community id otherwise. */
  id: z.string(),
});
export type Recipient = Readonly<z.output<typeof recipientRecord>>;

/**
 * A notification as a whole: pending while a delivery waits (or waits to be retried); sending
 * while a run holds it; sent once every address has its outcome and at least one received it;
 * failed when none did (no address, every channel refused, or outcomes lost in a crash).
 */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** How one address is reached; `outbox` is the local runtime's stand-in for the other three. */
export const DELIVERY_CHANNELS = ['email', 'sms', 'wecom', 'outbox'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/**
 * One address of a notification and what came of it. pending: not yet handed over (again from
 * `nextAttemptAt` after a failure); sending: handed over by a run that has not recorded the
 * outcome yet (never handed over again: if that run died, the delivery becomes `failed`,
 * `outcome_unknown`, since a message twice is worse than once lost); sent; failed.
 */
export const deliveryRecord = z.object({
  /** Stable within the notification: a hash of the contact, `wecom`, or `phone`. */
  id: z.string(),
  /** The address as organisers see it: an e-mail, a masked phone, 企业微信群. */
  to: z.string(),
  channel: z.enum(DELIVERY_CHANNELS),
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.number().int().min(0),
  nextAttemptAt: z.string().optional(),
  sentAt: instant.optional(),
  /** A short code, never an address: `removed_from_settings`, `tencent:LimitExceeded…`. */
  error: z.string().optional(),
  /** The run handing it over, while it is `sending`. */
  claim: z.string().optional(),
});
export type Delivery = Readonly<z.output<typeof deliveryRecord>>;

/** A message to someone, declared once: recorded when something happens; delivered by the reminders job. */
export const notificationRecord = z.object({
  id: z.string(),
  communityId: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  targetId: z.string(),
  /** Whom it is for: an organisers' message lists each address (see `deliveries`), a person's message that person. */
  recipients: z.array(recipientRecord).readonly(),
  subject: z.string(),
  body: z.string(),
  /** The message's facts by name, for SMS templates (messages.ts). */
  params: z.record(z.string(), z.string()).optional(),
  dueAt: instant,
  status: z.enum(NOTIFICATION_STATUSES),
  createdAt: instant,
  /** When the first address received it. */
  sentAt: instant.optional(),
  deliveries: z.array(deliveryRecord).readonly().optional(),
  /** Bumped by every claim and release: a run claims only the version it read. */
  version: z.number().int().min(0).optional(),
  /** While `sending`: when the claim lapses and another run may finish the notification. */
  claimedUntil: z.string().optional(),
  claimToken: z.string().optional(),
  /** Why nothing could be delivered, when nothing could. */
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
  const deliveries = notification.deliveries ?? [];
  const lastError = notification.lastError ?? deliveries.find((delivery) => delivery.status !== 'sent' && delivery.error)?.error;
  return {
    ...viewOf(notificationViewFields, notification, timezone),
    deliveries: deliveries.map((delivery) => viewOf(deliveryViewFields, delivery, timezone, { absent: 'omit' })),
    attempts: Math.max(0, ...deliveries.map((delivery) => delivery.attempts)),
    ...(lastError ? { lastError } : {}),
  };
}

/** What organisers see of one delivery: where, how, what came of it (API.md: `{to, channel, status, sentAt?, error?}`). */
const deliveryViewFields = deliveryRecord.pick({ to: true, channel: true, status: true, sentAt: true, error: true, attempts: true });

/** What organisers see of a notification: all but its community and the delivery queue's bookkeeping. */
const notificationViewFields = notificationRecord.omit({
  communityId: true,
  params: true,
  deliveries: true,
  version: true,
  claimedUntil: true,
  claimToken: true,
  lastError: true,
});

export const deliverySchema = viewSchemaOf(deliveryViewFields, { absent: 'omit' }).meta({ id: 'Delivery' });

export const notificationSchema = viewSchemaOf(notificationViewFields)
  .extend({
    status: notificationRecord.shape.status.describe('sending: claimed by a run that is handing it over'),
    deliveries: z.array(deliverySchema).describe('One per address the message goes to'),
    attempts: z.number().int().min(0).describe('The most delivery attempts any one address has had'),
    lastError: z.string().optional().describe('Why an address has not received it (the first such), or why there was nowhere to deliver it'),
  })
  .meta({ id: 'Notification' });
