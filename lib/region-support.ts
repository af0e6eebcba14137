import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Regions whose S3 buckets CloudFront does not deliver legacy standard logs to (the opt-in
 * regions; CloudFront Developer Guide, "Configure standard logging (legacy)": "Don't choose an
 * Amazon S3 bucket in any of the following Regions"). The log bucket is in the stack's region, so
 * a stack there goes without CloudFront access logs. CloudFront's newer log delivery (v2, through
 * CloudWatch Logs delivery sources) is no way out for one stack: its delivery source must be made in
 * us-east-1.
 */
export const NO_CLOUDFRONT_LEGACY_LOGS_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
] as const;

/** What the stack knows of where it is deployed: known when bin/app.ts gave it a region, else not. */
export interface Whereabouts {
  /** `ap-east-1`, `cn-north-1`…; undefined for an environment-agnostic stack (decided at deployment). */
  readonly region?: string;
  /** Beijing or Ningxia (partition aws-cn): no Cognito, SES, SNS SMS, ACM for CloudFront or OAC. */
  readonly china: boolean;
}

export function whereabouts(scope: IConstruct): Whereabouts {
  const { region } = Stack.of(scope);
  if (Token.isUnresolved(region)) return { china: false };
  return { region, china: region.startsWith('cn-') };
}
