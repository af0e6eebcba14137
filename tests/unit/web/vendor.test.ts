import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The pages load no script from another host (the CSP forbids it) and have no bundler, so a
 * browser library is copied into web/vendor/ from the npm package that keeps it. The copy must be
 * the installed version's file, byte for byte: `npm update` then a failing test here, never a
 * hand-edited or stale copy (`.js`, an ES module all the same, for the servers' MIME types). Refresh with
 * `cp node_modules/<package>/<file> web/vendor/<name>`.
 */
const ROOT = join(__dirname, '..', '..', '..');
const VENDORED = [{ copy: 'web/vendor/qrcode.js', from: 'node_modules/qrcode-generator/dist/qrcode.mjs' }];

it.each(VENDORED)('$copy is $from as installed', ({ copy, from }) => {
  expect(readFileSync(join(ROOT, copy), 'utf8')).toBe(readFileSync(join(ROOT, from), 'utf8'));
});
