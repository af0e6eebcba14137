import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { send } from './client';

/** One write of a transaction. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One transaction of the given items (a lost race with another is retried by `send`: store/conflicts.ts). */
export function transact(items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<unknown> {
  return send(new TransactWriteCommand({ TransactItems: items }));
}
