/**
 * Operations (issue 18, step 6): the dashboard, and the gradual deploys (aliases, CodeDeploy's
 * canary, rollback on alarms). The alarms themselves are asserted in stack.suite.ts and jobs.suite.ts.
 */
import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { LinliStack } from '../../lib/linli-stack';
import { defaultStack } from './synth';

type Json = Record<string, any>;

let stack: LinliStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = defaultStack());
});

const logicalIdOf = (construct: IConstruct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;

/** The dashboard's body as JSON, every CloudFormation reference in it written `${Ref}`/`${Id.Attr}`. */
function dashboardBody(): Json {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Json[];
  const body = dashboard!.Properties.DashboardBody as Json;
  const parts = (body['Fn::Join'] as [string, unknown[]])[1];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const json = part as Json;
      if ('Ref' in json) return `\${${json.Ref}}`;
      if ('Fn::GetAtt' in json) return `\${${(json['Fn::GetAtt'] as string[]).join('.')}}`;
      throw new Error(`Unexpected part of the dashboard body: ${JSON.stringify(part)}`);
    })
    .join('');
  return JSON.parse(text) as Json;
}

describe('dashboard', () => {
  const widgets = () => dashboardBody().widgets as Json[];
  const graphs = () => widgets().filter((widget) => widget.type === 'metric' && widget.properties.view !== undefined);
  const titled = (title: string) => {
    const found = widgets().filter((widget) => widget.properties.title === title);
    expect(found).toHaveLength(1);
    return found[0]!.properties as Json;
  };
  /** The metric arrays of a graph: [namespace, name, dimension name, value, …, options]. */
  const metricsOf = (title: string) => (titled(title).metrics as unknown[][]).map((metric) => metric.filter((item) => typeof item === 'string'));

  it('is one dashboard, named after the stack and its region', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: { 'Fn::Join': ['', [`${stack.stackName}-`, { Ref: 'AWS::Region' }]] },
    });
  });

  it('opens with the state of every alarm of the stack', () => {
    const [first] = widgets();
    expect(first!.type).toBe('alarm');
    const alarmArns = (first!.properties.alarms as string[]).sort();
    const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarmArns).toEqual(alarmIds.map((id) => `\${${id}.Arn}`).sort());
    expect(stack.alarms.alarms.length).toBe(alarmIds.length);
  });

  it('shows the API’s requests, 4xx and 5xx, and latency', () => {
    const api = `\${${logicalIdOf(stack.api.httpApi)}}`;
    expect(metricsOf('Requests')).toEqual([['AWS/ApiGateway', 'Count', 'ApiId', api]]);
    expect(metricsOf('4xx and 5xx responses')).toEqual([
      ['AWS/ApiGateway', '4xx', 'ApiId', api],
      ['AWS/ApiGateway', '5xx', 'ApiId', api],
    ]);
    expect(metricsOf('Latency (ms)').map((metric) => metric[1])).toEqual(['Latency', 'Latency', 'IntegrationLatency']);
  });

  it('shows each function’s invocations, errors, throttles and p99 duration', () => {
    const functions = { ...stack.api.functions, jobs: stack.jobs.function };
    for (const [name, fn] of Object.entries(functions)) {
      const graph = titled(`${name.charAt(0).toUpperCase()}${name.slice(1)} function`);
      const ref = `\${${logicalIdOf(fn.function)}}`;
      const metrics = graph.metrics as unknown[][];
      expect(metrics.map((metric) => metric.slice(0, 4))).toEqual(
        ['Invocations', 'Errors', 'Throttles', 'Duration'].map((metricName) => ['AWS/Lambda', metricName, 'FunctionName', ref]),
      );
      expect(metrics[3]!.at(-1)).toMatchObject({ stat: 'p99', yAxis: 'right' });
    }
  });

  it('shows the table’s consumed units, throttles, conflicts and system errors', () => {
    expect(metricsOf('Consumed capacity units').map((metric) => metric[1])).toEqual(['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits']);
    for (const [title, metricName] of [
      ['Throttled requests', 'ThrottledRequests'],
      ['System errors', 'SystemErrors'],
    ] as const) {
      const metrics = titled(title).metrics as unknown[][];
      expect(metrics[0]![0]).toMatchObject({ expression: expect.stringMatching(/^FILL\(/) });
      expect(metrics.slice(1).map((metric) => metric[1])).toEqual(Array(6).fill(metricName));
    }
    expect(metricsOf('Transaction conflicts')).toEqual([['AWS/DynamoDB', 'TransactionConflict', 'TableName', `\${${logicalIdOf(stack.data.table)}}`]]);
  });

  it('shows the jobs: the oldest due item, deliveries given up, and run duration against the timeout', () => {
    expect(metricsOf('Oldest due reminder or delivery (s)')).toEqual([['Linli', 'OldestDueAgeSeconds']]);
    expect(metricsOf('Deliveries given up')).toEqual([['Linli', 'DeliveriesFailed']]);
    const duration = titled('Job run duration (ms)');
    expect(duration.metrics.map((metric: unknown[]) => metric[1])).toEqual(['Duration', 'Duration']);
    expect(duration.annotations.horizontal.map((line: Json) => line.value)).toEqual([48_000, 60_000]);
  });

  it('lays every graph out within the 24-unit grid', () => {
    for (const widget of graphs()) expect(widget.x + widget.width).toBeLessThanOrEqual(24);
  });
});

