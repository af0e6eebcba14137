import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { communityRecord } from '../../functions/domain/communities';
import { volunteerRecord } from '../../functions/domain/volunteers';
import { keys } from '../../functions/store/keys';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../../functions/store/table-definition';
import { ITEM_READ_ACTIONS, ITEM_WRITE_ACTIONS, WRITE_RIGHTS, type WritingFunction } from '../../lib/constructs/data';
import type { LinliStack } from '../../lib/linli-stack';
import { defaultStack } from './synth';

/**
 * Each function's rights, read from the synthesised template as IAM will read them: the writes
 * each role is allowed are exactly lib/constructs/data.ts's WRITE_RIGHTS (which
 * tests/integration/function-writes.test.ts checks against what each function really writes), no
 * Batch action, no Scan, and direct SMS as narrow as SNS lets it be.
 */
type Json = Record<string, any>;

let stack: LinliStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = defaultStack());
});

const logicalIdOf = (construct: IConstruct): string => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([value].flat() as T[]));
const policies = (): [string, Json][] => Object.entries(template.findResources('AWS::IAM::Policy'));

const functions = (): Record<WritingFunction, { role: IConstruct }> => ({ ...stack.api.functions, jobs: stack.jobs.function });

/** Every statement of every policy attached to `role`. */
function statementsOf(role: IConstruct): Json[] {
  const id = logicalIdOf(role);
  return policies()
    .filter(([, policy]) => (policy.Properties.Roles as Json[]).some((ref) => ref.Ref === id))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Json[]);
}

const tableArn = () => ({ 'Fn::GetAtt': [logicalIdOf(stack.data.table), 'Arn'] });
const WRITE_ACTIONS: readonly string[] = ITEM_WRITE_ACTIONS;
const isWrite = (statement: Json) => asList<string>(statement.Action).some((action) => WRITE_ACTIONS.includes(action));

/**
 * The writes a role is allowed, one `<write> <prefix>` per pair, with the attributes that write
 * may name there (`*` where it may name any), read back from its policy statements.
 */
