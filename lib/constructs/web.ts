import {
  Annotations,
  Aws,
  CfnCondition,
  DefaultStackSynthesizer,
  Fn,
  Duration,
  IgnoreMode,
  Names,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
  type CfnElement,
  type ICfnConditionExpression,
} from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  type CfnDistribution,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct, type IConstruct } from 'constructs';
import { NO_CLOUDFRONT_LEGACY_LOGS_REGIONS, whereabouts } from '../region-support';
import { ASSETS, withSiteConfig } from '../web-build';

/** The page whose data block carries the site's settings; the built copy's are the local server's. */
export const WEB_PAGE = 'index.html';
/** The content-named files (lib/web-build.ts), kept a year by CloudFront and phones alike. */
export const WEB_ASSETS = ASSETS;

/** Access logs name residents' addresses: kept as long as the API's access logs (a month). */
const ACCESS_LOG_DAYS = 30;
/** Old versions of the pages, for rolling back by hand after a bad deployment. */
const NONCURRENT_VERSION_DAYS = 30;
const HSTS_MAX_AGE = Duration.days(730);
/** An edge copy lives until the next deployment invalidates it (browsers revalidate every load). */
const EDGE_CACHE_TTL = Duration.days(365);

export interface LinliWebDomain {
  /** `linli.example.org`; its DNS record (a CNAME or alias to the distribution) is made outside the stack. */
  readonly domainName: string;
  /** An ACM certificate for domainName in us-east-1 (global CloudFront)… */
  readonly certificateArn?: string;
  /** …or an IAM server certificate's ID, as CloudFront in the China regions takes them. */
  readonly iamCertificateId?: string;
}

export interface LinliWebProps {
  /** The built pages (dist/web, `npm run build:web`): deployed as they are, index.html with this deployment's settings. */
  readonly webDir: string;
  /**
   * The API's origin, without a trailing slash (`HttpApi.apiEndpoint`): the pages call
   * `${apiBaseUrl}/communities/…`, and the Content-Security-Policy lets them connect there.
   */
  readonly apiEndpoint: string;
  /** Unset: the distribution's `*.cloudfront.net` name and CloudFront's default certificate. */
  readonly domain?: LinliWebDomain;
  /** The community shown when a link names none; unset, the pages show their landing page. */
  readonly defaultCommunity?: string;
  /** The organisers' login (authorization code with PKCE), for the console. */
  readonly login?: LinliWebLogin;
}

/**
 * How the console signs organisers in (web/js/cognito.js): Cognito's managed login at `domain`, or
 * an OpenID Connect provider whose discovery document (`<issuer>/.well-known/openid-configuration`)
 * names its endpoints.
 */
export type LinliWebLogin =
  | {
      readonly login: 'cognito';
      readonly domain: string;
      readonly clientId: string;
      readonly redirectUri: string;
      readonly communityClaim: string;
    }
  | {
      readonly login: 'oidc';
      readonly issuer: string;
      readonly clientId: string;
      readonly redirectUri: string;
      readonly communityClaim: string;
    };

/** The origin the console talks to at sign-in: the hosted login's, or the OIDC issuer's. */
export function loginOriginOf(login: LinliWebLogin | undefined): string | undefined {
  if (!login) return undefined;
  // The Cognito domain is a token until deployment; it is an origin already (https://…, no path).
  return login.login === 'cognito' ? login.domain : new URL(login.issuer).origin;
}

/**
 * The settings the deployed pages read (web/js/site-config.js): the keys of web/index.html's data
 * block (which the local server serves as they are), with this deployment's values.
 */
export function webConfigOf(props: Pick<LinliWebProps, 'apiEndpoint' | 'defaultCommunity' | 'login'>): Record<string, unknown> {
  // `cognito` is the key the console has always read its login from; it now says which kind (`login`).
  return { apiBaseUrl: props.apiEndpoint, defaultCommunity: props.defaultCommunity ?? '', cognito: props.login ?? null };
}

