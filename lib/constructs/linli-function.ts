import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, ApplicationLogLevel, Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { LogLevel } from '../stack-config';

/** The local runtime counts down from the same figure (FUNCTION_TIMEOUT_MS in local/server.ts). */
export const FUNCTION_TIMEOUT = Duration.seconds(10);
export const FUNCTION_MEMORY_MB = 512;
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;
/**
 * The alias every caller invokes (API integrations, schedules). CodeDeploy moves it from one
 * published version to the next, a share of the traffic at a time (lib/constructs/deployments.ts).
 */
export const LIVE_ALIAS = 'live';

/**
 * esbuild emits ESM, but some bundled CommonJS dependencies still `require()` Node built-ins;
 * ESM has no `require`, so the bundle gets one.
 */
const ESM_REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export interface LinliFunctionProps {
  /** Directory holding package.json, package-lock.json and functions/ (esbuild's project root). */
  readonly projectRoot: string;
  /** Memory (and with it CPU); {@link FUNCTION_MEMORY_MB} unless a function needs more. */
  readonly memoryMb?: number;
  /** The entry module, relative to projectRoot; it must export `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly logLevel: LogLevel;
  /** Added to the variables every function gets (POWERTOOLS_SERVICE_NAME, LOG_LEVEL, …). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Defaults to the request functions' 10 s (the local runtime counts down the same). */
  readonly timeout?: Duration;
  /**
   * Ship docs/openapi.json beside the bundle for `GET /openapi.json` (the public function), so
   * that the route table it is generated from stays out of the bundle
   * (functions/routes/public/openapi.ts reads `./openapi.json`).
   */
  readonly withOpenApiDocument?: boolean;
}

/** The file name `GET /openapi.json` reads beside the bundle (functions/routes/public/openapi.ts). */
const OPENAPI_FILE = 'openapi.json';

/**
 * A Linli Lambda function, with everything the functions share fixed in one place: Node.js 24 on
 * arm64, an esbuild ESM bundle (minified, source-mapped, AWS SDK included so the version deployed
 * is the version tested), 512 MB, 10 s, JSON logs to its own log group with a retention, active X-Ray
 * tracing, and a role that may write to that log group and upload traces, and nothing else until
 * other constructs grant more. Callers invoke its `live` alias, on a published version.
 *
 * No reserved concurrency: reserving it carves capacity out of the account's pool (new accounts
 * may have as little as 10 in total, and Lambda refuses a reservation that leaves under 100
 * unreserved), while the API stage's throttling already caps what the public can drive.
 */
export class LinliFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: LogGroup;
  public readonly role: Role;
  public readonly timeout: Duration;
  /** What callers invoke: the {@link LIVE_ALIAS} alias on the published version, never `$LATEST`. */
  public readonly alias: Alias;

  constructor(scope: Construct, id: string, props: LinliFunctionProps) {
    super(scope, id);
    this.timeout = props.timeout ?? FUNCTION_TIMEOUT;

    this.logGroup = new LogGroup(this, 'LogGroup', { retention: FUNCTION_LOG_RETENTION });

    // An explicit role instead of the default one, whose AWSLambdaBasicExecutionRole managed policy
    // may write to every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(props.projectRoot, props.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? FUNCTION_MEMORY_MB,
      timeout: this.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      // Lambda's log-level filter and Powertools' must agree, or Powertools warns on every cold start.
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel],
      // Where an invocation's time went (cold start, handler), for the requests X-Ray's default rule
      // samples (the first each second and 5% of the rest): cheap at a community centre's traffic.
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'linli',
        LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        minify: true,
        // Error names reach the logs (functions/http/middleware/error-handler.ts); keep them readable.
        keepNames: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: true,
        // node-fetch (inside Tencent Cloud's SMS SDK) requires Node's deprecated `punycode` module,
        // which warns at every cold start; the userland package of the same code is bundled instead.
        esbuildArgs: { '--alias:punycode': 'punycode/' },
        forceDockerBundling: false,
        ...(props.withOpenApiDocument
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [`cp "${inputDir}/docs/openapi.json" "${outputDir}/${OPENAPI_FILE}"`],
              },
            }
          : {}),
      },
    });

    // Every change to the function's code or configuration publishes a new version; CloudFormation
    // then points the alias at it, which CodeDeploy turns into a gradual shift when a deployment
    // group manages the alias.
    this.alias = new Alias(this, 'Live', {
      aliasName: LIVE_ALIAS,
      version: this.function.currentVersion,
      description: 'The version callers invoke; CodeDeploy shifts it to each new version gradually',
    });

    // Tracing added xray:PutTraceSegments and xray:PutTelemetryRecords to the role's default policy.
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error(`The role of ${props.entry} has no default policy to acknowledge findings on`);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing lets the function upload its traces (xray:PutTraceSegments, xray:PutTelemetryRecords), ' +
        'which X-Ray authorises on Resource * only: neither action has a resource type. Every other statement of ' +
        'this policy names its resources.',
    });
  }
}
