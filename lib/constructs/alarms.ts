import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const PERIOD = Duration.minutes(5);

/**
 * Handlers turn every expected failure into a response, so a Lambda error is a crash or a timeout
 * (or, for the jobs function, a run that failed and will be retried): one is worth a message. A
 * lone 5xx (a DynamoDB hiccup the SDK could not retry away) is only logged; several in five minutes
 * mean something is broken. A message in a dead-letter queue is work that did not happen at all.
 */
const FUNCTION_ERRORS_THRESHOLD = 1;
const FUNCTION_THROTTLES_THRESHOLD = 1;
const API_5XX_THRESHOLD = 5;
const DEAD_LETTERS_THRESHOLD = 1;
/** Reminders go out within two minutes of their time: a due item older than three is a backlog. */
const OLDEST_DUE_AGE_THRESHOLD_SECONDS = 180;
/** A delivery the job gave up on is a message someone did not get: one is worth a message. */
const DELIVERIES_FAILED_THRESHOLD = 1;

export interface LinliAlarmsProps {
  /** The functions to watch, by a short name used in alarm descriptions. */
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly httpApi: IHttpApi;
  /** Dead-letter queues to watch, by a short name used in alarm descriptions. */
  readonly deadLetterQueues?: Readonly<Record<string, IQueue>>;
  /** Subscribed by email to the topic when set. */
  readonly email?: string;
  /** The job metric of how long the oldest due reminder or delivery has waited (functions/jobs/metrics.ts). */
  readonly oldestDueAge?: Metric;
  /** The job metric counting deliveries given up (one per envelope, all channels together). */
  readonly deliveriesFailed?: Metric;
  /**
   * With SMS sent through SNS: alarm when the account's SMS spend this month (AWS/SNS
   * SMSMonthToDateSpentUSD) reaches this many US dollars.
   */
  readonly smsMonthlySpendUsd?: number;
}

/**
 * Alarms on every function's errors and throttles, on the API's 5xx responses, on every
 * dead-letter queue holding a message, on the reminders' backlog, on deliveries given up and (with
 * SNS SMS) on the month's SMS spend, all notifying one SNS topic. The topic is KMS-encrypted with
 * a key CloudWatch may use (the AWS-managed SNS key's policy does not let CloudWatch publish) and
 * refuses publishing without TLS.
 */
export class LinliAlarms extends Construct {
  public readonly topic: Topic;
  public readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: LinliAlarmsProps) {
    super(scope, id);

    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts Linli alarm notifications',
      enableKeyRotation: true,
      // It protects messages in transit only; nothing stays encrypted under it after the stack is gone.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );

    this.topic = new Topic(this, 'Topic', { displayName: 'Linli alarms', masterKey: key, enforceSSL: true });
    // The topic policy that enforces TLS replaces SNS's default one; say again that CloudWatch may publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));

    const alarms: Alarm[] = [];
    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, metric: Metric, threshold: number, description: string): void => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      alarms.push(created);
    };

    for (const [name, fn] of Object.entries(props.functions)) {
      const prefix = name.charAt(0).toUpperCase() + name.slice(1);
      alarm(
        `${prefix}Errors`,
        fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        FUNCTION_ERRORS_THRESHOLD,
        `The ${name} function failed, crashed or timed out (Lambda Errors) in the last 5 minutes`,
      );
      alarm(
        `${prefix}Throttles`,
        fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        FUNCTION_THROTTLES_THRESHOLD,
        `The ${name} function was throttled (account concurrency exhausted) in the last 5 minutes`,
      );
    }
    alarm(
      'Api5xx',
      props.httpApi.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      API_5XX_THRESHOLD,
      `The API answered ${API_5XX_THRESHOLD} or more 5xx responses in the last 5 minutes`,
    );
    for (const [name, queue] of Object.entries(props.deadLetterQueues ?? {})) {
      const prefix = name.charAt(0).toUpperCase() + name.slice(1);
      // Maximum, not Average: one message that sat there for a minute of the five is one too many.
      // SQS reports a queue for as long as it holds messages, so a full queue never goes missing.
      alarm(
        `${prefix}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        DEAD_LETTERS_THRESHOLD,
        `The ${name} dead-letter queue holds messages: work that failed after its retries; read and delete them`,
      );
    }
    if (props.oldestDueAge) {
      // Reminders run every minute, so nothing due should wait past the next run. Three minutes in
      // a row over three minutes is a backlog that is not draining; no figure at all (the job not
      // running, or failing before it measures) is as bad, so missing data breaches.
      const backlog = new Alarm(this, 'RemindersBacklog', {
        metric: props.oldestDueAge,
        threshold: OLDEST_DUE_AGE_THRESHOLD_SECONDS,
        evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
        alarmDescription: `A reminder or delivery has been due for over ${OLDEST_DUE_AGE_THRESHOLD_SECONDS / 60} minutes for 3 minutes: the reminders job is not keeping up (or not running)`,
      });
      backlog.addAlarmAction(action);
      backlog.addOkAction(action);
      alarms.push(backlog);
    }
    if (props.deliveriesFailed) {
      // The job retries a delivery before giving up on it, so one given up (an address that cannot
      // be reached, a provider refusing, no MAIL_FROM for e-mail) is worth a message at once; the
      // console shows which one and why. No deliveries, no figure: missing data is fine.
      alarm(
        'DeliveriesFailed',
        props.deliveriesFailed,
        DELIVERIES_FAILED_THRESHOLD,
        'The reminders job gave up on a delivery (e-mail, SMS or 企业微信) in the last 5 minutes; the console shows which and why',
      );
    }
    if (props.smsMonthlySpendUsd !== undefined) {
      // An account-wide figure with no dimensions, reported only while SMS are sent: missing data is
      // fine. SNS stops sending at the account's SMS spend quota; this says so before it does.
      alarm(
        'SmsMonthlySpend',
        new Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', period: PERIOD, statistic: 'Maximum' }),
        props.smsMonthlySpendUsd,
        `SMS sent through SNS this month have cost ${props.smsMonthlySpendUsd} USD or more; SNS stops sending at the account’s SMS spend quota`,
      );
    }
    this.alarms = alarms;
  }
}
