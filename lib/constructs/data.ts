import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { notificationRecord } from '../../functions/domain/notifications';
import type { FunctionGroup } from '../../functions/http/route';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../../functions/store/table-definition';

/** The item writes IAM authorises, one item at a time (each item of a transaction by its own). */
export type ItemWrite = 'PutItem' | 'UpdateItem' | 'DeleteItem';
export const ITEM_WRITES: readonly ItemWrite[] = ['PutItem', 'UpdateItem', 'DeleteItem'];
export const ITEM_WRITE_ACTIONS: readonly string[] = ITEM_WRITES.map((write) => `dynamodb:${write}`);

/**
 * What every function may read, on the table and its indexes: single items, queries, and the
 * condition checks of transactions (which read an item and change nothing). Reads stay table-wide.
 * Every function reads item kinds it never writes (the public function reads the community and
 * its events to check a sign-up, the volunteer function the community's settings, the organiser
 * function everything it lists, the jobs their queues); the queues and listings are queried
 * through the indexes, whose partition keys are not the table's, so `dynamodb:LeadingKeys` would
 * not name them; and a read changes nothing. What a function lets out of what it reads is its
 * routes' views' business (the public function reads the community profile, desk secret and
 * robot key included, and shows none of it). Not granted: Scan (no request
 * path scans: the one Scan, store/erasure.ts, runs only under the local runtime, where DynamoDB
 * Local has no TTL), Batch actions (the store sends none: tests/infra checks both), streams, and
 * any table management.
 */
export const ITEM_READ_ACTIONS: readonly string[] = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];

/** The functions that write: the API's three function groups and the scheduled jobs' function. */
export type WritingFunction = FunctionGroup | 'jobs';

/**
 * What one function may write, as an allow list: the partitions, by the prefix of their key (the
 * text up to and including its first `#`, store/keys.ts), and which item writes on each. IAM
 * allows each write only when its partition key starts with one of the prefixes listed for that
 * write (`dynamodb:LeadingKeys`); anything else is refused, so an item kind a function starts
 * writing tomorrow is refused in production unless it is listed here. It is listed here because
 * tests/integration/function-writes.test.ts fails first: it records, against DynamoDB Local, every
 * item each function writes while serving every route of the table and running every job, and
 * checks what it saw against these lists both ways (nothing written that is not listed; nothing
 * listed that is not written, unless {@link unobserved} says why).
 */
export interface WriteRights {
  /** Partition-key prefix → the item writes allowed on partitions whose key starts with it. */
  readonly partitions: Readonly<Record<string, readonly ItemWrite[]>>;
  /**
   * Where a function must write some items of a partition it shares with items it must not write
   * (one community's partition holds its profile, events, evenings, volunteers, items and
   * notifications): prefix → write → the only top-level attributes such a write may name
   * (`dynamodb:Attributes`; DynamoDB counts the key, the attributes put or updated, and those a
   * condition evaluates). Every index's key attributes are listed too, as DynamoDB asks.
   */
  readonly attributes?: Readonly<Record<string, Readonly<Partial<Record<ItemWrite, readonly string[]>>>>>;
  /** `<write> <prefix>` (`DeleteItem EVENT#`) granted although the recording test never sees it: why. */
  readonly unobserved?: Readonly<Record<string, string>>;
}

const INDEX_KEYS = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...GLOBAL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey])];

/**
 * The attributes of a notification item (store/notifications.ts): its record's fields, from the
 * declaration (functions/domain/notifications.ts) so that a field added there is allowed here, and
 * what the store adds (type, version, the keys of both indexes).
 */
export const NOTIFICATION_ITEM_ATTRIBUTES: readonly string[] = [...new Set([...INDEX_KEYS, 'type', 'version', ...Object.keys(notificationRecord.shape)])].sort();

/**
 * The public function's updates in a community's partition: the seat and booking counters of an
 * event or an evening, and what their conditions read. Updated: confirmedSeats, waitlistLength,
 * waitlistPeople, promotionDueAt (and gsi2pk, gsi2sk, the due-promotions queue) on events;
 * requestsBooked on evenings. Evaluated by the conditions, which DynamoDB counts as named (so an
 * update could set them too): status, capacity, maxPartySize, registrationOpensAt,
 * registrationClosesAt; requestCapacity, endsAt.
 */
