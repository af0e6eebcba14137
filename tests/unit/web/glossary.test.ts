/**
 * The help desk's categories and the volunteer teams are declared once, in
 * functions/domain/glossary.ts; the pages read them from web/js/glossary.js, written from it by
 * `npm run glossary` (scripts/write-glossary.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY_GLOSSARY, HELP_CATEGORIES, TEAM_GLOSSARY, TEAMS } from '../../../functions/domain/glossary';
import { WEB_GLOSSARY_FILE, webGlossaryModule } from '../../../scripts/web-glossary';

describe('the glossary', () => {
  it('is committed as web/js/glossary.js exactly as generated (run `npm run glossary`)', () => {
    const committed = readFileSync(join(__dirname, '../../..', WEB_GLOSSARY_FILE), 'utf8');
    expect(committed).toBe(webGlossaryModule());
  });

  it('gives the pages the same categories and teams, in the same order', () => {
    const pages = require('../../../web/js/glossary.js') as { CATEGORIES: unknown; TEAMS: unknown };
    expect(pages.CATEGORIES).toEqual(CATEGORY_GLOSSARY);
    expect(pages.TEAMS).toEqual(TEAM_GLOSSARY);
  });

  it('lists the ids the API accepts in its order', () => {
    expect(HELP_CATEGORIES).toEqual(CATEGORY_GLOSSARY.map((category) => category.id));
    expect(TEAMS).toEqual(TEAM_GLOSSARY.map((team) => team.id));
    expect(TEAMS).toHaveLength(6);
  });

  it.each([
    ['categories', CATEGORY_GLOSSARY],
    ['teams', TEAM_GLOSSARY],
  ])('names each of its %s once in each language, never empty', (_, entries) => {
    for (const field of ['id', 'zh', 'en'] as const) {
      const values = entries.map((entry) => entry[field]);
      expect(new Set(values).size).toBe(values.length);
      expect(values.filter((value) => value.trim() === '')).toEqual([]);
    }
  });
});
