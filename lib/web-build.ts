/**
 * The pages as phones get them, from web/ into dist/web/ (`npm run build:web`; `npm start`, the
 * tests and `cdk synth` build them first).
 *
 * A resident opening a festival link on a slow phone network waits for every round trip before the
 * event list appears, so the first view comes in as few requests as there can be: the page (with the
 * site's settings in it), its stylesheet, one script, and the community's data. Rollup bundles
 * app.js with everything it imports statically (the events list, the Chinese words) into one
 * `assets/app-<hash>.js`, and every other view (the sign-up form, the volunteers' page, the
 * console, English) into chunks fetched the first time they are opened; a chunk imports what the
 * first view has already loaded from `app-<hash>.js` rather than from a shared chunk of its own,
 * which is why Rollup (not esbuild, whose splitting moves shared code into extra chunks that the
 * first view would then fetch). esbuild minifies each chunk.
 *
 * Every file under assets/ is named by its content, so CloudFront and phones may keep it for a year
 * (lib/constructs/web.ts); index.html, which names them, is never cached without asking.
 *
 * The source in web/ still runs as it is (ES modules, one file each), for reading and debugging.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform, version as esbuildVersion } from 'esbuild';
import { rollup, VERSION as rollupVersion, type Plugin } from 'rollup';

/** The pages' source and where they are built, relative to the project's root. */
export const WEB_SOURCE = 'web';
export const WEB_BUILD = join('dist', 'web');
/** Where the content-named files go, under the build directory and on the site. */
export const ASSETS = 'assets';
/** The files of web/'s top level copied as they are (index.html is rewritten; app.js and styles.css become assets; the icon goes into the page, and stays a file for anything that asks for it by name). */
const COPIED = ['favicon.svg'];

/** Minified by esbuild, with a source map Rollup chains to the sources. */
const minify: Plugin = {
  name: 'minify',
  async renderChunk(code) {
    // UTF-8 as it is: a Chinese character is 3 bytes, where an escape (\u8FD1) is 6.
    const result = await transform(code, { minify: true, format: 'esm', target: 'es2022', charset: 'utf8', sourcemap: 'external', legalComments: 'inline' });
    return { code: result.code, map: result.map };
  },
};

/** The first eight characters of a file's SHA-256, URL-safe: its name changes when, and only when, it does. */
function contentHash(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('base64url').slice(0, 8);
}

/** `html` with `from` replaced by `to`, which must occur exactly once (a build that silently missed a tag would ship a broken page). */
function replaceOnce(html: string, from: string, to: string): string {
  const at = html.indexOf(from);
  if (at < 0 || html.indexOf(from, at + 1) >= 0) throw new Error(`web/index.html must contain ${from} exactly once`);
  return html.slice(0, at) + to + html.slice(at + from.length);
}

/** index.html's data block the pages read their settings from (web/js/site-config.js). */
const CONFIG_BLOCK = /(<script type="application\/json" id="linli-config">)([^<]*)(<\/script>)/;

/**
 * `page` (the built index.html) with `settings` in its data block. `<` is written `\u003c`, so no
 * value can close the script element; the block must be there (a page without it could not be
 * configured, and would call the wrong API).
 */
export function withSiteConfig(page: string, settings: Record<string, unknown>): string {
  if (!CONFIG_BLOCK.test(page)) throw new Error(`index.html has no <script type="application/json" id="linli-config"> block for the site's settings`);
  const json = JSON.stringify(settings).replace(/</g, '\\u003c');
  return page.replace(CONFIG_BLOCK, (_whole, open: string, _old: string, close: string) => `${open}${json}${close}`);
}

export interface WebBuild {
  readonly dir: string;
  /** The first view's one script and its stylesheet, as index.html names them. */
  readonly script: string;
  readonly stylesheet: string;
  /** Every file written, relative to `dir`. */
  readonly files: string[];
}

/**
 * What a build is made from: every file under web/, this file, and the bundlers' versions. The
 * same sources build the same files (names and contents), so a build whose stamp matches is kept.
 */
