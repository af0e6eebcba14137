import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Operation, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const PERIOD = Duration.minutes(5);
/**
 * The alarms CodeDeploy watches while it shifts traffic to a new version (a 5-minute canary,
 * lib/constructs/deployments.ts) count by the minute: on 5-minute periods an error in the canary's
 * first minutes would be reported only after all traffic had moved.
 */
const DEPLOYMENT_PERIOD = Duration.minutes(1);

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
export const OLDEST_DUE_AGE_THRESHOLD_SECONDS = 180;
/** Housekeeping runs hourly: an erasure, promotion or left-behind sign-up still due two hours on is a backlog. */
export const HOUSEKEEPING_BACKLOG_THRESHOLD_SECONDS = 7200;
/** A delivery the job gave up on is a message someone did not get: one is worth a message. */
const DELIVERIES_FAILED_THRESHOLD = 1;

/**
 * p99 Duration over half the function's timeout (5 s of the API functions' 10 s, 30 s of the jobs'
 * 60 s), in 2 of 3 minutes. A healthy request takes tens of milliseconds warm and about a second on
 * an instance's first request (Duration leaves out the init phase); each store call gives up after
 * three attempts of at most 2 s (functions/store/client.ts) and the request's deadline sits just short
 * of the timeout. So the slowest 1% taking over half the timeout means they are spending seconds in
 * retries, throttling or a hung dependency: halfway to the 503s and timeouts the 5xx and Errors alarms
 * catch, and early enough to act. Relative to the timeout, so that changing a timeout moves its alarm.
 * p99 rather than the average: during a canary the new version takes 10% of the requests, more than
 * the slowest 1%, so a slow new version shows in the p99 at once.
 */
export const DURATION_P99_FRACTION_OF_TIMEOUT = 0.5;
const DURATION_P99_EVALUATION_PERIODS = 3;
const DURATION_P99_DATAPOINTS_TO_ALARM = 2;
/**
 * A job run whose longest invocation passes 80% of the timeout (48 s of 60 s) came within 12 s of
 * being killed mid-page: the drain stops taking new pages 15 s before the end (services/drain.ts), so
 * one page then took over 3 s, or the drain did not stop. One such run is worth a message.
 */
export const NEAR_TIMEOUT_FRACTION = 0.8;

/**
 * DynamoDB throttles on an on-demand table only past a partition's limits (a hot item) or a sudden
 * doubling of the previous peak; the SDK retries a throttled request (store/client.ts) and a lone
 * one costs nothing. Five in five minutes, as for the API's 5xx, is a pattern. System errors are
 * DynamoDB's own 500s, also retried by the SDK: five in five minutes is an incident on AWS's side
 * that is reaching the residents as 503s.
 */
const TABLE_THROTTLES_THRESHOLD = 5;
const TABLE_SYSTEM_ERRORS_THRESHOLD = 5;
/**
 * Transaction conflicts are expected in a sign-up rush (about 38 cancelled transactions per sign-up
 * in the README's measured rush of 300, all retried by store/conflicts.ts): a rush of a few hundred
 * is over within one or two 5-minute periods. Conflicts that go on for three periods in a row (15
 * minutes) at 500 or more each are not a rush but contention that does not stop: a hot item every
 * request writes, or retries feeding on each other.
 */
const TRANSACTION_CONFLICTS_THRESHOLD = 500;
const TRANSACTION_CONFLICTS_EVALUATION_PERIODS = 3;

/**
 * The table operations the store sends (functions/store/: GetItem, Query, PutItem, UpdateItem,
 * DeleteItem, TransactWriteItems; ConditionCheck only inside transactions). Its one Scan runs locally
 * (store/erasure.ts), and no function may Scan (lib/constructs/data.ts). Six metrics: alarms on
 * metric math take at most ten.
 */
export const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

/**
 * CDK's per-operation sum (`metricThrottledRequestsForOperations`, `metricSystemErrorsForOperations`)
 * with each operation's series filled with 0 where it has no datapoint. DynamoDB reports these
 * metrics only for the minutes an operation was throttled or failed, and metric math's `a + b` has no
 * value where any term has none: the plain sum would be missing exactly when one operation is
 * throttled and the others are not, and its alarm would never fire.
 */
export function sumOverOperations(perOperation: IMetric, label: string): MathExpression {
  const { usingMetrics, period } = perOperation as MathExpression;
  if (!usingMetrics) throw new Error(`${label}: expected CDK's per-operation math expression`);
  return new MathExpression({
    expression: Object.keys(usingMetrics).map((id) => `FILL(${id}, 0)`).join(' + '),
    usingMetrics,
    label,
    period,
  });
}

