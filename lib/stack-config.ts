import type { Node } from 'constructs';

/** Levels that both Powertools Logger and Lambda's advanced logging controls understand. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Who sends SMS: Amazon SNS (direct SMS), Tencent Cloud SMS (腾讯云短信) for mainland numbers, or
 * nobody (`none`: no SMS rights at all; the runtime's SMS deliveries fail and are alarmed).
 */
export const SMS_PROVIDERS = ['sns', 'tencent', 'none'] as const;
export type SmsProvider = (typeof SMS_PROVIDERS)[number];

/**
 * Every kind of message the runtime may send by SMS. A domestic provider sends only templates
 * registered (and approved) in advance, so Tencent Cloud needs a template ID for each; the runtime
 * fills them with parameters (functions/delivery/sms/templates.ts). Spelled out here so that the
 * app reads no more of the runtime than it must; tests/infra/stack-config.test.ts checks that it
 * names exactly that module's kinds.
 */
export const TENCENT_SMS_TEMPLATE_KINDS = [
  'event_cancelled',
  'slot_cancelled',
  'waitlist_promoted',
  'coverage_alert',
  'event_digest',
  'slot_digest',
  'shift_reminder',
  'phone_verification',
] as const;
export type TencentSmsTemplateKind = (typeof TENCENT_SMS_TEMPLATE_KINDS)[number];

/**
 * Tencent Cloud SMS, as the jobs function reads it from TENCENT_SMS_CONFIG: nothing secret (the API
 * credential is in the TencentSmsSecret secret, lib/constructs/messaging.ts).
 */
export interface TencentSmsConfig {
  /** The SMS API's region, e.g. `ap-guangzhou`. */
  readonly region: string;
  /** The SMS application's SdkAppId (`1400…`), digits. */
  readonly sdkAppId: string;
  /** The approved signature (签名) every message carries. */
  readonly signName: string;
  /** The approved template ID (digits) of every kind of message. */
  readonly templates: Readonly<Record<TencentSmsTemplateKind, string>>;
}

