import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { defineRoute, ok } from '../../http/route';

let document: unknown;

/**
 * The Lambda build sets `process.env.LINLI_OPENAPI_FILE` at bundling time (esbuild `define`,
 * lib/constructs/linli-function.ts) to a copy of docs/openapi.json shipped beside the bundle;
 * the branch that builds the document is then dead code, and the route table is not bundled.
 */
async function loadDocument(): Promise<unknown> {
  return process.env.LINLI_OPENAPI_FILE ? readBesideBundle(process.env.LINLI_OPENAPI_FILE) : buildFromRouteTable();
}

async function readBesideBundle(file: string): Promise<unknown> {
  return JSON.parse(await readFile(new URL(file, import.meta.url), 'utf8'));
}

/** Locally: generated from the route table, imported on the first request (not at cold start). */
async function buildFromRouteTable(): Promise<unknown> {
  const [{ buildOpenApiDocument }, { routes }] = await Promise.all([import('../../http/openapi'), import('../index')]);
  return buildOpenApiDocument(routes);
}

/**
 * `GET /openapi.json`. On AWS the document is docs/openapi.json as committed, read on the first
 * request (a unit test fails when that file and the route table disagree); locally it is generated
 * from the route table on the first request. Either way it is kept afterwards.
 */
export const openApiRoute = defineRoute({
  method: 'GET',
  path: '/openapi.json',
  operationId: 'getOpenApi',
  summary: 'This document',
  tags: ['system'],
  credential: 'public',
  responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
  handler: async () => {
    document ??= await loadDocument();
    return ok(document);
  },
});
