import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildWeb, type WebBuild } from '../../../lib/web-build';

/**
 * The pages' build (lib/web-build.ts) as a phone meets it: index.html names one script and one
 * stylesheet that exist, the first view's script fetches nothing else before it runs, the
 * console, the volunteers' page and English are elsewhere, and the names change with the content
 * only (built twice, the same files).
 */
const root = resolve(__dirname, '../../..');
const dirs: string[] = [];
let first: WebBuild;
let second: WebBuild;

beforeAll(async () => {
  for (let i = 0; i < 2; i += 1) dirs.push(mkdtempSync(join(tmpdir(), 'linli-web-')));
  first = await buildWeb(root, dirs[0]);
  second = await buildWeb(root, dirs[1]);
}, 60_000);
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const read = (file: string) => readFileSync(join(first.dir, file), 'utf8');

it('names in index.html the one script and the stylesheet it built, with the settings block and the icon inside the page', () => {
  const page = read('index.html');
  const scripts = [...page.matchAll(/<script type="module" src="\.\/([^"]+)"/g)].map((match) => match[1]);
  expect(scripts).toEqual([first.script]);
  expect([...page.matchAll(/<link rel="stylesheet" href="\.\/([^"]+)"/g)].map((match) => match[1])).toEqual([first.stylesheet]);
  expect(first.files).toEqual(expect.arrayContaining([first.script, first.stylesheet]));
  expect(page).toMatch(/<script type="application\/json" id="linli-config">\{[^<]*\}<\/script>/);
  expect(page).toMatch(/<link rel="icon" href="data:image\/svg\+xml,%3Csvg/);
  expect(page).not.toMatch(/config\.js|modulepreload/);
});

it('puts the events list and the Chinese words in the first script, which imports nothing before it runs', () => {
  const app = read(first.script);
  expect(app).not.toMatch(/^import[\s{*]|[;}\n]import\s*[{*]|[;}\n]import\s*"[^"]+"/m);
  expect(app).toContain("eventsTitle:\"近期活动\""); // the Chinese table's heading of the events list
  // Other views' words (English, the console's) are not in it: they come with their own chunks.
  expect(app).not.toContain('Sign up');
  expect(app).not.toContain('邻里 · 组织者');
  const chunks = readdirSync(join(first.dir, 'assets')).filter((file) => file.endsWith('.js'));
  for (const lazy of ['console', 'volunteer', 'register', 'en', 'console-zh']) {
    expect(chunks.some((file) => file.startsWith(`${lazy}-`))).toBe(true);
  }
});

it('names each file by its content: the same sources build the same files', () => {
  expect(second.files).toEqual(first.files);
  expect(readFileSync(join(second.dir, second.script), 'utf8')).toBe(read(first.script));
});
