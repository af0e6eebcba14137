/**
 * `npm run openapi`: writes docs/openapi.json from the route table, so the contract can be read
 * (and diffed in review) without running the server. A unit test fails when it is out of date.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument } from '../functions/http/openapi';
import { routes } from '../functions/routes';

const file = resolve(import.meta.dirname, '..', 'docs', 'openapi.json');
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(routes), null, 2)}\n`);
console.log(`wrote ${file}`);
