import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { jobs } from '../functions/jobs';
import { routes } from '../functions/routes';
import { LinliAlarms } from './constructs/alarms';
import { LinliApi } from './constructs/api';
import { LinliAuth } from './constructs/auth';
import { LinliData } from './constructs/data';
import { LinliJobs } from './constructs/jobs';
import { LinliWeb } from './constructs/web';
import type { LinliStackConfig } from './stack-config';

export interface LinliStackProps extends StackProps {
  /**
   * Directory holding package.json, package-lock.json and functions/ (where esbuild bundles from),
   * and web/ (the residents' pages).
   */
  readonly projectRoot: string;
  readonly config: LinliStackConfig;
}

/**
 * Linli on AWS: the table, the organisers' user pool, the HTTP API and its functions, the scheduled
 * jobs, the alarms and the residents' web pages, each a construct of its own (lib/constructs/). The
 * API routes come from the same route table the local server serves, the job schedules from the same
 * job registry the local runtime runs.
 */
export class LinliStack extends Stack {
  public readonly data: LinliData;
  public readonly auth: LinliAuth;
  public readonly api: LinliApi;
  public readonly jobs: LinliJobs;
  public readonly alarms: LinliAlarms;
  public readonly web: LinliWeb;

  constructor(scope: Construct, id: string, props: LinliStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.data = new LinliData(this, 'Data');
    this.auth = new LinliAuth(this, 'Auth', {
      callbackUrls: config.authCallbackUrls,
      domainPrefix: config.authDomainPrefix,
    });
    this.api = new LinliApi(this, 'Api', {
      projectRoot: props.projectRoot,
      routes,
      data: this.data,
      auth: this.auth,
      webOrigins: config.webOrigins,
      publicRateLimitPerMinute: config.publicRateLimitPerMinute,
      logLevel: config.logLevel,
    });
    this.jobs = new LinliJobs(this, 'Jobs', {
      projectRoot: props.projectRoot,
      jobs,
      data: this.data,
      publicRateLimitPerMinute: config.publicRateLimitPerMinute,
      logLevel: config.logLevel,
    });
    this.alarms = new LinliAlarms(this, 'Alarms', {
      functions: {
        ...Object.fromEntries(Object.entries(this.api.functions).map(([group, fn]) => [group, fn.function])),
        jobs: this.jobs.function.function,
      },
      httpApi: this.api.httpApi,
      deadLetterQueues: { jobs: this.jobs.deadLetterQueue },
      email: config.alarmEmail,
    });
    // The API's CORS origins stay config-driven (config.webOrigins): naming the distribution there
    // would close a cycle, since the pages' Content-Security-Policy already names the API.
    this.web = new LinliWeb(this, 'Web', {
      webDir: join(props.projectRoot, 'web'),
      apiEndpoint: this.api.httpApi.apiEndpoint,
      domain:
        config.webDomainName && config.webCertificateArn
          ? { domainName: config.webDomainName, certificateArn: config.webCertificateArn }
          : undefined,
      defaultCommunity: config.webDefaultCommunity,
    });

    new CfnOutput(this, 'WebUrl', { value: this.web.url, description: 'The residents’ web pages' });
    new CfnOutput(this, 'WebDistributionDomainName', {
      value: this.web.distribution.distributionDomainName,
      description: 'Where a custom web domain’s DNS record points',
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'AuthBaseUrl', {
      value: this.auth.domain.baseUrl(),
      description: 'Cognito managed login (authorization code + PKCE)',
    });
    new CfnOutput(this, 'JobsDeadLetterQueueUrl', {
      value: this.jobs.deadLetterQueue.queueUrl,
      description: 'Scheduled job runs that failed after their retries',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }
}
