import { ValidationError } from '../domain/errors';

/**
 * Opaque list cursors: DynamoDB's LastEvaluatedKey, base64url JSON. A cursor is only accepted
 * for the partition it came from, so a crafted one cannot reach another community's items.
 */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | null {
  return lastKey ? Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url') : null;
}

export function decodeCursor(
  cursor: string | undefined,
  expected: Readonly<Record<string, string>>,
  allowedKeys: readonly string[],
  /** Further checks, e.g. that the key lies inside the query's key condition (DynamoDB rejects it otherwise). */
  isWithinQuery: (key: Record<string, string>) => boolean = () => true,
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new ValidationError([{ path: 'query.cursor', message: 'Not a cursor from this list' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalid();
  const record = decoded as Record<string, unknown>;
  const keysGiven = Object.keys(record).sort();
  if (keysGiven.join(',') !== [...allowedKeys].sort().join(',')) throw invalid();
  if (!keysGiven.every((key) => typeof record[key] === 'string' && (record[key] as string).length <= 1024)) throw invalid();
  for (const [key, value] of Object.entries(expected)) if (record[key] !== value) throw invalid();
  if (!isWithinQuery(record as Record<string, string>)) throw invalid();
  return record;
}
