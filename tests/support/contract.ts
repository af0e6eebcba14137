import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * The served contract, checked as a generated client would check it: every response the suites
 * receive is held against `GET /openapi.json` (the document the server itself serves) for its
 * route's declared status codes, media types and, for JSON, its response schema, validated by
 * Ajv in JSON Schema 2020-12 (OpenAPI 3.1's dialect). A response to a path that no route declares
 * must be a problem+json error.
 */
export interface ReceivedResponse {
  method: string;
  /** The request's path, without the query. */
  path: string;
  status: number;
  contentType: string | null;
  /** The body as received (JSON is parsed here). */
  text: string;
}

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

const DOCUMENT_ID = 'https://linli.local/openapi.json';

/** `/communities/{c}/slots/{slotId}` as a pattern; literal segments count, so `/slots/series` wins. */
function templatePattern(template: string): { pattern: RegExp; literals: number } {
  const segments = template.split('/').slice(1);
  const source = segments.map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return { pattern: new RegExp(`^/${source}$`), literals: segments.filter((segment) => !segment.startsWith('{')).length };
}

export class ContractCheck {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly templates: { template: string; pattern: RegExp; literals: number }[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID });
    this.templates = Object.keys(document.paths)
      .map((template) => ({ template, ...templatePattern(template) }))
      .sort((a, b) => b.literals - a.literals);
  }

  /** What is wrong with a response, as sentences naming the route; empty when it keeps to the contract. */
  problems(response: ReceivedResponse): string[] {
    const method = response.method.toLowerCase();
    const mediaType = response.contentType?.split(';')[0]!.trim().toLowerCase() ?? null;
    const route = this.templates.find(({ pattern, template }) => pattern.test(response.path) && this.document.paths[template]![method]);
    const where = `${response.method} ${response.path} → ${response.status}`;
    if (!route) {
      // No route: the catch-all's problem+json 404 (or 405 for another method on a known path).
      if (response.status < 400) return [];
      return mediaType === 'application/problem+json'
        ? this.validate('#/components/schemas/Problem', response.text, where)
        : [`${where}: an error for an undeclared route must be application/problem+json, got ${mediaType}`];
    }
    const pointer = `#/paths/${route.template.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/responses`;
    const declared = this.document.paths[route.template]![method]!.responses[String(response.status)];
    if (!declared) {
      return [`${where}: ${response.status} is not a declared status of ${response.method} ${route.template} (declared: ${Object.keys(this.document.paths[route.template]![method]!.responses).join(', ')})`];
    }
    if (!declared.content) return response.text === '' || response.status === 204 ? [] : [`${where}: declared without a body, but one came`];
    if (!mediaType || !(mediaType in declared.content)) {
      return [`${where}: media type ${mediaType} is not declared (declared: ${Object.keys(declared.content).join(', ')})`];
    }
    if (!declared.content[mediaType]!.schema) return [];
    return this.validate(`${pointer}/${response.status}/content/${mediaType.replaceAll('/', '~1')}/schema`, response.text, where);
  }

  private validate(pointer: string, text: string, where: string): string[] {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${where}: the body is not JSON`];
    }
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(`${DOCUMENT_ID}${pointer}`);
      if (!validate) return [`${where}: no schema at ${pointer}`];
      this.validators.set(pointer, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${where}: ${error.instancePath || '(body)'} ${error.message}${error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : ''}`);
  }
}

const checks = new Map<string, Promise<ContractCheck>>();

/** The check for the API at `baseUrl`, built from the document that server serves. */
export function contractOf(baseUrl: string): Promise<ContractCheck> {
  let check = checks.get(baseUrl);
  if (!check) {
    check = fetch(`${baseUrl}/openapi.json`).then(async (response) => {
      if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
      return new ContractCheck((await response.json()) as OpenApiDocument);
    });
    checks.set(baseUrl, check);
  }
  return check;
}
