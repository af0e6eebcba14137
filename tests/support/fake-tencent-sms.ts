import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The `SendSms` body as the SDK sends it (API 2021-01-11, JSON over POST). */
export interface SendSmsBody {
  readonly PhoneNumberSet: string[];
  readonly SmsSdkAppId: string;
  readonly TemplateId: string;
  readonly SignName?: string;
  readonly TemplateParamSet?: string[];
  readonly SessionContext?: string;
}

/** One request the fake accepted: its body and the headers that carry the API's envelope. */
export interface RecordedSendSms {
  readonly body: SendSmsBody;
  /** `TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=…, Signature=…`. */
  readonly authorization: string;
  readonly region: string | undefined;
  readonly version: string | undefined;
}

type Planned = { readonly kind: 'code'; readonly code: string } | { readonly kind: 'error'; readonly code: string } | { readonly kind: 'http'; readonly status: number };

/**
 * Tencent Cloud SMS on loopback, speaking API 3.0 as `tencentcloud-sdk-nodejs-sms` calls it: a
 * POST whose `X-TC-Action` is `SendSms`, signed with a `TC3-HMAC-SHA256` Authorization header
 * (present, not verified), with a JSON body. It answers in Tencent's documented shape: a
 * `SendStatusSet` entry per number (`Code: "Ok"` unless told otherwise) or a whole-request
 * `Error`. An unsigned request or another action gets the error Tencent would give, and is not
 * recorded.
 */
export interface FakeTencentSms {
  /** `127.0.0.1:<port>`, for the adapter's `endpoint`. */
  readonly endpoint: string;
  /** The accepted requests, oldest first. */
  readonly requests: readonly RecordedSendSms[];
  /** Requests refused for a missing signature or a wrong action. */
  readonly refused: number;
  /** The next `times` requests get this `Code` in their SendStatusSet (e.g. `LimitExceeded.PhoneNumberDailyLimit`). */
  answerCode(code: string, times?: number): void;
  /** The next `times` requests fail whole: `{"Response":{"Error":{"Code":code,…},"RequestId"}}`. */
  answerError(code: string, times?: number): void;
  /** The next `times` requests get this HTTP status and no Tencent body (a gateway failing). */
  answerHttp(status: number, times?: number): void;
  stop(): Promise<void>;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function startFakeTencentSms(): Promise<FakeTencentSms> {
  const requests: RecordedSendSms[] = [];
  const plan: Planned[] = [];
  let refused = 0;

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const requestId = randomUUID();
      const answer = (body: unknown, status = 200) => {
        outgoing.writeHead(status, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify(body));
      };
      const error = (code: string, message: string) => answer({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });

      const authorization = header(incoming, 'authorization') ?? '';
      if (!authorization.startsWith('TC3-HMAC-SHA256 ')) {
        refused += 1;
        return error('AuthFailure.InvalidAuthorization', 'Authorization is not a TC3-HMAC-SHA256 signature.');
      }
      if (incoming.method !== 'POST' || header(incoming, 'x-tc-action') !== 'SendSms') {
        refused += 1;
        return error('InvalidAction', 'This fake answers SendSms only.');
      }
      let body: SendSmsBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SendSmsBody;
      } catch {
        refused += 1;
        return error('FailedOperation.JsonParseFail', 'The body is not JSON.');
      }
      requests.push({ body, authorization, region: header(incoming, 'x-tc-region'), version: header(incoming, 'x-tc-version') });

      const next = plan.shift();
      if (next?.kind === 'http') {
        outgoing.writeHead(next.status, { 'content-type': 'text/plain' });
        outgoing.end('upstream failed');
        return;
      }
      // Tencent's texts can quote the number; the fake's do, so tests see that nothing copies them.
      if (next?.kind === 'error') return error(next.code, `${next.code}: ${body.PhoneNumberSet?.join(',')}`);
      const code = next?.kind === 'code' ? next.code : 'Ok';
      answer({
        Response: {
          SendStatusSet: (body.PhoneNumberSet ?? []).map((phone) => ({
            SerialNo: code === 'Ok' ? `2640:${randomUUID()}` : '',
            PhoneNumber: phone,
            Fee: code === 'Ok' ? 1 : 0,
            SessionContext: body.SessionContext ?? '',
            Code: code,
            Message: code === 'Ok' ? 'send success' : `${code} for ${phone}`,
            IsoCode: phone.startsWith('+86') ? 'CN' : 'DEF',
          })),
          RequestId: requestId,
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const repeat = (entry: Planned, times: number) => {
    for (let i = 0; i < times; i += 1) plan.push(entry);
  };
  return {
    endpoint: `127.0.0.1:${port}`,
    requests,
    get refused() {
      return refused;
    },
    answerCode: (code, times = 1) => repeat({ kind: 'code', code }, times),
    answerError: (code, times = 1) => repeat({ kind: 'error', code }, times),
    answerHttp: (status, times = 1) => repeat({ kind: 'http', status }, times),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
