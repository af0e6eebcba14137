import { App } from 'aws-cdk-lib';
import { SMS_TEMPLATES } from '../../functions/delivery/sms/templates';
import { readStackConfig, TENCENT_SMS_TEMPLATE_KINDS } from '../../lib/stack-config';

function configOf(context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  return readStackConfig(new App({ context }).node, env);
}

describe('readStackConfig', () => {
  it('defaults to any origin, the local callback URL, INFO logs, 600 public POSTs a minute and 10 parties per address per event', () => {
    expect(configOf({})).toEqual({
      webOrigins: ['*'],
      authCallbackUrls: ['http://localhost:3000/'],
      authDomainPrefix: undefined,
      alarmEmail: undefined,
      mailFrom: undefined,
      smsProvider: 'sns',
      tencentSms: undefined,
      smsMonthlySpendAlarmUsd: 50,
      publicRateLimitPerMinute: 600,
      partiesPerAddressPerEvent: 10,
      logLevel: 'INFO',
    });
  });

  it('takes the parties per address per event from the context or the environment, 0 turning the limit off', () => {
    expect(configOf({ 'linli:partiesPerAddressPerEvent': 25 }).partiesPerAddressPerEvent).toBe(25);
    expect(configOf({}, { LINLI_PARTIES_PER_ADDRESS_PER_EVENT: '0' }).partiesPerAddressPerEvent).toBe(0);
    expect(() => configOf({ 'linli:partiesPerAddressPerEvent': -1 })).toThrow();
  });

  it('reads comma-separated lists from the command line and arrays from cdk.json', () => {
    const config = configOf({
      'linli:webOrigins': 'https://a.example, https://b.example',
      'linli:authCallbackUrls': ['https://a.example/cb'],
    });
    expect(config.webOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.authCallbackUrls).toEqual(['https://a.example/cb']);
  });

  it('falls back to LINLI_* environment variables when the context is silent', () => {
    const config = configOf(
      {},
      {
        LINLI_WEB_ORIGINS: 'https://env.example',
        LINLI_ALARM_EMAIL: 'ops@example.org',
        LINLI_AUTH_DOMAIN_PREFIX: 'linli-env',
        LINLI_PUBLIC_RATE_LIMIT_PER_MINUTE: '0',
        LINLI_LOG_LEVEL: 'debug',
      },
    );
    expect(config).toMatchObject({
      webOrigins: ['https://env.example'],
      alarmEmail: 'ops@example.org',
      authDomainPrefix: 'linli-env',
      publicRateLimitPerMinute: 0,
      logLevel: 'DEBUG',
    });
  });

  it('prefers the context to the environment', () => {
    const config = configOf({ 'linli:alarmEmail': 'context@example.org' }, { LINLI_ALARM_EMAIL: 'env@example.org' });
    expect(config.alarmEmail).toBe('context@example.org');
  });

  it.each([
    ['linli:mailFrom', 'Linli <linli@example.org>', /bare e-mail address/],
    ['linli:mailFrom', 'linli', /bare e-mail address/],
    ['linli:mailFrom', '*@example.org', /bare e-mail address/],
    ['linli:mailFrom', '${aws:username}@example.org', /bare e-mail address/],
    ['linli:smsProvider', 'aliyun', /one of sns, tencent/],
    ['linli:smsMonthlySpendAlarmUsd', '0', /positive number/],
    ['linli:smsMonthlySpendAlarmUsd', 'lots', /positive number/],
    ['linli:publicRateLimitPerMinute', '-1', /non-negative integer/],
    ['linli:publicRateLimitPerMinute', 'lots', /non-negative integer/],
    ['linli:logLevel', 'TRACE', /one of DEBUG, INFO, WARN, ERROR/],
  ])('fails the synth when %s is %s', (key, value, message) => {
    expect(() => configOf({ [key]: value })).toThrow(message);
  });

  it('takes the e-mail sender, the SMS provider and the spend alarm from the context or the environment', () => {
    expect(configOf({ 'linli:mailFrom': 'linli@example.org' }).mailFrom).toBe('linli@example.org');
    expect(configOf({}, { LINLI_MAIL_FROM: 'env@example.org' }).mailFrom).toBe('env@example.org');
    expect(configOf({ 'linli:smsMonthlySpendAlarmUsd': '12.5' }).smsMonthlySpendAlarmUsd).toBe(12.5);
    expect(configOf({}, { LINLI_SMS_MONTHLY_SPEND_ALARM_USD: '80' }).smsMonthlySpendAlarmUsd).toBe(80);
    expect(configOf({}, { LINLI_SMS_PROVIDER: 'SNS' }).smsProvider).toBe('sns');
  });
});

