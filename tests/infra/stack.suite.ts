import { Token, Validations, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { COMMUNITY_CLAIM, ORGANISER_GROUP } from '../../functions/auth/organiser-claims';
import { CORS_POLICY } from '../../functions/http/cors-policy';
import { functionGroupOf, routeKeyOf, type RouteDefinition } from '../../functions/http/route';
import { routes } from '../../functions/routes';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../../functions/store/table-definition';
import { FUNCTION_TIMEOUT_MS } from '../../local/server';
import { DEFAULT_API_THROTTLE, PUBLIC_WRITE_THROTTLE, RUSH_THROTTLES, SIGN_UP_ROUTES, SIGN_UP_THROTTLE } from '../../lib/constructs/api';
import { DURATION_P99_FRACTION_OF_TIMEOUT, TABLE_OPERATIONS } from '../../lib/constructs/alarms';
import type { LinliStack } from '../../lib/linli-stack';
import { defaultStack, testConfig } from './synth';

const config = testConfig;

type Json = Record<string, any>;

let stack: LinliStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = defaultStack());
});

function logicalIdOf(construct: IConstruct): string {
  return stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
}

function resourcesOf(type: string): [string, Json][] {
  return Object.entries(template.findResources(type));
}

/** The API's functions; the web deployment's copy function has its own tests (web.suite.ts). */
function apiFunctionResources(): Json[] {
  const resources = template.toJSON().Resources as Record<string, Json>;
  return Object.values(stack.api.functions).map((fn) => resources[logicalIdOf(fn.function)]!);
}

function apiRouteFor(route: RouteDefinition): Json {
  const found = resourcesOf('AWS::ApiGatewayV2::Route').filter(
    ([, resource]) => resource.Properties.RouteKey === routeKeyOf(route),
  );
  expect(found).toHaveLength(1);
  return found[0]![1].Properties as Json;
}

describe('data', () => {
  it('keys the table from TABLE_KEYS, on demand, with TTL, PITR, deletion protection and AWS-managed encryption', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      // Enabled without a key of our own: the AWS-managed key (aws/dynamodb).
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
    });
  });

  it('declares every index of GLOBAL_INDEXES and no other', () => {
    const [[, table]] = resourcesOf('AWS::DynamoDB::Table') as [[string, Json]];
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(
      GLOBAL_INDEXES.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('retains the table when the stack is deleted or the table replaced', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('functions', () => {
  it('runs one function per function group on Node.js 24, arm64, 512 MB', () => {
    // Plus the scheduled jobs' function (jobs.suite.ts) and BucketDeployment's copy function, which
    // puts web/ into its bucket.
    template.resourceCountIs('AWS::Lambda::Function', 3 + 1 + 1);
    for (const fn of apiFunctionResources()) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 512 });
    }
  });

  it('times out when the local runtime does', () => {
    for (const fn of apiFunctionResources()) {
      expect(fn.Properties.Timeout).toBe(FUNCTION_TIMEOUT_MS / 1000);
    }
  });

  it('gives every function the table and the configuration functions/config.ts reads', () => {
    for (const fn of apiFunctionResources()) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        TABLE_NAME: { Ref: logicalIdOf(stack.data.table) },
        PUBLIC_RATE_LIMIT_PER_MINUTE: '120',
        WEB_ORIGINS: 'https://linli.example.org',
        LOG_LEVEL: 'INFO',
        POWERTOOLS_SERVICE_NAME: 'linli',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('runs every function on the real clock (LINLI_NOW moves only the local runtime and the tests)', () => {
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(Object.keys(fn.Properties.Environment?.Variables ?? {})).not.toContain('LINLI_NOW');
    }
  });

  it('logs every function as JSON to its own log group, kept for a month', () => {
    for (const fn of Object.values(stack.api.functions)) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [logicalIdOf(fn.role), 'Arn'] },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(fn.logGroup) } },
      });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('lets each function read items on the table and its indexes, write only by partition (least-privilege.suite.ts), and never Scan', () => {
    const tableArn = { 'Fn::GetAtt': [logicalIdOf(stack.data.table), 'Arn'] };
    for (const fn of Object.values(stack.api.functions)) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalIdOf(fn.role) }],
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
            Match.objectLike({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: tableArn, Condition: Match.objectLike({ 'ForAllValues:StringLike': Match.anyValue() }) }),
          ]),
        },
      });
    }
    const actionsOf = (policies: [string, Json][]): string[] =>
      policies.flatMap(([, policy]) =>
        (policy.Properties.PolicyDocument.Statement as Json[]).flatMap((statement) => [statement.Action].flat()),
      );
    const functionRoles = Object.values(stack.api.functions).map((fn) => logicalIdOf(fn.role));
    const functionPolicies = resourcesOf('AWS::IAM::Policy').filter(([, policy]) =>
      (policy.Properties.Roles as Json[]).some((role) => functionRoles.includes(role.Ref as string)),
    );
    // Each role's default policy, and the direct-SMS policy the public role shares with the jobs role.
    expect(functionPolicies).toHaveLength(functionRoles.length + 1);
    expect(actionsOf(resourcesOf('AWS::IAM::Policy'))).not.toContain('dynamodb:Scan');
    // The web deployment's role holds CDK's S3 wildcards (acknowledged in lib/constructs/web.ts).
    expect(actionsOf(functionPolicies).filter((action) => action.includes('*'))).toEqual([]);
  });

  it('traces every function of its own (API and jobs) with X-Ray', () => {
    const resources = template.toJSON().Resources as Record<string, Json>;
    const functions = [...Object.values(stack.api.functions), stack.jobs.function];
    for (const fn of functions) {
      expect(resources[logicalIdOf(fn.function)]!.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });

  it('attaches no managed policies to any role but CodeDeploy’s, and to those only AWSCodeDeployRoleForLambdaLimited', () => {
    const deploymentRoles = Object.values(stack.deployments.groups).map((group) => logicalIdOf(group.role));
    expect(deploymentRoles).toHaveLength(4);
    for (const [id, role] of resourcesOf('AWS::IAM::Role')) {
      if (deploymentRoles.includes(id)) {
        expect(role.Properties.ManagedPolicyArns).toEqual([
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited']] },
        ]);
        expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
          expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        ]);
      } else {
        expect({ id, managed: role.Properties.ManagedPolicyArns }).toEqual({ id, managed: undefined });
      }
    }
  });
});

