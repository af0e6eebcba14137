import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, Grant, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../../functions/store/table-definition';

/**
 * What the functions may do to items. Everything the store calls (single-item reads and writes,
 * queries, transactions, which DynamoDB authorises per item action), and nothing else: no Scan (a
 * request path never scans), no Batch actions (the store sends none: tests/infra checks it), no
 * streams, no table management. DeleteItem stays for every function: each deletes a marker item
 * (a phone marker, a pending verification, an idempotency record) on one of its paths.
 */
export const ITEM_READ_WRITE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/** The item writes a {@link ProtectedItems} denial covers (inside transactions too: DynamoDB authorises each item). */
export const ITEM_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * Items a function must never write, whatever its code does: the partitions (by key prefix,
 * `dynamodb:LeadingKeys`) and the attributes (`dynamodb:Attributes`) of item kinds it has no
 * business with. Attributes are needed because many kinds share `COMMUNITY#<c>` partitions: a
 * volunteer's points balance is an attribute of the volunteer item, beside the community's events.
 */
export interface ProtectedItems {
  readonly partitionPrefixes: readonly string[];
  readonly attributes: readonly string[];
}

/**
 * What the public function (no caller authenticated, or a resident's manage token) may not write:
 * volunteer credentials (`VOLTOKEN#`), a volunteer's ledger and open-log marker (`VOLUNTEER#`),
 * hours logs (`HOURS#`), monthly totals (`REPORT#`), redemptions (`REDEMPTIONS#`), and the points
 * balance and hours totals kept on volunteer items. Everything else it writes (registrations,
 * requests, markers, seat counters on events and slots, verifications, rate-limit windows,
 * idempotency records, and the kinds still to come) stays allowed: a denial list, rather than an
 * allow list, does not break the next item kind a public route writes.
 */
export const PUBLIC_CANNOT_WRITE: ProtectedItems = {
  partitionPrefixes: ['VOLTOKEN#', 'VOLUNTEER#', 'HOURS#', 'REPORT#', 'REDEMPTIONS#'],
  attributes: ['pointsBalance', 'approvedMinutes', 'pendingMinutes', 'tokenHash'],
};

/**
 * The single table (docs/data-model.md), built from the same definition the local runtime gives
 * DynamoDB Local: generic keys, sparse GSIs, TTL on `expiresAt`. It holds residents' data, so it is
 * kept when the stack is deleted and cannot be deleted by accident.
 */
export class LinliData extends Construct {
  public readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of GLOBAL_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /**
   * Item reads and writes on the table and its indexes, named one by one. Every function group
   * writes (idempotency records and rate-limit windows live in this table too), so there is no
   * read-only variant to hand out. Narrower than `grantReadWriteData`: no Scan, and no
   * `index/*` wildcard, since the indexes are known here.
   */
  public grantItemReadWrite(grantee: IGrantable, cannotWrite?: ProtectedItems): Grant {
    const grant = Grant.addToPrincipal({
      grantee,
      actions: ITEM_READ_WRITE_ACTIONS,
      resourceArns: [
        this.table.tableArn,
        ...GLOBAL_INDEXES.map((index) => `${this.table.tableArn}/index/${index.indexName}`),
      ],
    });
    if (cannotWrite) {
      // Explicit denials win over the grant above, in a transaction as in a single write.
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'NoWritesToProtectedPartitions',
          effect: Effect.DENY,
          actions: ITEM_WRITE_ACTIONS,
          resources: [this.table.tableArn],
          conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': cannotWrite.partitionPrefixes.map((prefix) => `${prefix}*`) } },
        }),
      );
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'NoWritesToProtectedAttributes',
          effect: Effect.DENY,
          actions: ITEM_WRITE_ACTIONS,
          resources: [this.table.tableArn],
          conditions: { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': [...cannotWrite.attributes] } },
        }),
      );
    }
    return grant;
  }
}
