import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { JobDefinition } from '../../functions/jobs';
import type { LogLevel } from '../stack-config';
import type { LinliData } from './data';
import { LinliFunction } from './linli-function';
import type { LinliMessaging } from './messaging';

/** The one function every job runs in; it finds the job by the `job` of its event. */
const JOBS_ENTRY = 'functions/entry/jobs.ts';

/**
 * A job drains work queues (index partitions), a page at a time, with no client waiting on it, so
 * it gets longer than a request's 10 s. It stops taking new pages 15 s before this
 * (services/drain.ts); with the reminders every minute, a long run may overlap the next one, which
 * is safe: every item is claimed with a conditional write before it is handled.
 */
export const JOB_TIMEOUT = Duration.seconds(60);
/**
 * One full vCPU (Lambda gives CPU in proportion to memory; 1,769 MB is one vCPU). The bench's city
 * scale (docs/performance.md, section 7a) found a reminder run for 1,000 communities bound by CPU
 * at 512 MB (request signing and serialisation, ~12 ms a plan or notification): 3.5× the CPU for
 * the same work. A run with nothing due still lasts a few milliseconds, so the cost is cents.
 */
export const JOBS_MEMORY_MB = 1769;

/**
 * Both EventBridge (delivering the event) and Lambda (running it asynchronously) try a run three
 * times: a passing throttle or a DynamoDB hiccup should not page anyone.
 */
export const JOB_RETRY_ATTEMPTS = 2;

/**
 * How long a run may wait for its retries. A job works as of the moment it runs (`run(new Date())`),
 * so a late run is still a correct one; but after an hour later runs have done its work, and the
 * event is worth more in the dead-letter queue, as the sign that runs are not happening.
 */
export const JOB_MAX_EVENT_AGE = Duration.hours(1);

/** SQS's longest retention: time to read a failure that happened on a long weekend. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export interface LinliJobsProps {
  readonly projectRoot: string;
  /** The job registry (functions/jobs/index.ts); every entry gets its own schedule. */
  readonly jobs: readonly Pick<JobDefinition, 'name' | 'everyMinutes'>[];
  readonly data: LinliData;
  /**
   * How the reminders job delivers (SES, the SMS provider, 企业微信 robot keys): its variables and
   * its grants. This function is the only one granted to deliver.
   */
  readonly messaging: LinliMessaging;
  /** The API's value, so that functions/config.ts reads the same configuration in every function. */
  readonly publicRateLimitPerMinute: number;
  readonly logLevel: LogLevel;
}

/**
 * The scheduled jobs: one Lambda function for all of them (functions/entry/jobs.ts) and one
 * EventBridge rule per entry of the job registry, sending `{ "job": "<name>" }` at the job's rate.
 *
 * A run that never happens must not go unnoticed. Both ways a run can fail end in one dead-letter
 * queue, whose depth is alarmed: EventBridge puts there the events it could not deliver (the
 * function throttled or missing, a permission gone wrong), and Lambda puts there, as its on-failure
 * destination, the record of an invocation that still threw after its retries (the record carries
 * the request, the error message and why it gave up). One queue, because the operator's question is
 * the same for both, "which run did not happen, and why", and every message says which job and why;
 * a second queue would be a second alarm and a second place to look.
 */
export class LinliJobs extends Construct {
  public readonly function: LinliFunction;
  /** Job runs that were not delivered or that failed after their retries. */
  public readonly deadLetterQueue: Queue;
  /** The schedule of each job, in registry order. */
  public readonly rules: readonly { readonly job: Pick<JobDefinition, 'name' | 'everyMinutes'>; readonly rule: Rule }[];

  constructor(scope: Construct, id: string, props: LinliJobsProps) {
    super(scope, id);
    checkJobs(props.jobs);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      // SSE-SQS rather than KMS: EventBridge cannot send to a queue under the AWS-managed SQS key,
      // and a key of our own would need a key policy for EventBridge and Lambda for no gain here
      // (the messages hold job names and error messages, no residents' data).
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the scheduled jobs (EventBridge rule targets and the jobs ' +
        'function’s on-failure destination); nothing consumes it automatically, its depth is alarmed and an ' +
        'operator reads it, so there is no failed consumer whose messages would need a further DLQ.',
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is itself the dead-letter queue of the scheduled jobs: nothing consumes it automatically, an ' +
        'operator reads and deletes its messages, so a redrive policy would only move unread failures out of the ' +
        'queue whose depth is alarmed, into one that is not.',
    });

