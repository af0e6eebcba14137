import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { Envelope } from '../../../functions/delivery/adapter';
import { deliveryAdapter, useDeliveryAdapter } from '../../../functions/delivery';
import { channelFor } from '../../../functions/delivery/channels';
import { resetConfig } from '../../../functions/config';
import { startFakeTencentSms, type FakeTencentSms } from '../../support/fake-tencent-sms';
import { startFakeWecom } from '../../support/fake-wecom';

/**
 * The adapters as a Lambda of the stack builds them from its environment (what lib/ sets): with
 * `SMS_PROVIDER=tencent`, SMS goes through Tencent Cloud SMS with the credentials read from the
 * Secrets Manager secret the stack names; e-mail without `MAIL_FROM` is refused for good.
 */
const secrets = mockClient(SecretsManagerClient);
const saved = { ...process.env };
let fake: FakeTencentSms;

const envelope: Envelope = {
  notificationId: 'n1',
  communityId: 'xingfu',
  kind: 'waitlist_promoted',
  channel: 'sms',
  address: '+8613900139000',
  shownAs: '139****9000',
  community: '幸福邻里',
  subject: '【幸福邻里】候补成功 You have a place',
  body: '好消息',
  params: { community: '幸福邻里', title: '冬至包饺子', time: '12月21日 09:00' },
};

function environment(variables: Record<string, string>) {
  for (const name of ['LINLI_RUNTIME', 'MAIL_FROM', 'SMS_PROVIDER', 'TENCENT_SMS_CONFIG', 'TENCENT_SMS_SECRET_ARN', 'TENCENT_SMS_ENDPOINT']) delete process.env[name];
  Object.assign(process.env, { TABLE_NAME: 'linli', AWS_REGION: 'ap-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, variables);
  resetConfig();
  useDeliveryAdapter(undefined);
}

beforeAll(async () => {
  fake = await startFakeTencentSms();
});
afterAll(async () => {
  await fake.stop();
  process.env = saved;
  resetConfig();
  useDeliveryAdapter(undefined);
});
beforeEach(() => secrets.reset());

describe('the adapters a stack’s environment gives', () => {
  it('sends SMS through Tencent Cloud with the template id of the kind and the credentials from Secrets Manager', async () => {
    environment({
      SMS_PROVIDER: 'tencent',
      TENCENT_SMS_CONFIG: JSON.stringify({ region: 'ap-guangzhou', sdkAppId: '1400000001', signName: '幸福邻里', templates: { waitlist_promoted: '2000001' } }),
      TENCENT_SMS_SECRET_ARN: 'arn:aws:secretsmanager:ap-east-1:1:secret:linli-tencent-sms',
      TENCENT_SMS_ENDPOINT: fake.endpoint,
    });
    secrets.on(GetSecretValueCommand, { SecretId: 'arn:aws:secretsmanager:ap-east-1:1:secret:linli-tencent-sms' }).resolves({
      SecretString: JSON.stringify({ secretId: 'AKIDtest', secretKey: 'secret-key' }),
    });
    expect(channelFor('sms')).toBe('sms');
    await deliveryAdapter('sms').deliver(envelope);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body).toMatchObject({
      PhoneNumberSet: ['+8613900139000'],
      SmsSdkAppId: '1400000001',
      TemplateId: '2000001',
      SignName: '幸福邻里',
      TemplateParamSet: ['幸福邻里', '冬至包饺子', '12月21日 09:00'],
    });
    expect(fake.requests[0]!.authorization).toContain('AKIDtest');
  });

  it('refuses e-mail for good when the stack names no sender, and SMS when Tencent is chosen without its configuration', async () => {
    environment({ SMS_PROVIDER: 'tencent' });
    await expect(deliveryAdapter('email').deliver({ ...envelope, channel: 'email', address: 'desk@example.org' })).rejects.toMatchObject({
      code: 'email_not_configured',
      permanent: true,
    });
    await expect(deliveryAdapter('sms').deliver(envelope)).rejects.toMatchObject({ code: 'sms_not_configured', permanent: true });
  });

  it('refuses SMS for good on a stack set up without an SMS provider', async () => {
    environment({ SMS_PROVIDER: 'none' });
    await expect(deliveryAdapter('sms').deliver(envelope)).rejects.toMatchObject({ code: 'sms_not_configured', permanent: true });
  });

  const ROBOT_KEY = '693a91f6-7000-4bc4-97a0-0ec201fa5aaa';

  it('sends a robot’s message to WECOM_WEBHOOK_BASE when one is named, through the adapter the configuration builds', async () => {
    const robot = await startFakeWecom();
    try {
      environment({ LINLI_RUNTIME: 'local', WECOM_WEBHOOK_BASE: robot.base });
      expect(channelFor('wecom')).toBe('wecom');
      await deliveryAdapter('wecom').deliver({ ...envelope, channel: 'wecom', address: ROBOT_KEY, shownAs: '企业微信群', body: '**提醒**' });
      expect(robot.messages).toEqual([expect.objectContaining({ key: ROBOT_KEY })]);
    } finally {
      delete process.env.WECOM_WEBHOOK_BASE;
      await robot.stop();
    }
  });

  it('records every address for the outbox in the local runtime, except a robot when a fake one is named', () => {
    environment({ LINLI_RUNTIME: 'local' });
    expect([channelFor('email'), channelFor('sms'), channelFor('wecom')]).toEqual(['outbox', 'outbox', 'outbox']);
    environment({ LINLI_RUNTIME: 'local', WECOM_WEBHOOK_BASE: 'http://127.0.0.1:9' });
    expect(channelFor('wecom')).toBe('wecom');
    delete process.env.WECOM_WEBHOOK_BASE;
  });
});