function sourceStamp(root: string): string {
  const digest = createHash('sha256');
  const sourceDir = join(root, WEB_SOURCE);
  for (const file of readdirSync(sourceDir, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(sourceDir, file);
    if (!statSync(path).isFile()) continue;
    digest.update(`${file}\0`).update(readFileSync(path)).update('\0');
  }
  digest.update(readFileSync(join(root, 'lib', 'web-build.ts'))).update(`rollup ${rollupVersion} esbuild ${esbuildVersion}`);
  return digest.digest('hex');
}

/** Beside the build (not in it, so it is never deployed): its stamp and what it wrote. */
const stampFileOf = (outDir: string) => `${outDir}.stamp.json`;

/**
 * Builds `root`/web into `root`/dist/web (or `outDir`). With `reuse`, a build already there from
 * the same sources is kept as it is (`npm start` and every jest run build first, and several
 * suites may serve the pages at once: an unchanged build is never taken away from under them).
 */
export async function buildWeb(root: string, outDir: string = join(root, WEB_BUILD), { reuse = false } = {}): Promise<WebBuild> {
  const sourceDir = join(root, WEB_SOURCE);
  const stamp = sourceStamp(root);
  if (reuse && existsSync(stampFileOf(outDir))) {
    const previous = JSON.parse(readFileSync(stampFileOf(outDir), 'utf8')) as WebBuild & { stamp: string };
    if (previous.stamp === stamp && previous.files.every((file) => existsSync(join(outDir, file)))) {
      return { dir: outDir, script: previous.script, stylesheet: previous.stylesheet, files: previous.files };
    }
  }
  rmSync(stampFileOf(outDir), { force: true });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, ASSETS), { recursive: true });
  const entry = join(sourceDir, 'app.js');

  const bundle = await rollup({ input: { app: entry }, plugins: [minify], onwarn: (warning) => { throw new Error(`web build: ${warning.message}`); } });
  const { output } = await bundle.write({
    dir: join(outDir, ASSETS),
    format: 'es',
    entryFileNames: '[name]-[hash].js',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
    // Everything app.js imports statically goes into its own file: the first view is one request.
    manualChunks(id, { getModuleInfo }) {
      const firstView = new Set<string>();
      const pending = [entry];
      while (pending.length) {
        const next = pending.pop()!;
        if (firstView.has(next)) continue;
        firstView.add(next);
        pending.push(...(getModuleInfo(next)?.importedIds ?? []));
      }
      return firstView.has(id) ? 'app' : undefined;
    },
  });
  await bundle.close();
  const app = output.find((file) => file.type === 'chunk' && file.isEntry);
  if (!app || app.type !== 'chunk') throw new Error('web build: no entry chunk');
  if (app.imports.length) throw new Error(`web build: the first view would fetch ${app.imports.join(', ')} besides ${app.fileName}`);

  const css = readFileSync(join(sourceDir, 'styles.css'));
  const stylesheet = `${ASSETS}/styles-${contentHash(css)}.css`;
  writeFileSync(join(outDir, stylesheet), css);
  const script = `${ASSETS}/${app.fileName}`;

  let html = readFileSync(join(sourceDir, 'index.html'), 'utf8');
  withSiteConfig(html, {}); // throws when the settings block is missing: the stack could not configure the page
  html = replaceOnce(html, '<link rel="stylesheet" href="./styles.css">', `<link rel="stylesheet" href="./${stylesheet}">`);
  html = replaceOnce(html, '<script type="module" src="./app.js"></script>', `<script type="module" src="./${script}"></script>`);
  // The icon travels inside the page (a data: URL of 175 bytes), so the browser asks for no file of its own on the first view.
  const icon = readFileSync(join(sourceDir, 'favicon.svg'), 'utf8').trim();
  html = replaceOnce(html, '<link rel="icon" href="./favicon.svg" type="image/svg+xml">', `<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(icon)}" type="image/svg+xml">`);
  writeFileSync(join(outDir, 'index.html'), html);
  for (const file of COPIED) copyFileSync(join(sourceDir, file), join(outDir, file));

  const built = { dir: outDir, script, stylesheet, files: ['index.html', ...COPIED, stylesheet, ...output.map((file) => `${ASSETS}/${file.fileName}`)].sort() };
  writeFileSync(stampFileOf(outDir), `${JSON.stringify({ stamp, script, stylesheet, files: built.files }, null, 2)}\n`);
  return built;
}