/** How organisers sign in: Cognito (the default), or any OpenID Connect provider (`oidc`). */
export const AUTH_KINDS = ['cognito', 'oidc'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** The JWT claims the organiser function reads (functions/auth/organiser-claims.ts). */
export interface OrganiserClaimNames {
  /** The claim listing the caller's groups, one of which must be `organisers`. */
  readonly groups: string;
  /** The claim naming the organiser's community. */
  readonly community: string;
}

/** Today's names: Cognito's, and the names the functions fall back to. */
export const DEFAULT_CLAIM_NAMES: OrganiserClaimNames = { groups: 'cognito:groups', community: 'custom:communityId' };

/** An OpenID Connect provider (Authing, Keycloak, Azure AD B2C…) whose ID tokens the API accepts. */
export interface OidcConfig {
  /** `iss` of its tokens, https; `<issuer>/.well-known/openid-configuration` is its discovery document. */
  readonly issuer: string;
  /** The console's client ID, which is the ID token's `aud`. */
  readonly audience: string;
}

/** A stage name: lower-case letter first, then lower-case letters, digits and hyphens, 16 at most. */
const STAGE = /^[a-z][a-z0-9-]{0,15}$/;

/** What differs between deployments of the stack. Everything else is fixed in the constructs. */
export interface LinliStackConfig {
  /**
   * `linli:stage` (`dev`, `prod`…): the stack is `Linli-<stage>`, its one explicitly named resource
   * (the Cognito domain) carries the stage, and every resource a `stage` tag. Unset: the stack is
   * `Linli`, named as before stages existed, so that an existing deployment is updated in place.
   */
  readonly stage?: string;
  /** `cognito` unless configured; `oidc` needs {@link oidc}. */
  readonly auth: AuthKind;
  /** With `auth: 'oidc'` only (and then required). */
  readonly oidc?: OidcConfig;
  /** The claims organiser tokens carry their groups and community in. */
  readonly claims: OrganiserClaimNames;
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
  /**
   * An ACM certificate for `webDomainName`, in us-east-1 (the only region global CloudFront takes
   * them from). Not in the China regions, where CloudFront takes no ACM certificate: see
   * {@link webIamCertificateId}.
   */
  readonly webCertificateArn?: string;
  /**
   * Instead of `webCertificateArn`: the ID of a certificate uploaded to IAM's certificate store
   * (path `/cloudfront/`), which is how CloudFront in the China regions takes certificates.
   */
  readonly webIamCertificateId?: string;
  /** The community the web pages show when a link names none (`defaultCommunity` in the settings of web/index.html). */
  readonly webDefaultCommunity?: string;
  /** Where Cognito's managed login may send organisers back to (authorization code + PKCE). */
  readonly authCallbackUrls: readonly string[];
  /**
   * Cognito domain prefix; unset means `linli-<stage>-<account id>` (`linli-<account id>` without a
   * stage), unique per account, region and stage.
   */
  readonly authDomainPrefix?: string;
  /** Subscribed by email to the alarm topic when set. */
  readonly alarmEmail?: string;
  /**
   * The address organisers' e-mail is sent from through Amazon SES (an SES email identity the stack
   * creates; SES mails it a verification link on deployment). Unset: no e-mail is sent, and the
   * runtime records e-mail deliveries as failed (`email_not_configured`).
   */
  readonly mailFrom?: string;
  /** Who sends SMS; `sns` unless configured. */
  readonly smsProvider: SmsProvider;
  /** With `smsProvider: 'tencent'` only (and then required). */
  readonly tencentSms?: TencentSmsConfig;
  /**
   * With `smsProvider: 'sns'`: alarm when the month's SMS spend (SNS's SMSMonthToDateSpentUSD)
   * reaches this many US dollars. Keep it under the account's SMS spend quota, at which SNS stops
   * sending.
   */
  readonly smsMonthlySpendAlarmUsd: number;
  /** Requests per client address per minute on public POSTs (the functions' own limit). */
  readonly publicRateLimitPerMinute: number;
  /** Parties one client address may sign up for one event (0: no limit). */
  readonly partiesPerAddressPerEvent: number;
  readonly logLevel: LogLevel;
}

/** One setting: `-c <contextKey>=…` (or cdk.json) first, then the environment variable. */
const SETTINGS = {
  stage: { context: 'linli:stage', env: 'LINLI_STAGE' },
  auth: { context: 'linli:auth', env: 'LINLI_AUTH' },
  oidcIssuer: { context: 'linli:oidcIssuer', env: 'LINLI_OIDC_ISSUER' },
  oidcAudience: { context: 'linli:oidcAudience', env: 'LINLI_OIDC_AUDIENCE' },
  oidcGroupsClaim: { context: 'linli:oidcGroupsClaim', env: 'LINLI_OIDC_GROUPS_CLAIM' },
  oidcCommunityClaim: { context: 'linli:oidcCommunityClaim', env: 'LINLI_OIDC_COMMUNITY_CLAIM' },
  webIamCertificateId: { context: 'linli:webIamCertificateId', env: 'LINLI_WEB_IAM_CERTIFICATE_ID' },
  webOrigins: { context: 'linli:webOrigins', env: 'LINLI_WEB_ORIGINS' },
  authCallbackUrls: { context: 'linli:authCallbackUrls', env: 'LINLI_AUTH_CALLBACK_URLS' },
  authDomainPrefix: { context: 'linli:authDomainPrefix', env: 'LINLI_AUTH_DOMAIN_PREFIX' },
  webDomainName: { context: 'linli:webDomainName', env: 'LINLI_WEB_DOMAIN_NAME' },
  webCertificateArn: { context: 'linli:webCertificateArn', env: 'LINLI_WEB_CERTIFICATE_ARN' },
  webDefaultCommunity: { context: 'linli:webDefaultCommunity', env: 'LINLI_WEB_DEFAULT_COMMUNITY' },
  alarmEmail: { context: 'linli:alarmEmail', env: 'LINLI_ALARM_EMAIL' },
  mailFrom: { context: 'linli:mailFrom', env: 'LINLI_MAIL_FROM' },
  smsProvider: { context: 'linli:smsProvider', env: 'LINLI_SMS_PROVIDER' },
  tencentSms: { context: 'linli:tencentSms', env: 'LINLI_TENCENT_SMS' },
  smsMonthlySpendAlarmUsd: { context: 'linli:smsMonthlySpendAlarmUsd', env: 'LINLI_SMS_MONTHLY_SPEND_ALARM_USD' },
  publicRateLimitPerMinute: { context: 'linli:publicRateLimitPerMinute', env: 'LINLI_PUBLIC_RATE_LIMIT_PER_MINUTE' },
  partiesPerAddressPerEvent: { context: 'linli:partiesPerAddressPerEvent', env: 'LINLI_PARTIES_PER_ADDRESS_PER_EVENT' },
  logLevel: { context: 'linli:logLevel', env: 'LINLI_LOG_LEVEL' },
} as const;

type Setting = keyof typeof SETTINGS;

const DEFAULT_CALLBACK_URL = 'http://localhost:3000/';
const DEFAULT_PUBLIC_RATE_LIMIT_PER_MINUTE = 600;
const DEFAULT_PARTIES_PER_ADDRESS_PER_EVENT = 10;
const DEFAULT_SMS_MONTHLY_SPEND_ALARM_USD = 50;

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

function positiveNumber(node: Node, env: NodeJS.ProcessEnv, setting: Setting, fallback: number): number {
  const value = raw(node, env, setting);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new Error(`${SETTINGS[setting].context} must be a positive number, got "${String(value)}"`);
  }
  return parsed;
}

