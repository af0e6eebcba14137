import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A 企业微信 group robot endpoint on 127.0.0.1, answering as the real one does, so the adapter is
 * tested over real HTTP (redirects, JSON, status codes) rather than against a stubbed fetch.
 */
export interface FakeWecom {
  /** `http://127.0.0.1:<port>`: what `WECOM_WEBHOOK_BASE` / the adapter's `base` is set to. */
  readonly base: string;
  /** Every message the robot accepted, in order: its key and its parsed JSON body. */
  readonly messages: { key: string; body: any }[];
  /** Answer the next `n` (default 1) sends with `{"errcode": errcode}` instead of accepting them. */
  failNext(errcode: number, n?: number): void;
  /** Answer the next send with `302 Found` to `location`. */
  redirectNext(location: string): void;
  stop(): Promise<void>;
}

/** 企业微信's limit: 20 messages a minute per robot; the 21st within a minute gets 45009. */
const PER_MINUTE = 20;
const MINUTE_MS = 60_000;
const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_CONTENT_BYTES = { text: 2048, markdown: 4096 } as const;

function answer(outgoing: ServerResponse, errcode: number, errmsg: string, status = 200): void {
  outgoing.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  outgoing.end(JSON.stringify({ errcode, errmsg }));
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

/**
 * What 企业微信 would say of a message body: `undefined` when it is a valid `text` or `markdown`
 * message, else the errcode it answers (40008 unknown msgtype, 40058 missing or oversized content).
 */
function refusalOf(body: any): number | undefined {
  if (typeof body !== 'object' || body === null) return 40058;
  const kind = body.msgtype;
  if (kind !== 'text' && kind !== 'markdown') return 40008;
  const content = body[kind]?.content;
  if (typeof content !== 'string' || content === '') return 40058;
  if (Buffer.byteLength(content, 'utf8') > MAX_CONTENT_BYTES[kind as 'text' | 'markdown']) return 40058;
  return undefined;
}

/**
 * Starts the fake robot endpoint. Only `POST /cgi-bin/webhook/send?key=<key>` is served; a key
 * not of the robot-key shape gets 93000 (as an unknown key does). `now` lets a test move the
 * per-minute window without waiting.
 */
export async function startFakeWecom(options: { now?: () => number } = {}): Promise<FakeWecom> {
  const now = options.now ?? Date.now;
  const messages: { key: string; body: any }[] = [];
  const sentAt = new Map<string, number[]>();
  let failures: { errcode: number; left: number } | undefined;
  let redirect: string | undefined;

  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const url = new URL(incoming.url ?? '/', 'http://fake-wecom');
      const text = await readBody(incoming);
      if (url.pathname !== '/cgi-bin/webhook/send') return answer(outgoing, 404, 'not found', 404);
      if (incoming.method !== 'POST') return answer(outgoing, 40000, 'method not allowed', 405);
      const key = url.searchParams.get('key') ?? '';
      if ([...url.searchParams.keys()].some((name) => name !== 'key') || !KEY.test(key)) {
        return answer(outgoing, 93000, 'invalid webhook url');
      }
      if (redirect !== undefined) {
        outgoing.writeHead(302, { location: redirect });
        outgoing.end();
        redirect = undefined;
        return;
      }
      if (failures) {
        const { errcode } = failures;
        failures.left -= 1;
        if (failures.left <= 0) failures = undefined;
        return answer(outgoing, errcode, `error ${errcode} (set by the test)`);
      }
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        return answer(outgoing, 40058, 'Warning: wrong json format.');
      }
      const refusal = refusalOf(body);
      if (refusal !== undefined) return answer(outgoing, refusal, 'invalid message');
      const at = now();
      const recent = (sentAt.get(key) ?? []).filter((t) => at - t < MINUTE_MS);
      if (recent.length >= PER_MINUTE) {
        sentAt.set(key, recent);
        return answer(outgoing, 45009, 'api freq out of limit');
      }
      sentAt.set(key, [...recent, at]);
      messages.push({ key, body });
      answer(outgoing, 0, 'ok');
    })().catch(() => outgoing.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    base: `http://127.0.0.1:${port}`,
    messages,
    failNext(errcode: number, n = 1) {
      failures = n > 0 ? { errcode, left: n } : undefined;
    },
    redirectNext(location: string) {
      redirect = location;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
