/**
 * `npm run glossary`: writes web/js/glossary.js from functions/domain/glossary.ts, so the pages
 * show the categories and teams the API knows, by the same names. A unit test fails when it is out of date.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WEB_GLOSSARY_FILE, webGlossaryModule } from './web-glossary';

const file = resolve(import.meta.dirname, '..', WEB_GLOSSARY_FILE);
writeFileSync(file, webGlossaryModule());
console.log(`wrote ${file}`);
