import type { NotificationKind } from '../domain/notifications';

/** How an address is reached. `outbox`: the local runtime's stand-in for all three. */
export type Channel = 'email' | 'sms' | 'wecom';

/**
 * One message to one address: a notification goes out as one envelope per address it lists
 * (each organiser contact, the community's 企业微信 robot, or one person's phone).
 */
export interface Envelope {
  readonly notificationId: string;
  readonly communityId: string;
  /** What the message is: a notification's kind, or a phone-verification code. */
  readonly kind: NotificationKind | 'phone_verification';
  readonly channel: Channel;
  /**
   * An e-mail address, an E.164 phone number, or a 企业微信 robot's key (the part after `key=`).
   * Personal data or a credential: never logged, never written to the outbox.
   */
  readonly address: string;
  /** What the address looks like in the console: the e-mail, a masked phone, `企业微信群`. */
  readonly shownAs: string;
  /** The community's name, for a message's heading. */
  readonly community: string;
  readonly subject: string;
  /** The whole message, Chinese first then English. */
  readonly body: string;
  /**
   * The message's facts by name, for SMS templates (a domestic provider sends only registered
   * templates filled with parameters, never free text): see functions/delivery/sms/templates.ts.
   */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Why a hand-over failed, in a form the delivery queue acts on: a `permanent` failure is not
 * retried (an invalid number, a revoked robot key); `retryAfterMs` asks for at least that pause
 * (a provider's rate limit). `code` is short and safe to log and show: never an address, a key
 * or a provider's message text that might quote one.
 */
export class DeliveryError extends Error {
  readonly code: string;
  readonly permanent: boolean;
  readonly retryAfterMs?: number;
  constructor(code: string, options: { permanent?: boolean; retryAfterMs?: number; cause?: unknown } = {}) {
    super(code, { cause: options.cause });
    this.name = 'DeliveryError';
    this.code = code;
    this.permanent = options.permanent ?? false;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Where envelopes go: SES, an SMS provider or a 企业微信 robot on AWS, the local outbox in
 * `npm start`, a recording fake in tests. `deliver` resolves when the envelope was handed over
 * and throws (a {@link DeliveryError} where it can tell why) when it was not.
 */
export interface DeliveryAdapter {
  readonly name: string;
  deliver(envelope: Envelope): Promise<void>;
}
