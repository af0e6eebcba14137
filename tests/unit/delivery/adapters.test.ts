import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { outboxAdapter } from '../../../functions/delivery/outbox';
import { asciiSubject, snsAdapter } from '../../../functions/delivery/sns';

const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());

const organisers = {
  to: 'organisers' as const,
  notificationId: 'n1',
  communityId: 'xingfu',
  contacts: ['desk@example.org', '+8613800138000'],
  subject: '【幸福邻里】活动提醒 Event reminder',
  body: '报名 12/40',
};
const person = {
  to: 'person' as const,
  notificationId: 'n2',
  communityId: 'xingfu',
  phone: '+8613900139000',
  recipient: { type: 'registration', id: 'r1' },
  subject: '【幸福邻里】候补成功 You have a place',
  body: '好消息',
};

describe('the SNS adapter', () => {
  it("publishes organisers' messages to the topic, filtered by community, with an ASCII subject", async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
    await snsAdapter('arn:aws:sns:ap-east-1:1:organisers', new SNSClient({})).deliver(organisers);
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TopicArn: 'arn:aws:sns:ap-east-1:1:organisers',
      Subject: 'Event reminder',
      Message: '报名 12/40',
      MessageAttributes: { communityId: { DataType: 'String', StringValue: 'xingfu' } },
    });
  });

  it('sends a message for one person as a transactional SMS to their phone', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm2' });
    await snsAdapter('arn:topic', new SNSClient({})).deliver(person);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toMatchObject({
      PhoneNumber: '+8613900139000',
      Message: '好消息',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { StringValue: 'Transactional' } },
    });
  });

  it('throws when SNS refuses, so the job retries later', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Throttled'), { name: 'ThrottledException' }));
    await expect(snsAdapter('arn:topic', new SNSClient({})).deliver(person)).rejects.toThrow('Throttled');
  });

  it('keeps subjects ASCII and under 100 characters', () => {
    expect(asciiSubject('【社区】提醒')).toBe('Linli');
    expect(asciiSubject(`x ${'y'.repeat(200)}`)).toHaveLength(99);
  });
});

describe('the local outbox', () => {
  it('prints one JSON line per message, without phone numbers or contact addresses', async () => {
    const lines: string[] = [];
    const outbox = outboxAdapter((line) => lines.push(line));
    await outbox.deliver(organisers);
    await outbox.deliver(person);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ outbox: 'n1', to: 'organisers (2 contacts)', body: '报名 12/40' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ outbox: 'n2', to: 'registration:r1' });
    expect(lines.join('\n')).not.toMatch(/8613800138000|8613900139000|desk@example/);
  });
});
