import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { send } from './client';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '../domain/errors';
import { cancellationCodes } from './store-errors';

const ATTEMPTS = 8;
const BASE_DELAY_MS = 15;
const MAX_DELAY_MS = 400;

/** A lost race, as the SDK raised it (the client hands it on as `503 unavailable`, the SDK error its cause). */
function isConflict(error: unknown): boolean {
  const raised = error instanceof UnavailableError ? error.cause : error;
  if (raised instanceof Error && raised.name === 'TransactionConflictException') return true;
  return cancellationCodes(raised)?.includes('TransactionConflict') ?? false;
}

/**
 * Runs a transaction, retrying when it lost a race with another transaction on the same item
 * (`TransactionConflict`, which the SDK does not retry): exponential backoff with full jitter,
 * bounded. A transaction either applied whole or not at all, so a retry never applies twice.
 * After the last attempt the conflict propagates and becomes `503 unavailable`.
 */
export async function withConflictRetry<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (!isConflict(error) || attempt >= ATTEMPTS) throw error;
      const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
      await sleep(Math.random() * cap);
    }
  }
}

/** One transaction of the given items, retried as {@link withConflictRetry} says. */
export function transact(items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<unknown> {
  return withConflictRetry(() => send(new TransactWriteCommand({ TransactItems: items })));
}
