import * as z from 'zod';
import { buildOpenApiDocument } from '../http/openapi';
import { defineRoute, ok } from '../http/route';
import { routes } from './index';

let document: unknown;

/** `GET /openapi.json`: generated from the route table on first request, then kept. */
export const openApiRoute = defineRoute({
  method: 'GET',
  path: '/openapi.json',
  operationId: 'getOpenApi',
  summary: 'This document',
  tags: ['system'],
  credential: 'public',
  responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
  handler: async () => {
    document ??= buildOpenApiDocument(routes);
    return ok(document);
  },
});
