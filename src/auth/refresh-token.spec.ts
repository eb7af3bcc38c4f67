import { describe, expect, it } from '@jest/globals';
import { formatRefreshToken, hashRefreshSecret, newRefreshSecret, parseRefreshToken } from './refresh-token.js';

describe('refresh tokens', () => {
  const sessionId = '2b1f7c1e-8d4a-4f7e-9a51-3c2d1e0f9a8b';

  it('round-trips the session id and secret', () => {
    const secret = newRefreshSecret();
    expect(parseRefreshToken(formatRefreshToken({ sessionId, secret }))).toEqual({ sessionId, secret });
  });

  it('makes a fresh 256-bit secret every time', () => {
    const a = newRefreshSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newRefreshSecret()).not.toEqual(a);
  });

  it.each(['', 'no-dot', `${sessionId}.`, `.secret`, `not-a-uuid.secret`, `${sessionId}.a.b`])('refuses %p', (raw) => {
    expect(parseRefreshToken(raw)).toBeUndefined();
  });

  it('stores a hash, not the secret', () => {
    expect(hashRefreshSecret('s')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshSecret('s')).not.toEqual(hashRefreshSecret('t'));
  });
});
