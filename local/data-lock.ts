import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

interface LockOwner {
  pid: number;
  dynamodbEndpoint: string;
  apiUrl?: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * DynamoDB Local keeps `.data/` in one SQLite file that two emulators must never open at once.
 * The first `npm start` takes this lock; a second one is refused and told how to share the
 * first one's database instead. A lock left by a dead process is taken over.
 */
export function acquireDataLock(dataDir: string, owner: LockOwner): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'linli.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: LockOwner | undefined;
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
      } catch {
        holder = undefined;
      }
      if (holder && isAlive(holder.pid)) {
        throw new Error(
          `Another Linli (pid ${holder.pid}) is using ${dataDir} with DynamoDB Local at ${holder.dynamodbEndpoint}.\n` +
            `To run a second server on the same data, share its database:\n` +
            `  DYNAMODB_ENDPOINT=${holder.dynamodbEndpoint} PORT=3001 npm start`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock on ${dataDir}`);
}

/** Records where the running API is, once it listens (for the refusal message above). */
export function updateDataLock(dataDir: string, owner: LockOwner): void {
  const file = join(dataDir, 'linli.lock');
  try {
    const fd = openSync(file, 'w');
    writeSync(fd, JSON.stringify(owner));
    closeSync(fd);
  } catch {
    // The lock is advisory text; the file's existence is what guards the data.
  }
}