/**
 * A bare address, and a conservative one: it ends up in an IAM resource ARN
 * (`…:identity/<address>`), where `*` and `?` would be wildcards and `${…}` a policy variable,
 * all of which RFC 5322 allows in a local part.
 */
const MAIL_ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

function mailFrom(node: Node, env: NodeJS.ProcessEnv): string | undefined {
  const value = text(node, env, 'mailFrom');
  if (value !== undefined && !MAIL_ADDRESS.test(value)) {
    throw new Error(
      `${SETTINGS.mailFrom.context} must be a bare e-mail address (letters, digits and . _ % + - before the @, ` +
        `no display name), got "${value}"`,
    );
  }
  return value;
}

function smsProvider(node: Node, env: NodeJS.ProcessEnv, china: boolean): SmsProvider {
  const given = text(node, env, 'smsProvider')?.toLowerCase();
  // SNS sends no SMS from the China regions: there, Tencent Cloud when its settings are given, else none.
  const value = given ?? (china ? (raw(node, env, 'tencentSms') === undefined ? 'none' : 'tencent') : 'sns');
  if (!(SMS_PROVIDERS as readonly string[]).includes(value)) {
    throw new Error(`${SETTINGS.smsProvider.context} must be one of ${SMS_PROVIDERS.join(', ')}, got "${value}"`);
  }
  if (china && value === 'sns') {
    throw new Error(
      `${SETTINGS.smsProvider.context} is "sns", but Amazon SNS sends no SMS from the AWS China regions: ` +
        `use "tencent" with ${SETTINGS.tencentSms.context} (docs/messaging.md), or "none"`,
    );
  }
  return value as SmsProvider;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Digits, given as a string or (in cdk.json) as a number. */
const digits = (value: unknown): string | undefined =>
  (typeof value === 'string' || typeof value === 'number') && /^\d+$/.test(String(value).trim())
    ? String(value).trim()
    : undefined;

/**
 * `linli:tencentSms`: a JSON object in cdk.json, or its JSON text on the command line or in
 * LINLI_TENCENT_SMS. Everything wrong with it is reported at once, by name. It never holds the
 * credential, which is the TencentSmsSecret secret's; a key that looks like one is refused.
 */
export function parseTencentSms(value: unknown, source = SETTINGS.tencentSms.context): TencentSmsConfig {
  const example =
    '{"region":"ap-guangzhou","sdkAppId":"1400…","signName":"…","templates":{"event_cancelled":"<template id>",…}}';
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(`${source} must be JSON, such as ${example}`);
    }
  }
  if (!isObject(parsed)) throw new Error(`${source} must be a JSON object, such as ${example}`);

  const problems: string[] = [];
  const known = ['region', 'sdkAppId', 'signName', 'templates'];
  const unknown = Object.keys(parsed).filter((key) => !known.includes(key));
  if (unknown.some((key) => /secret|key|password|token|credential/i.test(key))) {
    problems.push(
      `it must not hold credentials (${unknown.join(', ')}): the SecretId and SecretKey go in the TencentSmsSecret ` +
        'secret (stack output TencentSmsSecretArn), never in context, the template or an environment variable',
    );
  } else if (unknown.length) {
    problems.push(`it has keys the stack does not know: ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }

  const region = typeof parsed.region === 'string' ? parsed.region.trim() : '';
  if (!/^[a-z]+(?:-[a-z]+)+$/.test(region)) problems.push('"region" must be a Tencent Cloud region such as "ap-guangzhou"');
  const sdkAppId = digits(parsed.sdkAppId);
  if (!sdkAppId) problems.push('"sdkAppId" must be the SMS application’s SdkAppId (digits, "1400…")');
  const signName = typeof parsed.signName === 'string' ? parsed.signName.trim() : '';
  if (!signName) problems.push('"signName" must be the approved SMS signature (签名)');

  const templates: Partial<Record<TencentSmsTemplateKind, string>> = {};
  if (!isObject(parsed.templates)) {
    problems.push(`"templates" must be an object with a template ID for each of ${TENCENT_SMS_TEMPLATE_KINDS.join(', ')}`);
  } else {
    const given = parsed.templates;
    const missing = TENCENT_SMS_TEMPLATE_KINDS.filter((kind) => given[kind] === undefined || given[kind] === '');
    if (missing.length) problems.push(`"templates" has no template ID for ${missing.join(', ')}`);
    const notDigits = TENCENT_SMS_TEMPLATE_KINDS.filter((kind) => !missing.includes(kind) && !digits(given[kind]));
    if (notDigits.length) problems.push(`"templates" IDs must be digits, and are not for ${notDigits.join(', ')}`);
    const strangers = Object.keys(given).filter((kind) => !(TENCENT_SMS_TEMPLATE_KINDS as readonly string[]).includes(kind));
    if (strangers.length) {
      problems.push(`"templates" names kinds no message has: ${strangers.join(', ')} (kinds: ${TENCENT_SMS_TEMPLATE_KINDS.join(', ')})`);
    }
    for (const kind of TENCENT_SMS_TEMPLATE_KINDS) {
      const id = digits(given[kind]);
      if (id) templates[kind] = id;
    }
  }

  if (problems.length) throw new Error(`${source} is not usable: ${problems.join('; ')}`);
  return { region, sdkAppId: sdkAppId!, signName, templates: templates as Record<TencentSmsTemplateKind, string> };
}

function tencentSms(node: Node, env: NodeJS.ProcessEnv, provider: SmsProvider): TencentSmsConfig | undefined {
  // Read only when chosen: a stack switched back to SNS may keep its Tencent settings in cdk.json.
  if (provider !== 'tencent') return undefined;
  const value = raw(node, env, 'tencentSms');
  if (value === undefined) {
    throw new Error(
      `${SETTINGS.smsProvider.context} is "tencent", so ${SETTINGS.tencentSms.context} (or ${SETTINGS.tencentSms.env}) ` +
        'must give the SMS application: {"region","sdkAppId","signName","templates":{…}}',
    );
  }
  return parseTencentSms(value);
}

/** Global CloudFront takes ACM certificates from us-east-1 only, whatever the stack's region. */
const CLOUDFRONT_CERTIFICATE_ARN = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[\w-]+$/;
/** An IAM server certificate's ID (`ASCA…`), as CloudFront in the China regions takes certificates. */
const IAM_CERTIFICATE_ID = /^[A-Z0-9]{16,128}$/;

function webDomain(
  node: Node,
  env: NodeJS.ProcessEnv,
  china: boolean,
): Pick<LinliStackConfig, 'webDomainName' | 'webCertificateArn' | 'webIamCertificateId'> {
  const webDomainName = text(node, env, 'webDomainName');
  const webCertificateArn = text(node, env, 'webCertificateArn');
  const webIamCertificateId = text(node, env, 'webIamCertificateId');
  const certificates = [webCertificateArn, webIamCertificateId].filter(Boolean).length;
  if (certificates > 1) {
    throw new Error(`${SETTINGS.webCertificateArn.context} and ${SETTINGS.webIamCertificateId.context} are alternatives: give one`);
  }
  if (Boolean(webDomainName) !== Boolean(certificates)) {
    throw new Error(
      `${SETTINGS.webDomainName.context} and ${SETTINGS.webCertificateArn.context} (or ${SETTINGS.webIamCertificateId.context}) ` +
        'must be set together, or neither',
    );
  }
  if (webCertificateArn && china) {
    throw new Error(
      `${SETTINGS.webCertificateArn.context}: CloudFront in the AWS China regions takes no ACM certificate; upload the ` +
        `certificate to IAM (path /cloudfront/) and give its ID as ${SETTINGS.webIamCertificateId.context}`,
    );
  }
  if (webCertificateArn && !CLOUDFRONT_CERTIFICATE_ARN.test(webCertificateArn)) {
    throw new Error(
      `${SETTINGS.webCertificateArn.context} must be an ACM certificate ARN in us-east-1, got "${webCertificateArn}"`,
    );
  }
  if (webIamCertificateId && !IAM_CERTIFICATE_ID.test(webIamCertificateId)) {
    throw new Error(
      `${SETTINGS.webIamCertificateId.context} must be an IAM server certificate ID (ASCA…), got "${webIamCertificateId}"`,
    );
  }
  return { webDomainName, webCertificateArn, webIamCertificateId };
}

function stage(node: Node, env: NodeJS.ProcessEnv): string | undefined {
  const value = text(node, env, 'stage');
  if (value !== undefined && !STAGE.test(value)) {
    throw new Error(
      `${SETTINGS.stage.context} must be a lower-case letter followed by up to 15 lower-case letters, digits or hyphens, ` +
        `got "${value}"`,
    );
  }
  return value;
}

/** The stack's ID (and CloudFormation name): `Linli-<stage>`, or `Linli` without a stage. */
export function stackIdOf(stageName: string | undefined): string {
  return stageName ? `Linli-${stageName}` : 'Linli';
}

/** A claim name: no spaces (API Gateway flattens arrays with them), nothing empty. */
const CLAIM_NAME = /^[\w:./-]{1,128}$/;

function organiserAuth(
  node: Node,
  env: NodeJS.ProcessEnv,
  china: boolean,
): Pick<LinliStackConfig, 'auth' | 'oidc' | 'claims'> {
  const auth = (text(node, env, 'auth') ?? 'cognito').toLowerCase();
  if (!(AUTH_KINDS as readonly string[]).includes(auth)) {
    throw new Error(`${SETTINGS.auth.context} must be one of ${AUTH_KINDS.join(', ')}, got "${auth}"`);
  }
  const claimSettings = { groups: text(node, env, 'oidcGroupsClaim'), community: text(node, env, 'oidcCommunityClaim') };
  if (auth === 'cognito') {
    if (china) {
      throw new Error(
        'Cognito user pools are not offered in the AWS China regions: sign organisers in with an OpenID Connect ' +
          `provider (-c ${SETTINGS.auth.context}=oidc -c ${SETTINGS.oidcIssuer.context}=https://… ` +
          `-c ${SETTINGS.oidcAudience.context}=<client id>; docs/deploying-in-china.md)`,
      );
    }
    if (claimSettings.groups || claimSettings.community) {
      throw new Error(
        `${SETTINGS.oidcGroupsClaim.context} and ${SETTINGS.oidcCommunityClaim.context} apply to ${SETTINGS.auth.context}=oidc only: ` +
          'Cognito’s tokens carry cognito:groups and custom:communityId',
      );
    }
    return { auth: 'cognito', claims: DEFAULT_CLAIM_NAMES };
  }

  const issuer = text(node, env, 'oidcIssuer')?.replace(/\/+$/, '');
  const audience = text(node, env, 'oidcAudience');
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = issuer ? new URL(issuer) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.search || url.hash || url.username) {
    problems.push(`${SETTINGS.oidcIssuer.context} must be the provider's https issuer URL (its tokens' "iss"), got "${issuer ?? ''}"`);
  }
  if (!audience || !/^[\w.:@/-]{1,256}$/.test(audience)) {
    problems.push(`${SETTINGS.oidcAudience.context} must be the console's client ID (its ID tokens' "aud"), got "${audience ?? ''}"`);
  }
  const claims = {
    groups: claimSettings.groups ?? DEFAULT_CLAIM_NAMES.groups,
    community: claimSettings.community ?? DEFAULT_CLAIM_NAMES.community,
  };
  for (const [name, value] of Object.entries(claims)) {
    if (!CLAIM_NAME.test(value)) problems.push(`the ${name} claim must be a claim name without spaces, got "${value}"`);
  }
  if (problems.length) throw new Error(`${SETTINGS.auth.context} is "oidc", but ${problems.join('; ')}`);
  return { auth: 'oidc', oidc: { issuer: issuer!, audience: audience! }, claims };
}

