import type { DeliveryAdapter, Envelope } from './adapter';

/**
 * The local outbox: each envelope is one JSON line on stdout (and its delivery stays readable
 * through `GET /communities/{c}/notifications`). The address is shown as the console shows it
 * (a masked phone, never a robot's key).
 */
export function outboxAdapter(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): DeliveryAdapter {
  return {
    name: 'local-outbox',
    deliver: async (envelope: Envelope) => {
      write(
        JSON.stringify({
          outbox: envelope.notificationId,
          communityId: envelope.communityId,
          channel: envelope.channel,
          to: envelope.shownAs,
          subject: envelope.subject,
          body: envelope.body,
        }),
      );
    },
  };
}
