import {
  AccountSuspendedException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SendEmailCommand,
  SendingPausedException,
  SESv2Client,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { DeliveryError, type Envelope } from '../../../functions/delivery/adapter';
import { sesEmail } from '../../../functions/delivery/email';

const ses = mockClient(SESv2Client);
beforeEach(() => ses.reset());

const ADDRESS = 'desk@xingfu.example.org';
const envelope: Envelope = {
  notificationId: 'n1',
  communityId: 'xingfu',
  kind: 'event_digest',
  channel: 'email',
  address: ADDRESS,
  shownAs: ADDRESS,
  community: '幸福里',
  subject: '【幸福里】活动提醒 Event reminder',
  body: '【幸福里】「读书会」12月20日 19:00：报名 12/30，候补 4，志愿者 2/3。 "读书会" 20 Dec 19:00: 12/30 seats, 4 waiting, volunteers 2/3.',
  params: { community: '幸福里', title: '读书会', time: '12月20日 19:00', seats: '12/30', waiting: '4', volunteers: '2/3' },
};
const adapter = () => sesEmail({ from: 'Linli <noreply@linli.example.org>', client: new SESv2Client({}) });
const meta = { $metadata: {} };

async function failure(promise: Promise<void>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const delivery = error as DeliveryError;
  expect([delivery.code, delivery.message, JSON.stringify(delivery), String(delivery.stack)].join('\n')).not.toMatch(/desk@|xingfu\.example/);
  return delivery;
}

describe('e-mail through SES', () => {
  it('sends the subject and the body as UTF-8 plain text from the verified sender, to the one address', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    await adapter().deliver(envelope);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'Linli <noreply@linli.example.org>',
      Destination: { ToAddresses: [ADDRESS] },
      Content: { Simple: { Subject: { Data: '【幸福里】活动提醒 Event reminder', Charset: 'UTF-8' }, Body: { Text: { Charset: 'UTF-8' } } } },
    });
    expect(input.Destination).toEqual({ ToAddresses: [ADDRESS] });
    const text = input.Content!.Simple!.Body!.Text!.Data!;
    expect(text.startsWith(`${envelope.body}\n\n—\n`)).toBe(true);
  });

  it('ends with a footer naming the community and why this address receives it', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    await adapter().deliver(envelope);
    const footer = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content!.Simple!.Body!.Text!.Data!.split('\n\n').at(-1)!;
    expect(footer).toContain('「幸福里」');
    expect(footer).toContain('组织者联系地址');
    expect(footer).toContain('Sent by 幸福里 through Linli');
    expect(footer).toContain('organiser contact');
  });

  it('keeps the subject on one line', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    await adapter().deliver({ ...envelope, subject: '活动提醒\r\nEvent reminder' });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content!.Simple!.Subject!.Data).toBe('活动提醒 Event reminder');
  });

  it.each([
    ['MessageRejected', new MessageRejected({ ...meta, message: `Email address is not verified. The following identities failed the check in region AP-EAST-1: ${ADDRESS}` })],
    ['MailFromDomainNotVerifiedException', new MailFromDomainNotVerifiedException({ ...meta, message: 'not verified' })],
    ['AccountSuspendedException', new AccountSuspendedException({ ...meta, message: 'suspended' })],
    ['SendingPausedException', new SendingPausedException({ ...meta, message: 'paused' })],
  ])('gives up on %s: sending again cannot fix it', async (name, error) => {
    ses.on(SendEmailCommand).rejects(error);
    expect(await failure(adapter().deliver(envelope))).toMatchObject({ code: `ses:${name}`, permanent: true, retryAfterMs: undefined });
  });

  it.each([
    ['TooManyRequestsException', new TooManyRequestsException({ ...meta, message: 'Maximum sending rate exceeded.' }), 1_000],
    ['LimitExceededException', new LimitExceededException({ ...meta, message: 'Daily message quota exceeded.' }), 60_000],
    ['Throttling', Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $fault: 'client' }), 1_000],
  ])('retries %s after a pause', async (name, error, pause) => {
    ses.on(SendEmailCommand).rejects(error);
    expect(await failure(adapter().deliver(envelope))).toMatchObject({ code: `ses:${name}`, permanent: false, retryAfterMs: pause });
  });

  it.each([
    ['a server fault', Object.assign(new Error('internal'), { name: 'InternalServiceErrorException', $fault: 'server' }), 'ses:InternalServiceErrorException'],
    ['a network failure', Object.assign(new Error(`socket hang up sending to ${ADDRESS}`), { name: 'Error' }), 'ses:Error'],
  ])('retries %s', async (_what, error, code) => {
    ses.on(SendEmailCommand).rejects(error);
    expect(await failure(adapter().deliver(envelope))).toMatchObject({ code, permanent: false });
  });
});
