import { createHash } from 'node:crypto';
import type { Community } from '../domain/communities';
import { maskPhone } from '../domain/phones';
import { notificationId, type Delivery, type Notification, type NotificationKind, type Recipient } from '../domain/notifications';
import type { Channel } from '../delivery/adapter';
import { channelFor } from '../delivery/channels';
import * as clock from '../clock';

// Notices as every producer records them (cancellations and alerts in the API functions,
// reminders in the jobs function); sending them is services/deliveries.ts, in the jobs function only.

/** What the console shows for the robot. */
export const ROBOT_SHOWN_AS = '企业微信群';

/** A contact's delivery id: stable while the contact stays in Settings, and not the address itself. */
export const contactId = (contact: string) => `c_${createHash('sha256').update(contact).digest('base64url').slice(0, 12)}`;

export const isEmail = (contact: string) => contact.includes('@');

/**
 * Where a notice goes, fixed when it is recorded: an organisers' notice to each contact in Settings
 * and to the community's robot when one is set (the message lists each as a recipient); a
 * person's notice to that person's phone, looked up when it is sent.
 */
export function addressesOf(community: Community, recipient: Recipient): { recipients: Recipient[]; deliveries: Delivery[] } {
  const pending = (id: string, to: string, kind: Channel): Delivery => ({ id, to, channel: channelFor(kind), status: 'pending', attempts: 0 });
  if (recipient.type !== 'organisers') return { recipients: [recipient], deliveries: [pending('phone', `${recipient.type}:${recipient.id}`, 'sms')] };
  const recipients: Recipient[] = community.organiserContacts.map((contact) => ({ type: isEmail(contact) ? 'email' : 'phone', id: contact }));
  const deliveries = community.organiserContacts.map((contact) =>
    pending(contactId(contact), isEmail(contact) ? contact : maskPhone(contact), isEmail(contact) ? 'email' : 'sms'),
  );
  if (community.wecomRobot) {
    recipients.push({ type: 'wecom', id: community.id });
    deliveries.push(pending('wecom', ROBOT_SHOWN_AS, 'wecom'));
  }
  return { recipients, deliveries };
}

/**
 * A notice, declared once for every producer (a cancellation, a coverage alert, a reminder):
 * its id derived from what it is about and whom for, so recording it twice finds the first; its
 * addresses each a delivery of their own. With nowhere to go it is recorded `failed` at once.
 */
export function noticeOf(
  community: Community,
  kind: NotificationKind,
  targetId: string,
  recipient: Recipient,
  text: { subject: string; body: string; params: Record<string, string> },
  dueAt: string,
  discriminator = '',
): Notification {
  const { recipients, deliveries } = addressesOf(community, recipient);
  return {
    id: notificationId(kind, targetId, recipient, discriminator),
    communityId: community.id,
    kind,
    targetId,
    recipients,
    ...text,
    dueAt,
    status: deliveries.length ? 'pending' : 'failed',
    createdAt: clock.nowIso(),
    deliveries,
    ...(deliveries.length ? {} : { lastError: 'no_address' }),
  };
}