function grantedWrites(role: IConstruct): Record<string, string[] | '*'> {
  const granted: Record<string, string[] | '*'> = {};
  for (const statement of statementsOf(role).filter(isWrite)) {
    expect(statement.Effect).toBe('Allow');
    // On the table alone, never an index (writes go to the table) and never `*`.
    expect(statement.Resource).toEqual(tableArn());
    // Conditioned on the partition key and, at most, on the attributes named.
    const condition = statement.Condition as Json;
    expect(Object.keys(condition).sort()).toEqual(expect.arrayContaining(['ForAllValues:StringLike']));
    expect(Object.keys(condition).filter((operator) => !['ForAllValues:StringLike', 'ForAllValues:StringEquals'].includes(operator))).toEqual([]);
    expect(Object.keys(condition['ForAllValues:StringLike'])).toEqual(['dynamodb:LeadingKeys']);
    const attributes = condition['ForAllValues:StringEquals']?.['dynamodb:Attributes'] as string[] | undefined;
    if (condition['ForAllValues:StringEquals']) expect(Object.keys(condition['ForAllValues:StringEquals'])).toEqual(['dynamodb:Attributes']);
    for (const action of asList<string>(statement.Action)) {
      expect(WRITE_ACTIONS).toContain(action);
      for (const pattern of asList<string>(condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'])) {
        // A prefix and a wildcard, nothing else: `EVENT#*`.
        expect(pattern).toMatch(/^[A-Z]+#\*$/);
        const key = `${action.replace('dynamodb:', '')} ${pattern.slice(0, -1)}`;
        expect({ key, twice: key in granted }).toEqual({ key, twice: false });
        granted[key] = attributes ? [...attributes].sort() : '*';
      }
    }
  }
  return granted;
}

/** WRITE_RIGHTS[writer] in the same form, from the constant itself. */
function listedWrites(writer: WritingFunction): Record<string, string[] | '*'> {
  const rights = WRITE_RIGHTS[writer];
  return Object.fromEntries(
    Object.entries(rights.partitions).flatMap(([prefix, writes]) =>
      writes.map((write) => {
        const attributes = rights.attributes?.[prefix]?.[write];
        return [`${write} ${prefix}`, attributes ? [...attributes].sort() : '*'] as const;
      }),
    ),
  );
}

/** Every partition-key prefix store/keys.ts makes, from its item keys. */
function keyPrefixes(): Set<string> {
  const prefixes = new Set<string>();
  for (const make of Object.values(keys)) {
    if (typeof make !== 'function') continue;
    const made = (make as (...args: unknown[]) => unknown)('c', 'event', 'x', 'residents', 60);
    if (typeof made === 'object' && made && 'pk' in made) prefixes.add((made.pk as string).replace(/#.*$/, '#'));
  }
  return prefixes;
}

describe('item writes', () => {
  it.each(['public', 'volunteer', 'organiser', 'jobs'] as const)('allows the %s function exactly the writes WRITE_RIGHTS lists', (writer) => {
    expect(grantedWrites(functions()[writer].role)).toEqual(listedWrites(writer));
  });

  it('lists only partitions store/keys.ts makes, each write once', () => {
    const made = keyPrefixes();
    expect(made.size).toBeGreaterThan(10);
    for (const [writer, rights] of Object.entries(WRITE_RIGHTS)) {
      for (const [prefix, writes] of Object.entries(rights.partitions)) {
        expect({ writer, prefix, made: made.has(prefix) }).toEqual({ writer, prefix, made: true });
        expect({ writer, prefix, writes: [...new Set(writes)].sort() }).toEqual({ writer, prefix, writes: [...writes].sort() });
      }
      for (const prefix of Object.keys(rights.attributes ?? {})) expect({ writer, prefix, listed: prefix in rights.partitions }).toEqual({ writer, prefix, listed: true });
    }
  });

  it('lets every function read items on the table and every index, without conditions, and nothing else of DynamoDB', () => {
    const indexes = GLOBAL_INDEXES.map((index) => ({ 'Fn::Join': ['', [tableArn(), `/index/${index.indexName}`]] }));
    for (const [writer, fn] of Object.entries(functions())) {
      const dynamodb = statementsOf(fn.role).filter((statement) => asList<string>(statement.Action).some((action) => action.startsWith('dynamodb:')));
      const reads = dynamodb.filter((statement) => !isWrite(statement));
      expect({ writer, reads }).toEqual({ writer, reads: [{ Sid: 'ReadItems', Effect: 'Allow', Action: [...ITEM_READ_ACTIONS].sort(), Resource: [tableArn(), ...indexes] }] });
      // Nothing denied: what a function may not write, it is not allowed to.
      expect(statementsOf(fn.role).filter((statement) => statement.Effect !== 'Allow')).toEqual([]);
    }
  });

  it('grants no Batch action, no Scan, and no DynamoDB wildcard anywhere in the stack', () => {
    const actions = policies().flatMap(([, policy]) => (policy.Properties.PolicyDocument.Statement as Json[]).flatMap((statement) => asList<string>(statement.Action)));
    expect(actions.filter((action) => /^dynamodb:(Batch|Scan|PartiQL)|^dynamodb:.*\*|^\*$/.test(action))).toEqual([]);
    // The store sends none either (functions/store/, the only code that calls DynamoDB).
    const storeDir = join(__dirname, '..', '..', 'functions', 'store');
    for (const file of readdirSync(storeDir).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(storeDir, file), 'utf8');
      expect({ file, batch: /Batch(Get|Write|ExecuteStatement)|ExecuteStatement|ExecuteTransaction/.test(source) }).toEqual({ file, batch: false });
    }
  });
});

describe('the public function', () => {
  const writes = () => grantedWrites(stack.api.functions.public.role);
  const PROTECTED_PARTITIONS = ['VOLTOKEN#', 'VOLUNTEER#', 'HOURS#', 'REPORT#', 'REDEMPTIONS#', 'REMINDERS#'];

  it('writes no volunteer token, ledger or open-log marker, hours log, monthly total, redemption or reminder plan', () => {
    const touched = Object.keys(writes()).map((key) => key.split(' ')[1]!);
    expect(touched.filter((prefix) => PROTECTED_PARTITIONS.includes(prefix))).toEqual([]);
    // Each of those kinds, as store/keys.ts keys it, falls in one of those partitions.
    const kinds = [
      keys.volunteerToken('h'),
      keys.ledgerEntry('c', 'v', 'e'),
      keys.openLogMarker('c', 'v'),
      keys.hoursLog('c', 'l'),
      keys.teamMonth('c', '2027-03', 'patrol'),
      keys.volunteerMonth('c', '2027-03', 'v'),
      keys.redemption('c', 'r'),
      keys.reminderPlan('c', 'event', 'e', 'residents', 60),
    ];
    expect(kinds.filter(({ pk }) => !PROTECTED_PARTITIONS.some((prefix) => pk.startsWith(prefix)))).toEqual([]);
  });

  it('cannot delete anything in a community’s partition, and updates or puts there only named attributes', () => {
    const inCommunity = Object.entries(writes()).filter(([key]) => key.endsWith(' COMMUNITY#'));
    expect(inCommunity.map(([key]) => key).sort()).toEqual(['PutItem COMMUNITY#', 'UpdateItem COMMUNITY#']);
    for (const [key, attributes] of inCommunity) expect({ key, restricted: attributes !== '*' }).toEqual({ key, restricted: true });
  });

  it('can name none of the community profile’s own attributes (settings, robot key, desk secret) nor a volunteer’s balance, minutes or token', () => {
    // What a notice or a counter shares with any item: the keys, the item's type, when and where it was made.
    const shared = new Set([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...GLOBAL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]), 'type', 'id', 'communityId', 'createdAt', 'status', 'version']);
    const profile = Object.keys(communityRecord.shape).filter((attribute) => !shared.has(attribute));
    const volunteer = Object.keys(volunteerRecord.shape).filter((attribute) => !shared.has(attribute));
    expect(profile).toEqual(expect.arrayContaining(['name', 'timezone', 'wecomRobot', 'verifyPhone', 'organiserContacts', 'pointsPerHour', 'deskSecret']));
    expect(volunteer).toEqual(expect.arrayContaining(['pointsBalance', 'approvedMinutes', 'pendingMinutes', 'tokenHash', 'phone']));
    for (const [key, attributes] of Object.entries(writes()).filter(([candidate]) => candidate.endsWith(' COMMUNITY#'))) {
      expect({ key, named: (attributes as string[]).filter((attribute) => [...profile, ...volunteer].includes(attribute)) }).toEqual({ key, named: [] });
    }
  });
});

describe('SMS', () => {
  const smsStatements = () =>
    policies()
      .flatMap(([id, policy]) => (policy.Properties.PolicyDocument.Statement as Json[]).map((statement) => ({ id, roles: (policy.Properties.Roles as Json[]).map((role) => role.Ref as string), statement })))
      .filter(({ statement }) => asList<string>(statement.Action).some((action) => /^sns:(Publish|\*)$|^\*$/.test(action)));

  it('publishes to no SNS ARN (topic or platform endpoint) and only in the stack’s region, from the public and jobs roles alone', () => {
    const statements = smsStatements();
    expect(statements).toHaveLength(1);
    expect(statements[0]!.statement).toEqual({
      Sid: 'DirectSms',
      Effect: 'Allow',
      Action: 'sns:Publish',
      // IAM names no resource for a phone number and sns:Publish has no key for one: every SNS ARN is excluded instead.
      NotResource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] },
      Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
    });
    expect(statements[0]!.roles.sort()).toEqual([logicalIdOf(stack.api.functions.public.role), logicalIdOf(stack.jobs.function.role)].sort());
  });
});
