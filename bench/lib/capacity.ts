import {
  DynamoDBClient,
  GetItemCommand,
  type AttributeValue,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type ConsumedCapacity,
} from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';

/** One DynamoDB request as the recorder saw it. */
export interface OpRecord {
  /** GetItem, Query, UpdateItem, TransactWriteItems… */
  command: string;
  /** What it touched: the item's key prefix (EVENT, REG, RATE…), or the queried partition. */
  target: string;
  kind: 'read' | 'write';
  /** CapacityUnits as DynamoDB Local reported them (ReturnConsumedCapacity: TOTAL), summed over tables. */
  units: number;
  consistent: boolean;
  /** Items in a TransactWriteItems, and how many of them are ConditionChecks. */
  transactItems: number;
  conditionChecks: number;
  /** Items a read returned. */
  itemsRead?: number;
  /** The error name, when the request failed (DynamoDB Local then reports no capacity). */
  failed?: string;
  /**
   * TransactWriteItems only: WRU by AWS's rules from the sizes of the items before and after
   * (see priceTransaction), since DynamoDB Local's own figure for transactions is not reliable.
   */
  estimatedWru?: number;
  /** What the estimate is made of, item by item ("Update EVENT 0.6 KB ×2 + gsi1 1"). */
  estimate?: string[];
  /** When the request was sent and answered (performance.now()), to tell sequential from parallel. */
  startMs: number;
  endMs: number;
}

export type RecorderMode = 'off' | 'count' | 'capacity';

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/** The value of a key attribute, in document form ('x') or marshalled form ({ S: 'x' }). */
function plain(value: unknown): string {
  if (value && typeof value === 'object' && 'S' in value) return String((value as { S: unknown }).S);
  return value === undefined ? '' : String(value);
}

/** The first all-capitals segment of a key ("EVENT#lat#01J…" → "EVENT"): what kind of item it is. */
function kindOf(value: string): string | undefined {
  return value.split('#').find((segment) => /^[A-Z]{2,}$/.test(segment));
}

export function itemLabel(key: Record<string, unknown> | undefined): string {
  if (!key) return '?';
  return kindOf(plain(key.sk)) ?? kindOf(plain(key.pk)) ?? '?';
}

/** "COMMUNITY#lat#EVENTS" → "COMMUNITY#EVENTS": the capitals segments of a queried partition. */
function partitionLabel(value: string): string {
  return value.split('#').filter((segment) => /^[A-Z]{2,}$/.test(segment)).join('#') || '?';
}

function describe(command: string, input: Record<string, any>): Pick<OpRecord, 'target' | 'transactItems' | 'conditionChecks' | 'consistent'> {
  const none = { transactItems: 0, conditionChecks: 0, consistent: Boolean(input.ConsistentRead) };
  switch (command) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return { ...none, target: itemLabel(input.Key) };
    case 'PutItem':
      return { ...none, target: itemLabel(input.Item) };
    case 'Query':
    case 'Scan': {
      const condition = String(input.KeyConditionExpression ?? '');
      const placeholder = condition.match(/=\s*(:\w+)/)?.[1];
      const value = placeholder ? plain(input.ExpressionAttributeValues?.[placeholder]) : '';
      const prefixPlaceholder = condition.match(/begins_with\(\s*\w+\s*,\s*(:\w+)\s*\)/)?.[1];
      const prefix = prefixPlaceholder ? ` ${plain(input.ExpressionAttributeValues?.[prefixPlaceholder])}` : '';
      return { ...none, target: `${input.IndexName ? `${input.IndexName} ` : ''}${partitionLabel(value)}${prefix}` };
    }
    case 'TransactWriteItems': {
      const items = (input.TransactItems ?? []) as Record<string, any>[];
      const parts = items.map((item) => {
        const [action, body] = Object.entries(item)[0] ?? ['?', {}];
        return `${action} ${itemLabel(action === 'Put' ? body.Item : body.Key)}`;
      });
      return {
        target: `[${parts.join(', ')}]`,
        transactItems: items.length,
        conditionChecks: items.filter((item) => 'ConditionCheck' in item).length,
        consistent: false,
      };
    }
    default:
      return { ...none, target: '' };
  }
}

