/**
 * The pages' copy of the glossary: web/js/glossary.js, a plain ES module written from
 * functions/domain/glossary.ts by `npm run glossary` (scripts/write-glossary.ts). A unit test
 * fails when the committed file differs from what this renders.
 */
import { CATEGORY_GLOSSARY, TEAM_GLOSSARY, type GlossaryEntry } from '../functions/domain/glossary';

export const WEB_GLOSSARY_FILE = 'web/js/glossary.js';

/** A single-quoted JavaScript string, as the pages write them. */
const literal = (text: string) => `'${JSON.stringify(text).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;

const list = (name: string, comment: string, entries: readonly GlossaryEntry[]) =>
  [
    `/** ${comment} */`,
    `export const ${name} = [`,
    ...entries.map((entry) => `  { id: ${literal(entry.id)}, zh: ${literal(entry.zh)}, en: ${literal(entry.en)} },`),
    '];',
  ].join('\n');

export function webGlossaryModule(): string {
  return [
    '// GENERATED from functions/domain/glossary.ts by `npm run glossary`: edit that file, not this one',
    '// (a unit test fails when this one is stale). The help desk\'s categories and the six volunteer',
    '// teams, in the order the pages show them, each with its API id and its Chinese and English names.',
    '',
    list('CATEGORIES', 'What residents can ask the evening help desk for, in the order the form offers them.', CATEGORY_GLOSSARY),
    '',
    list('TEAMS', 'The six resident volunteer teams, in the order the community lists them.', TEAM_GLOSSARY),
    '',
  ].join('\n');
}
