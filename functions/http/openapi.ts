import * as z from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from '../domain/errors';
import type { Credential, RouteDefinition } from './route';

type JsonSchema = Record<string, unknown>;

/** Which error statuses a route can answer with, by what it takes and who may call it. */
function errorStatuses(route: RouteDefinition): number[] {
  const statuses = new Set<number>([500, 503]);
  if (route.params || route.query || route.body) statuses.add(400);
  if (route.path.includes('{')) statuses.add(404);
  const authStatuses: Record<Credential, number[]> = { public: [], manage: [401, 403], volunteer: [401, 403], organiser: [401, 403], volunteerOrOrganiser: [401, 403] };
  for (const status of authStatuses[route.credential]) statuses.add(status);
  if (route.body) [413, 415].forEach((status) => statuses.add(status));
  if (route.method === 'POST') [409, 422].forEach((status) => statuses.add(status));
  if (route.method === 'PATCH' || route.method === 'DELETE') statuses.add(409);
  // Public POSTs are rate-limited; a resident's POST (a code sent back) is refused after five wrong codes.
  if (route.method === 'POST' && (route.credential === 'public' || route.credential === 'manage')) statuses.add(429);
  if (route.limitsFailedAttempts) statuses.add(429);
  return [...statuses].sort();
}

function codesFor(status: number): ErrorCode[] {
  return (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).filter((code) => ERROR_CATALOGUE[code].status === status);
}

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect); schemas named with `.meta({ id })` go to components. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  const json = JSON.parse(JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
    $schema?: string;
  };
  const { $defs, $schema: _dialect, ...rest } = json;
  for (const [name, definition] of Object.entries($defs ?? {})) components[name] = definition;
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) return rest;
  const ref = { $ref: `#/components/schemas/${id}` };
  // A named schema at the root comes back as a $ref to its own $defs entry, stored above: keeping
  // that $ref as the component would make it refer to itself.
  if (rest.$ref === ref.$ref) return ref;
  const { id: _id, ...named } = rest;
  components[id] = named;
  return ref;
}

/** The media type a response is declared under: `text/csv`, without the `charset` it is sent with. */
const mediaTypeOf = (contentType: string) => contentType.split(';')[0]!.trim();

function parameters(route: RouteDefinition, components: Record<string, JsonSchema>): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [location, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, 'input', components) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: location, required: location === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  if (route.method === 'POST') {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Replays within 24 h return the first response; another body with the same key is 422.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  if (route.credential === 'manage') {
    out.push({ name: 'X-Manage-Token', in: 'header', required: true, schema: { type: 'string' } });
  }
  return out;
}

/** Each operation says how it is called; `{}` is "no credential", stated rather than left out. */
const SECURITY: Record<Credential, JsonSchema[]> = {
  public: [{}],
  manage: [{ manageToken: [] }],
  volunteer: [{ volunteerToken: [] }],
  organiser: [{ organiserJwt: [] }],
  volunteerOrOrganiser: [{ volunteerToken: [] }, { organiserJwt: [] }],
};

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function buildOpenApiDocument(routes: readonly RouteDefinition[], serverUrl = '/'): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const problemRef = { $ref: '#/components/schemas/Problem' };
  for (const route of routes) {
    const responses: Record<string, JsonSchema> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.schema || spec.contentType
          ? { content: { [mediaTypeOf(spec.contentType ?? 'application/json')]: spec.schema ? { schema: schemaOf(spec.schema, 'output', components) } : {} } }
          : {}),
      };
    }
    for (const status of errorStatuses(route)) {
      const codes = codesFor(status);
      responses[String(status)] = {
        description: codes.map((code) => `\`${code}\``).join(', '),
        ...(status === 429 || status === 503
          ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } }
          : {}),
        content: { 'application/problem+json': { schema: problemRef } },
      };
    }
    const operation: JsonSchema = {
      operationId: route.operationId,
      summary: route.summary,
      tags: route.tags,
      parameters: parameters(route, components),
      responses,
      security: SECURITY[route.credential],
    };
    if (route.body) {
      const schema = schemaOf(route.body, 'input', components);
      operation.requestBody = {
        required: true,
        content: {
          'application/json': { schema },
          ...(route.acceptsForm ? { 'application/x-www-form-urlencoded': { schema } } : {}),
        },
      };
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation;
  }
  components.Problem = {
    type: 'object',
    description: 'RFC 9457 problem details',
    required: ['type', 'title', 'status', 'code'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      code: { type: 'string', enum: Object.keys(ERROR_CATALOGUE) },
      detail: { type: 'string' },
      errors: {
        type: 'array',
        items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Linli API',
      version: '1.0.0',
      description: 'Linli (邻里): festival sign-ups, the evening help desk, volunteer hours and the points supermarket.',
    },
    servers: [{ url: serverUrl, description: serverUrl === '/' ? 'The origin that serves this document' : 'Linli' }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        organiserJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito ID token: cognito:groups ∋ organisers, custom:communityId' },
        volunteerToken: { type: 'http', scheme: 'bearer', description: 'Opaque volunteer token, vt_…' },
        manageToken: { type: 'apiKey', in: 'header', name: 'X-Manage-Token' },
      },
    },
  };
}
