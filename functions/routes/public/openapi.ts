import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { defineRoute, ok } from '../../http/route';

type DocumentSource = () => unknown;

/**
 * On AWS: docs/openapi.json as committed, shipped beside the bundle by the construct
 * (lib/constructs/linli-function.ts, `withOpenApiDocument`); a unit test fails when that file and
 * the route table disagree. Reading a file keeps the route table, and the generator, out of the
 * public function: it bundles only its own routes.
 */
let source: DocumentSource = async () => JSON.parse(await readFile(new URL('./openapi.json', import.meta.url), 'utf8'));
let document: unknown;

/** The local runtime generates the document from the route table instead (local/runtime.ts). */
export function useOpenApiDocumentSource(next: DocumentSource): void {
  source = next;
  document = undefined;
}

/** `GET /openapi.json`: read (or generated) on the first request, then kept. */
export const openApiRoute = defineRoute({
  method: 'GET',
  path: '/openapi.json',
  operationId: 'getOpenApi',
  summary: 'This document',
  tags: ['system'],
  credential: 'public',
  responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
  handler: async () => {
    document ??= await source();
    return ok(document);
  },
});
