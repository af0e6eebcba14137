import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface HttpResult {
  status: number;
  body: any;
  text: string;
  headers: IncomingHttpHeaders;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A small keep-alive HTTP/1.1 client on node:http (the same transport the AWS SDK uses for
 * DynamoDB), so that the request path and the floor pay for the same kind of client.
 * Loopback only: the base URL is the local API server's.
 */
export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  /** `timeoutMs`: how long a request may wait for its answer before it is abandoned (an error). */
  constructor(baseUrl: string, maxSockets = 64, private readonly timeoutMs = 15_000) {
    const url = new URL(baseUrl);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`The bench only calls loopback, not ${url.hostname}`);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /**
   * One request. A keep-alive socket the server closed while it sat idle in the pool fails at once
   * with ECONNRESET before the request reached the server; that one case is sent again, once, on a
   * new socket (Node's documented pattern for reused sockets).
   */
  async call(method: string, path: string, options: CallOptions = {}): Promise<HttpResult> {
    try {
      return await this.send(method, path, options);
    } catch (error) {
      if ((error as { reusedSocketReset?: boolean }).reusedSocketReset) return this.send(method, path, options);
      throw error;
    }
  }

  private send(method: string, path: string, options: CallOptions): Promise<HttpResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body, text, headers: res.headers });
        });
        res.on('error', reject);
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (req.reusedSocket && error.code === 'ECONNRESET') Object.assign(error, { reusedSocketReset: true });
        reject(error);
      });
      req.end(payload);
    });
  }

  /** Like call, but throws unless the status is the expected one (set-up steps). */
  async expect(status: number, method: string, path: string, options: CallOptions = {}): Promise<any> {
    const result = await this.call(method, path, options);
    if (result.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${result.status} ${result.text.slice(0, 300)}`);
    return result.body;
  }

  close(): void {
    this.agent.destroy();
  }
}
