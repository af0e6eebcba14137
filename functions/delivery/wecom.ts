import { DeliveryError, type DeliveryAdapter, type Envelope } from './adapter';

/** Where 企业微信 group robots live. The only host a robot message is ever sent to on AWS. */
export const WECOM_BASE = 'https://qyapi.weixin.qq.com';

const SEND_PATH = '/cgi-bin/webhook/send';

/**
 * A robot key as 企业微信 issues it: a UUID in lowercase hex (8-4-4-4-12). The version and variant
 * digits are not checked: only the shape is, so that no real key is refused.
 */
const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The one address accepted, character for character: no port, userinfo, fragment or other parameter. */
const WEBHOOK = new RegExp(`^https://qyapi\\.weixin\\.qq\\.com/cgi-bin/webhook/send\\?key=(${KEY.source.slice(1, -1)})$`);

/** 企业微信's limit on `markdown.content`, in UTF-8 bytes. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

/**
 * Reads the webhook address an organiser pastes from the group's robot settings and keeps only
 * its key. The raw text is matched whole against the one real form instead of being parsed: a
 * URL parser forgives (case, `:443`, `\`, tabs, `。` in hosts, percent-encoding) and every
 * forgiveness is a way to smuggle another host in. Only the key is stored and the address is
 * rebuilt from {@link WECOM_BASE} when sending, so nothing else of what was pasted ever reaches
 * a request. The error never quotes the input (it may hold a key).
 */
