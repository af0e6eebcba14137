import { AsyncLocalStorage } from 'node:async_hooks';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import * as clock from '../clock';
import { config } from '../config';
import { keys } from './keys';

/**
 * The record of one keyed request (`Idempotency-Key`), written **in the same transaction as the
 * request's effect**: either both are stored or neither is. A retry after any outcome of the first
 * attempt (a timeout, a 5xx, a crash between the write and the answer) finds the record and
 * replays; a duplicate racing the first loses at the record's condition and replays too.
 *
 * Lifecycle of the item `IDEMPOTENCY#<hash of key, route, caller>` / `REQUEST`:
 *
 *   (none) ──effect's transaction──► applied ──answer stored──► completed
 *
 * `applied` holds a hash of the body and the sealed outcome the service noted (ids, the one-time
 * token); `completed` adds the sealed response. Both expire after 24 h (TTL).
 *
 * How the record joins the effect: the idempotency middleware runs the handler inside
 * {@link runRecorded}; the store's `send` (store/client.ts) hands every write to
 * {@link withRecord}, which adds the record to the request's *first* write that commits (a
 * transaction gets one more item; a single Put/Update/Delete becomes a two-item transaction).
 * Writes after that one, and requests without a key, are untouched.
 */
export interface RequestRecordScope {
  /** Hash of the key, the route and the caller: the record's partition key. */
  readonly id: string;
  /** Derived from the Idempotency-Key, which only the client holds: opens what was sealed. */
  readonly sealingKey: Buffer;
  readonly bodyHash: string;
}

interface ActiveRecord {
  readonly scope: RequestRecordScope;
  outcome: Record<string, string>;
  applied: boolean;
  /** The write carrying the record, while it is in flight: the request's other writes wait for it. */
  carrying?: Promise<unknown>;
}

const active = new AsyncLocalStorage<ActiveRecord>();

export function sealingKeyFor(idempotencyKey: string, scopeLabel: string): Buffer {
  return Buffer.from(hkdfSync('sha256', idempotencyKey, scopeLabel, 'linli idempotency response', 32));
}