/** A `prod` stage is one residents depend on: somebody hears its alarms, and only its pages may call it. */
function checkProduction(config: LinliStackConfig): void {
  if (config.stage !== 'prod') return;
  const problems: string[] = [];
  if (!config.alarmEmail) problems.push(`${SETTINGS.alarmEmail.context} (alarms would reach nobody)`);
  if (config.webOrigins.includes('*')) {
    problems.push(`${SETTINGS.webOrigins.context} (the pages' origin, instead of CORS "*")`);
  }
  if (problems.length) throw new Error(`The prod stage needs ${problems.join(' and ')}`);
}

/** The AWS China regions (Beijing cn-north-1, Ningxia cn-northwest-1): partition aws-cn. */
export const isChinaRegion = (region: string | undefined): boolean => Boolean(region?.startsWith('cn-'));

function sms(
  node: Node,
  env: NodeJS.ProcessEnv,
  china: boolean,
): Pick<LinliStackConfig, 'smsProvider' | 'tencentSms' | 'smsMonthlySpendAlarmUsd'> {
  const provider = smsProvider(node, env, china);
  return {
    smsProvider: provider,
    tencentSms: tencentSms(node, env, provider),
    smsMonthlySpendAlarmUsd: positiveNumber(node, env, 'smsMonthlySpendAlarmUsd', DEFAULT_SMS_MONTHLY_SPEND_ALARM_USD),
  };
}

