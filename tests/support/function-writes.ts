import { AsyncLocalStorage } from 'node:async_hooks';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { addClientPlugin, resetClients } from '../../functions/store/client';
import type { FunctionGroup, LambdaHttpHandler } from '../../functions/http/route';
import { jobs } from '../../functions/jobs';
import { routes } from '../../functions/routes';
import { handler as organiserHandler } from '../../functions/entry/organiser';
import { handler as publicHandler } from '../../functions/entry/public';
import { handler as volunteerHandler } from '../../functions/entry/volunteer';
import { createLocalAuthorizer } from '../../local/jwt';
import { createLocalServer } from '../../local/server';
import { call, type TestApi } from './test-api';

/** Who runs a write: one of the API's function groups, or the scheduled jobs' function. */
export type Writer = FunctionGroup | 'jobs';

/** The item actions IAM authorises a write by (a transaction's items each by their own). */
export type ItemAction = 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';

/** One item action a function sent, as IAM sees it: its key, and the attributes it names. */
export interface ObservedWrite {
  /** Undefined: sent by the test itself ({@link asTest}), or outside any invocation. */
  readonly writer: Writer | undefined;
  /** The route (`POST /communities/{c}/events`) or job (`job reminders`) that sent it, or `test: …`. */
  readonly by: string | undefined;
  readonly action: ItemAction;
  /** `TransactWriteItems` when the item was one of a transaction's. */
  readonly within?: 'TransactWriteItems';
  readonly pk: string;
  readonly sk: string;
  /**
   * Every top-level attribute the request names for this item, as `dynamodb:Attributes` counts
   * them: the key, the item's attributes (Put), those the update expression sets, adds, removes or
   * reads, and those the condition expression evaluates.
   */
  readonly attributes: readonly string[];
}

/** The text of a partition key up to and including its first `#` (`EVENT#c#e` → `EVENT#`). */
export function prefixOf(pk: string): string {
  const hash = pk.indexOf('#');
  return hash < 0 ? pk : pk.slice(0, hash + 1);
}

const invocation = new AsyncLocalStorage<{ writer: Writer | undefined; by: string }>();

/** Runs `work` as `writer` would on AWS: every DynamoDB call it makes is attributed to it. */
export function runAs<T>(writer: Writer, by: string, work: () => Promise<T>): Promise<T> {
  return invocation.run({ writer, by }, work);
}

/** Marks what the test itself writes (a crash's leftovers), so that every other write has a function. */
export function asTest<T>(what: string, work: () => Promise<T>): Promise<T> {
  return invocation.run({ writer: undefined, by: `test: ${what}` }, work);
}

const EXPRESSION_WORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN']);

/**
 * The top-level attribute names an expression refers to: plain names and `#aliases` (resolved),
 * not values (`:v`), functions (`if_not_exists(`), keywords, or the nested part of a path (`a.b`).
 */
