import type { RunningDynamo } from '../../local/dynamodb';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __linliDynamo?: RunningDynamo }).__linliDynamo?.stop();
}