/**
 * The deployment's configuration, read once by bin/app.ts from CDK context (`-c linli:webOrigins=…`
 * or cdk.json) with environment variables (`LINLI_WEB_ORIGINS=…`) as the fallback. Bad values fail
 * the synth rather than the deployment. `CDK_DEFAULT_REGION` (as bin/app.ts gives the stack) tells
 * the AWS China regions, where Cognito, SES and SNS SMS are not offered.
 */
export function readStackConfig(node: Node, env: NodeJS.ProcessEnv = process.env): LinliStackConfig {
  const china = isChinaRegion(env.CDK_DEFAULT_REGION);
  const mail = mailFrom(node, env);
  if (mail && china) {
    throw new Error(
      `${SETTINGS.mailFrom.context}: Amazon SES is not offered in the AWS China regions, so the stack cannot send e-mail ` +
        'there; leave it unset (e-mail deliveries are then recorded as failed, email_not_configured)',
    );
  }
  const config: LinliStackConfig = {
    stage: stage(node, env),
    ...organiserAuth(node, env, china),
    webOrigins: list(node, env, 'webOrigins') ?? ['*'],
    authCallbackUrls: list(node, env, 'authCallbackUrls') ?? [DEFAULT_CALLBACK_URL],
    authDomainPrefix: text(node, env, 'authDomainPrefix'),
    ...webDomain(node, env, china),
    webDefaultCommunity: text(node, env, 'webDefaultCommunity'),
    alarmEmail: text(node, env, 'alarmEmail'),
    mailFrom: mail,
    ...sms(node, env, china),
    publicRateLimitPerMinute: nonNegativeInteger(
      node,
      env,
      'publicRateLimitPerMinute',
      DEFAULT_PUBLIC_RATE_LIMIT_PER_MINUTE,
    ),
    partiesPerAddressPerEvent: nonNegativeInteger(node, env, 'partiesPerAddressPerEvent', DEFAULT_PARTIES_PER_ADDRESS_PER_EVENT),
    logLevel: logLevel(node, env),
  };
  checkProduction(config);
  return config;
}