    this.function = new LinliFunction(this, 'Function', {
      projectRoot: props.projectRoot,
      entry: JOBS_ENTRY,
      description: 'Linli scheduled jobs',
      logLevel: props.logLevel,
      environment: {
        TABLE_NAME: props.data.table.tableName,
        PUBLIC_RATE_LIMIT_PER_MINUTE: String(props.publicRateLimitPerMinute),
        // SMS_PROVIDER, and MAIL_FROM, TENCENT_SMS_CONFIG, TENCENT_SMS_SECRET_ARN and
        // SETTINGS_KEY_SECRET_ARN as configured (lib/constructs/messaging.ts).
        ...props.messaging.deliveryEnvironment,
      },
      timeout: JOB_TIMEOUT,
      memoryMb: JOBS_MEMORY_MB,
    });
    // Jobs query the work-queue indexes (gsi2) and write the items they settle, and only those
    // (WRITE_RIGHTS.jobs, lib/constructs/data.ts).
    props.data.grantItemAccess(this.function.function, 'jobs');
    // The reminders job delivers every message to every address itself: e-mail (SES), SMS (the
    // stack's provider), 企业微信 robots (HTTPS, with keys decrypted under the settings key).
    props.messaging.grantDelivery(this.function.role);
    // CloudFormation waits for the role's default policy before creating the function; let it wait
    // for the direct-SMS policy too, so that no first run finds itself unable to send.
    if (props.messaging.directSmsPolicy) this.function.function.node.addDependency(props.messaging.directSmsPolicy);
    // Egress: besides AWS's own endpoints (DynamoDB, SES, SNS, Secrets Manager), the function calls
    // qyapi.weixin.qq.com (企业微信 robots) and sms.tencentcloudapi.com (Tencent Cloud SMS) over
    // HTTPS. It is not in a VPC, so Lambda's own network reaches them and there is nothing to
    // declare: no NAT gateway, endpoint or security group. Were it ever put in a VPC, it would need
    // a NAT gateway for these two (no VPC endpoint serves them).
    // A busy minute's reminders are split into copies of the run (functions/jobs/index.ts, fan-out):
    // the run invokes the alias it was invoked by, asynchronously, and nothing else. A policy of
    // its own, not the role's default one, which the function waits for: the alias (and so this
    // statement) comes after the function.
    new Policy(this, 'FanOutPolicy', {
      roles: [this.function.role],
      statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.alias.functionArn] })],
    });
    // On the alias the schedules invoke: a function's asynchronous settings apply per qualifier, and
    // `$LATEST` is never invoked.
    this.function.alias.configureAsyncInvoke({
      retryAttempts: JOB_RETRY_ATTEMPTS,
      maxEventAge: JOB_MAX_EVENT_AGE,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    Validations.of(this.function.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'The on-failure destination above is the successor of a DeadLetterConfig: it sends a run that still failed ' +
        'after its retries to the jobs dead-letter queue as an invocation record (the event, the error, why Lambda ' +
        'gave up and after how many attempts); a DeadLetterConfig as well would be a second route for the same ' +
        'failures.',
    });

    // A target per rule, since each carries its job's name as the event; the retries and the
    // dead-letter queue are the same for all.
    this.rules = props.jobs.map((job) => {
      const rule = new Rule(this, `${pascalCase(job.name)}Schedule`, {
        description: `Runs the Linli job "${job.name}" every ${job.everyMinutes} minute${job.everyMinutes === 1 ? '' : 's'}`,
        schedule: Schedule.rate(Duration.minutes(job.everyMinutes)),
      });
      rule.addTarget(
        new LambdaFunction(this.function.alias, {
          event: RuleTargetInput.fromObject({ job: job.name }),
          retryAttempts: JOB_RETRY_ATTEMPTS,
          maxEventAge: JOB_MAX_EVENT_AGE,
          deadLetterQueue: this.deadLetterQueue,
        }),
      );
      return { job, rule };
    });
  }
}

/** Names become construct IDs and rates become `rate(N minutes)`: refuse what would not, at synth. */
function checkJobs(jobs: readonly Pick<JobDefinition, 'name' | 'everyMinutes'>[]): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (!/^[A-Za-z][\w-]*$/.test(job.name)) {
      throw new Error(`Job name "${job.name}" must start with a letter and hold only letters, digits, _ and -`);
    }
    if (seen.has(job.name)) throw new Error(`Job "${job.name}" is registered twice`);
    seen.add(job.name);
    if (!Number.isInteger(job.everyMinutes) || job.everyMinutes < 1) {
      throw new Error(`Job "${job.name}" must run every whole number of minutes (1 or more), got ${job.everyMinutes}`);
    }
  }
}

/** `daily-digest` → `DailyDigest`, for construct IDs. */
function pascalCase(name: string): string {
  return name
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
