import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  LogGroupLogDestination,
  type CfnRoute,
  type CfnStage,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CORS_POLICY } from '../../functions/http/cors-policy';
import { functionGroupOf, routeKeyOf, type Credential, type FunctionGroup, type RouteDefinition } from '../../functions/http/route';
import type { OrganiserIssuer } from '../linli-stack';
import type { LogLevel, OrganiserClaimNames } from '../stack-config';
import type { LinliData } from './data';
import type { LinliMessaging } from './messaging';
import { LinliFunction } from './linli-function';

/** One Lambda function per group, so routes called by the same people share warm instances. */
const ENTRY_OF: Readonly<Record<FunctionGroup, string>> = {
  public: 'functions/entry/public.ts',
  volunteer: 'functions/entry/volunteer.ts',
  organiser: 'functions/entry/organiser.ts',
};

/**
 * Why a route has no API Gateway authorizer. Only organisers hold JWTs; every other credential is
 * checked inside the function (functions/http/middleware/authenticate.ts).
 */
const WHY_NO_AUTHORIZER: Readonly<Record<Exclude<Credential, 'organiser'>, string>> = {
  public:
    'Public by design: residents read events and register without an account. Abuse is bounded by the stage ' +
    'throttle and by the per-client rate limit the function applies to public POSTs.',
  manage:
    'Residents have no accounts; the function authorises the request by the manage token (X-Manage-Token) of ' +
    'the registration or request in the path, which API Gateway has no way to verify.',
  volunteer:
    'The function authorises the request by the volunteer bearer token (vt_…), an opaque token looked up in the ' +
    'table, which the JWT authorizer cannot verify.',
  volunteerOrOrganiser:
    'A volunteer (opaque vt_… token) or an organiser (JWT) may call it, and a route takes one authorizer: the ' +
    'function checks the volunteer token in the table, or the JWT against the same issuer, audience and claims as ' +
    'the organiser routes’ JWT authorizer (functions/auth/organiser-jwt.ts).',
};

/**
 * The HTTP API's access log: who called which route and what came back. No request bodies (they hold
 * residents' names and phone numbers), no query strings, no headers.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    method: '$context.httpMethod',
    path: '$context.path',
    routeKey: '$context.routeKey',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

export interface ApiThrottle {
  /** Steady-state requests per second across the whole API. */
  readonly rateLimit: number;
  /** Requests the API absorbs at once before throttling. */
  readonly burstLimit: number;
}

/**
 * A compound of a few thousand households: a festival opening can bring a few hundred sign-ups at
 * once, far below this; a script hammering the API is cut off here before it costs real money.
 */
export const DEFAULT_API_THROTTLE: ApiThrottle = { rateLimit: 100, burstLimit: 200 };

/**
 * The festival sign-up route gets a throttle of its own, sized to what the sign-up queue takes
 * (functions/services/admission.ts): arrivals share no item, and the event's counter takes one
 * transaction per batch of 24, several hundred sign-ups a second at DynamoDB's documented
 * latencies. A WeChat-driven rush of 2,000 taps is admitted whole and then 250 a second (bench
 * 7b); beyond that API Gateway answers 429, which the residents' form retries with jitter and the
 * same Idempotency-Key. Each waiting sign-up holds its function while it waits (well under a
 * second at that rate on AWS), so 250 a second stays far inside Lambda's default 1,000 concurrent.
 */
export const SIGN_UP_THROTTLE: ApiThrottle = { rateLimit: 250, burstLimit: 2000 };

/**
 * The help desk's bookings still take one transaction per booking on the evening's counter item,
 * which DynamoDB serialises (about 50 a second; README, "DynamoDB's real concurrency, locally"):
 * a burst of 300, then that rate. An evening has a handful of places, so this is never the limit
 * a resident meets first.
 */
export const BOOKING_THROTTLE: ApiThrottle = { rateLimit: 50, burstLimit: 300 };

/** The routes a rush comes through, each with its throttle. */
export const RUSH_THROTTLES: Readonly<Record<string, ApiThrottle>> = {
  'POST /communities/{c}/events/{eventId}/registrations': SIGN_UP_THROTTLE,
  'POST /communities/{c}/slots/{slotId}/requests': BOOKING_THROTTLE,
};
export const SIGN_UP_ROUTES = Object.keys(RUSH_THROTTLES);

