import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { jobs } from '../../functions/jobs';
import { GLOBAL_INDEXES } from '../../functions/store/table-definition';
import { LinliData } from '../../lib/constructs/data';
import { JOB_MAX_EVENT_AGE, JOB_RETRY_ATTEMPTS, JOB_TIMEOUT, LinliJobs } from '../../lib/constructs/jobs';
import { LinliMessaging } from '../../lib/constructs/messaging';
import type { LinliStack } from '../../lib/linli-stack';
import { defaultStack, newApp, projectRoot, testConfig } from './synth';

const config = testConfig;

type Json = Record<string, any>;

let stack: LinliStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = defaultStack());
});

function logicalIdOf(construct: IConstruct, within: Stack = stack): string {
  return within.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
}

const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalIdOf(construct), 'Arn'] });

function resourcesOf(type: string, from: Template = template): [string, Json][] {
  return Object.entries(from.findResources(type));
}

/** A stack of the table and the jobs alone, for registries other than today's. */
function jobsStackWith(registry: readonly { name: string; everyMinutes: number }[]) {
  const jobsStack = new Stack(newApp(), 'Jobs');
  const data = new LinliData(jobsStack, 'Data');
  const messaging = new LinliMessaging(jobsStack, 'Messaging', { smsProvider: 'sns' });
  const construct = new LinliJobs(jobsStack, 'Jobs', {
    projectRoot,
    jobs: registry,
    data,
    messaging,
    publicRateLimitPerMinute: 120,
    logLevel: 'INFO',
  });
  return { jobsStack, construct };
}

/** EventBridge's rate expression for a number of minutes, in the largest whole unit. */
function rateOf(minutes: number): string {
  const [count, unit] =
    minutes % (24 * 60) === 0 ? [minutes / (24 * 60), 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `rate(${count} ${unit}${count === 1 ? '' : 's'})`;
}

describe('schedules', () => {
  it('makes one rule per entry of the job registry, and no other', () => {
    expect(jobs.length).toBeGreaterThan(0);
    template.resourceCountIs('AWS::Events::Rule', jobs.length);
    expect(stack.jobs.rules.map(({ job }) => job.name)).toEqual(jobs.map((job) => job.name));
  });

  it.each(jobs.map((job) => [job.name, job] as const))(
    'runs %s at its rate, naming it in the event, with retries and the dead-letter queue',
    (_name, job) => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: rateOf(job.everyMinutes),
        State: 'ENABLED',
        Targets: [
          {
            // The `live` alias, which CodeDeploy shifts gradually (operations.suite.ts), never $LATEST.
            Arn: { Ref: logicalIdOf(stack.jobs.function.alias) },
            Id: Match.anyValue(),
            Input: JSON.stringify({ job: job.name }),
            RetryPolicy: {
              MaximumRetryAttempts: JOB_RETRY_ATTEMPTS,
              MaximumEventAgeInSeconds: JOB_MAX_EVENT_AGE.toSeconds(),
            },
            DeadLetterConfig: { Arn: arnOf(stack.jobs.deadLetterQueue) },
          },
        ],
      });
    },
  );

  it('lets each rule, and only it, invoke the jobs function’s live alias and dead-letter into the queue', () => {
    for (const { rule } of stack.jobs.rules) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { Ref: logicalIdOf(stack.jobs.function.alias) },
        Principal: 'events.amazonaws.com',
        SourceArn: arnOf(rule),
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(stack.jobs.deadLetterQueue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Condition: { ArnEquals: { 'aws:SourceArn': arnOf(rule) } },
            }),
          ]),
        },
      });
    }
  });

  it('picks up every entry of the registry, such as a new job every 15 minutes', () => {
    const registry = [...jobs, { name: 'weekly-digest', everyMinutes: 15 }];
    const { jobsStack } = jobsStackWith(registry);
    const rules = resourcesOf('AWS::Events::Rule', Template.fromStack(jobsStack)).map(([, rule]) => rule.Properties);
    expect(rules.map((rule) => [rule.ScheduleExpression, JSON.parse(rule.Targets[0].Input)])).toEqual(
      registry.map((job) => [rateOf(job.everyMinutes), { job: job.name }]),
    );
  });

  it('writes rates EventBridge accepts, in the largest whole unit', () => {
    expect([1, 5, 60, 90, 120, 24 * 60].map(rateOf)).toEqual([
      'rate(1 minute)',
      'rate(5 minutes)',
      'rate(1 hour)',
      'rate(90 minutes)',
      'rate(2 hours)',
      'rate(1 day)',
    ]);
  });

  it.each([
    [[{ name: 'twice', everyMinutes: 5 }, { name: 'twice', everyMinutes: 10 }], /registered twice/],
    [[{ name: 'half', everyMinutes: 2.5 }], /whole number of minutes/],
    [[{ name: 'never', everyMinutes: 0 }], /whole number of minutes/],
    [[{ name: 'no/slash', everyMinutes: 5 }], /must start with a letter/],
  ])('fails the synth on a registry it cannot schedule (%#)', (registry, message) => {
    expect(() => jobsStackWith(registry)).toThrow(message);
  });
});