describe('Tencent Cloud SMS settings', () => {
  const templates = Object.fromEntries(TENCENT_SMS_TEMPLATE_KINDS.map((kind, index) => [kind, String(3000 + index)]));
  const settings = { region: 'ap-guangzhou', sdkAppId: '1400000001', signName: '邻里', templates };
  const tencent = (tencentSms: unknown) => ({ 'linli:smsProvider': 'tencent', 'linli:tencentSms': tencentSms });

  it('asks for a template for every kind the runtime sends by SMS, and no other', () => {
    expect([...TENCENT_SMS_TEMPLATE_KINDS].sort()).toEqual(Object.keys(SMS_TEMPLATES).sort());
  });

  it('reads them as an object from cdk.json, as JSON text from the command line or LINLI_TENCENT_SMS', () => {
    expect(configOf(tencent(settings))).toMatchObject({ smsProvider: 'tencent', tencentSms: settings });
    expect(configOf(tencent(JSON.stringify(settings))).tencentSms).toEqual(settings);
    expect(configOf({}, { LINLI_SMS_PROVIDER: 'tencent', LINLI_TENCENT_SMS: JSON.stringify(settings) }).tencentSms).toEqual(settings);
  });

  it('takes IDs written as numbers in cdk.json as the digits they are', () => {
    const numeric = { ...settings, sdkAppId: 1400000001, templates: { ...templates, event_cancelled: 3000 } };
    expect(configOf(tencent(numeric)).tencentSms).toEqual(settings);
  });

  it('ignores them when SMS go through SNS', () => {
    expect(configOf({ 'linli:tencentSms': { broken: true } }).tencentSms).toBeUndefined();
  });

  it('fails the synth without them', () => {
    expect(() => configOf({ 'linli:smsProvider': 'tencent' })).toThrow(/linli:tencentSms .*must give the SMS application/);
  });

  it('fails the synth naming every kind without a template', () => {
    const { event_digest: _a, phone_verification: _b, ...fewer } = templates;
    expect(() => configOf(tencent({ ...settings, templates: fewer }))).toThrow(
      /no template ID for event_digest, phone_verification/,
    );
  });

  it.each([
    [{ ...settings, region: '' }, /"region"/],
    [{ ...settings, sdkAppId: 'app' }, /"sdkAppId"/],
    [{ ...settings, signName: ' ' }, /"signName"/],
    [{ ...settings, templates: 'all' }, /"templates" must be an object/],
    [{ ...settings, templates: { ...templates, slot_digest: 'T-1' } }, /IDs must be digits, and are not for slot_digest/],
    [{ ...settings, templates: { ...templates, event_canceled: '1' } }, /kinds no message has: event_canceled/],
    [{ ...settings, secretKey: 'abc' }, /must not hold credentials \(secretKey\)/],
    [{ ...settings, appKey: 'abc' }, /must not hold credentials/],
    [{ ...settings, colour: 'red' }, /keys the stack does not know: colour/],
    ['{not json', /must be JSON/],
    [['ap-guangzhou'], /must be a JSON object/],
  ])('fails the synth on a setting it cannot use (%#)', (tencentSms, message) => {
    expect(() => configOf(tencent(tencentSms))).toThrow(message);
  });
});
