import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import * as clock from '../functions/clock';
import type { RouteDefinition } from '../functions/http/route';
import { routeKeyOf } from '../functions/http/route';

export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly pathParameters: Record<string, string>;
}

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
  readonly names: string[];
}

/** Matches request paths against the route table the way API Gateway does: whole segments. */
export function createRouteMatcher(routes: readonly RouteDefinition[]) {
  const compiled: CompiledRoute[] = routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        const param = segment.match(/^\{(\w+)\}$/);
        if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(param[1]!);
        return '([^/]+)';
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}$`), names };
  });
  return (method: string, rawPath: string): RouteMatch | undefined => {
    for (const candidate of compiled) {
      if (candidate.route.method !== method) continue;
      const match = candidate.pattern.exec(rawPath);
      if (!match) continue;
      const pathParameters: Record<string, string> = {};
      try {
        candidate.names.forEach((name, index) => (pathParameters[name] = decodeURIComponent(match[index + 1]!)));
      } catch {
        return undefined; // malformed percent-encoding: API Gateway finds no route either
      }
      return { route: candidate.route, pathParameters };
    }
    return undefined;
  };
}

const TEXT_BODY = /^(application\/(json|x-www-form-urlencoded|[\w.+-]+\+json|xml)|text\/)/i;

/** An API Gateway HTTP API payload v2.0 event, as API Gateway would build it for this request. */
export function buildEvent(input: {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
  match: RouteMatch;
  claims?: Record<string, string>;
  /**
   * When the request reached the server (epoch ms, this process's clock): `requestContext.timeEpoch`,
   * as API Gateway stamps it on receipt. Defaults to now.
   */
  receivedAt?: number;
}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of input.url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const contentType = headers['content-type'] ?? '';
  const isText = input.body.length === 0 || TEXT_BODY.test(contentType);
  const now = input.receivedAt === undefined ? clock.now() : new Date(input.receivedAt);
  const routeKey = routeKeyOf(input.match.route);
  return {
    version: '2.0',
    routeKey,
    rawPath: input.url.pathname,
    rawQueryString: input.url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(input.match.pathParameters).length ? { pathParameters: input.match.pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: input.method,
        path: input.url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(input.claims ? { authorizer: { jwt: { claims: input.claims, scopes: [] } } } : {}),
    },
    ...(input.body.length ? { body: isText ? input.body.toString('utf8') : input.body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  } as APIGatewayProxyEventV2;
}
