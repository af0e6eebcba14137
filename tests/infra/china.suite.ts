/**
 * The stack in AWS's China regions (partition aws-cn), synthesised as the operator runs it:
 *
 *   CDK_DEFAULT_REGION=cn-north-1 CDK_DEFAULT_ACCOUNT=111111111111 npx cdk synth -c linli:stage=prod \
 *     -c linli:auth=oidc -c linli:oidcIssuer=https://id.example.cn/oidc -c linli:oidcAudience=linli-console \
 *     -c linli:alarmEmail=ops@example.cn -c linli:webOrigins=https://linli.example.cn
 *
 * What the stack uses there, against AWS's China feature-availability pages ("Getting Started with
 * Amazon Web Services in China", https://docs.amazonaws.cn/en_us/aws/latest/userguide/):
 * - Cognito user pools are not offered in Beijing or Ningxia (…/cognito.html): organisers sign in
 *   with an OpenID Connect provider, verified by API Gateway's HTTP API JWT authorizer, which is
 *   offered there (…/api-gateway.html; https://docs.amazonaws.cn/apigateway/latest/developerguide/http-api-access-control.html).
 * - Amazon SES is not offered (it is not on …/services.html): no e-mail, and `linli:mailFrom` is refused.
 * - Amazon SNS there sends no SMS (…/sns.html): SMS go through Tencent Cloud, or nowhere (`none`).
 * - CloudFront China (…/cloudfront.html): serves nothing on *.cloudfront.cn, only on a CNAME with an
 *   ICP recordal; takes no ACM certificate (IAM's certificate store instead); four mainland edges,
 *   no price classes; origin access control is not offered (CloudFormation there does not know
 *   AWS::CloudFront::OriginAccessControl), so the bucket is read through an origin access identity.
 * - Lambda on arm64 (Graviton2) and X-Ray active tracing are offered in both regions (…/lambda.html,
 *   …/xray.html); EventBridge rules (not EventBridge Scheduler, which the stack does not use),
 *   DynamoDB with PITR, SQS, KMS, Secrets Manager, CloudWatch alarms and dashboards, CodeDeploy's
 *   Lambda deployments are offered (…/eventbridge.html, …/dynamodb.html, …/codedeploy.html).
 * - WAF is regional only in China (…/waf.html): the stack has none anywhere (AwsSolutions-CFR2).
 */
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import type { CfnUserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { LinliStack } from '../../lib/linli-stack';
import { readStackConfig } from '../../lib/stack-config';
import { webConfigOf } from '../../lib/constructs/web';
import { defaultStack, newApp, synthStack, type SynthesisedStack } from './synth';

/* eslint-disable @typescript-eslint/no-require-imports */

type Json = Record<string, any>;

const CHINA_ENV = { CDK_DEFAULT_REGION: 'cn-north-1', CDK_DEFAULT_ACCOUNT: '111111111111' };
const CHINA_CONTEXT = {
  'linli:stage': 'prod',
  'linli:auth': 'oidc',
  'linli:oidcIssuer': 'https://id.example.cn/oidc',
  'linli:oidcAudience': 'linli-console',
  'linli:alarmEmail': 'ops@example.cn',
  'linli:webOrigins': 'https://linli.example.cn',
};

let china: SynthesisedStack;
let stack: LinliStack;
let template: Template;

beforeAll(() => {
  const { node } = new App({ context: CHINA_CONTEXT });
  const config = readStackConfig(node, CHINA_ENV);
  china = synthStack(config, { region: CHINA_ENV.CDK_DEFAULT_REGION, account: CHINA_ENV.CDK_DEFAULT_ACCOUNT });
  ({ stack, template } = china);
});

const logicalIdOf = (construct: IConstruct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const typesOf = (from: Template) => Object.values(from.toJSON().Resources as Json).map((resource) => resource.Type as string);

describe('the prod stack in cn-north-1', () => {
  it('is Linli-prod in partition aws-cn, tagged with its stage', () => {
    expect(stack.stackName).toBe('Linli-prod');
    expect(stack.partition).toBe('aws-cn');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      Tags: Match.arrayWith([{ Key: 'stage', Value: 'prod' }]),
    });
  });

  it('has no Cognito resource', () => {
    expect(typesOf(template).filter((type) => type.startsWith('AWS::Cognito::'))).toEqual([]);
    expect(stack.auth).toBeUndefined();
  });

  it('writes no address of a global AWS domain: only the China partition’s (amazonaws.com.cn), and service principals', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toMatch(/amazoncognito\.com/);
    expect(json.match(/https?:\/\/[^"]*amazonaws\.com(?!\.cn)/g) ?? []).toEqual([]);
    expect(json).not.toMatch(/arn:aws:/);
    // Service principals (lambda.amazonaws.com…) are as CDK writes them for aws-cn.
    const principals = json.match(/"[a-z0-9-]+\.amazonaws\.com(?:\.cn)?"/g) ?? [];
    expect(principals.length).toBeGreaterThan(0);
  });

  it('verifies organiser JWTs against the OIDC issuer and the console’s client ID', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://id.example.cn/oidc', Audience: ['linli-console'] },
    });
  });

  it('tells the organiser function which claims hold the groups and the community', () => {
    const fn = template.toJSON().Resources[logicalIdOf(stack.api.functions.organiser.function)] as Json;
    expect(fn.Properties.Environment.Variables).toMatchObject({
      ORGANISER_GROUPS_CLAIM: 'cognito:groups',
      ORGANISER_COMMUNITY_CLAIM: 'custom:communityId',
    });
  });

  it('sends e-mail through no SES and SMS through no SNS', () => {
    expect(typesOf(template).filter((type) => type.startsWith('AWS::SES::'))).toEqual([]);
    const actions = JSON.stringify(
      Object.values(template.findResources('AWS::IAM::Policy')).map((policy) => policy.Properties.PolicyDocument),
    );
    expect(actions).not.toMatch(/"(ses|sns):(SendEmail|Publish)"/);
    const jobs = template.toJSON().Resources[logicalIdOf(stack.jobs.function.function)] as Json;
    expect(jobs.Properties.Environment.Variables).toMatchObject({ SMS_PROVIDER: 'none' });
    expect(jobs.Properties.Environment.Variables.MAIL_FROM).toBeUndefined();
  });

  it('reads the web bucket through an origin access identity, with no price class or HTTP/3', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 1);
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution')) as Json[];
    expect(distribution!.Properties.DistributionConfig.PriceClass).toBeUndefined();
    expect(distribution!.Properties.DistributionConfig.HttpVersion).toBe('http2');
  });

  it('points the console at the issuer’s discovery document, and lets it connect there', () => {
    const config = webConfigOf({
      apiEndpoint: 'https://api.example.cn',
      login: { login: 'oidc', issuer: 'https://id.example.cn/oidc', clientId: 'linli-console', redirectUri: 'https://linli.example.cn/', communityClaim: 'custom:communityId' },
    });
    expect(config.cognito).toMatchObject({ login: 'oidc', issuer: 'https://id.example.cn/oidc', clientId: 'linli-console' });
    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy')) as Json[];
    const csp = JSON.stringify(policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy);
    expect(csp).toContain('https://id.example.cn');
  });

  it('warns only that the pages need a domain with an ICP recordal', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings.map((warning) => String(warning.entry.data))).toEqual([expect.stringMatching(/ICP recordal/)]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });

  it.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['Serverless', () => new ServerlessChecks()],
  ] as const)('passes cdk-nag’s %s pack with nothing left unacknowledged', (_name, pack) => {
    const { violations } = pack().validateScope(stack);
    expect(violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('stages side by side', () => {
  /** Every explicitly named physical name: properties called *Name, Domain, or a name inside a config. */
  function physicalNames(from: Template, within: LinliStack): string[] {
    const names: string[] = [];
    const visit = (value: unknown, key: string) => {
      if (Array.isArray(value)) return value.forEach((item) => visit(item, key));
      if (value && typeof value === 'object') {
        const json = value as Json;
        if (/(Name|^Domain)$/.test(key) && !('Ref' in json) && !('Fn::GetAtt' in json)) names.push(JSON.stringify(within.resolve(json)));
        for (const [child, nested] of Object.entries(json)) visit(nested, child);
        return;
      }
      if (typeof value === 'string' && /(Name|^Domain)$/.test(key)) names.push(value);
    };
    for (const resource of Object.values(from.toJSON().Resources as Json)) {
      const properties = (resource.Properties ?? {}) as Json;
      // Names that are not physical resource names: attributes, metrics, dimensions, the stage `$default`.
      for (const [key, value] of Object.entries(properties)) {
        // Names unique only within their parent: a role's inline policy, a topic's display name.
        if (['PolicyName', 'DisplayName'].includes(key)) continue;
        if (['AttributeDefinitions', 'KeySchema', 'GlobalSecondaryIndexes', 'TimeToLiveSpecification', 'Dimensions', 'Schema', 'AccountRecoverySetting', 'MetricName', 'Namespace', 'Tags'].includes(key)) continue;
        // A metric-math alarm's queries: metric and dimension names, not resources.
        if (key === 'Metrics' && resource.Type === 'AWS::CloudWatch::Alarm') continue;
        visit(value, key);
      }
    }
    return names;
  }

  it('gives dev and prod no physical name in common, so both fit in one account and region', () => {
    const dev = defaultStack();
    const shared = physicalNames(dev.template, dev.stack).filter((name) => physicalNames(template, stack).includes(name));
    // Names that need not be unique: `$default` (a stage, per API), `organisers` (a group, per user pool),
    // an HTTP API's and an authorizer's Name (labels; their IDs are generated), `live` (an alias, per
    // function), and CodeDeploy's predefined deployment configurations (AWS's, referred to by name).
    const unique = (name: string) =>
      !['$default', 'organisers', 'HttpApi', 'OrganiserJwt', 'live'].includes(name) && !name.startsWith('CodeDeployDefault.');
    expect(shared.filter(unique)).toEqual([]);
    expect(shared.length).toBeGreaterThan(0);
  });

  it('puts the stage in the Cognito domain prefix unless one is configured', () => {
    // The domain alone, in a stack of its own: a whole synth would say no more.
    const { LinliAuth } = require('../../lib/constructs/auth') as typeof import('../../lib/constructs/auth');
    const domainOf = (stage?: string) => {
      const scope = new Stack(newApp(), 'AuthOnly');
      const auth = new LinliAuth(scope, 'Auth', { callbackUrls: ['https://linli.example.org/'], stage });
      return scope.resolve((auth.domain.node.defaultChild as CfnUserPoolDomain).domain);
    };
    expect(domainOf('dev')).toEqual({ 'Fn::Join': ['', ['linli-dev-', { Ref: 'AWS::AccountId' }]] });
    expect(domainOf('prod')).toEqual({ 'Fn::Join': ['', ['linli-prod-', { Ref: 'AWS::AccountId' }]] });
    // No stage: the name an existing deployment already has.
    expect(domainOf(undefined)).toEqual({ 'Fn::Join': ['', ['linli-', { Ref: 'AWS::AccountId' }]] });
  });
});
