import { CfnOutput, Duration, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Subscription } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { jobs } from '../functions/jobs';
import { DELIVERIES_FAILED, METRICS_NAMESPACE, OLDEST_DUE_AGE } from '../functions/jobs/metrics';
import { routes } from '../functions/routes';
import { LinliAlarms } from './constructs/alarms';
import { LinliApi } from './constructs/api';
import { LinliAuth } from './constructs/auth';
import { LinliDashboard } from './constructs/dashboard';
import { LinliData } from './constructs/data';
import { API_DEPLOYMENT_CONFIG, JOBS_DEPLOYMENT_CONFIG, LinliDeployments } from './constructs/deployments';
import { LinliJobs } from './constructs/jobs';
import { LinliMessaging } from './constructs/messaging';
import { LinliWeb } from './constructs/web';
import type { LinliStackConfig } from './stack-config';
import { WEB_BUILD } from './web-build';

/** Whose JWTs the organiser routes accept. */
export interface OrganiserIssuer {
  /** The tokens' `iss`; API Gateway fetches `<issuerUrl>/.well-known/openid-configuration`. */
  readonly issuerUrl: string;
  /** The tokens' `aud`: the console's client ID. */
  readonly audience: string;
}

export interface LinliStackProps extends StackProps {
  /**
   * Directory holding package.json, package-lock.json and functions/ (where esbuild bundles from),
   * and web/ (the residents' pages).
   */
  readonly projectRoot: string;
  readonly config: LinliStackConfig;
}

/**
 * Linli on AWS: the table, the organisers' user pool, the HTTP API and its functions, the messaging
 * (SES, the SMS provider, the secrets delivering needs), the scheduled jobs, the alarms, the dashboard and the
 * residents' web pages, each a construct of its own (lib/constructs/). The API routes come from the
 * same route table the local server serves, the job schedules from the same job registry the local
 * runtime runs.
 *
 * cdk-nag's AwsSolutions and Serverless packs check it, at synth (bin/app.ts) and in the tests.
 */
export class LinliStack extends Stack {
  public readonly data: LinliData;
  /** The organisers' Cognito user pool; absent with `linli:auth=oidc` (another provider signs them in). */
  public readonly auth?: LinliAuth;
  /** Whose ID tokens the API's JWT authorizer accepts: the user pool's, or the OIDC provider's. */
  public readonly organiserIssuer: OrganiserIssuer;
  public readonly api: LinliApi;
  public readonly messaging: LinliMessaging;
  public readonly jobs: LinliJobs;
  public readonly alarms: LinliAlarms;
  public readonly dashboard: LinliDashboard;
  public readonly deployments: LinliDeployments;
  public readonly web: LinliWeb;

