import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { OrganiserPrincipal, Principal, ResidentPrincipal, VolunteerPrincipal } from '../auth/principal';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route:
 * - `public`: anyone;
 * - `manage`: a resident holding the manage token of the object in the path (`X-Manage-Token`);
 * - `volunteer`: `Authorization: Bearer vt_…`;
 * - `organiser`: a JWT with `cognito:groups` ∋ `organisers`, checked by the API Gateway authorizer;
 * - `volunteerOrOrganiser`: either (a wish's adopter: a volunteer, or an organiser recording a
 *   partner unit). API Gateway gives a route one authorizer, so these routes are served by the
 *   volunteer function, which checks a `vt_…` token as usual and an organiser's JWT itself, against
 *   the same issuer, audience and claims as the authorizer (functions/auth/organiser-jwt.ts).
 */
export type Credential = 'public' | 'manage' | 'volunteer' | 'organiser' | 'volunteerOrOrganiser';

/** The Lambda function a route is served by: grouped by who calls it, so cold starts are shared. */
export type FunctionGroup = 'public' | 'volunteer' | 'organiser';

export function functionGroupOf(credential: Credential): FunctionGroup {
  return credential === 'organiser' ? 'organiser' : credential === 'volunteer' || credential === 'volunteerOrOrganiser' ? 'volunteer' : 'public';
}

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Defaults to application/json. */
  readonly contentType?: string;
}

/**
 * Who a handler is called by, from its route's credential: the pipeline (middleware/credentials)
 * has checked it before the handler runs, so no handler or service narrows it again.
 */
export type PrincipalFor<C extends Credential> = C extends 'volunteer'
  ? VolunteerPrincipal
  : C extends 'volunteerOrOrganiser'
  ? VolunteerPrincipal | OrganiserPrincipal
  : C extends 'organiser'
    ? OrganiserPrincipal
    : C extends 'manage'
      ? ResidentPrincipal
      : Principal;

/** What a handler receives: everything already validated and authenticated. */
export interface RouteRequest<P, Q, B, C extends Credential = Credential> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: PrincipalFor<C>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly event: APIGatewayProxyEventV2;
  readonly context: Context;
}

export interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
  /** Set for non-JSON bodies (CSV, iCalendar); the body must then be a string. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteDefinition<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  C extends Credential = Credential,
> {
  readonly method: HttpMethod;
  /** API Gateway style: `/communities/{c}/events/{eventId}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly credential: C;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Also accept `application/x-www-form-urlencoded` (residents' web forms). */
  readonly acceptsForm?: boolean;
  /** Answers `429` after too many failed attempts (wrong desk codes at check-in): OpenAPI says so. */
  readonly limitsFailedAttempts?: boolean;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  readonly handler: (request: RouteRequest<z.output<P>, z.output<Q>, z.output<B>, C>) => Promise<HttpResult>;
  /**
   * For a POST that writes: the first answer again, for a retry with the same `Idempotency-Key`
   * whose first attempt wrote its effect but never stored its answer (a timeout or a crash in
   * between). `outcome` is what the service noted with the effect (`noteOutcome`): the new item's
   * id, the token shown once. It reads the item as it is now and answers as `handler` did.
   * `'handler'`: running the handler again is the replay (it writes nothing a second time and
   * answers as the first time did: approving an approved log, re-sending a series).
   */
  readonly replay?: 'handler' | ((request: RouteRequest<z.output<P>, z.output<Q>, z.output<B>, C> & { readonly outcome: Readonly<Record<string, string>> }) => Promise<HttpResult>);
}

/** Declares a route; the generic parameters tie the handler's input types to the schemas. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, C extends Credential>(
  route: RouteDefinition<P, Q, B, C>,
): RouteDefinition {
  return route as unknown as RouteDefinition;
}

export const routeKeyOf = (route: Pick<RouteDefinition, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export const ok = (body: unknown): HttpResult => ({ status: 200, body });
export const created = (body: unknown): HttpResult => ({ status: 201, body });