/** The alarms CodeDeploy rolls a function's deployment back on, besides being sent to the topic. */
export interface FunctionAlarms {
  readonly errors: Alarm;
  readonly p99Duration: Alarm;
  /** Only for functions watched with `nearTimeout` (the jobs). */
  readonly nearTimeout?: Alarm;
}

export interface WatchedFunction {
  readonly function: IFunction;
  /** The function's timeout, which its p99 Duration alarm's threshold is a fraction of. */
  readonly timeout: Duration;
  /** Alarm as soon as one invocation comes near the timeout (the jobs, which run long by design). */
  readonly nearTimeout?: boolean;
}

export interface LinliAlarmsProps {
  /** The functions to watch, by a short name used in alarm descriptions. */
  readonly functions: Readonly<Record<string, WatchedFunction>>;
  /** The table whose throttles, system errors and transaction conflicts are alarmed. */
  readonly table?: ITable;
  readonly httpApi: IHttpApi;
  /** Dead-letter queues to watch, by a short name used in alarm descriptions. */
  readonly deadLetterQueues?: Readonly<Record<string, IQueue>>;
  /** Subscribed by email to the topic when set. */
  readonly email?: string;
  /** The job metric of how long the oldest due reminder or delivery has waited (functions/jobs/metrics.ts). */
  readonly oldestDueAge?: Metric;
  /** The same metric for housekeeping's queues (erasures, promotions), by `Job: housekeeping`. */
  readonly housekeepingOldestDueAge?: Metric;
  /** The job metric counting deliveries given up (one per envelope, all channels together). */
  readonly deliveriesFailed?: Metric;
  /**
   * With SMS sent through SNS: alarm when the account's SMS spend this month (AWS/SNS
   * SMSMonthToDateSpentUSD) reaches this many US dollars.
   */
  readonly smsMonthlySpendUsd?: number;
}

/**
 * Alarms on every function's errors, throttles and p99 duration (and on the jobs' runs coming near
 * their timeout), on the table's throttles, system errors and transaction conflicts, on the API's
 * 5xx responses, on every
 * dead-letter queue holding a message, on the reminders' backlog, on deliveries given up and (with
 * SNS SMS) on the month's SMS spend, all notifying one SNS topic. The topic is KMS-encrypted with
 * a key CloudWatch may use (the AWS-managed SNS key's policy does not let CloudWatch publish) and
 * refuses publishing without TLS.
 */
