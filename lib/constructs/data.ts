import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../../functions/store/table-definition';

/**
 * What the functions may do to items. Everything the store and Powertools' idempotency layer call
 * (single-item reads and writes, queries, transactions, which DynamoDB authorises per item action),
 * and nothing else: no Scan (a request path never scans), no streams, no table management.
 */
const ITEM_READ_WRITE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

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
  public grantItemReadWrite(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ITEM_READ_WRITE_ACTIONS,
      resourceArns: [
        this.table.tableArn,
        ...GLOBAL_INDEXES.map((index) => `${this.table.tableArn}/index/${index.indexName}`),
      ],
    });
  }
}