  constructor(scope: Construct, id: string, props: LinliStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (config.stage) Tags.of(this).add('stage', config.stage);

    this.data = new LinliData(this, 'Data');
    // Before the API: the organiser function gets the settings key (lib/constructs/api.ts).
    this.messaging = new LinliMessaging(this, 'Messaging', {
      mailFrom: config.mailFrom,
      smsProvider: config.smsProvider,
      tencentSms: config.tencentSms,
    });
    if (config.auth === 'cognito') {
      this.auth = new LinliAuth(this, 'Auth', {
        callbackUrls: config.authCallbackUrls,
        domainPrefix: config.authDomainPrefix,
        stage: config.stage,
      });
      this.organiserIssuer = { issuerUrl: this.auth.issuerUrl, audience: this.auth.client.userPoolClientId };
    } else {
      const oidc = config.oidc;
      if (!oidc) throw new Error('linli:auth is "oidc" but no issuer and audience were given (lib/stack-config.ts)');
      this.organiserIssuer = { issuerUrl: oidc.issuer, audience: oidc.audience };
    }
    this.api = new LinliApi(this, 'Api', {
      projectRoot: props.projectRoot,
      routes,
      data: this.data,
      organiserIssuer: this.organiserIssuer,
      claims: config.claims,
      webOrigins: config.webOrigins,
      publicRateLimitPerMinute: config.publicRateLimitPerMinute,
      partiesPerAddressPerEvent: config.partiesPerAddressPerEvent,
      logLevel: config.logLevel,
      settingsKeySecret: this.messaging.settingsKeySecret,
      messaging: this.messaging,
    });
    // Only the jobs function delivers (the reminders job runs there). Of the API functions, the public
    // one sends SMS alone (phone-verification codes) and the organiser one reads the settings key.
    this.jobs = new LinliJobs(this, 'Jobs', {
      projectRoot: props.projectRoot,
      jobs,
      data: this.data,
      messaging: this.messaging,
      publicRateLimitPerMinute: config.publicRateLimitPerMinute,
      logLevel: config.logLevel,
    });
    const watched = {
      ...Object.fromEntries(
        Object.entries(this.api.functions).map(([group, fn]) => [group, { function: fn.function, timeout: fn.timeout }]),
      ),
      jobs: { function: this.jobs.function.function, timeout: this.jobs.function.timeout, nearTimeout: true },
    };
    const oldestDueAge = new Metric({ namespace: METRICS_NAMESPACE, metricName: OLDEST_DUE_AGE, period: Duration.minutes(1), statistic: 'Maximum' });
    const housekeepingOldestDueAge = new Metric({ namespace: METRICS_NAMESPACE, metricName: OLDEST_DUE_AGE, dimensionsMap: { Job: 'housekeeping' }, period: Duration.hours(1), statistic: 'Maximum' });
    // The runtime emits it with no dimensions and again by `Channel`; the first, all channels, is alarmed.
    const deliveriesFailed = new Metric({ namespace: METRICS_NAMESPACE, metricName: DELIVERIES_FAILED, period: Duration.minutes(5), statistic: 'Sum' });
    this.alarms = new LinliAlarms(this, 'Alarms', {
      functions: watched,
      table: this.data.table,
      httpApi: this.api.httpApi,
      deadLetterQueues: { jobs: this.jobs.deadLetterQueue },
      email: config.alarmEmail,
      oldestDueAge,
      housekeepingOldestDueAge,
      deliveriesFailed,
      smsMonthlySpendUsd: config.smsProvider === 'sns' ? config.smsMonthlySpendAlarmUsd : undefined,
    });
    // Each function's gradual deploy rolls back on its own error and p99 alarms; the API functions'
    // on the API's 5xx as well, since their handlers answer most failures with a 5xx rather than
    // failing the invocation, and the three deploy together from the same commit. The jobs' on a run
    // nearing its timeout too.
    const ofFunction = this.alarms.ofFunction;
    const alarmsOf = (name: string) => {
      const own = ofFunction[name];
      if (!own) throw new Error(`No alarms for the ${name} function`);
      return [own.errors, own.p99Duration, ...(own.nearTimeout ? [own.nearTimeout] : [])];
    };
    this.deployments = new LinliDeployments(this, 'Deployments', {
      functions: {
        ...Object.fromEntries(
          Object.entries(this.api.functions).map(([group, fn]) => [
            group,
            { alias: fn.alias, deploymentConfig: API_DEPLOYMENT_CONFIG, alarms: [...alarmsOf(group), this.alarms.api5xx] },
          ]),
        ),
        jobs: { alias: this.jobs.function.alias, deploymentConfig: JOBS_DEPLOYMENT_CONFIG, alarms: alarmsOf('jobs') },
      },
    });
    this.dashboard = new LinliDashboard(this, 'Dashboard', {
      httpApi: this.api.httpApi,
      functions: watched,
      jobsFunction: 'jobs',
      table: this.data.table,
      oldestDueAge,
      deliveriesFailed,
      alarms: this.alarms.alarms,
    });
    // The API's CORS origins stay config-driven (config.webOrigins): naming the distribution there
    // would close a cycle, since the pages' Content-Security-Policy already names the API.
    this.web = new LinliWeb(this, 'Web', {
      webDir: join(props.projectRoot, WEB_BUILD),
      apiEndpoint: this.api.httpApi.apiEndpoint,
      domain: config.webDomainName
        ? {
            domainName: config.webDomainName,
            certificateArn: config.webCertificateArn,
            iamCertificateId: config.webIamCertificateId,
          }
        : undefined,
      defaultCommunity: config.webDefaultCommunity,
      login: this.auth
        ? {
            login: 'cognito',
            domain: this.auth.domain.baseUrl(),
            clientId: this.auth.client.userPoolClientId,
            redirectUri: config.authCallbackUrls[0]!,
            communityClaim: config.claims.community,
          }
        : {
            login: 'oidc',
            issuer: this.organiserIssuer.issuerUrl,
            clientId: this.organiserIssuer.audience,
            redirectUri: config.authCallbackUrls[0]!,
            communityClaim: config.claims.community,
          },
    });

    new CfnOutput(this, 'WebUrl', { value: this.web.url, description: 'The residents’ web pages' });
    new CfnOutput(this, 'WebDistributionDomainName', {
      value: this.web.distribution.distributionDomainName,
      description: 'Where a custom web domain’s DNS record points',
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    if (this.auth) {
      new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
      new CfnOutput(this, 'AuthBaseUrl', {
        value: this.auth.domain.baseUrl(),
        description: 'Cognito managed login (authorization code + PKCE)',
      });
    } else {
      new CfnOutput(this, 'OidcIssuer', {
        value: this.organiserIssuer.issuerUrl,
        description: 'The OpenID Connect provider organisers sign in with; its clients must allow this stack’s callback URLs',
      });
    }
    new CfnOutput(this, 'JobsDeadLetterQueueUrl', {
      value: this.jobs.deadLetterQueue.queueUrl,
      description: 'Scheduled job runs that failed after their retries',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName, description: 'The CloudWatch dashboard of this stack' });
    if (this.messaging.tencentSmsSecret) {
      new CfnOutput(this, 'TencentSmsSecretArn', {
        value: this.messaging.tencentSmsSecret.secretArn,
        description: 'Put Tencent Cloud SMS’s {"secretId","secretKey"} here (docs/messaging.md)',
      });
    }

    this.acknowledgeServerlessFindings();
  }

  /**
   * The Serverless pack's findings on constructs that predate it and are by design; each is
   * acknowledged on the construct that raises it. (The jobs' and the functions' own findings are
   * acknowledged in lib/constructs/jobs.ts and linli-function.ts.)
   */
  private acknowledgeServerlessFindings(): void {
    for (const fn of Object.values(this.api.functions)) {
      Validations.of(fn.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'API Gateway invokes this function synchronously (AWS_PROXY): a failed request is answered with a 5xx ' +
          'to the caller, who may retry, and there is no asynchronous event left to keep; Lambda uses a ' +
          'DeadLetterConfig for asynchronous invocations only. Its errors and the API’s 5xx are alarmed.',
      });
    }

    // BucketDeployment's copy function is a singleton of the stack, not a child of the web construct.
    const copyFunction = this.node
      .findAll()
      .find(
        (construct) =>
          construct.node.id.startsWith('Custom::CDKBucketDeployment') && construct.node.tryFindChild('Resource'),
      );
    if (!copyFunction) throw new Error('BucketDeployment’s copy function was not found in the stack');
    const deploymentOnly =
      'BucketDeployment’s copy function (lib/constructs/web.ts) runs only while CloudFormation deploys the web ' +
      'pages, never on a request path; ';
    Validations.of(copyFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        deploymentOnly +
        'it reports a failure to CloudFormation, which fails and rolls back the deployment in front of the ' +
        'deployer, so a dead-letter queue would hold nothing anyone needs.',
    });
    Validations.of(copyFunction).acknowledge({
      id: 'Serverless-LambdaTracing',
      reason:
        deploymentOnly +
        'BucketDeployment does not expose its tracing, and a trace of an S3 copy and an invalidation would add ' +
        'nothing to its log group.',
    });
    Validations.of(copyFunction).acknowledge({
      id: 'Serverless-LambdaLatestVersion',
      reason:
        deploymentOnly +
        'its runtime (Python, with the AWS CLI in a layer) is chosen by aws-cdk-lib and moves with it.',
    });

    for (const subscription of this.alarms.topic.node.children.filter((child) => child instanceof Subscription)) {
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'The alarm e-mail subscription: a dead-letter queue for it would be alarmed through this same topic to ' +
          'this same address, so an undeliverable alarm would go unheard either way; SNS retries e-mail delivery ' +
          'itself and counts what it could not deliver in the topic’s NumberOfNotificationsFailed metric.',
      });
    }
  }
}