export function attributesIn(expression: string | undefined, names: Record<string, string> = {}): string[] {
  if (!expression) return [];
  const found: string[] = [];
  const token = /([#:]?[A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g;
  for (let match = token.exec(expression); match; match = token.exec(expression)) {
    const [, word, call] = match;
    const before = expression.slice(0, match.index).trimEnd().at(-1);
    if (word!.startsWith(':') || call || before === '.' || EXPRESSION_WORDS.has(word!.toUpperCase())) continue;
    const name = word!.startsWith('#') ? names[word!] : word!;
    if (name === undefined) throw new Error(`Expression "${expression}" names ${word} without an ExpressionAttributeNames entry`);
    found.push(name);
  }
  return found;
}

type Marshalled = Record<string, unknown>;
const stringOf = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const s = (value as { S?: unknown } | undefined)?.S;
  if (typeof s !== 'string') throw new Error(`Not a string key: ${JSON.stringify(value)}`);
  return s;
};

interface ItemRequest {
  Key?: Marshalled;
  Item?: Marshalled;
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

function describe(action: ItemAction, request: ItemRequest, within?: 'TransactWriteItems') {
  const key = request.Key ?? request.Item;
  if (!key) throw new Error(`${action} without a key`);
  const names = request.ExpressionAttributeNames ?? {};
  const attributes = new Set([
    ...Object.keys(request.Key ?? {}),
    ...Object.keys(request.Item ?? {}),
    ...attributesIn(request.UpdateExpression, names),
    ...attributesIn(request.ConditionExpression, names),
  ]);
  return { action, within, pk: stringOf(key.pk), sk: stringOf(key.sk), attributes: [...attributes].sort() };
}

/** Every item action of a request, or none for a read. Refuses what the recorder cannot tell apart. */
function itemActionsOf(command: string, input: Record<string, unknown>): Omit<ObservedWrite, 'writer' | 'by'>[] {
  switch (command) {
    case 'PutItemCommand':
      return [describe('PutItem', input as ItemRequest)];
    case 'UpdateItemCommand':
      return [describe('UpdateItem', input as ItemRequest)];
    case 'DeleteItemCommand':
      return [describe('DeleteItem', input as ItemRequest)];
    case 'TransactWriteItemsCommand':
      return (input.TransactItems as Record<string, ItemRequest>[]).map((item) => {
        if (item.Put) return describe('PutItem', item.Put, 'TransactWriteItems');
        if (item.Update) return describe('UpdateItem', item.Update, 'TransactWriteItems');
        if (item.Delete) return describe('DeleteItem', item.Delete, 'TransactWriteItems');
        if (item.ConditionCheck) return describe('ConditionCheckItem', item.ConditionCheck, 'TransactWriteItems');
        throw new Error(`Unknown transaction item ${Object.keys(item).join()}`);
      });
    case 'GetItemCommand':
    case 'QueryCommand':
    case 'ScanCommand':
    case 'TransactGetItemsCommand':
      return [];
    default:
      // A Batch write, PartiQL, or anything new: the allow lists know nothing of it, so neither may this.
      throw new Error(`The recorder does not know ${command}: teach it, and lib/constructs/data.ts, what it writes`);
  }
}

export interface WriteRecorder {
  /** Everything written since the recorder started (or since {@link WriteRecorder.clear}). */
  readonly writes: ObservedWrite[];
  /** Every command name sent by each writer (reads too), to check no function scans on AWS. */
  readonly commands: Map<Writer | undefined, Set<string>>;
  clear(): void;
}

/**
 * Records every item action sent through the store's DynamoDB client from now on, with the
 * function running it. A middleware on the client, before serialisation, where the request is
 * already in DynamoDB's own shape (the document client's marshalling runs earlier): what it sees is
 * what IAM is asked to authorise. Each attempt counts, retries and refused conditions included: IAM
 * authorises a write before its condition is evaluated.
 */
export function recordWrites(): WriteRecorder {
  const recorder: WriteRecorder = {
    writes: [],
    commands: new Map(),
    clear: () => {
      recorder.writes.length = 0;
      recorder.commands.clear();
    },
  };
  addClientPlugin((client: DynamoDBClient) => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const current = invocation.getStore();
        const command = String(context.commandName);
        const seen = recorder.commands.get(current?.writer) ?? new Set<string>();
        recorder.commands.set(current?.writer, seen.add(command));
        for (const item of itemActionsOf(command, args.input as Record<string, unknown>)) {
          recorder.writes.push({ writer: current?.writer, by: current?.by, ...item });
        }
        return next(args);
      },
      { step: 'serialize', priority: 'high', name: 'linliWriteRecorder' },
    );
  });
  // The store's client is made once; the next one carries the recorder.
  resetClients();
  return recorder;
}

export interface AttributingApi extends TestApi {
  /** The route keys that answered 2xx at least once. */
  readonly served: ReadonlySet<string>;
  close(): Promise<void>;
}

/**
 * The same API as `test-api` serves (routes, handlers, the JWT authorizer mirror, the local job
 * triggers), on a server of its own whose handlers run each invocation as its function group and
 * each job as the jobs function ({@link runAs}). Call after `startTestApi()`, which sets up the
 * environment, the table and the signing key this server shares.
 */
export async function startAttributingApi(api: TestApi): Promise<AttributingApi> {
  const served = new Set<string>();
  const as =
    (group: FunctionGroup, handler: LambdaHttpHandler): LambdaHttpHandler =>
    async (event, context) => {
      const result = await runAs(group, event.routeKey, () => handler(event, context));
      if ((result.statusCode ?? 200) < 300) served.add(event.routeKey);
      return result;
    };
  const server = createLocalServer({
    routes,
    handlers: {
      public: as('public', publicHandler),
      volunteer: as('volunteer', volunteerHandler),
      organiser: as('organiser', organiserHandler),
    },
    authorize: createLocalAuthorizer(api.runtime.signingKey),
    jobs: jobs.map((job) => ({ ...job, run: (now, budget) => runAs('jobs', `job ${job.name}`, () => job.run(now, budget)) })),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...api,
    url,
    served,
    call: (method, path, options) => call(url, method, path, options),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
