import type { NotificationKind } from '../../domain/notifications';
import { DeliveryError } from '../adapter';

/**
 * What an SMS can say: every notification kind, and the one-time code that proves a phone.
 * A domestic Chinese provider only sends templates registered (and reviewed) in advance, filled
 * with positional parameters, so each kind needs a template; a notification kind added without
 * one is a type error in {@link SMS_TEMPLATES}.
 */
export type SmsKind = NotificationKind | 'phone_verification';

/** One registered template: what the operator submits for review, and how a message fills it. */
export interface SmsTemplate {
  /** Tencent's template type: a verification code (验证码) or a notification (通知). Never marketing. */
  readonly type: 'verification' | 'notification';
  /** Who receives it, for the operator's guide and the reviewer's remark (申请说明). */
  readonly audience: string;
  /** The `Envelope.params` names that fill `{1}`, `{2}`…, in that order. */
  readonly params: readonly string[];
  /**
   * The body to register, without the signature: the provider prepends `【signName】` itself, so
   * the text has no 【】 (Tencent refuses them in a template, as they would pass for a signature).
   * Variables appear in order, never side by side, with fixed text saying what the message is.
   */
  readonly text: string;
}

/**
 * The most characters one variable may carry in a notification template: 12, as Tencent Cloud's
 * SendSms error `InvalidParameterValue.TemplateParameterLengthLimit` says ("单个模板变量字符数超过12个",
 * accounts verified as an individual; enterprise-verified accounts have no fixed limit) and the
 * 正文模板审核标准 (cloud.tencent.com/document/product/382/39023 and tencentcloud.com …/382/40659:
 * "个人认证用户…每个变量取值最多支持12个字"). The current standard defers to the limit the console
 * shows for each variable when the template is created; 12 fits every account type documented.
 * Every character counts as one (汉字, letters, digits, punctuation, spaces). `12月20日 19:00` is 12.
 */
export const TEXT_PARAM_LIMIT = 12;

/** A verification template's variable: 0–6 plain digits (same 正文模板审核标准; `InvalidParameterValue.TemplateParameterFormatError`). */
export const CODE_PARAM_LIMIT = 6;

/**
 * The templates to register, one per kind. The texts follow the messages' Chinese half
 * (functions/domain/messages.ts) without the personal details an SMS must not carry (a
 * volunteer's name), and without links, which Tencent allows only as fixed, ICP-filed text.
 */
export const SMS_TEMPLATES = {
  event_cancelled: {
    type: 'notification',
    audience: 'households registered for the event; volunteers on shift at it',
    params: ['community', 'title', 'time'],
    text: '{1}通知：很抱歉，活动「{2}」（{3}）已取消，给您带来不便，敬请谅解。',
  },
  slot_cancelled: {
    type: 'notification',
    audience: 'residents who booked the help-desk evening; volunteers on shift at it',
    params: ['community', 'time'],
    text: '{1}通知：{2}的每晚一小时延时服务已取消，请改约其他时间。',
  },
  waitlist_promoted: {
    type: 'notification',
    audience: 'households moved up from the waitlist',
    params: ['community', 'title', 'time'],
    text: '{1}通知：好消息，您已从候补转为报名成功，活动「{2}」，时间{3}，请准时参加。',
  },
  coverage_alert: {
    type: 'notification',
    audience: "the community's organiser phones",
    params: ['community', 'title', 'time', 'staffed'],
    text: '{1}值班提醒：有志愿者退出了「{2}」（{3}）的值班，目前值班人数{4}，请尽快安排。',
  },
  event_digest: {
    type: 'notification',
    audience: "the community's organiser phones",
    params: ['community', 'title', 'time', 'seats', 'waiting', 'volunteers'],
    text: '{1}活动提醒：「{2}」将于{3}开始，报名{4}，候补{5}人，志愿者{6}。',
  },
  slot_digest: {
    type: 'notification',
    audience: "the community's organiser phones",
    params: ['community', 'time', 'volunteers', 'requests'],
    text: '{1}延时服务提醒：{2}的每晚一小时延时服务，志愿者{3}，居民预约{4}项。',
  },
  shift_reminder: {
    type: 'notification',
    audience: 'the volunteer on shift',
    params: ['community', 'title', 'time', 'venue'],
    text: '{1}值班提醒：您报名的「{2}」值班将于{3}开始，地点：{4}，请准时到岗。',
  },
  phone_verification: {
    type: 'verification',
    audience: 'the person proving the phone number they gave',
    params: ['code'],
    text: '您的手机验证码为{1}，仅用于验证本人手机号，请勿告诉他人。如非本人操作，请忽略本短信。',
  },
} as const satisfies Record<SmsKind, SmsTemplate>;

/**
 * One value as a template variable: on one line, without 【】 (they would pass for a signature),
 * and cut to `limit` characters (counted as code points, as Tencent counts them), ending in `…`
 * when cut so a reader sees that it was.
 */
function fit(value: string, limit: number): string {
  const chars = Array.from(value.replace(/[【】]/g, '').replace(/\s+/g, ' ').trim());
  return chars.length <= limit ? chars.join('') : `${chars.slice(0, limit - 1).join('')}…`;
}

/**
 * The `TemplateParamSet` for one message: the kind's params in template order, each fitted to the
 * per-variable limit. A missing or blank param, or a code that is not 1–6 digits, is a bug in the
 * message and cannot be fixed by sending again: a permanent {@link DeliveryError} naming the param
 * (never its value). A code is checked, never cut: a shortened code would be a wrong one.
 */
export function templateParams(kind: SmsKind, params: Readonly<Record<string, string>>): string[] {
  const template: SmsTemplate = SMS_TEMPLATES[kind];
  return template.params.map((name) => {
    const value = params[name];
    if (value === undefined || value.trim() === '') throw new DeliveryError(`sms_param_missing:${name}`, { permanent: true });
    if (template.type === 'verification') {
      if (!new RegExp(`^\\d{1,${CODE_PARAM_LIMIT}}$`).test(value)) throw new DeliveryError(`sms_param_invalid:${name}`, { permanent: true });
      return value;
    }
    return fit(value, TEXT_PARAM_LIMIT);
  });
}