export const PUBLIC_COUNTER_ATTRIBUTES: readonly string[] = [
  ...INDEX_KEYS,
  'confirmedSeats',
  'waitlistLength',
  'waitlistPeople',
  'promotionDueAt',
  'status',
  'capacity',
  'maxPartySize',
  'registrationOpensAt',
  'registrationClosesAt',
  'requestsBooked',
  'requestCapacity',
  'endsAt',
].sort();

const ALL: readonly ItemWrite[] = ITEM_WRITES;

/**
 * Each function's writes (see {@link WriteRights}), as tests/integration/function-writes.test.ts
 * observed them. In short, by partition:
 *
 * - **public** (no caller authenticated, or a resident's manage token): registrations, requests
 *   and their phone markers (`EVENT#`, `SLOT#`), reports and wishes (`WORKORDERS#`, `WISHES#`, a
 *   conditional put of the whole item), held sign-ups (`VERIFY#`), rate-limit windows (`RATE#`),
 *   keyed requests' records (`IDEMPOTENCY#`), the erasure plan of a report the resident closes
 *   (`ERASE#`); in a community's partition only the counters of events and evenings (Update) and
 *   the notice of a waitlist promotion (Put), each restricted to the attributes those name. So it
 *   writes no volunteer token, ledger, hours log, monthly total, redemption or reminder plan;
 *   deletes nothing in a community's partition; and can name none of the profile's own attributes
 *   (name, settings, robot key, desk secret) nor a volunteer's (balance, minutes, token hash). IAM
 *   cannot tell the items of one partition apart by their sort key, so it could still set a
 *   counter or a `status` on a profile, volunteer or catalogue item, or overwrite one with a
 *   notice: that much is left to the code.
 * - **volunteer**: shifts (`EVENT#`, `SLOT#`; a check-in marks its shift with its log), the
 *   counters and balances they change in the community's partition and the organisers' coverage
 *   alert when a shift is given back late (a notice: its attributes only), open-log markers and ledger entries (`VOLUNTEER#`), hours
 *   logs, wrong desk codes counted (`RATE#`), redemptions, work orders and wishes as they are
 *   taken and done, erasure plans, records.
 * - **organiser**: the community's partition (profile, events, evenings, volunteers, catalogue,
 *   notices), tokens (`VOLTOKEN#`), reminder plans, erasure plans, hours logs and monthly totals,
 *   ledger entries, redemptions, work orders and wishes as they are decided, records.
 * - **jobs**: notices and the counters promotions, auto-closes and the placing of sign-ups left
 *   in an event's queue change (with those registrations and the placer's lease), reminder plans as they
 *   are sent, erasures (registrations, requests, their markers, reports, wishes, plans), hours logs
 *   auto-closed and their open-log markers. No record (`IDEMPOTENCY#`): no job takes a key.
 *
 * On AWS the TTL, not the jobs, deletes expired records and held sign-ups (`expiresAt`).
 */
