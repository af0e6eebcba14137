/** A message on its way out: to the organisers of a community, or to one person's phone. */
export type OutgoingMessage =
  | {
      readonly to: 'organisers';
      readonly notificationId: string;
      readonly communityId: string;
      /** Emails and phones from the community's settings (the local outbox shows how many). */
      readonly contacts: readonly string[];
      readonly subject: string;
      readonly body: string;
    }
  | {
      readonly to: 'person';
      readonly notificationId: string;
      readonly communityId: string;
      /** E.164. Never logged. */
      readonly phone: string;
      readonly recipient: { readonly type: string; readonly id: string };
      readonly subject: string;
      readonly body: string;
    };

/**
 * Where messages go: SNS on AWS, the local outbox in `npm start`, a recording fake in tests.
 * `deliver` resolves when the message was handed over and throws when it was not.
 */
export interface DeliveryAdapter {
  readonly name: string;
  deliver(message: OutgoingMessage): Promise<void>;
}