export function parseWecomWebhook(url: string): { key: string } | { error: string } {
  const text = url.trim();
  const whole = WEBHOOK.exec(text);
  if (whole) return { key: whole[1]! };
  if (text === '') return { error: 'Enter the robot webhook URL.' };
  if (!text.startsWith('https://')) return { error: 'The webhook URL must start with https://.' };
  if (!text.startsWith(`${WECOM_BASE}/`)) return { error: 'Only https://qyapi.weixin.qq.com robot URLs are accepted.' };
  if (!text.startsWith(`${WECOM_BASE}${SEND_PATH}?`)) return { error: 'Not a group robot URL (…/cgi-bin/webhook/send?key=…).' };
  const query = text.slice(`${WECOM_BASE}${SEND_PATH}?`.length);
  if (!query.startsWith('key=') || /[&#;]/.test(query)) return { error: 'The webhook URL must carry the key and nothing else.' };
  return { error: 'The key is not a WeCom robot key.' };
}

/** Characters that are markup anywhere in a line, and their full-width look-alikes. */
const INLINE: Readonly<Record<string, string>> = {
  '<': '＜', // <font>, <@userid> mentions, autolinks, any HTML
  '>': '＞', // quotes
  '[': '［', // links and images
  ']': '］',
  '*': '＊', // bold, italics
  _: '＿',
  '`': '｀', // code
  '~': '～', // strikethrough
  '\\': '＼', // escapes
  '&': '＆', // entities that a renderer might turn back into `<`
};

/** Characters that are markup at the start of a line: headings, lists, setext underlines, tables (and `1.` lists, below). */
const LINE_START: Readonly<Record<string, string>> = { '#': '＃', '-': '－', '+': '＋', '=': '＝', '|': '｜' };

/**
 * Organisers' text (an event's title, a community's name, a volunteer's name) as plain text in
 * 企业微信 markdown. Markup characters become their full-width look-alikes rather than being
 * backslash-escaped: 企业微信 does not document escapes (a `\` may show as is, or not protect),
 * the look-alikes read naturally in Chinese text, and each is one code point, so trimming can
 * never cut an escape in half. `://` loses its colon too (`：//`), so a pasted address is not
 * turned into a link by the client either. Control characters, invisible direction marks and
 * indentation (a code block) go; line breaks and the joiners inside emoji stay.
 */
export function plainMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
    .replace(/[<>[\]*_`~\\&]/g, (c) => INLINE[c]!)
    .replace(/:\/\//g, '：//')
    .replace(/^[^\S\n]+/gm, '')
    .replace(/^[#+=|-]/gm, (c) => LINE_START[c]!)
    .replace(/^(\d+)([.)])/gm, (_, digits: string, c: string) => `${digits}${c === '.' ? '．' : '）'}`);
}

const utf8 = new TextEncoder();
const bytes = (text: string): number => utf8.encode(text).length;

/**
 * `text` cut to at most `max` UTF-8 bytes, ending in `…` when cut. It is cut between graphemes
 * (never inside a character, a surrogate pair or an emoji sequence).
 */
export function fitBytes(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  const room = max - bytes('…');
  let used = 0;
  let kept = '';
  for (const { segment } of new Intl.Segmenter('zh', { granularity: 'grapheme' }).segment(text)) {
    const size = bytes(segment);
    if (used + size > room) break;
    used += size;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}

/** Room kept for the heading, so that a runaway subject still leaves the body most of the message. */
const HEADING_MAX_BYTES = 512;

/**
 * The envelope as one 企业微信 markdown message: a heading naming the community and the subject
 * (the subject's own `【community】` prefix is not repeated), then the whole body, Chinese then
 * English, as plain text. Every piece of it comes from people (organisers name events and
 * communities), so all of it goes through {@link plainMarkdown}; the only markup is the
 * heading's own `## `. The result fits 企业微信's 4096-byte limit: the body is trimmed, with `…`.
 */
export function wecomMarkdown(envelope: Pick<Envelope, 'community' | 'subject' | 'body'>): string {
  const prefix = `【${envelope.community}】`;
  const title = envelope.subject.startsWith(prefix) ? envelope.subject : `${prefix}${envelope.subject}`;
  const heading = `## ${fitBytes(plainMarkdown(title).replace(/\s+/g, ' ').trim(), HEADING_MAX_BYTES)}\n`;
  const body = plainMarkdown(envelope.body).trim();
  return heading + fitBytes(body, WECOM_MARKDOWN_MAX_BYTES - bytes(heading));
}

/** Answers that say "not now": busy (-1), the robot's 20-a-minute limit, too many calls at once. */
const BUSY = -1;
const RATE_LIMITED = 45009;
const CONCURRENCY_LIMITED = 45033;

/** How long 企业微信's per-minute window takes to free a place. */
const RATE_LIMIT_PAUSE_MS = 60_000;

/** 企业微信 answers errors as `{"errcode": n, "errmsg": "…"}`; `errmsg` may quote the request, so only `errcode` is read. */
function errcodeOf(text: string): number | undefined {
  try {
    const answer: unknown = JSON.parse(text);
    if (typeof answer !== 'object' || answer === null) return undefined;
    const { errcode } = answer as { errcode?: unknown };
    return Number.isSafeInteger(errcode) ? (errcode as number) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why a fetch threw, as a code that quotes nothing of the error: fetch's messages can hold the
 * request URL, and with it the key, so the thrown error is neither passed on as `cause` nor read
 * beyond its name.
 */
function failureOf(error: unknown, signal: AbortSignal): DeliveryError {
  // Read by shape, not `instanceof`: fetch's errors may come from another realm (undici, a test VM).
  const field = (value: unknown, name: 'name' | 'message' | 'cause'): unknown =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  const name = field(error, 'name');
  if (signal.aborted || name === 'TimeoutError' || name === 'AbortError') return new DeliveryError('wecom:timeout');
  // undici refuses a redirect under `redirect: 'error'` as TypeError('fetch failed', { cause: Error('unexpected redirect') }).
  if (field(field(error, 'cause'), 'message') === 'unexpected redirect') return new DeliveryError('wecom:redirect');
  return new DeliveryError('wecom:network');
}

/**
 * Delivery to a 企业微信 group robot: the envelope's address is the robot's key (never a URL, so
 * the request can only go to `base`), the message its markdown. Redirects are refused (a robot
 * never redirects; following one would send the key and the message elsewhere). The answer's
 * `errcode` decides: the rate limit asks for a minute's pause, a busy server or a lost answer is
 * retried, a bad key or a refused message is permanent. A timeout is retried too, though the
 * robot may have posted the message already: a rare duplicate in the group beats a lost notice.
 * Every {@link DeliveryError} code is fixed text or a number; the key is in none of them.
 */
export function wecomRobot(options: { base?: string; fetch?: typeof fetch; timeoutMs?: number } = {}): DeliveryAdapter {
  const base = (options.base ?? WECOM_BASE).replace(/\/+$/, '');
  const send: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    name: 'wecom',
    deliver: async (envelope: Envelope) => {
      if (envelope.channel !== 'wecom') throw new DeliveryError('wecom:wrong-channel', { permanent: true });
      if (!KEY.test(envelope.address)) throw new DeliveryError('wecom:invalid-key', { permanent: true });
      const signal = AbortSignal.timeout(timeoutMs);
      let status: number;
      let text: string;
      try {
        const response = await send(`${base}${SEND_PATH}?key=${encodeURIComponent(envelope.address)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ msgtype: 'markdown', markdown: { content: wecomMarkdown(envelope) } }),
          redirect: 'error',
          signal,
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        throw failureOf(error, signal);
      }
      if (status >= 500) throw new DeliveryError(`wecom:http-${status}`);
      if (status >= 300 && status < 400) throw new DeliveryError('wecom:redirect');
      const errcode = errcodeOf(text);
      if (errcode === undefined) {
        if (status === 429) throw new DeliveryError('wecom:http-429', { retryAfterMs: RATE_LIMIT_PAUSE_MS });
        throw new DeliveryError(status >= 400 ? `wecom:http-${status}` : 'wecom:bad-answer');
      }
      if (errcode === 0) {
        if (status >= 400) throw new DeliveryError(`wecom:http-${status}`);
        return;
      }
      if (errcode === RATE_LIMITED) throw new DeliveryError(`wecom:${errcode}`, { retryAfterMs: RATE_LIMIT_PAUSE_MS });
      if (errcode === BUSY || errcode === CONCURRENCY_LIMITED) throw new DeliveryError(`wecom:${errcode}`);
      // 93000 (invalid webhook URL, robot removed), the other 93xxx robot errors, 40008/40058 and
      // 44xxx/45002 (the message refused): sending the same again cannot succeed.
      throw new DeliveryError(`wecom:${errcode}`, { permanent: true });
    },
  };
}
