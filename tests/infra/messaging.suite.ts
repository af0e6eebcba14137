import { App, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { LinliMessaging } from '../../lib/constructs/messaging';
import type { LinliStack } from '../../lib/linli-stack';
import {
  parseTencentSms,
  readStackConfig,
  TENCENT_SMS_TEMPLATE_KINDS,
  type LinliStackConfig,
} from '../../lib/stack-config';
import { defaultStack, synthStack, testConfig, type SynthesisedStack } from './synth';

type Json = Record<string, any>;

/** A Tencent Cloud SMS application as an operator would configure it in cdk.json. */
const tencentSmsContext = {
  region: 'ap-guangzhou',
  sdkAppId: '1400000001',
  signName: '邻里',
  templates: Object.fromEntries(TENCENT_SMS_TEMPLATE_KINDS.map((kind, index) => [kind, String(2000001 + index)])),
};

/** The other variant: SMS through Tencent Cloud, and no `linli:mailFrom`. */
const tencentConfig: LinliStackConfig = {
  ...testConfig,
  mailFrom: undefined,
  smsProvider: 'tencent',
  tencentSms: parseTencentSms(tencentSmsContext),
};

/** The default test configuration: SMS through SNS, and e-mail from `testConfig.mailFrom`. */
let sns: SynthesisedStack;
let tencent: SynthesisedStack | undefined;

beforeAll(() => {
  sns = defaultStack();
});

/** The Tencent variant, synthesised once, when a test first asks for it. */
function tencentStack(): SynthesisedStack {
  tencent ??= synthStack(tencentConfig);
  return tencent;
}

function logicalIdOf(construct: IConstruct, within: Stack): string {
  return within.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
}

function resourcesOf(template: Template, type: string): [string, Json][] {
  return Object.entries(template.findResources(type));
}

function resourceOf({ stack, template }: SynthesisedStack, construct: IConstruct): Json {
  return template.toJSON().Resources[logicalIdOf(construct, stack)] as Json;
}

const asList = (value: unknown): unknown[] => (value === undefined ? [] : [value].flat());

/** Every Allow statement of every IAM policy, with the roles the policy is attached to. */
function allowStatements(template: Template): { policyId: string; roles: string[]; statement: Json }[] {
  return resourcesOf(template, 'AWS::IAM::Policy').flatMap(([policyId, policy]) =>
    (policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({
        policyId,
        roles: (policy.Properties.Roles as Json[]).map((role) => role.Ref as string),
        statement,
      })),
  );
}

/** Whether a statement allows an action, however its actions are written (`service:*`, `*`). */
function allows(statement: Json, action: string): boolean {
  const service = action.split(':')[0];
  return asList(statement.Action).some((given) => [action, `${service}:*`, '*'].includes(given as string));
}

/** The roles that may read a secret: every statement whose resources name it. */
function readersOf(synthesised: SynthesisedStack, secret: IConstruct): string[] {
  const ref = JSON.stringify({ Ref: logicalIdOf(secret, synthesised.stack) });
  return allowStatements(synthesised.template)
    .filter(({ statement }) => asList(statement.Resource).some((resource) => JSON.stringify(resource) === ref))
    .flatMap(({ roles, statement }) => {
      expect(asList(statement.Action)).toContain('secretsmanager:GetSecretValue');
      return roles;
    })
    .sort();
}

const variablesOf = (synthesised: SynthesisedStack, fn: { function: IConstruct }): Json =>
  resourceOf(synthesised, fn.function).Properties.Environment.Variables as Json;

const roleOf = ({ stack }: SynthesisedStack, fn: { role: IConstruct }) => logicalIdOf(fn.role, stack);
const jobsRole = (synthesised: SynthesisedStack) => roleOf(synthesised, synthesised.stack.jobs.function);
const apiRoles = (synthesised: SynthesisedStack) =>
  Object.values(synthesised.stack.api.functions).map((fn) => roleOf(synthesised, fn));

function notifiesAlarmTopic({ stack }: SynthesisedStack): Json {
  const topic = { Ref: logicalIdOf(stack.alarms.topic, stack) };
  return { AlarmActions: [topic], OKActions: [topic] };
}

function alarmsOn(template: Template, namespace: string, metricName: string): Json[] {
  return resourcesOf(template, 'AWS::CloudWatch::Alarm')
    .map(([, alarm]) => alarm.Properties as Json)
    .filter((properties) => properties.Namespace === namespace && properties.MetricName === metricName);
}

const bothVariants = [
  ['sns', () => sns],
  ['tencent', () => tencentStack()],
] as const;

describe('no organisers’ topic', () => {
  it.each(bothVariants)('leaves the alarm topic, and its key, as the only ones (%s)', (_name, synthesised) => {
    const { stack, template } = synthesised();
    expect(resourcesOf(template, 'AWS::SNS::Topic').map(([id]) => id)).toEqual([logicalIdOf(stack.alarms.topic, stack)]);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(Object.keys(template.toJSON().Outputs)).not.toContain('OrganiserTopicArn');
  });

  it('gives no function ORGANISER_TOPIC_ARN', () => {
    for (const fn of Object.values(sns.template.findResources('AWS::Lambda::Function'))) {
      expect(Object.keys(fn.Properties.Environment?.Variables ?? {})).not.toContain('ORGANISER_TOPIC_ARN');
    }
  });
});

describe('e-mail through SES, with linli:mailFrom', () => {
  it('creates the SES email identity of the address', () => {
    sns.template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    sns.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: testConfig.mailFrom });
  });

  it('gives the jobs function MAIL_FROM, and the organiser function (Settings check e-mail contacts against it), and no other API function', () => {
    expect(variablesOf(sns, sns.stack.jobs.function).MAIL_FROM).toBe(testConfig.mailFrom);
    expect(variablesOf(sns, sns.stack.api.functions.organiser).MAIL_FROM).toBe(testConfig.mailFrom);
    for (const fn of [sns.stack.api.functions.public, sns.stack.api.functions.volunteer]) expect(variablesOf(sns, fn).MAIL_FROM).toBeUndefined();
  });

  it('grants ses:SendEmail in exactly one statement, on that identity alone, to the jobs role alone', () => {
    const ses = allowStatements(sns.template).filter(({ statement }) =>
      asList(statement.Action).some((action) => /^(ses:|\*$)/.test(action as string)),
    );
    expect(ses.map(({ roles }) => roles)).toEqual([[jobsRole(sns)]]);
    expect(ses[0]!.statement).toEqual({
      Sid: 'SendMailFrom',
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ses:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            `:identity/${testConfig.mailFrom}`,
          ],
        ],
      },
    });
    expect(sns.stack.resolve(sns.stack.messaging.mailIdentityArn)).toEqual(ses[0]!.statement.Resource);
  });
});

