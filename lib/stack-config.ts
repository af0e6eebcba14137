import type { Node } from 'constructs';

/** Levels that both Powertools Logger and Lambda's advanced logging controls understand. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What differs between deployments of the stack. Everything else is fixed in the constructs. */
export interface LinliStackConfig {
  /**
   * Browser origins allowed by CORS; `['*']` when none are configured (as locally). On AWS, set it to
   * the web pages' origin once it is known: the stack's `WebUrl` output after the first deployment
   * (`https://dxxxxxxxxxxxxx.cloudfront.net`) or `https://<webDomainName>`. The stack cannot wire the
   * distribution's domain into the API by itself: the distribution's Content-Security-Policy names the
   * API, so the API's CORS naming the distribution would be a circular dependency CloudFormation refuses.
   */
  readonly webOrigins: readonly string[];
  /**
   * A custom domain for the web pages (`linli.example.org`), served with `webCertificateArn`; both or
   * neither. Unset means the distribution's own `*.cloudfront.net` name and certificate.
   */
  readonly webDomainName?: string;
  /** An ACM certificate for `webDomainName`, in us-east-1 (the only region CloudFront takes them from). */
  readonly webCertificateArn?: string;
  /** The community the web pages show when a link names none (`defaultCommunity` in web/config.js). */
  readonly webDefaultCommunity?: string;
  /** Where Cognito's managed login may send organisers back to (authorization code + PKCE). */
  readonly authCallbackUrls: readonly string[];
  /** Cognito domain prefix; unset means `linli-<account id>`, unique per account and region. */
  readonly authDomainPrefix?: string;
  /** Subscribed by email to the alarm topic when set. */
  readonly alarmEmail?: string;
  /** Requests per client address per minute on public POSTs (the functions' own limit). */
  readonly publicRateLimitPerMinute: number;
  /** Parties one client address may sign up for one event (0: no limit). */
  readonly partiesPerAddressPerEvent: number;
  readonly logLevel: LogLevel;
}

/** One setting: `-c <contextKey>=…` (or cdk.json) first, then the environment variable. */
const SETTINGS = {
  webOrigins: { context: 'linli:webOrigins', env: 'LINLI_WEB_ORIGINS' },
  authCallbackUrls: { context: 'linli:authCallbackUrls', env: 'LINLI_AUTH_CALLBACK_URLS' },
  authDomainPrefix: { context: 'linli:authDomainPrefix', env: 'LINLI_AUTH_DOMAIN_PREFIX' },
  webDomainName: { context: 'linli:webDomainName', env: 'LINLI_WEB_DOMAIN_NAME' },
  webCertificateArn: { context: 'linli:webCertificateArn', env: 'LINLI_WEB_CERTIFICATE_ARN' },
  webDefaultCommunity: { context: 'linli:webDefaultCommunity', env: 'LINLI_WEB_DEFAULT_COMMUNITY' },
  alarmEmail: { context: 'linli:alarmEmail', env: 'LINLI_ALARM_EMAIL' },
  publicRateLimitPerMinute: { context: 'linli:publicRateLimitPerMinute', env: 'LINLI_PUBLIC_RATE_LIMIT_PER_MINUTE' },
  partiesPerAddressPerEvent: { context: 'linli:partiesPerAddressPerEvent', env: 'LINLI_PARTIES_PER_ADDRESS_PER_EVENT' },
  logLevel: { context: 'linli:logLevel', env: 'LINLI_LOG_LEVEL' },
} as const;

type Setting = keyof typeof SETTINGS;

const DEFAULT_CALLBACK_URL = 'http://localhost:3000/';
const DEFAULT_PUBLIC_RATE_LIMIT_PER_MINUTE = 600;
const DEFAULT_PARTIES_PER_ADDRESS_PER_EVENT = 10;

function raw(node: Node, env: NodeJS.ProcessEnv, setting: Setting): unknown {
  const { context, env: variable } = SETTINGS[setting];
  const fromContext: unknown = node.tryGetContext(context);
  if (fromContext !== undefined && fromContext !== '') return fromContext;
  const fromEnv = env[variable]?.trim();
  return fromEnv ? fromEnv : undefined;
}

/** A list given as a JSON array in cdk.json or as a comma-separated string on the command line. */
function list(node: Node, env: NodeJS.ProcessEnv, setting: Setting): string[] | undefined {
  const value = raw(node, env, setting);
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const trimmed = items.map((item) => item.trim()).filter(Boolean);
  return trimmed.length ? trimmed : undefined;
}

function text(node: Node, env: NodeJS.ProcessEnv, setting: Setting): string | undefined {
  const value = raw(node, env, setting);
  return value === undefined ? undefined : String(value).trim() || undefined;
}

function nonNegativeInteger(node: Node, env: NodeJS.ProcessEnv, setting: Setting, fallback: number): number {
  const value = raw(node, env, setting);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new Error(`${SETTINGS[setting].context} must be a non-negative integer, got "${String(value)}"`);
  }
  return parsed;
}

function logLevel(node: Node, env: NodeJS.ProcessEnv): LogLevel {
  const value = (text(node, env, 'logLevel') ?? 'INFO').toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new Error(`${SETTINGS.logLevel.context} must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return value as LogLevel;
}

/** CloudFront only takes certificates from ACM in us-east-1, whatever the stack's region. */
const CLOUDFRONT_CERTIFICATE_ARN = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[\w-]+$/;

function webDomain(node: Node, env: NodeJS.ProcessEnv): Pick<LinliStackConfig, 'webDomainName' | 'webCertificateArn'> {
  const webDomainName = text(node, env, 'webDomainName');
  const webCertificateArn = text(node, env, 'webCertificateArn');
  if (Boolean(webDomainName) !== Boolean(webCertificateArn)) {
    throw new Error(
      `${SETTINGS.webDomainName.context} and ${SETTINGS.webCertificateArn.context} must be set together, or neither`,
    );
  }
  if (webCertificateArn && !CLOUDFRONT_CERTIFICATE_ARN.test(webCertificateArn)) {
    throw new Error(
      `${SETTINGS.webCertificateArn.context} must be an ACM certificate ARN in us-east-1, got "${webCertificateArn}"`,
    );
  }
  return { webDomainName, webCertificateArn };
}

/**
 * The deployment's configuration, read once by bin/app.ts from CDK context (`-c linli:webOrigins=…`
 * or cdk.json) with environment variables (`LINLI_WEB_ORIGINS=…`) as the fallback. Bad values fail
 * the synth rather than the deployment.
 */
export function readStackConfig(node: Node, env: NodeJS.ProcessEnv = process.env): LinliStackConfig {
  return {
    webOrigins: list(node, env, 'webOrigins') ?? ['*'],
    authCallbackUrls: list(node, env, 'authCallbackUrls') ?? [DEFAULT_CALLBACK_URL],
    authDomainPrefix: text(node, env, 'authDomainPrefix'),
    ...webDomain(node, env),
    webDefaultCommunity: text(node, env, 'webDefaultCommunity'),
    alarmEmail: text(node, env, 'alarmEmail'),
    publicRateLimitPerMinute: nonNegativeInteger(
      node,
      env,
      'publicRateLimitPerMinute',
      DEFAULT_PUBLIC_RATE_LIMIT_PER_MINUTE,
    ),
    partiesPerAddressPerEvent: nonNegativeInteger(node, env, 'partiesPerAddressPerEvent', DEFAULT_PARTIES_PER_ADDRESS_PER_EVENT),
    logLevel: logLevel(node, env),
  };
}
