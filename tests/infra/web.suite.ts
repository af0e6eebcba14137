import { App, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { contentSecurityPolicy, LinliWeb, WEB_ASSETS, WEB_PAGE, webConfigOf } from '../../lib/constructs/web';
import { WEB_BUILD, withSiteConfig } from '../../lib/web-build';
import type { LinliStack } from '../../lib/linli-stack';
import { DEFAULT_CLAIM_NAMES, readStackConfig, type LinliStackConfig } from '../../lib/stack-config';
import { projectRoot, synthStack } from './synth';

/** The built pages the stack deploys (the infra project's global set-up builds them). */
const webDir = join(projectRoot, WEB_BUILD);
const cdkJson = JSON.parse(readFileSync(resolve(projectRoot, 'cdk.json'), 'utf8')) as { context: Json };

/** The defaults (any CORS origin, no custom web domain), and a default community. */
const config: LinliStackConfig = {
  auth: 'cognito',
  claims: DEFAULT_CLAIM_NAMES,
  webOrigins: ['*'],
  webDefaultCommunity: 'xingfu',
  authCallbackUrls: ['https://linli.example.org/organiser/'],
  smsProvider: 'sns',
  smsMonthlySpendAlarmUsd: 50,
  publicRateLimitPerMinute: 120,
  partiesPerAddressPerEvent: 10,
  logLevel: 'INFO',
};

type Json = Record<string, any>;

let app: App;
let stack: LinliStack;
let template: Template;

/** This configuration's own synth (the default one is shared by the other suites, synth.ts). */
beforeAll(() => {
  ({ app, stack, template } = synthStack(config));
});

function logicalIdOf(construct: IConstruct): string {
  return stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
}

function resourceOf(construct: IConstruct): Json {
  return template.toJSON().Resources[logicalIdOf(construct)] as Json;
}

function onlyResource(type: string): Json {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0] as Json;
}