/**
 * Every other write a resident can make without an account (a phone code's verification, a
 * cancellation, a problem report or a wish): a throttle of their own, well under the stage's, so
 * that a script hammering them (guessing codes, flooding reports) is cut off by API Gateway before
 * it reaches the organisers' share of the stage. Derived from the route table: a public write added
 * later (work orders, wishes) is throttled the day it exists.
 */
export const PUBLIC_WRITE_THROTTLE: ApiThrottle = { rateLimit: 20, burstLimit: 50 };

/** The routes with a throttle of their own, and that throttle: public writes, sign-ups above all. */
export function routeThrottlesOf(routes: readonly RouteDefinition[]): Record<string, ApiThrottle> {
  return Object.fromEntries(
    routes
      .filter((route) => functionGroupOf(route.credential) === 'public' && route.method !== 'GET')
      .map((route) => {
        const key = routeKeyOf(route);
        return [key, RUSH_THROTTLES[key] ?? PUBLIC_WRITE_THROTTLE];
      }),
  );
}

export interface LinliApiProps {
  readonly projectRoot: string;
  /** The route table (functions/routes/index.ts); every entry becomes an API route. */
  readonly routes: readonly RouteDefinition[];
  readonly data: LinliData;
  /** Whose ID tokens the organiser routes' JWT authorizer accepts. */
  readonly organiserIssuer: OrganiserIssuer;
  /** The claims the organiser function reads (ORGANISER_GROUPS_CLAIM, ORGANISER_COMMUNITY_CLAIM). */
  readonly claims: OrganiserClaimNames;
  readonly webOrigins: readonly string[];
  readonly publicRateLimitPerMinute: number;
  readonly partiesPerAddressPerEvent: number;
  readonly logLevel: LogLevel;
  readonly throttle?: ApiThrottle;
  /**
   * The key 企业微信 robot keys are stored encrypted under (lib/constructs/messaging.ts). The
   * organiser function writes a community's settings, so it alone gets it (SETTINGS_KEY_SECRET_ARN
   * and read access); the public and volunteer functions do not.
   */
  readonly settingsKeySecret: ISecret;
  /** SMS for the public function's phone-verification codes (its environment and its right to send). */
  readonly messaging: Pick<LinliMessaging, 'smsEnvironment' | 'channelsEnvironment' | 'grantSms'>;
}

/**
 * The HTTP API: one route per entry of the route table, each integrated with its function group's
 * Lambda (payload format 2.0), organiser routes behind the Cognito JWT authorizer, CORS preflight
 * answered by API Gateway from CORS_POLICY, a throttled `$default` stage with JSON access logs.
 */
export class LinliApi extends Construct {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  public readonly accessLogGroup: LogGroup;
  public readonly functions: Readonly<Record<FunctionGroup, LinliFunction>>;
  /** The API route made for each route of the table, in table order. */
  public readonly routes: readonly { readonly definition: RouteDefinition; readonly route: HttpRoute }[];