export const WRITE_RIGHTS: Readonly<Record<WritingFunction, WriteRights>> = {
  public: {
    partitions: {
      'COMMUNITY#': ['PutItem', 'UpdateItem'],
      'EVENT#': ALL,
      'SLOT#': ALL,
      'VERIFY#': ALL,
      'WORKORDERS#': ['PutItem'],
      'WISHES#': ['PutItem'],
      'ERASE#': ['PutItem'],
      'RATE#': ['UpdateItem'],
      'IDEMPOTENCY#': ['PutItem', 'UpdateItem'],
    },
    attributes: {
      'COMMUNITY#': { UpdateItem: PUBLIC_COUNTER_ATTRIBUTES, PutItem: NOTIFICATION_ITEM_ATTRIBUTES },
    },
  },
  volunteer: {
    partitions: {
      // Counters and balances (Update); the organisers' coverage alert when a shift is given back late (Put).
      'COMMUNITY#': ['PutItem', 'UpdateItem'],
      'EVENT#': ALL,
      'SLOT#': ALL,
      'VOLUNTEER#': ['PutItem', 'DeleteItem'],
      'RATE#': ['UpdateItem'],
      'HOURS#': ['PutItem'],
      'REDEMPTIONS#': ['PutItem'],
      'WORKORDERS#': ['PutItem'],
      'WISHES#': ['PutItem'],
      'ERASE#': ['PutItem'],
      'IDEMPOTENCY#': ['PutItem', 'UpdateItem'],
    },
    // Its puts in a community's partition are notices only.
    attributes: { 'COMMUNITY#': { PutItem: NOTIFICATION_ITEM_ATTRIBUTES } },
  },
  organiser: {
    partitions: {
      'COMMUNITY#': ['PutItem', 'UpdateItem'],
      // A volunteer put on an evening or a festival by an organiser (the console's "assign");
      // waiting parties promoted at once by a capacity raise, and shifts refreshed when a festival moves.
      'EVENT#': ['PutItem', 'UpdateItem'],
      'SLOT#': ['PutItem'],
      'VOLTOKEN#': ALL,
      'VOLUNTEER#': ['PutItem'],
      'HOURS#': ['PutItem'],
      'REPORT#': ['UpdateItem'],
      'REDEMPTIONS#': ['UpdateItem'],
      'REMINDERS#': ['PutItem', 'UpdateItem'],
      'WORKORDERS#': ['PutItem'],
      'WISHES#': ['PutItem'],
      'ERASE#': ['PutItem'],
      'IDEMPOTENCY#': ['PutItem', 'UpdateItem'],
    },
  },
  jobs: {
    partitions: {
      'COMMUNITY#': ['PutItem', 'UpdateItem'],
      // Sign-ups left in an event's queue are placed (registrations put, arrivals deleted, the placer's lease).
      'EVENT#': ['PutItem', 'UpdateItem', 'DeleteItem'],
      'SLOT#': ['UpdateItem', 'DeleteItem'],
      'VOLUNTEER#': ['DeleteItem'],
      'HOURS#': ['PutItem'],
      'REMINDERS#': ['UpdateItem'],
      'WORKORDERS#': ['UpdateItem'],
      'WISHES#': ['UpdateItem'],
      'ERASE#': ['UpdateItem'],
    },
  },
};

/** One allow statement of a function's writes: one write, the prefixes it may write, maybe the attributes. */
export interface WriteStatement {
  readonly sid: string;
  readonly write: ItemWrite;
  readonly prefixes: readonly string[];
  readonly attributes?: readonly string[];
}

const pascal = (prefix: string) => prefix.replace(/#$/, '').toLowerCase().replace(/(^|[^a-z0-9])([a-z])/g, (_, __, letter: string) => letter.toUpperCase());

/**
 * The statements that grant {@link WriteRights}: per write, one for the prefixes it may write
 * freely, and one per prefix whose writes are restricted to named attributes.
 */
export function writeStatementsOf(rights: WriteRights): WriteStatement[] {
  const statements: WriteStatement[] = [];
  for (const write of ITEM_WRITES) {
    const prefixes = Object.keys(rights.partitions).filter((prefix) => rights.partitions[prefix]!.includes(write));
    const free = prefixes.filter((prefix) => !rights.attributes?.[prefix]?.[write]);
    if (free.length) statements.push({ sid: `${write}ByPartition`, write, prefixes: free.sort() });
    for (const prefix of prefixes.filter((candidate) => !free.includes(candidate))) {
      statements.push({ sid: `${write}In${pascal(prefix)}NamedAttributesOnly`, write, prefixes: [prefix], attributes: rights.attributes![prefix]![write] });
    }
  }
  return statements;
}

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
   * What `writer` may do to items: read anything on the table and its indexes
   * ({@link ITEM_READ_ACTIONS}), and write what its {@link WRITE_RIGHTS} list, each write only on the
   * partitions listed for it. `ForAllValues:StringLike` on `dynamodb:LeadingKeys`, as DynamoDB
   * documents it: every item write names its partition key, so the key is always in the request,
   * and a key outside the list fails the condition (no `Null` guard: it would only matter if the
   * key were absent, which no write allows). Nothing is denied: what is not listed is not allowed.
   */
  public grantItemAccess(grantee: IGrantable, writer: WritingFunction): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadItems',
        actions: [...ITEM_READ_ACTIONS],
        resources: [this.table.tableArn, ...GLOBAL_INDEXES.map((index) => `${this.table.tableArn}/index/${index.indexName}`)],
      }),
    );
    for (const statement of writeStatementsOf(WRITE_RIGHTS[writer])) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          sid: statement.sid,
          actions: [`dynamodb:${statement.write}`],
          resources: [this.table.tableArn],
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': statement.prefixes.map((prefix) => `${prefix}*`),
            },
            ...(statement.attributes ? { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...statement.attributes] } } : {}),
          },
        }),
      );
    }
  }
}