/** A CloudFormation string as text, references written `<LogicalId>` and `<LogicalId.Attribute>`. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = value as Json;
  if (json['Fn::Join']) return (json['Fn::Join'][1] as unknown[]).map(textOf).join(json['Fn::Join'][0] as string);
  if (json.Ref) return `<${json.Ref as string}>`;
  if (json['Fn::GetAtt']) return `<${(json['Fn::GetAtt'] as string[]).join('.')}>`;
  throw new Error(`Cannot read ${JSON.stringify(value)} as text`);
}

const privateBucket = {
  PublicAccessBlockConfiguration: {
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  },
  BucketEncryption: {
    ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
  },
};

function bucketPolicyOf(bucket: IConstruct): Json[] {
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
    (policy) => (policy as Json).Properties.Bucket.Ref === logicalIdOf(bucket),
  );
  expect(policies).toHaveLength(1);
  return (policies[0] as Json).Properties.PolicyDocument.Statement as Json[];
}

const denyWithoutTls = expect.objectContaining({
  Effect: 'Deny',
  Action: 's3:*',
  Principal: { AWS: '*' },
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

describe('web bucket', () => {
  it('is private, SSE-S3 encrypted, versioned, logged and retained', () => {
    const bucket = resourceOf(stack.web.bucket);
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(bucket.Properties).toMatchObject({
      ...privateBucket,
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(stack.web.logBucket) }, LogFilePrefix: 's3/' },
    });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
    );
  });

  it('refuses requests without TLS and lets only this distribution read, through OAC', () => {
    const statements = bucketPolicyOf(stack.web.bucket);
    expect(statements).toEqual([
      denyWithoutTls,
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(stack.web.bucket), 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: logicalIdOf(stack.web.distribution) },
                ],
              ],
            },
          },
        },
      },
    ]);
  });

  it('keeps access logs in a private, SSL-only bucket for a month', () => {
    const logBucket = resourceOf(stack.web.logBucket);
    expect(logBucket).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(logBucket.Properties).toMatchObject({
      ...privateBucket,
      // CloudFront standard logs arrive with an ACL grant.
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Status: 'Enabled' }] },
    });
    expect(bucketPolicyOf(stack.web.logBucket)).toContainEqual(denyWithoutTls);
  });
});

describe('distribution', () => {
  const distributionConfig = (): Json => resourceOf(stack.web.distribution).Properties.DistributionConfig as Json;

  it('reads the bucket through an Origin Access Control that signs every request', () => {
    const [origin, ...others] = distributionConfig().Origins as Json[];
    expect(others).toEqual([]);
    expect(origin).toMatchObject({
      DomainName: { 'Fn::GetAtt': [logicalIdOf(stack.web.bucket), 'RegionalDomainName'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    const accessControlId = origin!.OriginAccessControlId['Fn::GetAtt'][0] as string;
    expect(template.toJSON().Resources[accessControlId].Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
  });

  it('redirects to HTTPS, compresses, serves index.html at the root, from edges that include Asia’s', () => {
    expect(distributionConfig()).toMatchObject({
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        Compress: true,
        ResponseHeadersPolicyId: { Ref: logicalIdOf(stack.web.responseHeadersPolicy) },
      },
      DefaultRootObject: 'index.html',
      PriceClass: 'PriceClass_200',
      Enabled: true,
    });
  });

  it('logs requests to the log bucket, unless deployed where CloudFront cannot deliver them there (ap-east-1…)', () => {
    const [conditionId, condition] = Object.entries(template.toJSON().Conditions as Json)[0]!;
    expect(distributionConfig().Logging).toEqual({
      'Fn::If': [
        conditionId,
        { Bucket: { 'Fn::GetAtt': [logicalIdOf(stack.web.logBucket), 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
        { Ref: 'AWS::NoValue' },
      ],
    });
    const regions = JSON.stringify(condition).match(/"[a-z]{2}-[a-z]+-\d"/g);
    expect(regions).toContain('"ap-east-1"');
    expect(regions).not.toContain('"ap-southeast-1"');
  });

  it('logs requests where the region is known to allow it, and acknowledges their absence where not', () => {
    const webIn = (region: string) => {
      const regional = new Stack(new App({ context: { ...cdkJson.context } }), 'WebOnly', { env: { region, account: '111111111111' } });
      const web = new LinliWeb(regional, 'Web', { webDir, apiEndpoint: 'https://api.example.org' });
      return { regional, web, logging: Template.fromStack(regional).findResources('AWS::CloudFront::Distribution') };
    };
    const singapore = webIn('ap-southeast-1');
    expect(Object.values(singapore.logging)[0]!.Properties.DistributionConfig.Logging.Prefix).toBe('cloudfront/');
    const hongKong = webIn('ap-east-1');
    expect(Object.values(hongKong.logging)[0]!.Properties.DistributionConfig.Logging).toBeUndefined();
    const { violations } = new AwsSolutionsChecks().validateScope(hongKong.regional);
    expect(violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('keeps pages at the edge until a deployment invalidates them', () => {
    const cachePolicy = onlyResource('AWS::CloudFront::CachePolicy').Properties.CachePolicyConfig as Json;
    const year = 365 * 24 * 60 * 60;
    expect(cachePolicy).toMatchObject({ MinTTL: year, DefaultTTL: year, MaxTTL: year });
    expect(cachePolicy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
    });
  });

  it('sends HSTS, nosniff, frame DENY and no referrer with every page', () => {
    const headers = resourceOf(stack.web.responseHeadersPolicy).Properties.ResponseHeadersPolicyConfig
      .SecurityHeadersConfig as Json;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 730 * 24 * 60 * 60, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
    });
  });

  it('allows scripts, styles and images from the pages’ origin only, and connections to the API', () => {
    const policy = textOf(
      resourceOf(stack.web.responseHeadersPolicy).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig
        .ContentSecurityPolicy.ContentSecurityPolicy,
    );
    const api = `<${logicalIdOf(stack.api.httpApi)}.ApiEndpoint>`;
    const directives = Object.fromEntries(
      policy.split('; ').map((directive) => {
        const [name, ...sources] = directive.split(' ');
        return [name, sources];
      }),
    );
    expect(directives).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'", api, expect.stringMatching(/^https:\/\/.+\.auth\..+\.amazoncognito\.com$/)],
      'form-action': ["'none'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
    expect(contentSecurityPolicy('https://api.example.org')).toContain("connect-src 'self' https://api.example.org;");
    expect(contentSecurityPolicy('https://api.example.org', 'https://login.example.org')).toContain(
      "connect-src 'self' https://api.example.org https://login.example.org;",
    );
  });

  it('uses CloudFront’s own name and certificate when no custom domain is configured', () => {
    expect(distributionConfig().Aliases).toBeUndefined();
    expect(distributionConfig().ViewerCertificate).toBeUndefined();
  });
});

describe('deployment', () => {
  const deployments = (): Json[] => Object.values(template.findResources('Custom::CDKBucketDeployment')).map((resource) => resource as Json);
  const byId = (construct: IConstruct): Json => template.toJSON().Resources[logicalIdOf(construct)] as Json;
  const deployment = (): Json => byId(stack.web.deployment.node.findChild('CustomResource')).Properties as Json;
  const assets = (): Json => byId(stack.web.assetsDeployment.node.findChild('CustomResource')).Properties as Json;

  /** A source's files as the deployment function receives them: the staged asset directory. */
  function stagedSource(properties: Json, index: number): string {
    const key = properties.SourceObjectKeys[index] as string;
    const directory = join(app.outdir, `asset.${key.replace(/\.zip$/, '')}`);
    expect(existsSync(directory)).toBe(true);
    return directory;
  }
  const filesOf = (directory: string): string[] => readdirSync(directory).sort();

  it('copies the built pages in two deployments: assets/ kept a year and never pruned, then the page that names them', () => {
    expect(deployments()).toHaveLength(2);
    expect(assets()).toMatchObject({
      DestinationBucketName: { Ref: logicalIdOf(stack.web.bucket) },
      DestinationBucketKeyPrefix: `${WEB_ASSETS}/`,
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(deployment()).toMatchObject({
      DestinationBucketName: { Ref: logicalIdOf(stack.web.bucket) },
      Prune: true,
      Exclude: [`${WEB_ASSETS}/*`],
      DistributionId: { Ref: logicalIdOf(stack.web.distribution) },
      DistributionPaths: ['/*'],
      WaitForDistributionInvalidation: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(deployment().DestinationBucketKeyPrefix).toBeUndefined();
    // The page goes up only once the files it names are there.
    expect(byId(stack.web.deployment.node.findChild('CustomResource')).DependsOn).toEqual(expect.arrayContaining([logicalIdOf(stack.web.assetsDeployment.node.findChild('CustomResource'))]));
  });

  it('deploys every built file: assets/ as they are, the rest but index.html from the build, index.html written for this deployment', () => {
    expect(filesOf(stagedSource(assets(), 0))).toEqual(filesOf(join(webDir, WEB_ASSETS)));
    expect(filesOf(join(webDir, WEB_ASSETS)).some((file) => /^app-.+\.js$/.test(file))).toBe(true);
    const topLevel = readdirSync(webDir).filter((file) => file !== WEB_PAGE && file !== WEB_ASSETS).sort();
    expect(topLevel).toContain('favicon.svg');
    expect(readdirSync(stagedSource(deployment(), 0)).sort()).toEqual(topLevel);
    expect(readdirSync(stagedSource(deployment(), 1))).toEqual([WEB_PAGE]);
  });

  /** The settings in a page's data block (web/js/site-config.js reads the same). */
  function settingsIn(page: string): Json {
    const block = /<script type="application\/json" id="linli-config">([^<]*)<\/script>/.exec(page);
    expect(block).not.toBeNull();
    return JSON.parse(block![1]!) as Json;
  }

  it('writes index.html with settings that point the pages at the API and the console at the hosted login, the built page otherwise', () => {
    const { SourceObjectKeys: keys, SourceMarkers: markers, SourceMarkersConfig: markersConfig } = deployment();
    expect(keys).toHaveLength(2);
    let page = readFileSync(join(stagedSource(deployment(), 1), WEB_PAGE), 'utf8');

    // What the deployment function writes: the markers replaced by the resolved values.
    const resolved = Object.entries(markers[1] as Json);
    expect(resolved.map(([, value]) => value)).toContainEqual({ 'Fn::GetAtt': [logicalIdOf(stack.api.httpApi), 'ApiEndpoint'] });
    expect(markersConfig[1]).toEqual({ jsonEscape: true });
    const apiEndpoint = 'https://abc123.execute-api.ap-east-1.amazonaws.com';
    for (const [marker, value] of resolved) {
      const isApi = JSON.stringify(value).includes('ApiEndpoint');
      page = page.replace(marker, isApi ? apiEndpoint : 'resolved');
    }
    const deployed = settingsIn(page);
    expect(deployed).toMatchObject({ apiBaseUrl: apiEndpoint, defaultCommunity: 'xingfu' });
    expect(deployed.cognito).toMatchObject({ redirectUri: config.authCallbackUrls[0] });
    // Only the settings differ from the built page: the same script and stylesheet, the same policy.
    const built = readFileSync(join(webDir, WEB_PAGE), 'utf8');
    const withoutSettings = (html: string) => html.replace(/(id="linli-config">)[^<]*/, '$1');
    expect(withoutSettings(page)).toBe(withoutSettings(built));
  });

  it('gives the deployed page every setting the repository’s page has', () => {
    const local = settingsIn(readFileSync(join(projectRoot, 'web', WEB_PAGE), 'utf8'));
    expect(Object.keys(webConfigOf({ apiEndpoint: 'https://api.example.org' })).sort()).toEqual(Object.keys(local).sort());
  });

  it('writes settings that cannot close the data block', () => {
    const page = withSiteConfig('<script type="application/json" id="linli-config">{}</script>', { apiBaseUrl: '</script><script>alert(1)</script>' });
    expect(page.match(/<\/script>/g)).toHaveLength(1);
    expect(settingsIn(page).apiBaseUrl).toBe('</script><script>alert(1)</script>');
    expect(() => withSiteConfig('<html></html>', {})).toThrow(/linli-config/);
  });

  it('runs the copy under its own role, with no managed policy, logging to a log group kept a month', () => {
    const copyFunction = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (fn) => (fn as Json).Properties.Role['Fn::GetAtt'][0] === logicalIdOf(stack.web.deployment.handlerRole),
    ) as Json | undefined;
    expect(copyFunction).toBeDefined();
    expect(deployment().ServiceToken['Fn::GetAtt'][0]).toBe(
      Object.entries(template.toJSON().Resources as Json).find(([, resource]) => resource === copyFunction)?.[0],
    );
    expect(resourceOf(stack.web.deployment.handlerRole).Properties.ManagedPolicyArns).toBeUndefined();
    const logGroupId = copyFunction!.Properties.LoggingConfig.LogGroup.Ref as string;
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
  });
});

describe('API and outputs', () => {
  it('keeps the API’s CORS origins as configured: the distribution cannot be named there without a cycle', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: { AllowOrigins: ['*'] } });
  });

  it('outputs the web URL, the distribution’s domain and the API URL', () => {
    const outputs = template.toJSON().Outputs as Json;
    const domainName = { 'Fn::GetAtt': [logicalIdOf(stack.web.distribution), 'DomainName'] };
    expect(outputs.WebUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', domainName]] });
    expect(outputs.WebDistributionDomainName.Value).toEqual(domainName);
    const apiUrl = new RegExp(`^https://<${logicalIdOf(stack.api.httpApi)}>\\.execute-api\\.`);
    expect(textOf(outputs.ApiUrl.Value)).toMatch(apiUrl);
  });
});

