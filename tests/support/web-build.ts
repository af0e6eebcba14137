import { resolve } from 'node:path';
import { buildWeb } from '../../lib/web-build';

/**
 * The pages as the local server and the stack serve them (dist/web, lib/web-build.ts), built once
 * per `jest` run before any suite that serves or deploys them: the browser, infra and
 * fixed-instant projects. Jest runs every project's global set-up in its one parent process, so
 * the environment says whether this run has built them already.
 */
export default async function buildWebOnce(): Promise<void> {
  if (process.env.LINLI_WEB_BUILT) return;
  await buildWeb(resolve(__dirname, '../..'), undefined, { reuse: true });
  process.env.LINLI_WEB_BUILT = '1';
}