export class LinliAlarms extends Construct {
  public readonly topic: Topic;
  public readonly alarms: readonly Alarm[];
  /** Each watched function's own alarms, by the short name it was given. */
  public readonly ofFunction: Readonly<Record<string, FunctionAlarms>>;
  /** The API's 5xx alarm. */
  public readonly api5xx: Alarm;

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
    /**
     * Unless said otherwise: one period, at or over the threshold, and missing data not breaching,
     * since these metrics are only reported when something happened (an error, a throttle, a
     * request): no figure is nothing to report.
     */
    const alarm = (
      alarmId: string,
      metric: IMetric,
      threshold: number,
      description: string,
      options: {
        evaluationPeriods?: number;
        datapointsToAlarm?: number;
        comparisonOperator?: ComparisonOperator;
        treatMissingData?: TreatMissingData;
      } = {},
    ): Alarm => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.datapointsToAlarm,
        comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      alarms.push(created);
      return created;
    };

    const ofFunction: Record<string, FunctionAlarms> = {};
    for (const [name, watched] of Object.entries(props.functions)) {
      const fn = watched.function;
      const prefix = name.charAt(0).toUpperCase() + name.slice(1);
      // By the minute: CodeDeploy rolls a canary back on it (DEPLOYMENT_PERIOD). Still one error.
      const errors = alarm(
        `${prefix}Errors`,
        fn.metricErrors({ period: DEPLOYMENT_PERIOD, statistic: 'Sum' }),
        FUNCTION_ERRORS_THRESHOLD,
        `The ${name} function failed, crashed or timed out (Lambda Errors) in the last minute`,
      );
      alarm(
        `${prefix}Throttles`,
        fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        FUNCTION_THROTTLES_THRESHOLD,
        `The ${name} function was throttled (account concurrency exhausted) in the last 5 minutes`,
      );
      // No invocations, no Duration: nothing was slow. (Runs that stop happening are the backlog's
      // and the dead-letter queue's alarms, requests that stop arriving are nobody's failure.)
      const p99Threshold = watched.timeout.toMilliseconds() * DURATION_P99_FRACTION_OF_TIMEOUT;
      const p99Duration = alarm(
        `${prefix}DurationP99`,
        fn.metricDuration({ period: DEPLOYMENT_PERIOD, statistic: 'p99' }),
        p99Threshold,
        `The ${name} function’s p99 duration passed ${p99Threshold / 1000} s (half its ${watched.timeout.toSeconds()} s timeout) ` +
          `in ${DURATION_P99_DATAPOINTS_TO_ALARM} of the last ${DURATION_P99_EVALUATION_PERIODS} minutes`,
        {
          evaluationPeriods: DURATION_P99_EVALUATION_PERIODS,
          datapointsToAlarm: DURATION_P99_DATAPOINTS_TO_ALARM,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        },
      );
      let nearTimeout: Alarm | undefined;
      if (watched.nearTimeout) {
        const nearThreshold = watched.timeout.toMilliseconds() * NEAR_TIMEOUT_FRACTION;
        nearTimeout = alarm(
          `${prefix}NearTimeout`,
          fn.metricDuration({ period: DEPLOYMENT_PERIOD, statistic: 'Maximum' }),
          nearThreshold,
          `A ${name} run took over ${nearThreshold / 1000} s of its ${watched.timeout.toSeconds()} s timeout: ` +
            'it nearly was killed mid-page (the drain stops taking pages 15 s before the end)',
          { comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD },
        );
      }
      ofFunction[name] = { errors, p99Duration, nearTimeout };
    }
    this.ofFunction = ofFunction;

    if (props.table) {
      const table = props.table;
      alarm(
        'TableThrottles',
        sumOverOperations(
          table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD }),
          'Throttled requests, all operations',
        ),
        TABLE_THROTTLES_THRESHOLD,
        `DynamoDB throttled ${TABLE_THROTTLES_THRESHOLD} or more of the table’s requests in the last 5 minutes (a hot item, or a sudden peak)`,
      );
      alarm(
        'TableSystemErrors',
        sumOverOperations(
          table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD }),
          'System errors, all operations',
        ),
        TABLE_SYSTEM_ERRORS_THRESHOLD,
        `DynamoDB answered ${TABLE_SYSTEM_ERRORS_THRESHOLD} or more of the table’s requests with its own 500s in the last 5 minutes`,
      );
      // TransactionConflict has the table as its only dimension (no Operation).
      alarm(
        'TableTransactionConflicts',
        table.metric('TransactionConflict', { period: PERIOD, statistic: 'Sum' }),
        TRANSACTION_CONFLICTS_THRESHOLD,
        `Transactions on the table have conflicted ${TRANSACTION_CONFLICTS_THRESHOLD} or more times in each of the last ` +
          `${TRANSACTION_CONFLICTS_EVALUATION_PERIODS} 5-minute periods: contention that is not a passing sign-up rush`,
        { evaluationPeriods: TRANSACTION_CONFLICTS_EVALUATION_PERIODS },
      );
    }

    this.api5xx = alarm(
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
    /** A queue's backlog: its oldest due item older than `threshold` for `periods` periods in a row; no figure at all (the job not running, or failing before it measures) is as bad, so missing data breaches. */
    const backlogAlarm = (id: string, metric: Metric, threshold: number, periods: number, description: string) => {
      const backlog = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
        alarmDescription: description,
      });
      backlog.addAlarmAction(action);
      backlog.addOkAction(action);
      alarms.push(backlog);
    };
    if (props.oldestDueAge) {
      // Reminders run every minute, so nothing due should wait past the next run. Three minutes in
      // a row over three minutes is a backlog that is not draining.
      backlogAlarm(
        'RemindersBacklog',
        props.oldestDueAge,
        OLDEST_DUE_AGE_THRESHOLD_SECONDS,
        3,
        `A reminder or delivery has been due for over ${OLDEST_DUE_AGE_THRESHOLD_SECONDS / 60} minutes for 3 minutes: the reminders job is not keeping up (or not running)`,
      );
    }
    if (props.housekeepingOldestDueAge) {
      // Hourly runs: two in a row that end with an erasure, promotion or left-behind sign-up due for over two hours are
      // not keeping up (the 90-day retention promise at a city's scale).
      backlogAlarm(
        'HousekeepingBacklog',
        props.housekeepingOldestDueAge,
        HOUSEKEEPING_BACKLOG_THRESHOLD_SECONDS,
        2,
        `A personal-data erasure or a waitlist promotion has been due for over ${HOUSEKEEPING_BACKLOG_THRESHOLD_SECONDS / 3600} hours after two housekeeping runs: housekeeping is not keeping up (or not running)`,
      );
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