describe('checks', () => {
  it('acknowledges exactly the findings the web pages bring, each on the construct that raises it', () => {
    const acknowledged = stack.node
      .findAll()
      .filter((construct) => /^Linli\/(Web\/|Custom::CDKBucketDeployment)/.test(construct.node.path))
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
          .map((key) => key.replace(/^Annotation::/, ''))
          .map((id) => `${construct.node.path.replace(/CDKBucketDeployment\w+/, 'CDKBucketDeployment…')} ${id}`),
      )
      .sort();
    const webBucket = logicalIdOf(stack.web.bucket);
    expect(acknowledged).toEqual(
      [
        'Linli/Web/LogBucket AwsSolutions-S1',
        'Linli/Web/Distribution AwsSolutions-CFR1',
        'Linli/Web/Distribution AwsSolutions-CFR2',
        'Linli/Web/Distribution AwsSolutions-CFR4',
        ...[
          'Action::s3:GetObject*',
          'Action::s3:GetBucket*',
          'Action::s3:List*',
          'Action::s3:DeleteObject*',
          'Action::s3:Abort*',
          'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
          `Resource::<${webBucket}.Arn>/*`,
          'Resource::*',
        ].map((finding) => `Linli/Web/DeploymentRole/DefaultPolicy AwsSolutions-IAM5[${finding}]`),
        'Linli/Custom::CDKBucketDeployment… AwsSolutions-L1',
        // Acknowledged in lib/linli-stack.ts, with the Serverless pack's other findings on older constructs.
        'Linli/Custom::CDKBucketDeployment… Serverless-LambdaDLQ',
        'Linli/Custom::CDKBucketDeployment… Serverless-LambdaLatestVersion',
        'Linli/Custom::CDKBucketDeployment… Serverless-LambdaTracing',
      ].sort(),
    );
  });
});