/** AES-256-GCM under the key derived from the Idempotency-Key: the table alone never reveals a token. */
export function seal(value: unknown, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

export function unseal<T>(sealed: string, key: Buffer): T {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as T;
}

/** Runs a keyed request's handler so that its first committed write carries the record; says whether one did. */
export async function runRecorded<T>(scope: RequestRecordScope, run: () => Promise<T>): Promise<{ value: T; applied: boolean }> {
  const record: ActiveRecord = { scope, outcome: {}, applied: false };
  const value = await active.run(record, run);
  return { value, applied: record.applied };
}

/**
 * What a replay needs to answer as the first attempt did and cannot read back from the table:
 * the new item's id and the token shown once. Sealed into the record with the effect. A service
 * calls it before the write that is its effect; without a key it does nothing.
 */
export function noteOutcome(values: Record<string, string>): void {
  const record = active.getStore();
  if (record && !record.applied) Object.assign(record.outcome, values);
}

/**
 * Runs `run` outside the keyed request's record: for writes that are not the request's effect
 * but come before it (a newcomer completing a promotion others left due), which must not carry
 * the record.
 */
export function withoutRecord<T>(run: () => Promise<T>): Promise<T> {
  return active.exit(run);
}

/** The effect was written by an earlier attempt with the same key (or a duplicate racing this one). */
export class RequestAlreadyAppliedError extends Error {
  constructor() {
    super('A request with this Idempotency-Key has already taken effect');
    this.name = 'RequestAlreadyAppliedError';
  }
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Sender = (command: TransactWriteCommand) => Promise<unknown>;

function recordItem(record: ActiveRecord): TransactItem {
  const now = clock.nowMs();
  return {
    Put: {
      TableName: config().tableName,
      Item: {
        ...keys.idempotencyRecord(record.scope.id),
        type: 'IdempotencyRecord',
        status: 'applied',
        bodyHash: record.scope.bodyHash,
        outcome: seal(record.outcome, record.scope.sealingKey),
        createdAt: clock.nowIso(),
        expiresAt: Math.floor(now / 1000) + config().idempotencyTtlSeconds,
      },
      // A record past its TTL that DynamoDB has not yet deleted counts as absent.
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': Math.floor(now / 1000) },
    },
  };
}

/** A single write as one item of a transaction, or undefined when it cannot be one (it asks for values back). */
function asTransactItem(command: unknown): TransactItem | undefined {
  if (command instanceof TransactWriteCommand) return undefined;
  const input = (command as { input?: Record<string, unknown> }).input ?? {};
  if (input.ReturnValues !== undefined && input.ReturnValues !== 'NONE') return undefined;
  const common = {
    TableName: input.TableName as string,
    ...(input.ConditionExpression ? { ConditionExpression: input.ConditionExpression as string } : {}),
    ...(input.ExpressionAttributeNames ? { ExpressionAttributeNames: input.ExpressionAttributeNames as Record<string, string> } : {}),
    ...(input.ExpressionAttributeValues ? { ExpressionAttributeValues: input.ExpressionAttributeValues as Record<string, unknown> } : {}),
  };
  if (command instanceof PutCommand) return { Put: { ...common, Item: input.Item as Record<string, unknown> } };
  if (command instanceof DeleteCommand) return { Delete: { ...common, Key: input.Key as Record<string, unknown> } };
  if (command instanceof UpdateCommand) {
    return { Update: { ...common, Key: input.Key as Record<string, unknown>, UpdateExpression: input.UpdateExpression as string } };
  }
  return undefined;
}

function reasonsOf(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

/**
 * Sends `command`; if it is the running keyed request's first write, with the record as one more
 * item of the same transaction. Returns undefined when the command is not this request's to carry
 * (no key, already applied, a read): the caller sends it as it is.
 *
 * Errors keep the shape the store functions expect: a transaction's cancellation reasons are its
 * own items' (the record's is dropped from the list), and a single write whose own condition
 * failed raises `ConditionalCheckFailedException` as it would have alone. A failed condition on
 * the record itself is {@link RequestAlreadyAppliedError}.
 */
export async function withRecord(command: unknown, send: Sender): Promise<{ sent: true; output: unknown } | undefined> {
  const record = active.getStore();
  if (!record) return undefined;
  const single = asTransactItem(command);
  let items: TransactItem[];
  if (command instanceof TransactWriteCommand) items = [...(command.input.TransactItems ?? [])];
  else if (single) items = [single];
  else return undefined;
  // Writes of one request made at once (a slot series): one carries the record, the others wait
  // for it, and go as they are once it has committed (or carry it themselves if it did not).
  while (record.carrying) await record.carrying.catch(() => undefined);
  if (record.applied) return undefined;
  const sending = send(new TransactWriteCommand({ TransactItems: [...items, recordItem(record)] }));
  record.carrying = sending;
  try {
    const output = await sending;
    record.applied = true;
    return { sent: true, output: single ? {} : output };
  } catch (error) {
    const reasons = reasonsOf(error);
    if (!reasons) throw error;
    const onRecord = reasons[items.length];
    if (onRecord === 'ConditionalCheckFailed') throw new RequestAlreadyAppliedError();
    // The record lost a race or was throttled: the error stays whole, so it is retried as such.
    if (onRecord !== undefined && onRecord !== 'None') throw error;
    if (single && reasons[0] === 'ConditionalCheckFailed') {
      throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    }
    const own = (error as { CancellationReasons?: unknown[] }).CancellationReasons?.slice(0, items.length);
    throw Object.assign(error as Error, { CancellationReasons: own });
  } finally {
    if (record.carrying === sending) record.carrying = undefined;
  }
}
