import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { config } from './config';
import { secretString } from './secrets';

/**
 * Encryption of credentials organisers store in settings (a 企业微信 robot's key): AES-256-GCM
 * under a key derived from a Secrets Manager secret on AWS (`SETTINGS_KEY_SECRET_ARN`, readable
 * by the organiser and jobs functions only) or from a file under `.data/` in the local runtime.
 * The table holds only the sealed value, so a table export or backup does not reveal a key that
 * lets anyone post into an organisers' group.
 */
async function keyMaterial(): Promise<Buffer> {
  const { settingsKeySecretArn, settingsKey } = config();
  const source = settingsKeySecretArn ? await secretString(settingsKeySecretArn) : settingsKey;
  if (!source) throw new Error('No settings key: set SETTINGS_KEY_SECRET_ARN (AWS) or SETTINGS_KEY (local)');
  return createHash('sha256').update(`linli settings v1\n${source}`).digest();
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url. */
export async function sealSetting(plain: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await keyMaterial(), iv);
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export async function openSetting(sealed: string): Promise<string> {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('Not a sealed setting');
  const decipher = createDecipheriv('aes-256-gcm', await keyMaterial(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