describe('e-mail without linli:mailFrom', () => {
  it('has no SES identity, no SES permission and no MAIL_FROM', () => {
    const { stack, template } = tencentStack();
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    const sesActions = allowStatements(template).flatMap(({ statement }) =>
      asList(statement.Action).filter((action) => /^ses:/.test(action as string)),
    );
    expect(sesActions).toEqual([]);
    expect(variablesOf(tencentStack(), stack.jobs.function).MAIL_FROM).toBeUndefined();
  });
});

describe('SMS through SNS (linli:smsProvider sns, the default)', () => {
  it('tells the jobs function, and gives it nothing of Tencent Cloud’s', () => {
    const variables = variablesOf(sns, sns.stack.jobs.function);
    expect(variables.SMS_PROVIDER).toBe('sns');
    expect(variables.TENCENT_SMS_CONFIG).toBeUndefined();
    expect(variables.TENCENT_SMS_SECRET_ARN).toBeUndefined();
    expect(sns.stack.messaging.tencentSmsSecret).toBeUndefined();
    expect(Object.keys(sns.template.toJSON().Outputs)).not.toContain('TencentSmsSecretArn');
  });

  it('sends SMS through one statement, alone in its own policy, attached to the jobs and public roles only', () => {
    const policy = sns.stack.messaging.directSmsPolicy!;
    const sms = allowStatements(sns.template).filter(({ policyId }) => policyId === logicalIdOf(policy, sns.stack));
    // The public function sends phone-verification codes.
    expect(sms).toEqual([
      { policyId: expect.any(String), roles: [roleOf(sns, sns.stack.api.functions.public), jobsRole(sns)], statement: expect.anything() },
    ]);
    // Any resource but an SNS ARN (a topic, a platform endpoint): a phone number; in the stack's region.
    expect(sms[0]!.statement).toEqual({
      Sid: 'DirectSms',
      Effect: 'Allow',
      Action: 'sns:Publish',
      NotResource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] },
      Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
    });
  });

  it('grants sns:Publish nowhere else', () => {
    const publishing = allowStatements(sns.template).filter(({ statement }) => allows(statement, 'sns:Publish'));
    expect(publishing.map(({ policyId }) => policyId)).toEqual([logicalIdOf(sns.stack.messaging.directSmsPolicy!, sns.stack)]);
  });

  it('grants the API functions’ roles no SES action, and no SNS action but the public role’s direct SMS', () => {
    const smsPolicy = logicalIdOf(sns.stack.messaging.directSmsPolicy!, sns.stack);
    const apiStatements = allowStatements(sns.template)
      .filter(({ policyId }) => policyId !== smsPolicy)
      .filter(({ roles }) => roles.some((role) => apiRoles(sns).includes(role)));
    expect(apiStatements.length).toBeGreaterThan(0);
    const actions = apiStatements.flatMap(({ statement }) =>
      asList(statement.Action).filter((action) => /^(sns:|ses:|\*$)/.test(action as string)),
    );
    expect(actions).toEqual([]);
  });

  it('holds no Resource * on a function’s role but X-Ray’s trace upload, and no NotResource but direct SMS’s', () => {
    const functionRoles = [jobsRole(sns), ...apiRoles(sns)];
    const onRoles = allowStatements(sns.template).filter(({ roles }) => roles.some((role) => functionRoles.includes(role)));
    const wildcards = onRoles
      .filter(({ statement }) => asList(statement.Resource).includes('*'))
      .map(({ statement }) => asList(statement.Action).sort().join(' '));
    const xray = 'xray:PutTelemetryRecords xray:PutTraceSegments';
    expect(wildcards.sort()).toEqual(functionRoles.map(() => xray));
    expect(onRoles.filter(({ statement }) => statement.NotResource !== undefined || statement.NotAction !== undefined).map(({ statement }) => statement.Sid)).toEqual(['DirectSms']);
  });

  it('alarms on the month’s SMS spend, at linli:smsMonthlySpendAlarmUsd, to the alarm topic', () => {
    expect(alarmsOn(sns.template, 'AWS/SNS', 'SMSMonthToDateSpentUSD')).toEqual([
      expect.objectContaining({
        Statistic: 'Maximum',
        Threshold: testConfig.smsMonthlySpendAlarmUsd,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ...notifiesAlarmTopic(sns),
      }),
    ]);
    expect(alarmsOn(sns.template, 'AWS/SNS', 'SMSMonthToDateSpentUSD')[0]!.Dimensions).toBeUndefined();
  });
});

