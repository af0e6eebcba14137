import type { DeliveryAdapter, OutgoingMessage } from './adapter';

/**
 * The local outbox: each message is one JSON line on stdout (and stays readable through
 * `GET /communities/{c}/notifications`). Phone numbers and contact addresses are not printed.
 */
export function outboxAdapter(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): DeliveryAdapter {
  return {
    name: 'local-outbox',
    deliver: async (message: OutgoingMessage) => {
      write(
        JSON.stringify({
          outbox: message.notificationId,
          communityId: message.communityId,
          to: message.to === 'organisers' ? `organisers (${message.contacts.length} contacts)` : `${message.recipient.type}:${message.recipient.id}`,
          subject: message.subject,
          body: message.body,
        }),
      );
    },
  };
}
