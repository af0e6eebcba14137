/**
 * The pages speak Chinese first and English on a switch, each language in a file of its own
 * (web/js/i18n/). Whatever one language says, the other must say too: the same keys, nested
 * tables included, and a key that takes values (a function) in one takes them in the other.
 * The web modules are plain ES modules; Jest's swc transform loads them as CommonJS.
 */
import { CATEGORY_GLOSSARY } from '../../../functions/domain/glossary';

type Table = Record<string, unknown>;

const { zh } = require('../../../web/js/i18n/zh.js') as { zh: Table };
const { en } = require('../../../web/js/i18n/en.js') as { en: Table };
const { consoleZh } = require('../../../web/js/i18n/console-zh.js') as { consoleZh: Table };
const { consoleEn } = require('../../../web/js/i18n/console-en.js') as { consoleEn: Table };
const { STRINGS, loadStrings } = require('../../../web/js/i18n.js') as {
  STRINGS: { zh: Table; en: Table };
  loadStrings(language: string, options: { console: boolean }): Promise<void>;
};

const kindOf = (value: unknown) => {
  if (typeof value === 'function') return 'function';
  if (typeof value === 'string') return 'string';
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return 'table';
  return `a ${Array.isArray(value) ? 'list' : typeof value}`;
};

/** Every key, dotted (`console.tonight.when`), with what it is: a string, a function or a table. */
function keysOf(table: Table, prefix = '', keys = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(table)) {
    const path = prefix ? `${prefix}.${key}` : key;
    keys.set(path, kindOf(value));
    if (kindOf(value) === 'table') keysOf(value as Table, path, keys);
  }
  return keys;
}

/** Where two languages differ, one line a key: missing in one, or a different kind of thing; empty when they agree. */
function differences(a: Table, b: Table, [nameA, nameB] = ['zh', 'en']): string[] {
  const keysA = keysOf(a);
  const keysB = keysOf(b);
  const out: string[] = [];
  for (const [key, kind] of keysA) {
    if (!keysB.has(key)) out.push(`${key}: in ${nameA} (${kind}), missing in ${nameB}`);
    else if (keysB.get(key) !== kind) out.push(`${key}: a ${kind} in ${nameA}, a ${keysB.get(key)} in ${nameB}`);
  }
  for (const [key, kind] of keysB) if (!keysA.has(key)) out.push(`${key}: in ${nameB} (${kind}), missing in ${nameA}`);
  return out;
}

describe('the pages’ two languages', () => {
  // The page loads Chinese only; English and the console's tables come when a page asks for them.
  beforeAll(async () => {
    await loadStrings('zh', { console: true });
    await loadStrings('en', { console: true });
  });

  it('have exactly the same keys for residents and volunteers (web/js/i18n/zh.js and en.js)', () => {
    expect(differences(zh, en)).toEqual([]);
  });

  it('have exactly the same keys for the organisers’ console (web/js/i18n/console-zh.js and console-en.js)', () => {
    expect(differences(consoleZh, consoleEn, ['console-zh', 'console-en'])).toEqual([]);
  });

  it('have exactly the same keys once put together with the glossary and the console (i18n.js)', () => {
    expect(differences(STRINGS.zh, STRINGS.en)).toEqual([]);
    expect(keysOf(STRINGS.zh).size).toBeGreaterThan(keysOf(zh).size + keysOf(consoleZh).size);
  });

  it('hold nothing but strings, functions and tables of them', () => {
    for (const table of [STRINGS.zh, STRINGS.en]) {
      expect([...keysOf(table).values()].filter((kind) => !['string', 'function', 'table'].includes(kind))).toEqual([]);
    }
  });

  it('give a hint for each help-desk category of the glossary, and for no other', () => {
    const ids = CATEGORY_GLOSSARY.map((category) => category.id);
    expect(Object.keys(zh.categoryHints as Table)).toEqual(ids);
    expect(Object.keys(en.categoryHints as Table)).toEqual(ids);
  });

  describe('the comparison', () => {
    it('finds a key missing in either language, deep down', () => {
      expect(differences({ a: 'x', b: { c: 'y' } }, { a: 'x', b: {}, d: 'z' })).toEqual(['b.c: in zh (string), missing in en', 'd: in en (string), missing in zh']);
    });

    it('finds a key that is a function in one language and a string in the other', () => {
      expect(differences({ a: (v: { n: number }) => `${v.n}` }, { a: 'n' })).toEqual(['a: a function in zh, a string in en']);
      expect(differences({ a: { b: 'x' } }, { a: 'x' })).toEqual(['a: a table in zh, a string in en', 'a.b: in zh (string), missing in en']);
    });
  });
});