describe('SMS through Tencent Cloud (linli:smsProvider tencent)', () => {
  it('gives the jobs and public functions the provider, the application’s settings and the secret’s ARN, the organiser function the provider alone', () => {
    const { stack } = tencentStack();
    for (const fn of [stack.jobs.function, stack.api.functions.public]) {
      const variables = variablesOf(tencentStack(), fn);
      expect(variables.SMS_PROVIDER).toBe('tencent');
      expect(JSON.parse(variables.TENCENT_SMS_CONFIG as string)).toEqual(tencentSmsContext);
      expect(variables.TENCENT_SMS_SECRET_ARN).toEqual({ Ref: logicalIdOf(stack.messaging.tencentSmsSecret!, stack) });
    }
    // The public function sends SMS and nothing else: no e-mail, no settings key.
    const publicVariables = variablesOf(tencentStack(), stack.api.functions.public);
    expect(publicVariables.MAIL_FROM).toBeUndefined();
    expect(publicVariables.SETTINGS_KEY_SECRET_ARN).toBeUndefined();
    expect(Object.keys(variablesOf(tencentStack(), stack.api.functions.volunteer)).filter((name) => /^(SMS_|TENCENT_)/.test(name))).toEqual([]);
    // The organiser function knows which provider there is (Settings), not how to reach it.
    expect(Object.keys(variablesOf(tencentStack(), stack.api.functions.organiser)).filter((name) => /^(SMS_|TENCENT_)/.test(name))).toEqual(['SMS_PROVIDER']);
  });

  it('gives the public function SMS_PROVIDER and the direct-SMS policy with SNS, and nothing for e-mail', () => {
    const variables = variablesOf(sns, sns.stack.api.functions.public);
    expect(variables.SMS_PROVIDER).toBe('sns');
    expect(variables.MAIL_FROM).toBeUndefined();
  });

  it('puts nothing secret in TENCENT_SMS_CONFIG', () => {
    const config = JSON.parse(variablesOf(tencentStack(), tencentStack().stack.jobs.function).TENCENT_SMS_CONFIG as string);
    expect(Object.keys(config).sort()).toEqual(['region', 'sdkAppId', 'signName', 'templates']);
  });

  it('grants sns:Publish nowhere, and has no direct-SMS policy or spend alarm', () => {
    const { stack, template } = tencentStack();
    expect(stack.messaging.directSmsPolicy).toBeUndefined();
    expect(allowStatements(template).filter(({ statement }) => allows(statement, 'sns:Publish'))).toEqual([]);
    expect(alarmsOn(template, 'AWS/SNS', 'SMSMonthToDateSpentUSD')).toEqual([]);
  });

  it('makes a secret for the credential, readable by the jobs and public roles alone, and an output naming it', () => {
    const synthesised = tencentStack();
    const secret = synthesised.stack.messaging.tencentSmsSecret!;
    expect(readersOf(synthesised, secret)).toEqual(
      [jobsRole(synthesised), roleOf(synthesised, synthesised.stack.api.functions.public)].sort(),
    );
    expect(synthesised.template.toJSON().Outputs.TencentSmsSecretArn.Value).toEqual({
      Ref: logicalIdOf(secret, synthesised.stack),
    });
    const { Properties } = resourceOf(synthesised, secret);
    expect(Properties.Description).toMatch(/"secretId".*"secretKey"/);
    // AWS-managed encryption (aws/secretsmanager): see lib/constructs/messaging.ts.
    expect(Properties.KmsKeyId).toBeUndefined();
  });

  it('keeps the placeholder’s generation settings as they are: changing them overwrites the operator’s credential', () => {
    const { GenerateSecretString } = resourceOf(tencentStack(), tencentStack().stack.messaging.tencentSmsSecret!).Properties;
    expect(GenerateSecretString).toEqual({
      SecretStringTemplate: JSON.stringify({ secretId: '', secretKey: '' }),
      GenerateStringKey: 'placeholder',
      ExcludePunctuation: true,
      PasswordLength: 16,
    });
  });

  it('refuses to synthesise when the configuration lacks a template', () => {
    const { shift_reminder: _dropped, ...templates } = tencentSmsContext.templates;
    const app = new App({
      context: { 'linli:smsProvider': 'tencent', 'linli:tencentSms': { ...tencentSmsContext, templates } },
    });
    expect(() => readStackConfig(app.node, {})).toThrow(/linli:tencentSms .*no template ID for shift_reminder/);
  });

  it('refuses a messaging construct without the settings', () => {
    expect(() => new LinliMessaging(new Stack(), 'Messaging', { smsProvider: 'tencent' })).toThrow(/linli:tencentSms/);
  });
});

