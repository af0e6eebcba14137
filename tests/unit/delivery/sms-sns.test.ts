import { InternalErrorException, InvalidParameterException, OptedOutException, PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { DeliveryError, type Envelope } from '../../../functions/delivery/adapter';
import { snsSms } from '../../../functions/delivery/sms/sns';

const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());

const PHONE = '+4915112345678';
const envelope: Envelope = {
  notificationId: 'n2',
  communityId: 'kiez',
  kind: 'waitlist_promoted',
  channel: 'sms',
  address: PHONE,
  shownAs: '+49 151 ****5678',
  community: 'Kiez',
  subject: '【Kiez】候补成功 You have a place',
  body: '【Kiez】好消息：您已从候补转为报名成功「Sommerfest」6月20日 15:00。 Good news: you now have a place at "Sommerfest" on 20 Jun 15:00.',
  params: { community: 'Kiez', title: 'Sommerfest', time: '6月20日 15:00' },
};

const meta = { $metadata: {} };

describe('SMS through SNS', () => {
  it('publishes the whole body to the phone as a transactional SMS', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
    await snsSms(new SNSClient({})).deliver(envelope);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      PhoneNumber: PHONE,
      Message: envelope.body,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });

  it.each([
    ['an invalid number', new InvalidParameterException({ ...meta, message: `Invalid parameter: PhoneNumber Reason: ${PHONE} is not valid to publish to` }), 'sns:InvalidParameterException', true, undefined],
    ['a number that opted out', new OptedOutException({ ...meta, message: `Phone number ${PHONE} is opted out` }), 'sns:OptedOutException', true, undefined],
    ['an unknown client fault', Object.assign(new Error(`no SMS to ${PHONE}`), { name: 'SomeNewClientException', $fault: 'client' }), 'sns:SomeNewClientException', true, undefined],
    ['throttling', new ThrottledException({ ...meta, message: 'Rate exceeded' }), 'sns:ThrottledException', false, 1_000],
    ['an internal error', new InternalErrorException({ ...meta, message: 'internal' }), 'sns:InternalErrorException', false, undefined],
    ['a network failure', Object.assign(new Error(`connect ETIMEDOUT`), { name: 'TimeoutError' }), 'sns:TimeoutError', false, undefined],
  ])('maps %s (permanent: %s), never quoting the number', async (_what, error, code, permanent, retryAfterMs) => {
    sns.on(PublishCommand).rejects(error);
    const failure = await snsSms(new SNSClient({})).deliver(envelope).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({ code, permanent, retryAfterMs });
    const delivery = failure as DeliveryError;
    expect([delivery.code, delivery.message, JSON.stringify(delivery), String(delivery.stack)].join('\n')).not.toContain('15112345678');
  });
});
