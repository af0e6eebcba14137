/**
 * `npm run build:web`: web/ built into dist/web/, as the local server and the stack serve it
 * (lib/web-build.ts says how and why).
 */
import { resolve } from 'node:path';
import { buildWeb } from '../lib/web-build';

const root = resolve(import.meta.dirname, '..');
const started = performance.now();
// --force builds again even when dist/web is from the same sources already.
buildWeb(root, undefined, { reuse: !process.argv.includes('--force') }).then(
  (built) => console.log(`web pages built into ${built.dir.replace(`${root}/`, '')}/ (${built.files.length} files, ${Math.round(performance.now() - started)} ms); first view: ${built.script}, ${built.stylesheet}`),
  (error: Error) => {
    console.error(`web build failed: ${error.message}`);
    process.exit(1);
  },
);