describe('api', () => {
  it('makes exactly one API route per entry of the route table, plus the catch-all', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length + 1);
  });

  it('sends unmatched requests to the public function, which answers with a problem+json 404', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'NONE' });
  });

  it.each(routes.map((route) => [routeKeyOf(route), route] as const))(
    'integrates %s with its function group’s Lambda, through its live alias',
    (_key, route) => {
      const target = apiRouteFor(route).Target as Json;
      const integrationId = target['Fn::Join'][1][1].Ref as string;
      const integration = template.toJSON().Resources[integrationId] as Json;
      // The function's `live` alias, which CodeDeploy shifts gradually (operations.suite.ts), never $LATEST.
      const fn = stack.api.functions[functionGroupOf(route.credential)];
      expect(integration.Properties).toEqual({
        ApiId: { Ref: logicalIdOf(stack.api.httpApi) },
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { Ref: logicalIdOf(fn.alias) },
        PayloadFormatVersion: '2.0',
      });
    },
  );

  it('puts the JWT authorizer on every organiser route and on no other', () => {
    const [[authorizerId]] = resourcesOf('AWS::ApiGatewayV2::Authorizer') as [[string, Json]];
    for (const route of routes) {
      const properties = apiRouteFor(route);
      if (route.credential === 'organiser') {
        expect(properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      } else {
        expect(properties.AuthorizationType).toBe('NONE');
        expect(properties.AuthorizerId).toBeUndefined();
      }
    }
  });

  it('verifies organiser JWTs against the user pool’s issuer and the web client', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalIdOf(stack.auth!.client) }],
        // The pool's ProviderURL: the partition's domain is CloudFormation's to fill in, not written out.
        Issuer: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.auth!.userPool), 'ProviderURL'] }]] },
      },
    });
  });

  it('answers CORS preflight from CORS_POLICY and the configured origins', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: config.webOrigins,
        AllowMethods: CORS_POLICY.allowMethods,
        AllowHeaders: CORS_POLICY.allowHeaders,
        ExposeHeaders: CORS_POLICY.exposeHeaders,
        MaxAge: CORS_POLICY.maxAgeSeconds,
      },
    });
  });

  it('throttles the default stage', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: DEFAULT_API_THROTTLE.rateLimit,
        ThrottlingBurstLimit: DEFAULT_API_THROTTLE.burstLimit,
      },
    });
  });

  it('gives every public write a throttle of its own, the sign-ups and bookings theirs, and organiser routes none', () => {
    const [[, stageResource]] = resourcesOf('AWS::ApiGatewayV2::Stage') as [[string, Json]];
    const settings = stageResource.Properties.RouteSettings as Json;
    const publicWrites = routes.filter((route) => functionGroupOf(route.credential) === 'public' && route.method !== 'GET');
    expect(Object.keys(settings).sort()).toEqual(publicWrites.map(routeKeyOf).sort());
    for (const route of publicWrites) {
      const throttle = RUSH_THROTTLES[routeKeyOf(route)] ?? PUBLIC_WRITE_THROTTLE;
      expect(settings[routeKeyOf(route)]).toEqual({ ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit });
    }
    for (const key of SIGN_UP_ROUTES) expect(Object.keys(settings)).toContain(key);
    // The festival sign-up takes a 2,000-tap rush whole (the queue); the help desk's bookings, one counter each, less.
    expect(settings['POST /communities/{c}/events/{eventId}/registrations']).toEqual({ ThrottlingRateLimit: SIGN_UP_THROTTLE.rateLimit, ThrottlingBurstLimit: 2000 });
    expect(Object.keys(settings).filter((key) => routes.find((route) => routeKeyOf(route) === key)?.credential === 'organiser')).toEqual([]);
  });

  it('gives the public sign-up and booking routes a throttle of their own, after the routes exist', () => {
    const [stageId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Stage'));
    const dependsOn = (template.toJSON().Resources[stageId!].DependsOn ?? []) as string[];
    const routeIds = Object.entries(template.findResources('AWS::ApiGatewayV2::Route'))
      .filter(([, route]) => (SIGN_UP_ROUTES as readonly string[]).includes(route.Properties.RouteKey))
      .map(([id]) => id);
    expect(routeIds).toHaveLength(SIGN_UP_ROUTES.length);
    for (const id of routeIds) expect(dependsOn).toContain(id);
  });

  it('writes JSON access logs to their own log group, without bodies or query strings', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logicalIdOf(stack.api.accessLogGroup), 'Arn'] } },
    });
    const [[, stage]] = resourcesOf('AWS::ApiGatewayV2::Stage') as [[string, Json]];
    const format = stage.Properties.AccessLogSettings.Format as string;
    expect(JSON.parse(format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
    expect(format).not.toMatch(/body|querystring|rawQueryString/i);
  });
});

