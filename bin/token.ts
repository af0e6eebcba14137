/**
 * `npm run --silent token -- organiser <communityId>`: prints an organiser JWT that the local
 * server accepts, signed with the key under .data/ and carrying the claims Cognito would issue.
 */
import { resolve } from 'node:path';
import { communityIdSchema } from '../functions/routes/schemas';
import { loadOrCreateSigningKey, signOrganiserToken } from '../local/jwt';

async function main(): Promise<void> {
  const [kind, communityId] = process.argv.slice(2);
  if (kind !== 'organiser' || !communityId || !communityIdSchema.safeParse(communityId).success) {
    console.error('usage: npm run --silent token -- organiser <communityId>   (communityId: 2–40 of a-z, 0-9, -)');
    process.exit(2);
  }
  const dataDir = resolve(import.meta.dirname, '..', process.env.LINLI_DATA_DIR ?? '.data');
  const key = await loadOrCreateSigningKey(dataDir);
  process.stdout.write(`${await signOrganiserToken(key, communityId, { expiresIn: process.env.TOKEN_TTL ?? '12h' })}\n`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
