/**
 * `npm start`: the whole of Linli on this machine, with no AWS account.
 * DynamoDB Local (data under .data/), the HTTP API on PORT, the scheduled jobs, the web forms.
 */
import { resolve } from 'node:path';
import * as clock from '../functions/clock';
import { jobs } from '../functions/jobs';
import { startLocalRuntime } from '../local/runtime';
import { buildWeb } from '../lib/web-build';

async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  // The pages as they are deployed (one script for the first view, content-named files): built from web/ now.
  const web = await buildWeb(root, undefined, { reuse: true });
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = process.env.LINLI_DATA_DIR ?? '.data';
  const runtime = await startLocalRuntime({
    dataDir: resolve(root, dataDir),
    port,
    host: process.env.HOST ?? '127.0.0.1',
    tableName: process.env.TABLE_NAME ?? 'linli',
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    schedule: true,
    webDir: web.dir,
  });
  const lines = [
    '',
    `Linli is running.`,
    `  API          ${runtime.url}   (health: ${runtime.url}/health)`,
    `  OpenAPI      ${runtime.url}/openapi.json`,
    `  Web forms    ${runtime.url}/`,
    `  DynamoDB     ${runtime.dynamodbEndpoint}   (data in ${dataDir.replace(/\/?$/, '/')})`,
    `  Jobs         ${jobs.length ? jobs.map((job) => `${job.name} every ${job.everyMinutes} min`).join(', ') : 'none yet'}; run one: POST ${runtime.url}/_local/jobs/<name>`,
    ...(clock.clockOffsetMs() ? [`  Clock        ${clock.nowIso()} (LINLI_NOW), running on from there; the pages use the browser's own clock`] : []),
    `  Organiser token:  npm run --silent token -- organiser <communityId>`,
    '',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Linli…`);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  console.error(`Linli did not start: ${error.message}`);
  process.exit(1);
});