describe('settings key', () => {
  it.each(bothVariants)('is readable by the jobs and organiser roles only (%s)', (_name, variant) => {
    const synthesised = variant();
    const { stack } = synthesised;
    expect(readersOf(synthesised, stack.messaging.settingsKeySecret)).toEqual(
      [jobsRole(synthesised), roleOf(synthesised, stack.api.functions.organiser)].sort(),
    );
  });

  it('is named by SETTINGS_KEY_SECRET_ARN to the jobs and organiser functions only', () => {
    const ref = { Ref: logicalIdOf(sns.stack.messaging.settingsKeySecret, sns.stack) };
    const { jobs } = sns.stack;
    const { public: publicFunction, volunteer, organiser } = sns.stack.api.functions;
    expect(variablesOf(sns, jobs.function).SETTINGS_KEY_SECRET_ARN).toEqual(ref);
    expect(variablesOf(sns, organiser).SETTINGS_KEY_SECRET_ARN).toEqual(ref);
    expect(variablesOf(sns, publicFunction).SETTINGS_KEY_SECRET_ARN).toBeUndefined();
    expect(variablesOf(sns, volunteer).SETTINGS_KEY_SECRET_ARN).toBeUndefined();
  });

  it('tells the organiser function which channels the stack has (not their credentials), so Settings refuse what it cannot reach', () => {
    const { organiser } = sns.stack.api.functions;
    expect(variablesOf(sns, organiser)).toMatchObject({ SMS_PROVIDER: 'sns', MAIL_FROM: testConfig.mailFrom });
    const other = tencentStack();
    const tencentOrganiser = variablesOf(other, other.stack.api.functions.organiser);
    expect(tencentOrganiser.SMS_PROVIDER).toBe('tencent');
    expect(tencentOrganiser.MAIL_FROM).toBeUndefined();
    expect(Object.keys(tencentOrganiser).filter((name) => name.startsWith('TENCENT_SMS_'))).toEqual([]);
  });

  it('is 64 random letters and digits, retained when the stack is deleted or the secret replaced', () => {
    const secret = resourceOf(sns, sns.stack.messaging.settingsKeySecret);
    expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    // Pinned: CloudFormation generates a new value when these change, and stored robot keys would
    // become unreadable.
    expect(secret.Properties.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false });
    expect(secret.Properties.KmsKeyId).toBeUndefined();
  });
});

