/**
 * The API under load, in a process of its own (as on AWS, where API Gateway and Lambda are not
 * the client): the local runtime's HTTP server and the real handlers, against the DynamoDB Local
 * that bench/run.ts started. Logs at INFO to stdout (which the parent discards), as on Lambda.
 *
 * Started by bench/run.ts with fork(); talks over IPC:
 *   → { type: 'ready', url, signingKey }
 *   ← { type: 'counts' }  → { type: 'counts', counts }   DynamoDB requests by command since the last ask
 *   ← { type: 'contention' }  → { type: 'contention', contention }   with DYNAMODB_CONTENTION=aws: the layer's counts so far
 *   ← { type: 'stop' }
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime } from '../local/runtime';
import { dynamo } from '../functions/store/client';
import { CapacityRecorder } from './lib/capacity';

const endpoint = process.env.BENCH_DYNAMODB_ENDPOINT;
const tableName = process.env.BENCH_TABLE_NAME;
if (!endpoint || !tableName || !process.send) throw new Error('bench/server.ts is started by bench/run.ts');

const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-server-'));
const runtime = await startLocalRuntime({ dataDir, port: 0, tableName, dynamodbEndpoint: endpoint });
const recorder = new CapacityRecorder();
recorder.install(dynamo());
recorder.mode = 'count';

process.on('message', async (message: { type: string }) => {
  if (message.type === 'counts') process.send!({ type: 'counts', counts: recorder.takeCounts() });
  if (message.type === 'contention') process.send!({ type: 'contention', contention: runtime.contention ? { ...runtime.contention } : null });
  if (message.type === 'stop') {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready', url: runtime.url, signingKey: runtime.signingKey });
