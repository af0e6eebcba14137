import { App } from 'aws-cdk-lib';
import { readStackConfig } from '../../lib/stack-config';

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
    ['linli:publicRateLimitPerMinute', '-1', /non-negative integer/],
    ['linli:publicRateLimitPerMinute', 'lots', /non-negative integer/],
    ['linli:logLevel', 'TRACE', /one of DEBUG, INFO, WARN, ERROR/],
  ])('fails the synth when %s is %s', (key, value, message) => {
    expect(() => configOf({ [key]: value })).toThrow(message);
  });
});