describe('jobs function', () => {
  const jobsFunction = (): Json => template.toJSON().Resources[logicalIdOf(stack.jobs.function.function)] as Json;

  it('runs functions/entry/jobs.ts on Node.js 24, arm64, one vCPU’s memory (city-scale runs are CPU-bound), with a job’s timeout', () => {
    expect(jobsFunction().Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1769,
      Timeout: JOB_TIMEOUT.toSeconds(),
      Handler: 'index.handler',
      Role: arnOf(stack.jobs.function.role),
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(stack.jobs.function.logGroup) } },
    });
  });

  it('gets the table and the configuration functions/config.ts reads, as the API functions do', () => {
    expect(jobsFunction().Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: logicalIdOf(stack.data.table) },
      PUBLIC_RATE_LIMIT_PER_MINUTE: String(config.publicRateLimitPerMinute),
      LOG_LEVEL: 'INFO',
      POWERTOOLS_SERVICE_NAME: 'linli',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('sends a run that still fails after Lambda’s retries (on the live alias) to the dead-letter queue', () => {
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      // On the alias the schedules invoke: asynchronous settings are per qualifier.
      FunctionName: { Ref: logicalIdOf(stack.jobs.function.function) },
      Qualifier: { 'Fn::Select': [7, { 'Fn::Split': [':', { Ref: logicalIdOf(stack.jobs.function.alias) }] }] },
      MaximumRetryAttempts: JOB_RETRY_ATTEMPTS,
      MaximumEventAgeInSeconds: JOB_MAX_EVENT_AGE.toSeconds(),
      DestinationConfig: { OnFailure: { Destination: arnOf(stack.jobs.deadLetterQueue) } },
    });
  });

  it('may read items in the table and every index (gsi2 among them), write its own (least-privilege.suite.ts), and send to the dead-letter queue', () => {
    expect(GLOBAL_INDEXES.map((index) => index.indexName)).toContain('gsi2');
    const tableArn = arnOf(stack.data.table);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(stack.jobs.function.role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ReadItems',
            Effect: 'Allow',
            Action: Match.arrayWith(['dynamodb:GetItem', 'dynamodb:Query']),
            Resource: [
              tableArn,
              ...GLOBAL_INDEXES.map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index.indexName}`]] })),
            ],
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: Match.arrayWith(['sqs:SendMessage']),
            Resource: arnOf(stack.jobs.deadLetterQueue),
          }),
        ]),
      },
    });
  });

  it('may invoke its own live alias and nothing else, to split a busy minute into copies of the run', () => {
    const invokes = resourcesOf('AWS::IAM::Policy')
      .filter(([, candidate]) => (candidate.Properties.Roles as Json[]).some((role) => role.Ref === logicalIdOf(stack.jobs.function.role)))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('lambda:')));
    expect(invokes).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: logicalIdOf(stack.jobs.function.alias) } }]);
    // No other function may invoke anything.
    const others = resourcesOf('AWS::IAM::Policy')
      .filter(([, candidate]) => !(candidate.Properties.Roles as Json[]).some((role) => role.Ref === logicalIdOf(stack.jobs.function.role)))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('lambda:Invoke')));
    expect(others).toEqual([]);
  });

  it('holds no wildcard action and no Scan, in any of its policies', () => {
    const policies = resourcesOf('AWS::IAM::Policy').filter(([, candidate]) =>
      (candidate.Properties.Roles as Json[]).some((role) => role.Ref === logicalIdOf(stack.jobs.function.role)),
    );
    // Its own default policy, messaging's direct-SMS policy (messaging.suite.ts), and its fan-out's.
    expect(policies).toHaveLength(3);
    const actions = policies.flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument.Statement as Json[]).flatMap((statement) => [statement.Action].flat()),
    );
    expect(actions.filter((action: string) => action.includes('*') || action === 'dynamodb:Scan')).toEqual([]);
  });
});

describe('dead-letter queue', () => {
  it('is encrypted, keeps messages for 14 days and refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 60 * 60,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalIdOf(stack.jobs.deadLetterQueue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('passes cdk-nag with only SQS3 and SQSRedrivePolicy acknowledged, because it is the dead-letter queue', () => {
    const { jobsStack, construct } = jobsStackWith(jobs);
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const { violations } = pack.validateScope(jobsStack);
      expect(violations.map((violation) => violation.ruleName)).toEqual([]);
    }
    const acknowledged = construct.deadLetterQueue.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledged).toEqual([
      [expect.stringMatching(/AwsSolutions-SQS3$/), expect.stringMatching(/dead-letter queue/)],
      [expect.stringMatching(/Serverless-SQSRedrivePolicy$/), expect.stringMatching(/dead-letter queue/)],
    ]);
  });
});

describe('alarms', () => {
  const notifiesTopic = () => ({
    AlarmActions: [{ Ref: logicalIdOf(stack.alarms.topic) }],
    OKActions: [{ Ref: logicalIdOf(stack.alarms.topic) }],
  });

  it('alarms as soon as the dead-letter queue holds a message, to the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(stack.jobs.deadLetterQueue), 'QueueName'] } },
      ],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...notifiesTopic(),
    });
  });

  it.each(['Errors', 'Throttles'])('alarms on the jobs function’s %s, to the alarm topic', (metricName) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stack.jobs.function.function) } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...notifiesTopic(),
    });
  });
});
