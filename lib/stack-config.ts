import type { Node } from 'constructs';

/** Levels that both Powertools Logger and Lambda's advanced logging controls understand. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What differs between deployments of the stack. Everything else is fixed in the constructs. */
export interface LinliStackConfig {
  /** Browser origins allowed by CORS; `['*']` when none are configured (as locally). */
  readonly webOrigins: readonly string[];
  /** Where Cognito's managed login may send organisers back to (authorization code + PKCE). */
  readonly authCallbackUrls: readonly string[];
  /** Cognito domain prefix; unset means `linli-<account id>`, unique per account and region. */
  readonly authDomainPrefix?: string;
  /** Subscribed by email to the alarm topic when set. */
  readonly alarmEmail?: string;
  /** Requests per client address per minute on public POSTs (the functions' own limit). */
  readonly publicRateLimitPerMinute: number;
  readonly logLevel: LogLevel;
}

/** One setting: `-c <contextKey>=…` (or cdk.json) first, then the environment variable. */
const SETTINGS = {
  webOrigins: { context: 'linli:webOrigins', env: 'LINLI_WEB_ORIGINS' },
  authCallbackUrls: { context: 'linli:authCallbackUrls', env: 'LINLI_AUTH_CALLBACK_URLS' },
  authDomainPrefix: { context: 'linli:authDomainPrefix', env: 'LINLI_AUTH_DOMAIN_PREFIX' },
  alarmEmail: { context: 'linli:alarmEmail', env: 'LINLI_ALARM_EMAIL' },
  publicRateLimitPerMinute: { context: 'linli:publicRateLimitPerMinute', env: 'LINLI_PUBLIC_RATE_LIMIT_PER_MINUTE' },
  logLevel: { context: 'linli:logLevel', env: 'LINLI_LOG_LEVEL' },
} as const;

type Setting = keyof typeof SETTINGS;

const DEFAULT_CALLBACK_URL = 'http://localhost:3000/';
const DEFAULT_PUBLIC_RATE_LIMIT_PER_MINUTE = 600;

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
    alarmEmail: text(node, env, 'alarmEmail'),
    publicRateLimitPerMinute: nonNegativeInteger(
      node,
      env,
      'publicRateLimitPerMinute',
      DEFAULT_PUBLIC_RATE_LIMIT_PER_MINUTE,
    ),
    logLevel: logLevel(node, env),
  };
}
