/**
 * Rewrites docs/performance.md from docs/performance.json without measuring again: for changes
 * to the report's wording. The figures stay those of the run that wrote the JSON.
 *   npx tsx bench/render.ts
 */
import { resolve } from 'node:path';
import { renderFromJson } from './report';

const docs = resolve(import.meta.dirname, '..', 'docs');
renderFromJson(resolve(docs, 'performance.json'), resolve(docs, 'performance.md'));
console.log('rewrote docs/performance.md from docs/performance.json');
