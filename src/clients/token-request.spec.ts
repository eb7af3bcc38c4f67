import { describe, expect, it } from '@jest/globals';
import { hashClientSecret, newClientId, newClientSecret, secretMatches } from './client-credentials.js';
import { readTokenRequest, triedBasic } from './token-request.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const GRANT = { grant_type: 'client_credentials' };

describe('reading a client-credentials token request', () => {
  it('takes the credentials from the body', () => {
    expect(readTokenRequest({ ...GRANT, client_id: 'dhr_client_a', client_secret: 's3cret' }, undefined)).toEqual({
      clientId: 'dhr_client_a',
      clientSecret: 's3cret',
      scopes: null,
    });
  });

  it('takes them from HTTP Basic, form-decoding each part (RFC 6749 §2.3.1)', () => {
    expect(readTokenRequest(GRANT, basic('dhr_client_a', 'p%3Ass+word'))).toEqual({ clientId: 'dhr_client_a', clientSecret: 'p:ss word', scopes: null });
    expect(readTokenRequest({ ...GRANT, client_id: 'dhr_client_a' }, basic('dhr_client_a', 'x'))).toMatchObject({ clientId: 'dhr_client_a', clientSecret: 'x' });
  });

  it('reads the scopes asked for, space-separated, each once', () => {
    expect(readTokenRequest({ ...GRANT, client_id: 'a', client_secret: 'b', scope: ' reports:read  milestones:read reports:read ' }, undefined)).toMatchObject({
      scopes: ['reports:read', 'milestones:read'],
    });
    expect(readTokenRequest({ ...GRANT, client_id: 'a', client_secret: 'b', scope: '  ' }, undefined)).toMatchObject({ scopes: null });
  });

  it.each([
    ['no grant_type', { client_id: 'a', client_secret: 'b' }, undefined, 'invalid_request'],
    ['another grant', { grant_type: 'password', client_id: 'a', client_secret: 'b' }, undefined, 'unsupported_grant_type'],
    ['a repeated parameter', { ...GRANT, client_id: ['a', 'b'], client_secret: 'b' }, undefined, 'invalid_request'],
    ['a structured parameter', { ...GRANT, client_id: { a: 1 }, client_secret: 'b' }, undefined, 'invalid_request'],
    ['a body that is a list', [GRANT], undefined, 'invalid_request'],
    ['no credentials', GRANT, undefined, 'invalid_client'],
    ['no secret', { ...GRANT, client_id: 'a' }, undefined, 'invalid_client'],
    ['a bearer header instead', { ...GRANT, client_id: 'a' }, 'Bearer abc', 'invalid_client'],
    ['malformed Basic', GRANT, 'Basic ***', 'invalid_client'],
    ['Basic without a colon', GRANT, `Basic ${Buffer.from('justone').toString('base64')}`, 'invalid_client'],
    ['the secret in both places', { ...GRANT, client_secret: 'b' }, basic('a', 'b'), 'invalid_request'],
    ['two different client ids', { ...GRANT, client_id: 'other' }, basic('a', 'b'), 'invalid_request'],
    ['an overlong secret', { ...GRANT, client_id: 'a', client_secret: 'x'.repeat(201) }, undefined, 'invalid_client'],
  ])('refuses %s', (_what, body, authorization, error) => {
    expect(readTokenRequest(body, authorization)).toMatchObject({ error, description: expect.any(String) });
  });

  it('tells when HTTP Basic was tried, whatever the case of the scheme', () => {
    expect(triedBasic('basic abc')).toBe(true);
    expect(triedBasic('Bearer abc')).toBe(false);
    expect(triedBasic(undefined)).toBe(false);
  });
});

describe('client credentials', () => {
  it('are random, and the secret is matched only by its hash', () => {
    const secret = newClientSecret();
    expect(newClientId()).not.toBe(newClientId());
    expect(secret).not.toBe(newClientSecret());
    expect(Buffer.from(secret.replace('dhr_secret_', ''), 'base64url')).toHaveLength(32);
    const stored = hashClientSecret(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(secret + 'x', stored)).toBe(false);
    expect(secretMatches('', stored)).toBe(false);
  });
});
