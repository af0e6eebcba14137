import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException, TransactionConflictException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB's concurrency control, laid over DynamoDB Local (`DYNAMODB_CONTENTION=aws`). DynamoDB
 * Local runs every request to completion, one after another, and never refuses one for another in
 * flight; DynamoDB does. This layer applies the rules the DynamoDB Developer Guide documents under
 * "Transaction conflict handling in DynamoDB" (transaction-apis.html), and nothing more:
 *
 * - while a TransactWriteItems is in flight, its items are held;
 * - a TransactWriteItems touching a held item is cancelled (`TransactionCanceledException`, reason
 *   `TransactionConflict` for that item, `None` for the others), and the SDK does not retry it;
 * - a PutItem, UpdateItem or DeleteItem on a held item fails with `TransactionConflictException`;
 * - reads (GetItem, Query) are never refused ("both operations can succeed").
 *
 * The data itself stays DynamoDB Local's: the layer only decides whether a write reaches it, and
 * how long it takes, so conditions, transactions and indexes are Amazon's emulator's own.
 *
 * How long requests take decides how often they meet. DynamoDB answers single-item writes in
 * "single-digit milliseconds" (the Developer Guide's introduction); a transaction performs "two
 * underlying writes" per item, prepare and commit (the capacity section of transaction-apis.html),
 * so it is held for longer and grows with its items. The figures below are those, taken at their
 * middle; `npm run bench` reports the conflicts they produce.
 */
export const AWS_FIGURES = {
  /** A PutItem / UpdateItem / DeleteItem. */
  singleWriteMs: 5,
  /** A TransactWriteItems, besides its items: the coordinator's round trips. */
  transactionMs: 8,
  /** Each item of a transaction: prepared, then committed. */
  transactionItemMs: 2,
} as const;

export interface ContentionStats {
  /** Transactions cancelled for a conflict. */
  cancelled: number;
  /** Single writes refused for a conflict. */
  refused: number;
  /** Transactions and single writes let through. */
  passed: number;
}

type Attribute = Record<string, unknown>;
interface Keyed {
  TableName?: string;
  Key?: Record<string, Attribute>;
  Item?: Record<string, Attribute>;
}

/** The item a request touches, as one string: table, partition key and sort key (the table's keys are pk and sk). */
function itemKey(request: Keyed): string {
  const key = request.Key ?? request.Item ?? {};
  return `${request.TableName}|${JSON.stringify(key.pk)}|${JSON.stringify(key.sk)}`;
}

const SINGLE_WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);

/** Items held by the transactions in flight in this process, across the clients it makes. */
const held = new Set<string>();

/** How many items transactions hold right now (tests wait for one to be in flight). */
export const heldItems = (): number => held.size;

export const newContentionStats = (): ContentionStats => ({ cancelled: 0, refused: 0, passed: 0 });

/** Installs the layer on a DynamoDB client, counting into `stats`. */
export function applyAwsContention(client: DynamoDBClient, stats: ContentionStats = newContentionStats(), figures: typeof AWS_FIGURES = AWS_FIGURES): ContentionStats {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TransactItems?: Record<string, Keyed>[] } & Keyed;
      if (context.commandName === 'TransactWriteItemsCommand') {
        const keys = (input.TransactItems ?? []).map((action) => itemKey(Object.values(action)[0]!));
        if (keys.some((key) => held.has(key))) {
          stats.cancelled += 1;
          const reasons = keys.map((key) => (held.has(key) ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' }));
          throw new TransactionCanceledException({
            message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
            $metadata: {},
            CancellationReasons: reasons,
          });
        }
        for (const key of keys) held.add(key);
        try {
          // Prepared and held for the coordinator's time, then committed by DynamoDB Local.
          await sleep(figures.transactionMs + figures.transactionItemMs * keys.length);
          const output = await next(args);
          stats.passed += 1;
          return output;
        } finally {
          for (const key of keys) held.delete(key);
        }
      }
      if (SINGLE_WRITES.has(context.commandName ?? '')) {
        if (held.has(itemKey(input))) {
          stats.refused += 1;
          throw new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} });
        }
        await sleep(figures.singleWriteMs);
        stats.passed += 1;
      }
      return next(args);
    },
    // After lib-dynamodb has marshalled the input, before the request is built and before the SDK's
    // retry layer: the SDK retries neither refusal from the service either (both are 400s outside
    // its throttling and transient lists), so the code above the SDK meets them as it would on AWS.
    { step: 'serialize', priority: 'high', name: 'linliAwsContention' },
  );
  return stats;
}