describe('custom domain', () => {
  const domain = {
    domainName: 'linli.example.org',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f6c5f1e-2b7d-4c8e-9a3b-1d2e3f4a5b6c',
  };

  it('serves the configured domain with its certificate and TLS 1.2, with no CFR4 finding left', () => {
    const domainApp = new App({ context: { ...cdkJson.context } });
    const domainStack = new Stack(domainApp, 'WebOnly');
    const web = new LinliWeb(domainStack, 'Web', { webDir, apiEndpoint: 'https://api.example.org', domain });
    const domainTemplate = Template.fromStack(domainStack);

    domainTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: [domain.domainName],
        ViewerCertificate: {
          AcmCertificateArn: domain.certificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    expect(domainStack.resolve(web.url)).toBe(`https://${domain.domainName}`);
    const { violations } = new AwsSolutionsChecks().validateScope(domainStack);
    expect(violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('serves the domain with an IAM server certificate, as CloudFront in the China regions takes them', () => {
    const chinaStack = new Stack(new App({ context: { ...cdkJson.context } }), 'WebOnly', {
      env: { region: 'cn-north-1', account: '111111111111' },
    });
    new LinliWeb(chinaStack, 'Web', {
      webDir,
      apiEndpoint: 'https://api.example.cn',
      domain: { domainName: 'linli.example.cn', iamCertificateId: 'ASCAEXAMPLE1234567890' },
    });
    Template.fromStack(chinaStack).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['linli.example.cn'],
        ViewerCertificate: { IamCertificateId: 'ASCAEXAMPLE1234567890', SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
      }),
    });
    const { violations } = new AwsSolutionsChecks().validateScope(chinaStack);
    expect(violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('is configured with both the domain and a us-east-1 certificate, or neither', () => {
    const configOf = (context: Json) => readStackConfig(new App({ context }).node, {});
    expect(configOf({})).toMatchObject({ webDomainName: undefined, webCertificateArn: undefined });
    expect(
      configOf({ 'linli:webDomainName': domain.domainName, 'linli:webCertificateArn': domain.certificateArn }),
    ).toMatchObject({ webDomainName: domain.domainName, webCertificateArn: domain.certificateArn });
    expect(() => configOf({ 'linli:webDomainName': domain.domainName })).toThrow(/set together/);
    expect(configOf({ 'linli:webDefaultCommunity': 'xingfu' }).webDefaultCommunity).toBe('xingfu');
    expect(() =>
      configOf({
        'linli:webDomainName': domain.domainName,
        'linli:webCertificateArn': domain.certificateArn.replace('us-east-1', 'ap-east-1'),
      }),
    ).toThrow(/us-east-1/);
  });
});