describe('gradual deploys', () => {
  const resources = () => template.toJSON().Resources as Record<string, Json>;
  const functions = () => ({ ...stack.api.functions, jobs: stack.jobs.function });
  const groupOf = (name: string) => resources()[logicalIdOf(stack.deployments.groups[name]!)]!.Properties as Json;
  const alarmRefs = (...alarms: IConstruct[]) => alarms.map((alarm) => ({ Name: { Ref: logicalIdOf(alarm) } }));

  it('publishes every function through a live alias on its current version', () => {
    template.resourceCountIs('AWS::Lambda::Alias', 4);
    for (const fn of Object.values(functions())) {
      const alias = resources()[logicalIdOf(fn.alias)]!;
      expect(alias.Properties).toMatchObject({
        Name: 'live',
        FunctionName: { Ref: logicalIdOf(fn.function) },
        FunctionVersion: { 'Fn::GetAtt': [logicalIdOf(fn.function.currentVersion), 'Version'] },
      });
    }
  });

  it('hands each alias update to its own CodeDeploy deployment group, in one application', () => {
    template.resourceCountIs('AWS::CodeDeploy::Application', 1);
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 4);
    template.hasResourceProperties('AWS::CodeDeploy::Application', { ComputePlatform: 'Lambda' });
    for (const [name, fn] of Object.entries(functions())) {
      expect(resources()[logicalIdOf(fn.alias)]!.UpdatePolicy).toEqual({
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: logicalIdOf(stack.deployments.application) },
          DeploymentGroupName: { Ref: logicalIdOf(stack.deployments.groups[name]!) },
        },
      });
    }
  });

  it.each(['public', 'volunteer', 'organiser'] as const)(
    'shifts the %s function 10% for 5 minutes, rolling back on its errors, its p99 duration or the API’s 5xx',
    (name) => {
      const own = stack.alarms.ofFunction[name]!;
      expect(groupOf(name)).toMatchObject({
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        AlarmConfiguration: { Enabled: true, Alarms: alarmRefs(own.errors, own.p99Duration, stack.alarms.api5xx) },
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'],
        },
      });
      // The alarms it rolls back on are the function's own, counted by the minute.
      const errors = resources()[logicalIdOf(own.errors)]!.Properties;
      expect(errors).toMatchObject({ MetricName: 'Errors', Period: 60, Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stack.api.functions[name].function) } }] });
      expect(resources()[logicalIdOf(own.p99Duration)]!.Properties).toMatchObject({ MetricName: 'Duration', ExtendedStatistic: 'p99', Period: 60 });
    },
  );

  it('shifts the jobs function linearly, 10% a minute, rolling back on its errors, p99 duration or a run near its timeout', () => {
    const own = stack.alarms.ofFunction.jobs!;
    expect(own.nearTimeout).toBeDefined();
    expect(groupOf('jobs')).toMatchObject({
      DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      AlarmConfiguration: { Enabled: true, Alarms: alarmRefs(own.errors, own.p99Duration, own.nearTimeout!) },
      AutoRollbackConfiguration: { Enabled: true, Events: expect.arrayContaining(['DEPLOYMENT_STOP_ON_ALARM']) },
    });
  });

  it('leaves nothing invoking $LATEST: API integrations, schedules and their permissions all name an alias', () => {
    const aliases = Object.values(functions()).map((fn) => ({ Ref: logicalIdOf(fn.alias) }));
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration')) as Json[];
    expect(integrations.length).toBeGreaterThan(0);
    for (const integration of integrations) expect(aliases).toContainEqual(integration.Properties.IntegrationUri);
    for (const rule of Object.values(template.findResources('AWS::Events::Rule')) as Json[]) {
      for (const target of rule.Properties.Targets as Json[]) expect(target.Arn).toEqual({ Ref: logicalIdOf(stack.jobs.function.alias) });
    }
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')) as Json[];
    const ofOurFunctions = permissions.filter((permission) => ['apigateway.amazonaws.com', 'events.amazonaws.com'].includes(permission.Properties.Principal));
    expect(ofOurFunctions.length).toBeGreaterThan(0);
    for (const permission of ofOurFunctions) expect(aliases).toContainEqual(permission.Properties.FunctionName);
    // Asynchronous settings (retries, the dead-letter destination) are on the alias the schedules invoke.
    for (const config of Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')) as Json[]) {
      expect(config.Properties.Qualifier).not.toBe('$LATEST');
    }
  });
});