/**
 * The Content-Security-Policy of every page: scripts, styles, images and everything else from the
 * pages' own origin only (no inline script, no third-party CDN; images also as data: URLs, which is
 * how the page carries its own icon, lib/web-build.ts: an image runs no script), and fetches to the page's origin
 * and the API. The pages send their forms with fetch, never by navigating, so no form may submit;
 * nothing may frame the pages. It narrows the pages' own `<meta>` policy (which allows any https:
 * API, so that one web/ serves every deployment) to this deployment's API.
 */
export function contentSecurityPolicy(apiEndpoint: string, loginDomain?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // The console exchanges its authorization code at the hosted login's /oauth2/token, or reads the
    // OIDC provider's discovery document and exchanges the code at its token endpoint.
    `connect-src 'self' ${apiEndpoint}${loginDomain ? ` ${loginDomain}` : ''}`,
    "form-action 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The residents' web pages: web/ in a private S3 bucket, served only through a CloudFront
 * distribution (Origin Access Control, HTTPS, security headers), with index.html's settings written
 * at deploy time to point the pages at the HTTP API.
 *
 * Both buckets are retained when the stack is deleted: the pages are rebuildable, but deleting a
 * non-empty bucket fails the stack deletion, and emptying it on delete (`autoDeleteObjects`) takes
 * yet another custom-resource Lambda with broad delete rights. An orphaned private bucket costs
 * cents; delete it by hand.
 */
export class LinliWeb extends Construct {
  public readonly bucket: Bucket;
  /** S3 server access logs (`s3/`) and CloudFront standard logs (`cloudfront/`). */
  public readonly logBucket: Bucket;
  public readonly distribution: Distribution;
  public readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** index.html and the other top-level files, with the deployment's settings; never kept without asking. */
  public readonly deployment: BucketDeployment;
  /** assets/: the content-named scripts and stylesheet, kept a year, never pruned. */
  public readonly assetsDeployment: BucketDeployment;
  /** The pages' address: `https://` and the custom domain, or the distribution's domain name. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: LinliWebProps) {
    super(scope, id);

    this.logBucket = new Bucket(this, 'LogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // S3 server access logs can only be delivered to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are delivered with an ACL grant, which BUCKET_OWNER_ENFORCED forbids;
      // with BUCKET_OWNER_PREFERRED the bucket owner still owns every log object.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the web bucket and distribution; logging its own accesses would ' +
        'log the log deliveries themselves, into itself or into yet another bucket.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3 rather than KMS: the objects are public web pages, and a KMS key would have to let
      // CloudFront decrypt through its key policy for no gain in confidentiality.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS) }],
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: regionalName(this, 'SecurityHeaders', 128),
      comment: 'Linli web pages: HSTS, nosniff, no framing, no referrer, CSP allowing the API',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // Manage links carry a resident's token; no other site needs to learn which page sent a request.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.apiEndpoint, loginOriginOf(props.login)), override: true },
      },
    });

    // Objects go out with `Cache-Control: no-cache` (below), so browsers revalidate every load and a
    // page never mixes modules of two deployments; the edges ignore that and keep their copy until the
    // deployment invalidates it, so revalidations are answered at the edge, not by the bucket.
    const cachePolicy = new CachePolicy(this, 'CachePolicy', {
      comment: 'Linli web pages: cached at the edge until the next deployment invalidates them',
      defaultTtl: EDGE_CACHE_TTL,
      minTtl: EDGE_CACHE_TTL,
      maxTtl: EDGE_CACHE_TTL,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const where = whereabouts(this);
    const acmCertificateArn = props.domain?.certificateArn;
    const iamCertificateId = props.domain?.iamCertificateId;
    if (where.china && acmCertificateArn) {
      throw new Error('CloudFront in the AWS China regions takes no ACM certificate: give the IAM server certificate’s ID');
    }
    const bucketOrigin = where.china
      ? // CloudFront China does not offer origin access control (CloudFormation there does not know
        // AWS::CloudFront::OriginAccessControl): the legacy origin access identity it does offer.
        S3BucketOrigin.withOriginAccessIdentity(this.bucket)
      : S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessControl: new S3OriginAccessControl(this, 'OriginAccessControl', {
            originAccessControlName: regionalName(this, 'OriginAccessControl', 64),
            description: 'CloudFront reads the Linli web bucket, signing with SigV4',
          }),
        });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Linli residents’ web pages',
      defaultBehavior: {
        origin: bucketOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      defaultRootObject: 'index.html',
      // Price class 200 adds the edges of Asia (Hong Kong, Taiwan, Japan, Korea, Singapore, India…),
      // the Middle East and Africa to 100's North America and Europe: the residents are in Asia,
      // and class 100 would serve Hong Kong from the US or Europe. (All would add South America and
      // Oceania, where nobody it serves is.) CloudFront China has its own four mainland edges and no
      // price classes to choose from.
      priceClass: where.china ? undefined : PriceClass.PRICE_CLASS_200,
      // HTTP/3 is a global CloudFront feature; CloudFront China is left on HTTP/2.
      httpVersion: where.china ? HttpVersion.HTTP2 : HttpVersion.HTTP2_AND_3,
      ...(legacyLogsDelivered(where.region) !== false && {
        enableLogging: true,
        logBucket: this.logBucket,
        logFilePrefix: 'cloudfront/',
      }),
      ...(props.domain &&
        acmCertificateArn && {
          domainNames: [props.domain.domainName],
          certificate: Certificate.fromCertificateArn(this, 'Certificate', acmCertificateArn),
          minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
        }),
    });
    const distributionResource = this.distribution.node.defaultChild as CfnDistribution;
    if (props.domain && iamCertificateId) {
      // The Distribution construct only takes ACM certificates; an IAM one is written in directly.
      distributionResource.addPropertyOverride('DistributionConfig.Aliases', [props.domain.domainName]);
      distributionResource.addPropertyOverride('DistributionConfig.ViewerCertificate', {
        IamCertificateId: iamCertificateId,
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      });
    }
    if (legacyLogsDelivered(where.region) === undefined) {
      // Region unknown until deployment: CloudFormation leaves the logs out where CloudFront cannot
      // deliver them to a bucket of that region.
      const condition = new CfnCondition(this, 'LegacyLogsDelivered', {
        expression: Fn.conditionNot(anyOf(NO_CLOUDFRONT_LEGACY_LOGS_REGIONS.map((region) => Fn.conditionEquals(Aws.REGION, region)))),
      });
      distributionResource.addPropertyOverride(
        'DistributionConfig.Logging',
        Fn.conditionIf(
          condition.logicalId,
          { Bucket: this.logBucket.bucketRegionalDomainName, Prefix: 'cloudfront/' },
          Aws.NO_VALUE,
        ),
      );
    }
    if (where.china && !props.domain) {
      Annotations.of(this.distribution).addWarningV2(
        'linli:china-web-domain',
        'CloudFront in the AWS China regions serves nothing on its own *.cloudfront.cn name: give linli:webDomainName ' +
          '(a domain with an ICP recordal) and linli:webIamCertificateId (docs/deploying-in-china.md)',
      );
    }
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: the residents live in one compound, but they open the pages from wherever they ' +
        'are (travelling, relatives abroad), and the pages hold nothing that is sensitive by location.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF: the distribution serves only static files from a private bucket (GET/HEAD), and a WebACL for ' +
        'CloudFront must be created in us-east-1, which this environment-agnostic stack cannot guarantee. The ' +
        'API, which takes the writes, is throttled per stage and rate-limited per client by its functions.',
    });
    if (where.china) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR7',
        reason:
          'CloudFront in the AWS China regions offers no origin access control (OAC), only the legacy origin access ' +
          'identity used here, which the bucket policy alone lets read the private bucket; global stacks use OAC.',
      });
    }
    if (legacyLogsDelivered(where.region) === false) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR3',
        reason:
          `CloudFront does not deliver standard logs to a bucket in ${where.region}, the stack's region, and its newer ` +
          'log delivery must be set up in us-east-1; the API behind the pages keeps its own access logs.',
      });
    }
    if (props.domain && iamCertificateId) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'The viewer certificate is the IAM server certificate written into the template above (the Distribution ' +
          'construct takes only ACM ones), with TLSv1.2_2021 as its minimum protocol; cdk-nag reads the construct’s ' +
          'own properties, which do not show it.',
      });
    }
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Served on its *.cloudfront.net name with the default CloudFront certificate, for which CloudFront ' +
          'fixes the viewer security policy at TLSv1; a custom domain (linli:webDomainName and ' +
          'linli:webCertificateArn) switches the distribution to TLSv1.2_2021.',
      });
    }

    // The copy function's own role and log group, as the API's functions have, instead of the
    // default role with the AWSLambdaBasicExecutionRole managed policy (every log group in the account).
    const deploymentRole = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the Linli web pages into their bucket and invalidates the distribution',
    });
    const deploymentLogGroup = new LogGroup(this, 'DeploymentLogGroup', { retention: RetentionDays.ONE_MONTH });
    deploymentLogGroup.grantWrite(deploymentRole);

    // assets/ first, kept a year (their names change with their content) and never pruned: a phone that
    // loaded the previous index.html still finds the chunks it names when it opens another view.
    this.assetsDeployment = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(join(props.webDir, WEB_ASSETS))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${WEB_ASSETS}/`,
      prune: false,
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      role: deploymentRole,
      logGroup: deploymentLogGroup,
    });
    // Then the page that names them, with this deployment's settings in its data block: the endpoint
    // and the login are tokens, which the deployment function substitutes (JSON-escaped) as it
    // writes the file. Sources are unpacked in order into one directory; the built index.html (the
    // local server's settings) is left out of the asset, so the generated one is the only one.
    if (!existsSync(join(props.webDir, WEB_PAGE))) throw new Error(`${props.webDir} has no built pages: run npm run build:web (cdk synth runs it first)`);
    const page = readFileSync(join(props.webDir, WEB_PAGE), 'utf8');
    this.deployment = new BucketDeployment(this, 'Deployment', {
      sources: [
        Source.asset(props.webDir, { exclude: [`/${WEB_PAGE}`, `/${WEB_ASSETS}`], ignoreMode: IgnoreMode.GIT }),
        Source.data(WEB_PAGE, withSiteConfig(page, webConfigOf(props)), { jsonEscape: true }),
      ],
      // Excluded files are neither copied nor pruned: assets/ is the other deployment's.
      exclude: [`${WEB_ASSETS}/*`],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      role: deploymentRole,
      logGroup: deploymentLogGroup,
    });
    this.deployment.node.addDependency(this.assetsDeployment);
    // Both run in the one copy function under the one role: its findings are acknowledged once.
    acknowledgeDeploymentFindings(this, this.deployment);

    this.url = `https://${props.domain?.domainName ?? this.distribution.distributionDomainName}`;
  }
}

/** Whether CloudFront delivers legacy standard logs to a bucket in `region`; undefined when unknown. */
function legacyLogsDelivered(region: string | undefined): boolean | undefined {
  if (region === undefined) return undefined;
  return !(NO_CLOUDFRONT_LEGACY_LOGS_REGIONS as readonly string[]).includes(region);
}

/** `Fn::Or` takes 2 to 10 conditions: longer lists are nested. */
function anyOf(conditions: ICfnConditionExpression[]): ICfnConditionExpression {
  if (conditions.length === 1) return conditions[0]!;
  if (conditions.length <= 10) return Fn.conditionOr(...conditions);
  const half = Math.ceil(conditions.length / 2);
  return Fn.conditionOr(anyOf(conditions.slice(0, half)), anyOf(conditions.slice(half)));
}

/**
 * CloudFront names policies and origin access controls per account, not per region: the region in
 * the name keeps two deployments of the stack (same name, other regions) apart, as CDK already does
 * for cache policies.
 */
function regionalName(scope: Construct, kind: string, maxLength: number): string {
  // A region's name is at most 14 characters long, 15 with the hyphen.
  const base = Names.uniqueResourceName(scope, { maxLength: maxLength - kind.length - 15 });
  return `${base}${kind}-${Aws.REGION}`;
}

/**
 * BucketDeployment's grants to the copy function's role, finding by finding (cdk-nag reports IAM5 per
 * wildcard). The statements are CDK's: read the asset bucket, read/write/delete in the web bucket
 * (`aws s3 sync --delete`), invalidate.
 */
function acknowledgeDeploymentFindings(web: LinliWeb, deployment: BucketDeployment): void {
  const stack = Stack.of(web);
  const policy = deployment.handlerRole.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error('The web deployment role has no default policy to acknowledge findings on');
  const qualifier =
    (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ??
    DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  // Written as cdk-nag writes the ARN: pseudo-parameters, or their values when the stack has an environment.
  const known = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  const assetObjects =
    `arn:${known(stack.partition, 'Partition')}:s3:::cdk-${qualifier}-assets-` +
    `${known(stack.account, 'AccountId')}-${known(stack.region, 'Region')}/*`;
  const webObjects = `<${stack.getLogicalId(web.bucket.node.defaultChild as CfnElement)}.Arn>/*`;
  const findings: Readonly<Record<string, string>> = {
    'Action::s3:GetObject*':
      'CDK’s read grant (GetObject, GetObjectVersion, …) lets the copy function fetch the asset zips from the ' +
      'bootstrap asset bucket and compare the web bucket’s objects during the sync; on those two buckets only.',
    'Action::s3:GetBucket*':
      'CDK’s read grant (GetBucketLocation and the like) on the bootstrap asset bucket and the web bucket, which ' +
      'the AWS CLI’s s3 cp/sync query; on those two buckets only.',
    'Action::s3:List*':
      'aws s3 sync lists the web bucket to find changed and removed pages, and lists the asset bucket while ' +
      'copying; on those two buckets only.',
    'Action::s3:DeleteObject*':
      'aws s3 sync --delete prunes pages removed from web/ (the deployment’s prune option); on the web bucket’s ' +
      'objects only.',
    'Action::s3:Abort*':
      'Lets the AWS CLI abort its own multipart uploads when a copy fails; on the web bucket’s objects only.',
    [`Resource::${assetObjects}`]:
      'The asset zips are keyed by content hashes fixed at synth time; read-only access to the objects of the ' +
      'bootstrap asset bucket, as every CDK asset consumer has.',
    [`Resource::${webObjects}`]:
      'The copy function writes and prunes every page of the web bucket; which keys exist is only known when ' +
      'web/ is deployed.',
    'Resource::*':
      'BucketDeployment grants cloudfront:CreateInvalidation and GetInvalidation on every distribution ' +
      '(aws-cdk-lib does not scope them); the function only invalidates the DistributionId it is given, this one.',
  };
  for (const [finding, reason] of Object.entries(findings)) {
    Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }

  Validations.of(copyFunctionOf(deployment)).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'The runtime of BucketDeployment’s copy function (Python, with the AWS CLI in a layer) is chosen by ' +
      'aws-cdk-lib and moves with it; it runs only during deployments, never on a request path.',
  });
}

/** The stack-level singleton function BucketDeployment runs its copy with. */
function copyFunctionOf(deployment: BucketDeployment): IConstruct {
  const stack = Stack.of(deployment);
  const found = stack.node.children.find(
    (child) => child.node.id.startsWith('Custom::CDKBucketDeployment') && child.node.tryFindChild('Resource'),
  );
  if (!found) throw new Error('BucketDeployment’s copy function was not found in the stack');
  return found;
}
