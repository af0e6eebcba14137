import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../../../functions/http/openapi';
import { routes } from '../../../functions/routes';

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(routes) as any;

  it('is committed as docs/openapi.json exactly as generated (run `npm run openapi`)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../../docs/openapi.json'), 'utf8'));
    expect(committed).toEqual(document);
  });

  it('documents a problem+json response for every error status it lists', () => {
    for (const path of Object.values<any>(document.paths)) {
      for (const operation of Object.values<any>(path)) {
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          if (Number(status) >= 400) expect(response.content['application/problem+json']).toBeDefined();
        }
      }
    }
  });

  it('announces Retry-After on 503', () => {
    const op = document.paths['/communities/{c}'].get;
    expect(op.responses['503'].headers['Retry-After']).toBeDefined();
  });

  it('resolves every $ref to a component', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
    for (const name of refs) expect(document.components.schemas[name]).toBeDefined();
  });
});
