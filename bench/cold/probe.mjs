// One cold start, in a fresh Node process: node probe.mjs <bundle.mjs> <event.json>
// Prints one line "BENCH_PROBE {json}" with the time to import the bundle (module load) and the
// time of the first invocation, in wall-clock milliseconds and in CPU milliseconds (user + system,
// all of the process's threads: less disturbed than wall time by other work on the machine).
// `bootMs` is how long Node itself took to reach this script.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const bootMs = performance.now();
const cpu0 = process.cpuUsage();
const started = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const loaded = performance.now();
const cpu1 = process.cpuUsage();
const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'linli-bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:linli-bench',
  memoryLimitInMB: '512',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: '/aws/lambda/linli-bench',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
let status;
try {
  const result = await mod.handler(event, context);
  status = result && typeof result === 'object' && 'statusCode' in result ? result.statusCode : 'ok';
} catch (error) {
  status = `threw ${error?.name ?? 'error'}`;
}
const invoked = performance.now();
const cpu2 = process.cpuUsage();
const cpuMs = (a, b) => (b.user - a.user + b.system - a.system) / 1000;
process.stdout.write(
  `\nBENCH_PROBE ${JSON.stringify({ bootMs, loadMs: loaded - started, invokeMs: invoked - loaded, loadCpuMs: cpuMs(cpu0, cpu1), invokeCpuMs: cpuMs(cpu1, cpu2), status })}\n`,
);
process.exit(0);
