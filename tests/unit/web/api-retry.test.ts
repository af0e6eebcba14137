/**
 * The pages' API client (web/js/api.js) when the network or the service falters, in a stand-in
 * browser (fetch, window and CustomEvent are globals here, as in the page): a lost connection, a
 * 503 and a short 429 are tried again with the very same request, Idempotency-Key included, and
 * each retry is announced so the page can say it is still trying; a long 429 is the person's answer.
 */
export {};

type Json = Record<string, any>;

let calls: { url: string; init: Json }[];
let answers: (() => Promise<Json>)[];
let announced: number[];

const response = (status: number, body: unknown, headers: Record<string, string> = {}) => async () => ({
  status,
  ok: status < 300,
  headers: new Headers(headers),
  json: async () => body,
});
const lost = () => async () => {
  throw new TypeError('Failed to fetch');
};

// The pauses between attempts (up to seconds) pass on Jest's clock, not the test's time.
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** Runs a call to its end, its pauses included. */
async function settled<T>(pending: Promise<T>): Promise<T> {
  const outcome = pending.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await jest.runAllTimersAsync();
  const result = (await outcome) as { value?: T; error?: unknown };
  if ('error' in result) throw result.error;
  return result.value as T;
}

beforeEach(() => {
  calls = [];
  announced = [];
  Object.assign(globalThis, {
    window: { dispatchEvent: (event: { detail: { attempt: number } }) => announced.push(event.detail.attempt) },
    CustomEvent: class {
      constructor(
        readonly type: string,
        readonly init: { detail: unknown },
      ) {}
      get detail() {
        return this.init.detail;
      }
    },
    fetch: async (url: string, init: Json) => {
      calls.push({ url, init });
      return answers.shift()!();
    },
  });
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const client = () => require('../../../web/js/api.js') as Json;
const body = { name: '赵', phone: '+8613912345678' };

it('sends a sign-up again after a lost connection, a 503 and a short 429, with the same key each time, announcing each retry', async () => {
  answers = [lost(), response(503, { code: 'unavailable' }, { 'Retry-After': '1' }), response(429, { code: 'rate_limited' }, { 'Retry-After': '1' }), response(201, { registration: { id: 'r1' } })];
  const answer = await settled(client().api.register('xingfu', 'e1', body, 'key-123'));
  expect(answer).toEqual({ registration: { id: 'r1' } });
  expect(calls).toHaveLength(4);
  expect(calls.map((call) => call.init.headers['Idempotency-Key'])).toEqual(['key-123', 'key-123', 'key-123', 'key-123']);
  expect(new Set(calls.map((call) => call.init.body)).size).toBe(1);
  expect(announced).toEqual([1, 2, 3]);
});

it('gives up after four retries with the network error, and takes a long 429 as the answer at once', async () => {
  answers = [lost(), lost(), lost(), lost(), lost()];
  await expect(settled(client().api.register('xingfu', 'e1', body, 'key-456'))).rejects.toMatchObject({ code: 'network' });
  expect(calls).toHaveLength(5);

  calls = [];
  answers = [response(429, { code: 'rate_limited', detail: 'Try again in an hour' }, { 'Retry-After': '3600' })];
  await expect(settled(client().api.register('xingfu', 'e1', body, 'key-789'))).rejects.toMatchObject({ code: 'rate_limited', status: 429 });
  expect(calls).toHaveLength(1);
});