  constructor(scope: Construct, id: string, props: LinliApiProps) {
    super(scope, id);

    const environment = {
      TABLE_NAME: props.data.table.tableName,
      PUBLIC_RATE_LIMIT_PER_MINUTE: String(props.publicRateLimitPerMinute),
      PARTIES_PER_ADDRESS_PER_EVENT: String(props.partiesPerAddressPerEvent),
      WEB_ORIGINS: props.webOrigins.join(','),
    };
    this.functions = mapGroups((group) => {
      const fn = new LinliFunction(this, `${capitalise(group)}Function`, {
        projectRoot: props.projectRoot,
        entry: ENTRY_OF[group],
        description: `Linli ${group} routes`,
        logLevel: props.logLevel,
        environment:
          group === 'public'
            ? { ...environment, ...props.messaging.smsEnvironment }
            : group === 'organiser'
            ? {
                ...environment,
                // The channels the stack has, so Settings refuse what it cannot reach.
                ...props.messaging.channelsEnvironment,
                SETTINGS_KEY_SECRET_ARN: props.settingsKeySecret.secretArn,
                ORGANISER_GROUPS_CLAIM: props.claims.groups,
                ORGANISER_COMMUNITY_CLAIM: props.claims.community,
              }
            : {
                ...environment,
                // Routes a volunteer or an organiser may call check the organiser's JWT in the function.
                ORGANISER_JWT_ISSUER: props.organiserIssuer.issuerUrl,
                ORGANISER_JWT_AUDIENCE: props.organiserIssuer.audience,
                ORGANISER_GROUPS_CLAIM: props.claims.groups,
                ORGANISER_COMMUNITY_CLAIM: props.claims.community,
              },
        withOpenApiDocument: group === 'public',
      });
      // Reads anywhere; writes only where WRITE_RIGHTS lists for the group (lib/constructs/data.ts).
      props.data.grantItemAccess(fn.function, group);
      if (group === 'organiser') props.settingsKeySecret.grantRead(fn.role);
      // Phone-verification codes go out by SMS from the public function: SMS alone, no e-mail, no settings key.
      if (group === 'public') props.messaging.grantSms(fn.role);
      return fn;
    });

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Linli: neighbourhood community centre API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.webOrigins],
        allowMethods: CORS_POLICY.allowMethods.map((method) => CorsHttpMethod[method]),
        allowHeaders: [...CORS_POLICY.allowHeaders],
        exposeHeaders: [...CORS_POLICY.exposeHeaders],
        maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
      },
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: ACCESS_LOG_FORMAT,
      },
    });

    // One integration per function, and one invoke permission per function for the whole API
    // rather than one per route: the function's resource policy must not grow with the route table.
    // Both on the function's `live` alias, which CodeDeploy shifts to a new version gradually.
    const integrations = mapGroups(
      (group) =>
        new HttpLambdaIntegration(`${capitalise(group)}Integration`, this.functions[group].alias, {
          scopePermissionToRoute: false,
        }),
    );
    const organiserAuthorizer = new HttpJwtAuthorizer('OrganiserJwt', props.organiserIssuer.issuerUrl, {
      jwtAudience: [props.organiserIssuer.audience],
      identitySource: ['$request.header.Authorization'],
    });

    this.routes = props.routes.map((definition) => {
      const [route] = this.httpApi.addRoutes({
        path: definition.path,
        methods: [HttpMethod[definition.method]],
        integration: integrations[functionGroupOf(definition.credential)],
        authorizer: definition.credential === 'organiser' ? organiserAuthorizer : undefined,
      });
      if (!route) throw new Error(`No API route was made for ${definition.method} ${definition.path}`);
      if (definition.credential !== 'organiser') {
        Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: WHY_NO_AUTHORIZER[definition.credential] });
      }
      return { definition, route };
    });

    // The sign-up routes' own throttle. A stage's route settings must name routes that exist when
    // it is deployed: the stage waits for them.
    const stageResource = this.stage.node.defaultChild as CfnStage;
    for (const routeKey of SIGN_UP_ROUTES) {
      if (!this.routes.some(({ definition }) => routeKeyOf(definition) === routeKey)) throw new Error(`No route ${routeKey} to throttle`);
    }
    stageResource.routeSettings = Object.fromEntries(
      Object.entries(routeThrottlesOf(props.routes)).map(([routeKey, throttle]) => {
        const made = this.routes.find(({ definition }) => routeKeyOf(definition) === routeKey)!;
        stageResource.addResourceDependency(made.route.node.defaultChild as CfnRoute);
        // `routeSettings` is passed to CloudFormation as it is: its keys are CloudFormation's own.
        return [routeKey, { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit }];
      }),
    );

    // Unmatched requests go to the public function, whose router answers with a problem+json 404,
    // as the contract promises for every non-2xx; API Gateway's own 404 body would be plain JSON.
    const fallback = new HttpRoute(this, 'UnmatchedRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrations.public,
    });
    Validations.of(fallback).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The catch-all route only answers "no such route" (a problem+json 404) from the public function; it reaches no data.',
    });
  }

  /** The API's base URL (the `$default` stage). */
  public get url(): string {
    return this.stage.url;
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Something for each function group, built in a fixed order so logical IDs stay stable. */
function mapGroups<T>(make: (group: FunctionGroup) => T): Record<FunctionGroup, T> {
  return { public: make('public'), volunteer: make('volunteer'), organiser: make('organiser') };
}
