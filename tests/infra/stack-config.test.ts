import { App } from 'aws-cdk-lib';
import { SMS_TEMPLATES } from '../../functions/delivery/sms/templates';
import { readStackConfig, stackIdOf, TENCENT_SMS_TEMPLATE_KINDS } from '../../lib/stack-config';

function configOf(context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  return readStackConfig(new App({ context }).node, env);
}

describe('readStackConfig', () => {
  it('defaults to any origin, the local callback URL, INFO logs, 600 public POSTs a minute and 10 parties per address per event', () => {
    expect(configOf({})).toEqual({
      stage: undefined,
      auth: 'cognito',
      claims: { groups: 'cognito:groups', community: 'custom:communityId' },
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
    ['linli:smsProvider', 'aliyun', /one of sns, tencent, none/],
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

describe('stages', () => {
  it('names the stack Linli-<stage>, and keeps today’s Linli without one (an existing deployment stays in place)', () => {
    expect(configOf({ 'linli:stage': 'dev' }).stage).toBe('dev');
    expect(configOf({}, { LINLI_STAGE: 'staging-2' }).stage).toBe('staging-2');
    expect(stackIdOf('dev')).toBe('Linli-dev');
    expect(stackIdOf(undefined)).toBe('Linli');
  });

  it.each(['Prod', '1prod', 'prod_eu', 'a-very-long-stage-name', 'dev!'])('refuses the stage name %s', (name) => {
    expect(() => configOf({ 'linli:stage': name })).toThrow(/linli:stage must be a lower-case letter/);
  });

  const production = { 'linli:stage': 'prod', 'linli:alarmEmail': 'ops@example.org', 'linli:webOrigins': 'https://linli.example.org' };

  it('synthesises prod with an alarm address and the pages’ origin', () => {
    expect(configOf(production)).toMatchObject({ stage: 'prod', alarmEmail: 'ops@example.org' });
  });

  it('refuses prod without an alarm address, or with CORS *', () => {
    expect(() => configOf({ ...production, 'linli:alarmEmail': '' })).toThrow(/prod stage needs linli:alarmEmail/);
    expect(() => configOf({ ...production, 'linli:webOrigins': '' })).toThrow(/prod stage needs linli:webOrigins/);
    expect(() => configOf({ ...production, 'linli:webOrigins': '*' })).toThrow(/instead of CORS "\*"/);
    // Other stages may stay open: dev is where the console runs on localhost.
    expect(configOf({ 'linli:stage': 'dev' }).webOrigins).toEqual(['*']);
  });
});

describe('organiser sign-in', () => {
  const oidc = { 'linli:auth': 'oidc', 'linli:oidcIssuer': 'https://id.example.cn/oidc/', 'linli:oidcAudience': 'linli-console' };

  it('takes an OpenID Connect issuer and audience, with today’s claim names unless given', () => {
    expect(configOf(oidc)).toMatchObject({
      auth: 'oidc',
      oidc: { issuer: 'https://id.example.cn/oidc', audience: 'linli-console' },
      claims: { groups: 'cognito:groups', community: 'custom:communityId' },
    });
    const claims = { 'linli:oidcGroupsClaim': 'groups', 'linli:oidcCommunityClaim': 'linli_community' };
    expect(configOf({ ...oidc, ...claims }).claims).toEqual({ groups: 'groups', community: 'linli_community' });
    expect(configOf({}, { LINLI_AUTH: 'oidc', LINLI_OIDC_ISSUER: 'https://kc.example.org/realms/linli', LINLI_OIDC_AUDIENCE: 'console' }).oidc)
      .toEqual({ issuer: 'https://kc.example.org/realms/linli', audience: 'console' });
  });

  it.each([
    [{ ...oidc, 'linli:oidcIssuer': 'http://id.example.cn' }, /https issuer URL/],
    [{ ...oidc, 'linli:oidcIssuer': 'id.example.cn' }, /https issuer URL/],
    [{ ...oidc, 'linli:oidcIssuer': '' }, /https issuer URL/],
    [{ ...oidc, 'linli:oidcAudience': '' }, /client ID/],
    [{ ...oidc, 'linli:oidcGroupsClaim': 'my groups' }, /without spaces/],
    [{ 'linli:auth': 'saml' }, /one of cognito, oidc/],
    [{ 'linli:oidcGroupsClaim': 'groups' }, /apply to linli:auth=oidc only/],
  ])('refuses a sign-in setting it cannot use (%#)', (context, message) => {
    expect(() => configOf(context)).toThrow(message);
  });
});

describe('in the AWS China regions (CDK_DEFAULT_REGION cn-*)', () => {
  const china = { CDK_DEFAULT_REGION: 'cn-northwest-1' };
  const oidc = { 'linli:auth': 'oidc', 'linli:oidcIssuer': 'https://id.example.cn/oidc', 'linli:oidcAudience': 'linli-console' };
  const templates = Object.fromEntries(TENCENT_SMS_TEMPLATE_KINDS.map((kind, index) => [kind, String(4000 + index)]));
  const tencentSms = { region: 'ap-guangzhou', sdkAppId: '1400000001', signName: '邻里', templates };

  it('refuses Cognito, which is not offered there', () => {
    expect(() => configOf({}, china)).toThrow(/Cognito user pools are not offered in the AWS China regions/);
  });

  it('refuses e-mail, since SES is not offered there', () => {
    expect(() => configOf({ ...oidc, 'linli:mailFrom': 'linli@example.cn' }, china)).toThrow(/SES is not offered/);
  });

  it('refuses SMS through SNS, sends them through Tencent Cloud when its settings are given, and else sends none', () => {
    expect(() => configOf({ ...oidc, 'linli:smsProvider': 'sns' }, china)).toThrow(/SNS sends no SMS from the AWS China regions/);
    expect(configOf({ ...oidc, 'linli:tencentSms': tencentSms }, china).smsProvider).toBe('tencent');
    expect(configOf(oidc, china).smsProvider).toBe('none');
    expect(configOf(oidc, {}).smsProvider).toBe('sns');
  });

  it('takes a web certificate from IAM’s certificate store, never from ACM', () => {
    const domain = { ...oidc, 'linli:webDomainName': 'linli.example.cn' };
    expect(configOf({ ...domain, 'linli:webIamCertificateId': 'ASCAEXAMPLE1234567890' }, china).webIamCertificateId).toBe(
      'ASCAEXAMPLE1234567890',
    );
    expect(() =>
      configOf({ ...domain, 'linli:webCertificateArn': 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }, china),
    ).toThrow(/takes no ACM certificate/);
  });
});
