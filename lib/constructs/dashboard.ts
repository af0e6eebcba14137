import { Aws, Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  PeriodOverride,
  TextWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
  type Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  DURATION_P99_FRACTION_OF_TIMEOUT,
  NEAR_TIMEOUT_FRACTION,
  OLDEST_DUE_AGE_THRESHOLD_SECONDS, sumOverOperations, TABLE_OPERATIONS, type WatchedFunction } from './alarms';

const PERIOD = Duration.minutes(5);
/** The dashboard's grid is 24 units wide. */
const FULL_WIDTH = 24;
const HEIGHT = 6;

export interface LinliDashboardProps {
  readonly httpApi: IHttpApi;
  /** The functions, by the short names the alarms use; the jobs function among them. */
  readonly functions: Readonly<Record<string, WatchedFunction>>;
  /** Which of `functions` runs the scheduled jobs. */
  readonly jobsFunction: string;
  readonly table: ITable;
  /** The job metrics (functions/jobs/metrics.ts), as the alarms read them. */
  readonly oldestDueAge: Metric;
  readonly deliveriesFailed: Metric;
  /** Every alarm of the stack, shown by state at the top. */
  readonly alarms: readonly IAlarm[];
}

/**
 * One CloudWatch dashboard for the whole stack, read top to bottom as an operator asks: is anything
 * in alarm; are residents getting answers (the API); which function is failing or slow; is the
 * table throttling or contended; are reminders going out. Named after the stack and its region:
 * dashboards are global to an account, so two stages, or one stage in two regions, do not collide.
 */
export class LinliDashboard extends Construct {
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: LinliDashboardProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-${Aws.REGION}`,
      defaultInterval: Duration.hours(6),
      // Each graph at its own period: sparse counts stay readable over a week.
      periodOverride: PeriodOverride.INHERIT,
    });

    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: FULL_WIDTH, height: 4 }),
    );

    const api = props.httpApi;
    this.dashboard.addWidgets(heading('API'));
    this.dashboard.addWidgets(
      graph('Requests', [api.metricCount({ period: PERIOD, statistic: 'Sum', label: 'Requests' })]),
      graph('4xx and 5xx responses', [
        api.metricClientError({ period: PERIOD, statistic: 'Sum', label: '4xx' }),
        api.metricServerError({ period: PERIOD, statistic: 'Sum', label: '5xx' }),
      ]),
      graph('Latency (ms)', [
        api.metricLatency({ period: PERIOD, statistic: 'p50', label: 'Latency p50' }),
        api.metricLatency({ period: PERIOD, statistic: 'p99', label: 'Latency p99' }),
        api.metricIntegrationLatency({ period: PERIOD, statistic: 'p99', label: 'Integration latency p99' }),
      ]),
    );

    const functionWidgets = Object.entries(props.functions).map(
      ([name, { function: fn, timeout }]) =>
        new GraphWidget({
          title: `${capitalise(name)} function`,
          width: FULL_WIDTH / Object.keys(props.functions).length,
          height: HEIGHT,
          left: [
            fn.metricInvocations({ period: PERIOD, statistic: 'Sum', label: 'Invocations' }),
            fn.metricErrors({ period: PERIOD, statistic: 'Sum', label: 'Errors' }),
            fn.metricThrottles({ period: PERIOD, statistic: 'Sum', label: 'Throttles' }),
          ],
          right: [fn.metricDuration({ period: PERIOD, statistic: 'p99', label: 'Duration p99 (ms)' })],
          rightAnnotations: [
            { value: timeout.toMilliseconds() * DURATION_P99_FRACTION_OF_TIMEOUT, label: 'p99 alarm' },
            { value: timeout.toMilliseconds(), label: 'Timeout' },
          ],
        }),
    );
    this.dashboard.addWidgets(heading('Functions'));
    this.dashboard.addWidgets(...functionWidgets);

    const table = props.table;
    this.dashboard.addWidgets(heading('Table'));
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Consumed capacity units',
        width: FULL_WIDTH / 4,
        height: HEIGHT,
        left: [
          table.metricConsumedReadCapacityUnits({ period: PERIOD, statistic: 'Sum', label: 'Read' }),
          table.metricConsumedWriteCapacityUnits({ period: PERIOD, statistic: 'Sum', label: 'Write' }),
        ],
      }),
      new GraphWidget({
        title: 'Throttled requests',
        width: FULL_WIDTH / 4,
        height: HEIGHT,
        left: [
          sumOverOperations(
            table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD }),
            'All operations',
          ),
        ],
      }),
      new GraphWidget({
        title: 'Transaction conflicts',
        width: FULL_WIDTH / 4,
        height: HEIGHT,
        left: [table.metric('TransactionConflict', { period: PERIOD, statistic: 'Sum', label: 'TransactionConflict' })],
      }),
      new GraphWidget({
        title: 'System errors',
        width: FULL_WIDTH / 4,
        height: HEIGHT,
        left: [
          sumOverOperations(table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD }), 'All operations'),
        ],
      }),
    );

    const jobs = props.functions[props.jobsFunction];
    if (!jobs) throw new Error(`No function "${props.jobsFunction}" to show the jobs of`);
    this.dashboard.addWidgets(heading('Jobs'));
    this.dashboard.addWidgets(
      graph('Oldest due reminder or delivery (s)', [props.oldestDueAge.with({ label: 'OldestDueAgeSeconds' })], [
        { value: OLDEST_DUE_AGE_THRESHOLD_SECONDS, label: 'Backlog alarm' },
      ]),
      graph('Deliveries given up', [props.deliveriesFailed.with({ label: 'DeliveriesFailed' })]),
      graph(
        'Job run duration (ms)',
        [
          jobs.function.metricDuration({ period: PERIOD, statistic: 'Maximum', label: 'Maximum' }),
          jobs.function.metricDuration({ period: PERIOD, statistic: 'p99', label: 'p99' }),
        ],
        [
          { value: jobs.timeout.toMilliseconds() * NEAR_TIMEOUT_FRACTION, label: 'Near-timeout alarm' },
          { value: jobs.timeout.toMilliseconds(), label: 'Timeout' },
        ],
      ),
    );
  }
}

function heading(text: string): IWidget {
  return new TextWidget({ markdown: `## ${text}`, width: FULL_WIDTH, height: 1 });
}

/** A graph a third of the dashboard wide. */
function graph(title: string, left: IMetric[], leftAnnotations?: { value: number; label: string }[]): GraphWidget {
  return new GraphWidget({ title, left, leftAnnotations, width: FULL_WIDTH / 3, height: HEIGHT });
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
