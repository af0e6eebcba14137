import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

/** How long a secret's value is kept in the process before it is fetched again (a rotation takes at most this long). */
const SECRET_MAX_AGE_SECONDS = 300;

/**
 * A secret's string from AWS Secrets Manager, through Powertools Parameters (cached for five
 * minutes per process). Credentials and keys reach functions this way only, never as environment
 * variables or in the template; the local runtime and tests pass local stand-ins instead.
 */
export async function secretString(arn: string): Promise<string> {
  const value = await getSecret(arn, { maxAge: SECRET_MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value === '') throw new Error('Secret has no string value');
  return value;
}

/** A secret holding JSON, parsed. */
export async function secretJson<T>(arn: string): Promise<T> {
  return JSON.parse(await secretString(arn)) as T;
}