function unitsOf(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  if (!consumed) return 0;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((total, entry) => total + (entry.CapacityUnits ?? 0), 0);
}

/**
 * Records every request a DynamoDB client sends, through a middleware on the client's stack
 * (the document client shares its stack, so lib-dynamodb commands and Powertools' low-level ones
 * are both seen). In `capacity` mode it asks for ReturnConsumedCapacity: TOTAL (unless the caller
 * already asked) and keeps what came back; in `count` mode it only counts requests by command,
 * changing nothing; `off` passes through.
 */
export class CapacityRecorder {
  mode: RecorderMode = 'off';
  ops: OpRecord[] = [];
  counts: Record<string, number> = {};
  /** Time spent reading items to price transactions, taken out of the measured durations. */
  private overheadMs = 0;

  /** `pricing`: a client of its own (not recorded) for reading items before and after a transaction. */
  constructor(private readonly pricing?: DynamoDBClient) {}

  install(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (this.mode === 'off') return next(args);
        const command = String(context.commandName ?? '?').replace(/Command$/, '');
        if (this.mode === 'count') {
          this.counts[command] = (this.counts[command] ?? 0) + 1;
          return next(args);
        }
        const input = args.input as Record<string, any>;
        input.ReturnConsumedCapacity ??= 'TOTAL';
        const base = { command, kind: READS.has(command) ? ('read' as const) : ('write' as const), ...describe(command, input) };
        const priced = command === 'TransactWriteItems' && this.pricing ? await this.timed(() => readTransactionItems(this.pricing!, input)) : undefined;
        const startMs = performance.now();
        try {
          const result = await next(args);
          const endMs = performance.now();
          const output = result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[]; Items?: unknown[]; Item?: unknown; Count?: number };
          const itemsRead = base.kind === 'read' ? (output.Items?.length ?? output.Count ?? (output.Item ? 1 : 0)) : undefined;
          const estimate = priced ? priceTransaction(priced, await this.timed(() => readItems(this.pricing!, priced))) : undefined;
          this.ops.push({ ...base, units: unitsOf(output.ConsumedCapacity), itemsRead, estimatedWru: estimate?.wru, estimate: estimate?.parts, startMs, endMs });
          return result;
        } catch (error) {
          this.ops.push({ ...base, units: 0, failed: (error as Error).name, startMs, endMs: performance.now() });
          throw error;
        }
      },
      { step: 'initialize', name: 'linliBenchRecorder' },
    );
  }

  private async timed<T>(fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.overheadMs += performance.now() - t0;
    }
  }

  /**
   * Runs `fn` with capacity recording on and returns the requests it made, and its duration less
   * the time the recorder spent pricing transactions. Calls must not overlap.
   */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; ops: OpRecord[]; ms: number }> {
    const previous = this.mode;
    this.mode = 'capacity';
    this.ops = [];
    this.overheadMs = 0;
    const t0 = performance.now();
    try {
      const result = await fn();
      return { result, ops: this.ops, ms: performance.now() - t0 - this.overheadMs };
    } finally {
      this.mode = previous;
      this.ops = [];
    }
  }

  takeCounts(): Record<string, number> {
    const counts = this.counts;
    this.counts = {};
    return counts;
  }
}


