import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A network between the API and DynamoDB Local that can lose answers: every request reaches the
 * database and is carried out, but while `loseWrites` is on, the answer to a write
 * (TransactWriteItems, PutItem, UpdateItem, DeleteItem) never comes back: the connection is cut
 * after the database answered. That is the fault no client can tell from a timeout: the effect
 * is stored, and the caller does not know it.
 */
export interface LossyProxy {
  readonly endpoint: string;
  /** Cut the answer to every write while true. */
  loseWrites: boolean;
  /** Writes whose answer was cut so far. */
  readonly lost: number;
  /**
   * While set, a request it matches (by its `X-Amz-Target` and body) never reaches the database
   * and is answered `503 ServiceUnavailable`, as an unreachable database would.
   */
  refuse: ((target: string, body: string) => boolean) | undefined;
  /**
   * While set, the answer to a write it matches (by its `X-Amz-Target` and body) is cut after the
   * database carried the write out, as `loseWrites` does for every write: one lost answer, with
   * the SDK then sending the same request again.
   */
  loseAnswer: ((target: string, body: string) => boolean) | undefined;
  stop(): Promise<void>;
}

const WRITES = /\.(TransactWriteItems|PutItem|UpdateItem|DeleteItem)$/;

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const { hostname, port } = new URL(target);
  let lost = 0;
  const state: { loseWrites: boolean; refuse: LossyProxy['refuse']; loseAnswer: LossyProxy['loseAnswer'] } = { loseWrites: false, refuse: undefined, loseAnswer: undefined };
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const target = String(incoming.headers['x-amz-target'] ?? '');
      const isWrite = WRITES.test(target);
      const text = Buffer.concat(chunks).toString('utf8');
      if (state.refuse?.(target, text)) {
        outgoing.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
        outgoing.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable', message: 'refused by the test' }));
        return;
      }
      const loseThis = isWrite && (state.loseWrites || Boolean(state.loseAnswer?.(target, text)));
      const upstream = request({ hostname, port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => body.push(chunk));
        answer.on('end', () => {
          if (loseThis) {
            lost += 1;
            outgoing.socket?.destroy();
            return;
          }
          outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
          outgoing.end(Buffer.concat(body));
        });
      });
      upstream.on('error', () => outgoing.socket?.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${own}`,
    get loseWrites() {
      return state.loseWrites;
    },
    set loseWrites(value: boolean) {
      state.loseWrites = value;
    },
    get refuse() {
      return state.refuse;
    },
    set refuse(value: LossyProxy['refuse']) {
      state.refuse = value;
    },
    get loseAnswer() {
      return state.loseAnswer;
    },
    set loseAnswer(value: LossyProxy['loseAnswer']) {
      state.loseAnswer = value;
    },
    get lost() {
      return lost;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
