import { Agent } from 'node:http';
import { sms } from 'tencentcloud-sdk-nodejs-sms';
import * as clock from '../../clock';
import { DeliveryError, type DeliveryAdapter, type Envelope } from '../adapter';
import { templateParams, type SmsKind } from './templates';

/** Where and as whom Tencent Cloud SMS is used: the CDK context `linli:tencentSms`, plus the secret. */
export interface TencentSmsOptions {
  /** An SMS region, e.g. `ap-guangzhou`. */
  readonly region: string;
  /** The SMS application's SdkAppId (短信控制台 › 应用管理). */
  readonly sdkAppId: string;
  /** The approved signature (签名) text, without 【】: the provider puts it in front of every message. */
  readonly signName: string;
  /** The approved template id of each kind; a kind without one is not sent by SMS. */
  readonly templates: Partial<Record<SmsKind, string>>;
  /** The API key pair, from Secrets Manager on AWS (never from context or the environment). */
  readonly credentials: () => Promise<{ secretId: string; secretKey: string }>;
  /** `host:port` of a stand-in spoken to over plain http (tests); the real endpoint otherwise. */
  readonly endpoint?: string;
}

/** E.164: `+`, a country code, at most 15 digits. Tencent reads anything else as a domestic number or rejects it. */
const E164 = /^\+[1-9]\d{6,14}$/;

/** How long one request may take. The SDK's default is 60 s, longer than a delivery run should hang on one message. */
const REQUEST_TIMEOUT_SECONDS = 10;

/**
 * SMS to mainland China through Tencent Cloud SMS (`SendSms`, API 2021-01-11): the envelope's kind
 * picks a registered template, its params fill the template (functions/delivery/sms/templates.ts),
 * and the provider prepends the signature. The free-text `body` is not sent: carriers in China
 * deliver only registered templates. Failures become {@link DeliveryError}s by Tencent's error code
 * (see {@link tencentError}); neither the phone nor Tencent's message text ever reaches one.
 *
 * The client is built for each message. The SDK's client is only configuration (requests go
 * through node-fetch and Node's shared agent, so there is no connection pool to keep), and
 * building it from the credentials fetched for this message means a rotated key is used as soon as
 * `credentials` returns it (Powertools caches the secret for five minutes, so this costs no call).
 */
export function tencentSms(options: TencentSmsOptions): DeliveryAdapter {
  // A stand-in on loopback is reached directly, even where an http_proxy variable is set (the
  // SDK otherwise routes every request through it).
  const httpProfile = options.endpoint
    ? { endpoint: options.endpoint, protocol: 'http://', agent: new Agent(), reqTimeout: REQUEST_TIMEOUT_SECONDS }
    : { reqTimeout: REQUEST_TIMEOUT_SECONDS };
  return {
    name: 'tencent-sms',
    deliver: async (envelope: Envelope) => {
      const templateId = options.templates[envelope.kind];
      if (!templateId) throw new DeliveryError('sms_template_missing', { permanent: true });
      if (!E164.test(envelope.address)) throw new DeliveryError('sms_address_invalid', { permanent: true });
      const request = {
        PhoneNumberSet: [envelope.address],
        SmsSdkAppId: options.sdkAppId,
        TemplateId: templateId,
        SignName: options.signName,
        TemplateParamSet: templateParams(envelope.kind, envelope.params),
        // Echoed back by Tencent and shown in its console's records: the notification, not the person.
        SessionContext: envelope.notificationId,
      };
      // Both retried: a Secrets Manager hiccup passes, and a secret the operator fills in (the
      // stack creates it with an empty placeholder) is read within five minutes.
      const credential = await options.credentials().catch(() => undefined);
      if (!credential) throw new DeliveryError('tencent:credentials_unavailable');
      if (!credential.secretId || !credential.secretKey) throw new DeliveryError('tencent:credentials_not_set');
      const client = new sms.v20210111.Client({ credential, region: options.region, profile: { httpProfile } });
      let response: Awaited<ReturnType<typeof client.SendSms>>;
      try {
        response = await client.SendSms(request);
      } catch (error) {
        throw fromException(error);
      }
      // One number per request, so one status. Its PhoneNumber and Message are never copied anywhere.
      const code = response.SendStatusSet?.[0]?.Code;
      if (code === 'Ok') return;
      throw code ? tencentError(code) : new DeliveryError('tencent:no_status');
    },
  };
}

/** Tencent's codes are dotted words (`LimitExceeded.PhoneNumberDailyLimit`); anything else is not passed on. */
const CODE_SHAPE = /^[A-Za-z]{1,64}(\.[A-Za-z]{1,64}){0,3}$/;