/** The table's indexes (functions/store/table-definition.ts), all with projection ALL. */
const INDEXES = [
  { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' },
  { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk' },
] as const;

type Item = Record<string, AttributeValue>;

/** DynamoDB's item size rules: names and values in UTF-8 bytes, numbers ~1 byte per 2 digits + 1, containers 3 bytes + 1 per element. */
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);
  if (value.NS) return value.NS.reduce((sum, entry) => sum + Math.ceil(entry.length / 2) + 1, 0);
  if (value.L) return 3 + value.L.reduce((sum, entry) => sum + 1 + valueSize(entry), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [name, entry]) => sum + 1 + Buffer.byteLength(name) + valueSize(entry), 0);
  return 0;
}

export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

interface TransactionItem {
  action: string;
  table: string;
  key: Item;
  label: string;
  before?: Item;
}

function keyOf(body: Record<string, any>, action: string): Item {
  const source = action === 'Put' ? body.Item : body.Key;
  const key: Item = {};
  for (const name of ['pk', 'sk']) {
    const value = source?.[name];
    if (value !== undefined) key[name] = value && typeof value === 'object' && 'S' in value ? (value as AttributeValue) : { S: String(value) };
  }
  return key;
}

async function getItem(client: DynamoDBClient, table: string, key: Item): Promise<Item | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return Item;
}

async function readTransactionItems(client: DynamoDBClient, input: Record<string, any>): Promise<TransactionItem[]> {
  const items = ((input.TransactItems ?? []) as Record<string, any>[]).map((entry) => {
    const [action, body] = Object.entries(entry)[0] ?? ['?', {}];
    return { action, table: String(body.TableName), key: keyOf(body, action), label: itemLabel(action === 'Put' ? body.Item : body.Key) } as TransactionItem;
  });
  for (const item of items) item.before = await getItem(client, item.table, item.key);
  return items;
}

async function readItems(client: DynamoDBClient, items: readonly TransactionItem[]): Promise<(Item | undefined)[]> {
  const after: (Item | undefined)[] = [];
  for (const item of items) after.push(await getItem(client, item.table, item.key));
  return after;
}

function indexEntry(item: Item | undefined, index: (typeof INDEXES)[number]): string | undefined {
  const pk = item?.[index.pk]?.S;
  const sk = item?.[index.sk]?.S;
  return pk !== undefined && sk !== undefined ? `${pk}\u0000${sk}` : undefined;
}

/**
 * A committed TransactWriteItems priced by AWS's published rules, from the items before and after:
 * each Put, Update or Delete costs 2 WRU per KB (rounded up per item) of the larger of its before
 * and after sizes; a ConditionCheck is counted the same (an assumption, flagged in the report);
 * each index entry written, changed or removed costs 1 WRU per KB (index propagation at the
 * standard rate; an entry whose key moved is a delete and a put).
 */
function priceTransaction(items: readonly TransactionItem[], after: readonly (Item | undefined)[]): { wru: number; parts: string[] } {
  let wru = 0;
  const parts: string[] = [];
  items.forEach((item, position) => {
    const now = after[position];
    const size = Math.max(itemSize(item.before), itemSize(now));
    let units = 2 * kb(size);
    const notes: string[] = [];
    if (item.action !== 'ConditionCheck') {
      for (const index of INDEXES) {
        const was = indexEntry(item.before, index);
        const is = indexEntry(now, index);
        let indexUnits = 0;
        if (was && is && was !== is) indexUnits = kb(itemSize(item.before)) + kb(itemSize(now));
        else if (was && is) indexUnits = JSON.stringify(item.before) === JSON.stringify(now) ? 0 : kb(size);
        else if (was) indexUnits = kb(itemSize(item.before));
        else if (is) indexUnits = kb(itemSize(now));
        if (indexUnits) notes.push(`${index.name} ${indexUnits}`);
        units += indexUnits;
      }
    }
    wru += units;
    parts.push(`${item.action} ${item.label} ${(size / 1024).toFixed(2)} KB: ${2 * kb(size)}${notes.length ? ` + ${notes.join(' + ')}` : ''}`);
  });
  return { wru, parts };
}