describe('failed deliveries', () => {
  it.each(bothVariants)('are alarmed as soon as one is given up, to the alarm topic (%s)', (_name, variant) => {
    const synthesised = variant();
    const [alarm, ...others] = alarmsOn(synthesised.template, 'Linli', 'DeliveriesFailed');
    expect(others).toEqual([]);
    expect(alarm).toEqual(
      expect.objectContaining({
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ...notifiesAlarmTopic(synthesised),
      }),
    );
    // The metric without dimensions: all channels together.
    expect(alarm!.Dimensions).toBeUndefined();
  });
});

describe('checks', () => {
  /** `[<construct path> <rule>, reason]` for every acknowledgement under a path, sorted. */
  const acknowledgementsUnder = (stack: LinliStack, prefix: string): [string, string][] =>
    stack.node
      .findAll()
      .filter((construct) => construct.node.path.startsWith(prefix))
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
          .map(([key, reason]): [string, string] => [`${construct.node.path} ${key.replace(/^Annotation::/, '')}`, reason]),
      )
      .sort(([a], [b]) => a.localeCompare(b));

  it('acknowledges the settings key’s rotation, with its reason, and nothing about SMS, which names no wildcard resource (sns)', () => {
    expect(acknowledgementsUnder(sns.stack, 'Linli-dev/Messaging/')).toEqual([
      ['Linli-dev/Messaging/SettingsKeySecret AwsSolutions-SMG4', expect.stringMatching(/re-encrypt/)],
    ]);
  });

  it('acknowledges the two secrets’ rotation, with their reasons (tencent)', () => {
    expect(acknowledgementsUnder(tencentStack().stack, 'Linli-dev/Messaging/')).toEqual([
      ['Linli-dev/Messaging/SettingsKeySecret AwsSolutions-SMG4', expect.stringMatching(/re-encrypt/)],
      ['Linli-dev/Messaging/TencentSmsSecret AwsSolutions-SMG4', expect.stringMatching(/Tencent Cloud’s CAM console/)],
    ]);
  });

  it('acknowledges on the jobs function only what tracing brings, and why the function has no DLQ', () => {
    expect(acknowledgementsUnder(sns.stack, 'Linli-dev/Jobs/Function/').map(([id]) => id)).toEqual([
      'Linli-dev/Jobs/Function/Function Serverless-LambdaDLQ',
      'Linli-dev/Jobs/Function/Role/DefaultPolicy AwsSolutions-IAM5[Resource::*]',
    ]);
  });

  // The sns variant is checked by stack.suite.ts (the same shared synth).
  it.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['Serverless', () => new ServerlessChecks()],
  ] as const)('passes cdk-nag’s %s pack with nothing left unacknowledged (tencent)', (_name, pack) => {
    const { violations } = pack().validateScope(tencentStack().stack);
    const findings = violations.map(
      (violation) => `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });
});
