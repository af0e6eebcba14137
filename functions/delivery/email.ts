import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DeliveryError, type DeliveryAdapter, type Envelope } from './adapter';

/**
 * SES errors that sending the same message again cannot fix: the content or a recipient refused
 * (in the sandbox, any unverified recipient), the sender identity not verified, the account
 * stopped or paused from sending, a request SES finds malformed.
 */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
]);

/** SES rate limits: the sending rate (a second clears it) and quotas (a minute, not to spin). */
const PAUSE_MS: Readonly<Record<string, number>> = {
  TooManyRequestsException: 1_000,
  ThrottlingException: 1_000,
  Throttling: 1_000,
  LimitExceededException: 60_000,
};

/**
 * An SES error as a {@link DeliveryError} coded `ses:<exception name>`. The exception's message is
 * never passed on: SES quotes addresses in it ("Email address is not verified: …"). An unknown
 * client fault is permanent; a server fault or an error with no name (the network) is retried.
 */
export function sesError(error: unknown): DeliveryError {
  const { name, $fault } = (error ?? {}) as { name?: unknown; $fault?: unknown };
  const known = typeof name === 'string' && /^[A-Za-z]{1,80}$/.test(name) ? name : undefined;
  if (!known) return new DeliveryError('ses:unknown');
  const code = `ses:${known}`;
  const pause = PAUSE_MS[known];
  if (pause !== undefined) return new DeliveryError(code, { retryAfterMs: pause });
  if (PERMANENT.has(known)) return new DeliveryError(code, { permanent: true });
  return new DeliveryError(code, { permanent: $fault === 'client' });
}

/**
 * The footer under every e-mail: who sent it and why this address gets it, so a reader who does
 * not expect it knows whom to ask. Only organiser contacts (from the community's settings) are
 * e-mailed.
 */
export function emailFooter(community: string): string {
  return [
    '—',
    `此邮件由「${community}」通过邻里（Linli）系统发送：本邮箱登记为该社区的组织者联系地址。如不应再收到，请联系社区组织者在社区设置中删除此地址。`,
    `Sent by ${community} through Linli: this address is listed as an organiser contact of the community. If it should no longer receive these, ask an organiser to remove it from the community's settings.`,
  ].join('\n');
}

/**
 * E-mail through Amazon SES (API v2 `SendEmail`, Simple content): the envelope's subject and
 * body as UTF-8 plain text, with {@link emailFooter}, from the verified sender identity `from`
 * (the CDK context `linli:mailFrom`). Failures become {@link DeliveryError}s (see {@link sesError}).
 */
export function sesEmail({ from, client = new SESv2Client({}) }: { from: string; client?: SESv2Client }): DeliveryAdapter {
  return {
    name: 'ses-email',
    deliver: async (envelope: Envelope) => {
      try {
        await client.send(
          new SendEmailCommand({
            FromEmailAddress: from,
            Destination: { ToAddresses: [envelope.address] },
            Content: {
              Simple: {
                // A subject is one header line.
                Subject: { Data: envelope.subject.replace(/\s*[\r\n]+\s*/g, ' '), Charset: 'UTF-8' },
                Body: { Text: { Data: `${envelope.body}\n\n${emailFooter(envelope.community)}`, Charset: 'UTF-8' } },
              },
            },
          }),
        );
      } catch (error) {
        throw sesError(error);
      }
    },
  };
}
