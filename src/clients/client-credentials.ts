import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A client's credentials. The secret is 256 random bits, so a fast hash
 * is enough to keep it: no one can guess it, whatever the hash costs, and a
 * slow one (argon2) would only make every token request cost the server
 * tens of milliseconds. Only the SHA-256 is stored; the secret is shown once.
 */
const CLIENT_ID_PREFIX = 'dhr_client_';
/** A recognisable prefix, so that secret scanners and people can tell a leaked secret for what it is. */
const SECRET_PREFIX = 'dhr_secret_';

export function newClientId(): string {
  return CLIENT_ID_PREFIX + randomBytes(12).toString('hex');
}

export function newClientSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares hashes in constant time: how much of a wrong secret was right is not told by the time it takes. */
export function secretMatches(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashClientSecret(presented), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Compared against when the client_id is unknown, so that an unknown client takes as long as a wrong secret. */
export const DECOY_SECRET_HASH = hashClientSecret(randomBytes(32).toString('base64url'));