describe('auth', () => {
  it('lets only administrators create organisers, with strong passwords and required MFA', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      DeletionProtection: 'ACTIVE',
    });
  });

  it('holds the community claim as a mutable custom attribute', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: COMMUNITY_CLAIM.replace(/^custom:/, ''), AttributeDataType: 'String', Mutable: true }),
      ]),
    });
  });

  it('has the organisers group the functions check', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: ORGANISER_GROUP });
  });

  it('signs organisers in with the authorization code flow and no client secret, back to the configured URLs', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      GenerateSecret: false,
      CallbackURLs: config.authCallbackUrls,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  it('lets organisers read their community but not change it', () => {
    const [[, client]] = resourcesOf('AWS::Cognito::UserPoolClient') as [[string, Json]];
    expect(client.Properties.ReadAttributes).toContain(COMMUNITY_CLAIM);
    expect(client.Properties.WriteAttributes).not.toContain(COMMUNITY_CLAIM);
  });

  it('uses the configured domain prefix', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: config.authDomainPrefix });
  });
});

describe('alarms', () => {
  const notifiesTopic = () => ({
    AlarmActions: [{ Ref: logicalIdOf(stack.alarms.topic) }],
    OKActions: [{ Ref: logicalIdOf(stack.alarms.topic) }],
  });

  it.each(['Errors', 'Throttles'])('alarms on %s of every function, to the alarm topic', (metricName) => {
    for (const fn of Object.values(stack.api.functions)) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: metricName,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(fn.function) } }],
        ...notifiesTopic(),
      });
    }
  });

  it('alarms when a due reminder or delivery waits past three minutes, or the job stops measuring', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Linli',
      MetricName: 'OldestDueAgeSeconds',
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 180,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      ...notifiesTopic(),
    });
  });

  it('alarms when an erasure or a promotion is still due two hours on after two housekeeping runs, or housekeeping stops measuring', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Linli',
      MetricName: 'OldestDueAgeSeconds',
      Dimensions: [{ Name: 'Job', Value: 'housekeeping' }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 7200,
      EvaluationPeriods: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      ...notifiesTopic(),
    });
  });

  it('alarms on one error of every function in a minute (CodeDeploy rolls back on it), to the alarm topic', () => {
    for (const fn of [...Object.values(stack.api.functions), stack.jobs.function]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(fn.function) } }],
        Statistic: 'Sum',
        Period: 60,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ...notifiesTopic(),
      });
    }
  });

  it('alarms when a function’s p99 duration passes half its timeout in 2 of 3 minutes, missing data not breaching', () => {
    const functions = [...Object.values(stack.api.functions), stack.jobs.function];
    for (const fn of functions) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(fn.function) } }],
        ExtendedStatistic: 'p99',
        Period: 60,
        Threshold: fn.timeout.toMilliseconds() * DURATION_P99_FRACTION_OF_TIMEOUT,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        ...notifiesTopic(),
      });
    }
    // 5 s of the API functions' 10 s, 30 s of the jobs' 60 s.
    expect(functions.map((fn) => fn.timeout.toMilliseconds() * DURATION_P99_FRACTION_OF_TIMEOUT)).toEqual([5000, 5000, 5000, 30_000]);
  });

  it('alarms when one job run takes over 80% of its 60 s timeout, and on no request function so', () => {
    const nearTimeout = Object.values(template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'Duration', Statistic: 'Maximum' },
    }));
    expect(nearTimeout).toHaveLength(1);
    expect(nearTimeout[0]!.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stack.jobs.function.function) } }],
      Period: 60,
      Threshold: 48_000,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      ...notifiesTopic(),
    });
  });

  describe('on the table', () => {
    const tableRef = () => ({ Ref: logicalIdOf(stack.data.table) });
    /** The alarm on a sum over the store's operations, each filled with 0 where it has no datapoint. */
    const perOperationAlarm = (metricName: string) => {
      const found = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
        ((alarm.Properties.Metrics ?? []) as Json[]).some((query) => query.MetricStat?.Metric?.MetricName === metricName),
      );
      expect(found).toHaveLength(1);
      return found[0]!.Properties as Json;
    };

    it.each([
      ['ThrottledRequests', 5],
      ['SystemErrors', 5],
    ])('alarms on %s of every operation the store sends, summed with gaps as 0: %d or more in 5 minutes', (metricName, threshold) => {
      const alarm = perOperationAlarm(metricName);
      expect(alarm).toMatchObject({
        Threshold: threshold,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ...notifiesTopic(),
      });
      const queries = alarm.Metrics as Json[];
      const metrics = queries.filter((query) => query.MetricStat);
      expect(metrics.map((query) => query.MetricStat.Metric.Dimensions)).toEqual(
        TABLE_OPERATIONS.map((operation) =>
          expect.arrayContaining([
            { Name: 'TableName', Value: tableRef() },
            { Name: 'Operation', Value: operation },
          ]),
        ),
      );
      for (const query of metrics) expect(query.MetricStat).toMatchObject({ Stat: 'Sum', Period: 300 });
      const [expression] = queries.filter((query) => query.Expression);
      expect(expression!.Expression).toBe(metrics.map((query) => `FILL(${query.Id}, 0)`).join(' + '));
      // Alarms on metric math take at most ten metrics.
      expect(metrics.length).toBeLessThanOrEqual(10);
    });

    it('counts the operations the store sends, and no Batch or Scan', () => {
      expect([...TABLE_OPERATIONS].sort()).toEqual(['DeleteItem', 'GetItem', 'PutItem', 'Query', 'TransactWriteItems', 'UpdateItem']);
    });

    it('alarms on transaction conflicts that last 15 minutes, not on a sign-up rush', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/DynamoDB',
        MetricName: 'TransactionConflict',
        Dimensions: [{ Name: 'TableName', Value: tableRef() }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 500,
        EvaluationPeriods: 3,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ...notifiesTopic(),
      });
    });
  });

  it('alarms on the API’s 5xx responses, to the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalIdOf(stack.api.httpApi) } }],
      ...notifiesTopic(),
    });
  });

  it('encrypts the alarm topic with a rotated key and refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes the configured email address', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: config.alarmEmail });
  });
});

describe('checks', () => {
  // bin/app.ts runs the same two packs at synth.
  it.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['Serverless', () => new ServerlessChecks()],
  ] as [string, () => NagPack][])('passes cdk-nag’s %s pack with no unacknowledged error or warning', (_name, pack) => {
    const report = pack().validateScope(stack);
    const findings = report.violations.map(
      (violation) =>
        `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });

  it('gives every acknowledged finding a reason', () => {
    const acknowledgements = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      expect({ id, reason: reason.length >= 40 }).toEqual({ id, reason: true });
    }
  });

  it('synthesises without CDK warnings or errors', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });

  it('is environment-agnostic, so it synthesises without AWS credentials', () => {
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
    expect(Token.isUnresolved(stack.account)).toBe(true);
  });
});
