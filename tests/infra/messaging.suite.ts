import { Validations, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { LinliStack } from '../../lib/linli-stack';
import { defaultStack } from './synth';

type Json = Record<string, any>;

let stack: LinliStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = defaultStack());
});

function logicalIdOf(construct: IConstruct): string {
  return stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
}

const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalIdOf(construct), 'Arn'] });

function resourcesOf(type: string): [string, Json][] {
  return Object.entries(template.findResources(type));
}

function resourceOf(construct: IConstruct): Json {
  return template.toJSON().Resources[logicalIdOf(construct)] as Json;
}

const asList = (value: unknown): unknown[] => (value === undefined ? [] : [value].flat());

/** Every Allow statement of every IAM policy, with the roles the policy is attached to. */
function allowStatements(): { policyId: string; roles: string[]; statement: Json }[] {
  return resourcesOf('AWS::IAM::Policy').flatMap(([policyId, policy]) =>
    (policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({
        policyId,
        roles: (policy.Properties.Roles as Json[]).map((role) => role.Ref as string),
        statement,
      })),
  );
}

/** Whether a statement allows sns:Publish, however its actions are written. */
function allowsPublish(statement: Json): boolean {
  return asList(statement.Action).some((action) => ['sns:Publish', 'sns:*', '*'].includes(action as string));
}

const jobsRole = () => logicalIdOf(stack.jobs.function.role);
const apiRoles = () => Object.values(stack.api.functions).map((fn) => logicalIdOf(fn.role));

describe('organisers’ topic', () => {
  it('is encrypted with a customer-managed key that rotates', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Linli',
      KmsMasterKeyId: arnOf(stack.messaging.key),
    });
    expect(resourceOf(stack.messaging.key).Properties).toMatchObject({ EnableKeyRotation: true });
  });

  it('refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: logicalIdOf(stack.messaging.topic) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: { Ref: logicalIdOf(stack.messaging.topic) },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('has no subscriptions in the stack: an administrator subscribes each community’s contacts', () => {
    const topicArns = resourcesOf('AWS::SNS::Subscription').map(([, subscription]) => subscription.Properties.TopicArn);
    expect(topicArns).not.toContainEqual({ Ref: logicalIdOf(stack.messaging.topic) });
    // The alarm topic's e-mail subscription is the one there is.
    expect(topicArns).toEqual([{ Ref: logicalIdOf(stack.alarms.topic) }]);
  });

  it('is an output of the stack', () => {
    expect(template.toJSON().Outputs.OrganiserTopicArn.Value).toEqual({ Ref: logicalIdOf(stack.messaging.topic) });
  });
});

describe('delivery rights', () => {
  it('gives the jobs function the topic’s ARN', () => {
    expect(resourceOf(stack.jobs.function.function).Properties.Environment.Variables).toMatchObject({
      ORGANISER_TOPIC_ARN: { Ref: logicalIdOf(stack.messaging.topic) },
    });
  });

  it('gives no API function the topic’s ARN', () => {
    for (const fn of Object.values(stack.api.functions)) {
      expect(resourceOf(fn.function).Properties.Environment.Variables.ORGANISER_TOPIC_ARN).toBeUndefined();
    }
  });

  it('lets the jobs function publish to the topic, and use its key as SNS requires of a publisher', () => {
    const granted = allowStatements().filter(({ roles }) => roles.includes(jobsRole()));
    expect(granted.map(({ statement }) => statement)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: logicalIdOf(stack.messaging.topic) } }),
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: arnOf(stack.messaging.key),
        }),
      ]),
    );
  });

  it('lets only the jobs function’s role publish, to the topic and by SMS, and nothing else', () => {
    const publishing = allowStatements().filter(({ statement }) => allowsPublish(statement));
    expect(publishing.map(({ roles, statement }) => [roles, statement.Resource])).toEqual([
      [[jobsRole()], '*'],
      [[jobsRole()], { Ref: logicalIdOf(stack.messaging.topic) }],
    ]);
    // And the organisers' key is used by the jobs function alone.
    const keyArn = JSON.stringify(arnOf(stack.messaging.key));
    const keyUsers = allowStatements().filter(({ statement }) =>
      asList(statement.Resource).some((resource) => JSON.stringify(resource) === keyArn),
    );
    expect(keyUsers.map(({ roles }) => roles)).toEqual([[jobsRole()]]);
  });

  it('grants the API functions’ roles no SNS action at all', () => {
    const apiStatements = allowStatements().filter(({ roles }) => roles.some((role) => apiRoles().includes(role)));
    expect(apiStatements.length).toBeGreaterThan(0);
    const snsActions = apiStatements.flatMap(({ statement }) =>
      asList(statement.Action).filter((action) => /^(sns:|\*$)/.test(action as string)),
    );
    expect(snsActions).toEqual([]);
  });

  it('sends SMS through one statement on Resource *, alone in its own policy, attached to the jobs role only', () => {
    const sms = allowStatements().filter(({ policyId }) => policyId === logicalIdOf(stack.messaging.directSmsPolicy));
    expect(sms).toEqual([{ policyId: expect.any(String), roles: [jobsRole()], statement: expect.anything() }]);
    expect(sms[0]!.statement).toEqual({ Sid: 'DirectSms', Effect: 'Allow', Action: 'sns:Publish', Resource: '*' });
  });

  it('holds no other Resource * on a function’s role than that SMS statement and X-Ray’s trace upload', () => {
    const functionRoles = [jobsRole(), ...apiRoles()];
    const wildcards = allowStatements()
      .filter(({ roles }) => roles.some((role) => functionRoles.includes(role)))
      .filter(({ statement }) => asList(statement.Resource).includes('*'))
      .map(({ statement }) => asList(statement.Action).sort().join(' '));
    const xray = 'xray:PutTelemetryRecords xray:PutTraceSegments';
    expect(wildcards.sort()).toEqual(['sns:Publish', ...functionRoles.map(() => xray)].sort());
  });
});

describe('checks', () => {
  const acknowledgementsUnder = (prefix: string): string[] =>
    stack.node
      .findAll()
      .filter((construct) => construct.node.path.startsWith(prefix))
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
          .map((key) => `${construct.node.path} ${key.replace(/^Annotation::/, '')}`),
      )
      .sort();

  it('acknowledges the SMS wildcard on the direct-SMS policy only, with the reason', () => {
    expect(acknowledgementsUnder('Linli/Messaging/')).toEqual([
      'Linli/Messaging/DirectSmsPolicy AwsSolutions-IAM5[Resource::*]',
    ]);
    const [reason] = stack.messaging.directSmsPolicy.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.values(entry.data as Record<string, string>));
    expect(reason).toMatch(/no resource type for phone numbers/);
  });

  it('acknowledges on the jobs function what delivery and tracing bring, and why the function has no DLQ', () => {
    expect(acknowledgementsUnder('Linli/Jobs/Function/')).toEqual([
      'Linli/Jobs/Function/Role AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'Linli/Jobs/Function/Function Serverless-LambdaDLQ',
      'Linli/Jobs/Function/Role/DefaultPolicy AwsSolutions-IAM5[Resource::*]',
    ].sort());
  });

  it.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['Serverless', () => new ServerlessChecks()],
  ] as const)('passes cdk-nag’s %s pack with nothing left unacknowledged', (_name, pack) => {
    const { violations } = pack().validateScope(stack);
    const findings = violations.map(
      (violation) => `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });
});