/** "GetItem EVENT", "TransactWriteItems [Update EVENT, Put REG, Put PHONE]". */
export const signature = (op: OpRecord): string => `${op.command} ${op.target}`.trim();

/** How DynamoDB Local prices requests, measured against a scratch table at the start of the run. */
export interface Calibration {
  putSmall: number;
  transactPutSmall: number;
  /** transactPutSmall / putSmall: 2 if Local already applies the transactional rate, 1 if not. */
  localTransactionFactor: number;
  /** What a ConditionCheck adds to a transaction, as Local reports it. */
  conditionCheck: number;
  getMissEventual: number;
  getMissConsistent: number;
  queryEmpty: number;
  putWithOneIndex: number;
  /** TransactWriteItems [Update, Update, Put] of three small items: AWS's rule says 6 WRU. */
  transactThreeItems: number;
}

export async function calibrate(client: DynamoDBClient, tableName: string): Promise<Calibration> {
  const units = async (sent: Promise<{ ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }>): Promise<number> =>
    unitsOf((await sent).ConsumedCapacity);
  const R = 'TOTAL' as const;
  const small = (sk: string) => ({ pk: { S: 'CALIBRATION' }, sk: { S: sk }, v: { S: 'x' } });
  const putSmall = await units(client.send(new PutItemCommand({ TableName: tableName, Item: small('a'), ReturnConsumedCapacity: R })));
  const transactPutSmall = await units(
    client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: tableName, Item: small('b') } }], ReturnConsumedCapacity: R })),
  );
  const withCheck = await units(
    client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: small('c') } },
          { ConditionCheck: { TableName: tableName, Key: { pk: { S: 'CALIBRATION' }, sk: { S: 'a' } }, ConditionExpression: 'attribute_exists(pk)' } },
        ],
        ReturnConsumedCapacity: R,
      }),
    ),
  );
  const missKey = { pk: { S: 'CALIBRATION' }, sk: { S: 'missing' } };
  const getMissEventual = await units(client.send(new GetItemCommand({ TableName: tableName, Key: missKey, ReturnConsumedCapacity: R })));
  const getMissConsistent = await units(
    client.send(new GetItemCommand({ TableName: tableName, Key: missKey, ConsistentRead: true, ReturnConsumedCapacity: R })),
  );
  const queryEmpty = await units(
    client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'NOTHING-HERE' } },
        ReturnConsumedCapacity: R,
      }),
    ),
  );
  const putWithOneIndex = await units(
    client.send(
      new PutItemCommand({ TableName: tableName, Item: { ...small('d'), gsi1pk: { S: 'CAL' }, gsi1sk: { S: '1' } }, ReturnConsumedCapacity: R }),
    ),
  );
  await client.send(new PutItemCommand({ TableName: tableName, Item: small('e') }));
  const update = (sk: string) => ({
    Update: { TableName: tableName, Key: { pk: { S: 'CALIBRATION' }, sk: { S: sk } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'y' } } },
  });
  const transactThreeItems = await units(
    client.send(
      new TransactWriteItemsCommand({ TransactItems: [update('a'), update('e'), { Put: { TableName: tableName, Item: small('f') } }], ReturnConsumedCapacity: R }),
    ),
  );
  return {
    transactThreeItems,
    putSmall,
    transactPutSmall,
    localTransactionFactor: putSmall > 0 ? transactPutSmall / putSmall : 1,
    conditionCheck: withCheck - transactPutSmall,
    getMissEventual,
    getMissConsistent,
    queryEmpty,
    putWithOneIndex,
  };
}

/**
 * The units AWS would bill for a recorded request, from Local's figure and the published rules:
 * - a TransactWriteItems is priced from its items' sizes (priceTransaction) when the recorder
 *   could read them; otherwise from Local's figure, doubled if Local reports the plain rate, and
 *   with 2 WRU per ConditionCheck where Local reports less;
 * - a read that found nothing still costs the minimum (0.5 RRU eventually consistent, 1 strongly);
 * - a failed conditional write is billed by AWS though Local reports nothing: 1 WRU per item
 *   (2 in a transaction) is assumed.
 */
