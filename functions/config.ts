/**
 * Configuration, read once at module load. Lambda and the local runtime set the same variables;
 * a missing required variable fails the cold start rather than the first request.
 */
function optional(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = optional(env, name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Environment variable ${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

export interface Config {
  /** DynamoDB table holding every item. */
  readonly tableName: string;
  /** Set locally (DynamoDB Local); unset on AWS. */
  readonly dynamodbEndpoint?: string;
  readonly region: string;
  /** Requests per client address per minute on public POSTs; 0 turns the limit off. */
  readonly publicRateLimitPerMinute: number;
  /**
   * Parties one client address may sign up for one event; 0 turns the limit off. Off by default
   * under the local runtime, where every caller is the same address (127.0.0.1).
   */
  readonly partiesPerAddressPerEvent: number;
  /**
   * How a festival sign-up is placed: `queue` (default; services/admission.ts: stored as an
   * arrival, placed with others in arrival order) or `direct` (the sign-up's own transaction on the
   * event's counter, as verified sign-ups are placed). `direct` is kept for the bench's side-by-side.
   */
  readonly signUpPath: 'queue' | 'direct';
  /** Hours an Idempotency-Key is remembered. */
  readonly idempotencyTtlSeconds: number;
  /** `local` when served by bin/local.ts; `aws` in Lambda. */
  readonly runtime: 'local' | 'aws';
  /** The SES sender of e-mail (AWS); without it an e-mail delivery fails `email_not_configured`. */
  readonly mailFrom?: string;
  /** Who sends SMS on AWS: Amazon SNS (outside mainland China) or Tencent Cloud SMS. */
  readonly smsProvider: 'sns' | 'tencent' | 'none';
  /** Tencent Cloud SMS: `{region, sdkAppId, signName, templates}` as JSON (not secret). */
  readonly tencentSms?: string;
  /** The Secrets Manager secret holding Tencent Cloud's `{secretId, secretKey}`. */
  readonly tencentSmsSecretArn?: string;
  /** Tests: Tencent Cloud's API at this `host:port`, over plain HTTP. */
  readonly tencentSmsEndpoint?: string;
  /** Local runtime and tests: the 企业微信 robot API at this origin instead of https://qyapi.weixin.qq.com. */
  readonly wecomWebhookBase?: string;
  /** The Secrets Manager secret whose string keys the encryption of stored robot keys (AWS). */
  readonly settingsKeySecretArn?: string;
  /** The same key's material in the local runtime (a file under `.data/`). */
  readonly settingsKey?: string;
  /** Days after an event or evening ends before residents' names and phones are erased. */
  readonly personalDataRetentionDays: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('Environment variable TABLE_NAME is required');
  return {
    tableName,
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    publicRateLimitPerMinute: integer(env, 'PUBLIC_RATE_LIMIT_PER_MINUTE', 600),
    partiesPerAddressPerEvent: integer(env, 'PARTIES_PER_ADDRESS_PER_EVENT', env.LINLI_RUNTIME === 'local' ? 0 : 10),
    signUpPath: env.SIGN_UP_PATH === 'direct' ? 'direct' : 'queue',
    idempotencyTtlSeconds: 24 * 60 * 60,
    runtime: env.LINLI_RUNTIME === 'local' ? 'local' : 'aws',
    mailFrom: env.MAIL_FROM || undefined,
    // `none`: the stack has no SMS (a China stack without Tencent Cloud set up yet).
    smsProvider: env.SMS_PROVIDER === 'tencent' ? 'tencent' : env.SMS_PROVIDER === 'none' ? 'none' : 'sns',
    tencentSms: env.TENCENT_SMS_CONFIG || undefined,
    tencentSmsSecretArn: env.TENCENT_SMS_SECRET_ARN || undefined,
    tencentSmsEndpoint: env.TENCENT_SMS_ENDPOINT || undefined,
    wecomWebhookBase: env.WECOM_WEBHOOK_BASE || undefined,
    settingsKeySecretArn: env.SETTINGS_KEY_SECRET_ARN || undefined,
    settingsKey: env.SETTINGS_KEY || undefined,
    personalDataRetentionDays: integer(env, 'PERSONAL_DATA_RETENTION_DAYS', 90),
  };
}

let current: Config | undefined;

/** The process's configuration, read on first use and kept for the life of the process. */
export function config(): Config {
  current ??= readConfig();
  return current;
}

/** Tests and the local runtime change variables after import; this forgets the cached copy. */
export function resetConfig(): void {
  current = undefined;
}
