/**
 * The single-table layout, shared by the CDK stack (lib/constructs/data.ts) and the local
 * runtime, which creates DynamoDB Local's table from it. Keys are generic; what they hold is
 * decided by store/keys.ts and documented in docs/data-model.md.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB's TTL deletes the item some time after it. */
  ttlAttribute: 'expiresAt',
} as const;

export interface GlobalIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** Sparse indexes: an item appears in one only while it carries that index's key attributes. */
export const GLOBAL_INDEXES: readonly GlobalIndexDefinition[] = [
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Work queues: hours logs open (for auto-close) and pending (for review). */
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
];