export function awsUnits(op: OpRecord, calibration: Calibration): { rru: number; wru: number } {
  if (op.kind === 'read') {
    const minimum = op.consistent ? 1 : 0.5;
    return { rru: Math.max(op.units, minimum), wru: 0 };
  }
  if (op.failed) return { rru: 0, wru: op.command === 'TransactWriteItems' ? 2 * op.transactItems : 1 };
  if (op.command === 'TransactWriteItems') {
    if (op.estimatedWru !== undefined) return { rru: 0, wru: op.estimatedWru };
    const factor = calibration.localTransactionFactor >= 1.5 ? 1 : 2;
    const conditionChecks = op.conditionChecks * Math.max(0, 2 - calibration.conditionCheck);
    return { rru: 0, wru: op.units * factor + conditionChecks };
  }
  return { rru: 0, wru: op.units };
}

export interface CallUnits {
  /** As DynamoDB Local reported them. */
  localRru: number;
  localWru: number;
  /** Converted with awsUnits. */
  rru: number;
  wru: number;
  requests: number;
  /** Requests that overlap in time count as one round trip (Promise.all). */
  roundTrips: number;
  failedRequests: number;
  operations: string[];
  /** Each request with its units: AWS estimate, and Local's figure where they differ. */
  details: string[];
}

/** Sequential round trips: a request that starts before the ones before it have all answered joins their trip. */
export function roundTrips(ops: readonly OpRecord[]): number {
  let trips = 0;
  let frontier = -Infinity;
  for (const op of [...ops].sort((a, b) => a.startMs - b.startMs)) {
    if (op.startMs >= frontier) {
      trips += 1;
      frontier = op.endMs;
    } else frontier = Math.max(frontier, op.endMs);
  }
  return trips;
}

export function callUnits(ops: readonly OpRecord[], calibration: Calibration): CallUnits {
  let rru = 0;
  let wru = 0;
  let localRru = 0;
  let localWru = 0;
  for (const op of ops) {
    const aws = awsUnits(op, calibration);
    rru += aws.rru;
    wru += aws.wru;
    if (op.kind === 'read') localRru += op.units;
    else localWru += op.units;
  }
  const details = ops.map((op) => {
    const aws = awsUnits(op, calibration);
    const figure = op.kind === 'read' ? `${aws.rru} RRU` : `${aws.wru} WRU`;
    const differs = (op.kind === 'read' ? aws.rru : aws.wru) !== op.units;
    const parts = op.estimate?.length ? ` (${op.estimate.join('; ')})` : '';
    return `${signature(op)}${op.failed ? ` ✗${op.failed}` : ''}: ${figure}${parts}${differs ? ` [Local: ${op.units}]` : ''}`;
  });
  return {
    localRru,
    localWru,
    rru,
    wru,
    requests: ops.length,
    roundTrips: roundTrips(ops),
    failedRequests: ops.filter((op) => op.failed).length,
    operations: ops.map((op) => `${signature(op)}${op.failed ? ` ✗${op.failed}` : ''}`),
    details,
  };
}

/**
 * Splits a call's requests into those the data model requires (each spec matches the first
 * not-yet-matched request whose signature starts with it) and the rest.
 */
export function splitRequired(ops: readonly OpRecord[], required: readonly string[]): { required: OpRecord[]; extra: OpRecord[]; missing: string[] } {
  const remaining = [...ops];
  const taken: OpRecord[] = [];
  const missing: string[] = [];
  for (const spec of required) {
    const index = remaining.findIndex((op) => signature(op).startsWith(spec));
    if (index < 0) {
      missing.push(spec);
      continue;
    }
    taken.push(remaining.splice(index, 1)[0]!);
  }
  return { required: taken, extra: remaining, missing };
}
