import { createHash, randomBytes } from 'node:crypto';

/**
 * A refresh token is `<session id>.<secret>`. Only a SHA-256 of the secret is
 * stored: the secret has 256 bits of entropy, so a slow hash adds nothing.
 */
export interface RefreshToken {
  sessionId: string;
  secret: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newRefreshSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatRefreshToken(token: RefreshToken): string {
  return `${token.sessionId}.${token.secret}`;
}

export function parseRefreshToken(raw: string): RefreshToken | undefined {
  const [sessionId, secret, ...rest] = raw.split('.');
  if (rest.length > 0 || !sessionId || !secret || !UUID.test(sessionId)) return undefined;
  return { sessionId, secret };
}

export function hashRefreshSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
