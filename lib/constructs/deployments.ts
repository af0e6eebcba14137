import { Validations } from 'aws-cdk-lib';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { LambdaApplication, LambdaDeploymentConfig, LambdaDeploymentGroup, type ILambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import type { Alias } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * The API functions: 10% of requests to the new version for 5 minutes, then all. At p99 the canary's
 * tenth of the traffic is visible at once (a slow new version moves the p99 by itself), and an error
 * alarmed by the minute stops it before most residents meet the new version.
 */
export const API_DEPLOYMENT_CONFIG = LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES;

/**
 * The jobs function: 10% more of the runs every minute, over 10 minutes. The reminders run once a
 * minute, so a 5-minute canary at 10% would hand the new version half a run on average and prove
 * nothing; linear shifting hands it about half of the ten runs of the window, with the alarms watched
 * throughout. All at once would leave the alarms no window at all (CodeDeploy only rolls back a
 * deployment still in progress). Two versions running side by side is safe: every item a job
 * handles is claimed with a conditional write first (lib/constructs/jobs.ts).
 */
export const JOBS_DEPLOYMENT_CONFIG = LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE;

export interface DeployedFunction {
  /** The alias CodeDeploy shifts (LinliFunction.alias). */
  readonly alias: Alias;
  readonly deploymentConfig: ILambdaDeploymentConfig;
  /** Alarms that stop the deployment and roll the alias back to the previous version. */
  readonly alarms: readonly IAlarm[];
}

/**
 * Gradual deploys: one CodeDeploy application for the stack, one deployment group per function,
 * each managing the function's `live` alias. When a deployment publishes a new version,
 * CloudFormation hands the alias update to CodeDeploy, which shifts traffic as the group's
 * configuration says and rolls the alias back on its own if one of the group's alarms goes into
 * ALARM meanwhile, if the deployment fails, or if someone stops it. An alarm already in ALARM when a
 * deployment starts stops it as well: deploy once the alarms are quiet.
 */
export class LinliDeployments extends Construct {
  public readonly application: LambdaApplication;
  public readonly groups: Readonly<Record<string, LambdaDeploymentGroup>>;

  constructor(scope: Construct, id: string, props: { readonly functions: Readonly<Record<string, DeployedFunction>> }) {
    super(scope, id);
    this.application = new LambdaApplication(this, 'Application');

    const groups: Record<string, LambdaDeploymentGroup> = {};
    for (const [name, fn] of Object.entries(props.functions)) {
      const group = new LambdaDeploymentGroup(this, `${name.charAt(0).toUpperCase()}${name.slice(1)}`, {
        application: this.application,
        alias: fn.alias,
        deploymentConfig: fn.deploymentConfig,
        alarms: [...fn.alarms],
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      });
      acknowledgeServiceRole(group);
      groups[name] = group;
    }
    this.groups = groups;
  }
}

/** The one managed policy CDK attaches to a Lambda deployment group's service role. */
const CODEDEPLOY_LAMBDA_POLICY = 'service-role/AWSCodeDeployRoleForLambdaLimited';

function acknowledgeServiceRole(group: LambdaDeploymentGroup): void {
  // As cdk-nag writes the ARN: CDK names AWS managed policies with the partition pseudo-parameter,
  // whether or not the stack knows its partition.
  Validations.of(group.role).acknowledge({
    id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${CODEDEPLOY_LAMBDA_POLICY}]`,
    reason:
      'CDK always attaches AWSCodeDeployRoleForLambdaLimited to a Lambda deployment group’s service role: AWS’s ' +
      'own policy for shifting Lambda aliases (cloudwatch:DescribeAlarms and lambda:GetAlias, UpdateAlias, ' +
      'GetProvisionedConcurrencyConfig on any resource; s3:GetObject on CodeDeploy/ keys or objects tagged ' +
      'UseWithCodeDeploy; lambda:InvokeFunction on CodeDeployHook_* functions only). It can move an alias but ' +
      'not change a function’s code or configuration, and grants nothing on the table or the secrets; only ' +
      'codedeploy.amazonaws.com assumes the role, and AWS keeps the policy in step with what CodeDeploy needs.',
  });
}