/** Frequency limits a pause clears: the console's per-number limits, and the policy as a whole. */
const PAUSE_MS: Readonly<Record<string, number>> = {
  'LimitExceeded.PhoneNumberThirtySecondLimit': 30_000,
  'LimitExceeded.PhoneNumberOneHourLimit': 60 * 60_000,
  'LimitExceeded.DeliveryFrequencyLimit': 60_000,
};

/** Daily caps (per number, per identical content, per application, international): they reset at midnight, Beijing time. */
const DAILY_LIMITS = new Set([
  'LimitExceeded.PhoneNumberDailyLimit',
  'LimitExceeded.PhoneNumberSameContentDailyLimit',
  'LimitExceeded.AppDailyLimit',
  'LimitExceeded.DailyLimit',
]);

/** Classes of error that sending the same request again cannot fix, by code prefix. */
const PERMANENT_PREFIXES = [
  'FailedOperation', // template or signature not approved, balance used up, number on the do-not-disturb list, sensitive words
  'InvalidParameter',
  'InvalidParameterValue', // a malformed number, an unknown SdkAppId, a URL or too many characters in a variable, content too long
  'MissingParameter',
  'UnsupportedOperation', // a region Tencent does not send to
  'UnauthorizedOperation', // SdkAppId disabled or not the key's, service suspended for arrears, caller IP not allowed
  'AuthFailure', // a wrong, deleted or disabled key (a clock skew, SignatureExpire, is retried below)
  'InvalidAction',
  'NoSuchVersion',
];

const BEIJING_OFFSET_MS = 8 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/** Milliseconds until the next midnight in Beijing (UTC+8 all year). */
function untilBeijingMidnight(): number {
  return DAY_MS - ((clock.nowMs() + BEIJING_OFFSET_MS) % DAY_MS);
}

/**
 * What one of Tencent Cloud's error codes (the SendStatus `Code`, or a whole request's
 * `Error.Code`; the list is at cloud.tencent.com/document/api/382/59177) means for the queue:
 * rate and frequency limits are retried after the pause that clears them; server-side errors and
 * the API's own request rate limit are retried; everything about the request, the number, the
 * template, the signature, the account or its balance is permanent. An unknown code is retried
 * (the queue's attempts bound it). The code is `tencent:` and Tencent's code, checked to be one.
 */
export function tencentError(code: string): DeliveryError {
  if (!CODE_SHAPE.test(code)) return new DeliveryError('tencent:unrecognised');
  const safe = `tencent:${code}`;
  const pause = PAUSE_MS[code];
  if (pause !== undefined) return new DeliveryError(safe, { retryAfterMs: pause });
  if (DAILY_LIMITS.has(code)) return new DeliveryError(safe, { retryAfterMs: untilBeijingMidnight() });
  // More than 200 numbers in one request: this adapter sends one, so it is a bug, not a rate.
  if (code === 'LimitExceeded.PhoneNumberCountLimit') return new DeliveryError(safe, { permanent: true });
  if (code.startsWith('LimitExceeded')) return new DeliveryError(safe, { retryAfterMs: 60_000 });
  // The API's own request rate (3000/s for SendSms): a second is plenty.
  if (code.startsWith('RequestLimitExceeded')) return new DeliveryError(safe, { retryAfterMs: 1_000 });
  if (code === 'AuthFailure.SignatureExpire') return new DeliveryError(safe);
  if (PERMANENT_PREFIXES.some((prefix) => code === prefix || code.startsWith(`${prefix}.`))) return new DeliveryError(safe, { permanent: true });
  return new DeliveryError(safe);
}

/**
 * The SDK's exception as a {@link DeliveryError}: an API error carries Tencent's `code`; a reply
 * other than 200 carries `httpCode` (5xx and 429 are retried, any other is a misconfigured
 * endpoint); neither means the request never got an answer (refused, reset, timed out), retried.
 * Only the network case keeps its cause: its text names the endpoint, while an API error's
 * message is Tencent's and may quote the request.
 */
function fromException(error: unknown): DeliveryError {
  const { code, httpCode } = (error ?? {}) as { code?: unknown; httpCode?: unknown };
  if (typeof code === 'string' && code !== '') return tencentError(code);
  if (typeof httpCode === 'number') {
    return new DeliveryError(`tencent:http_${httpCode}`, { permanent: httpCode < 500 && httpCode !== 429 });
  }
  return new DeliveryError('tencent:unreachable', { cause: error });
}
