import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config.js';

const SECRET = 'a-secret-that-is-long-enough-for-tests-000';

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const config = loadConfig({ JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: undefined,
      accessTokenTtlSeconds: 900,
      loginMaxAttempts: 5,
      loginLockMinutes: 15,
      corsOrigins: [],
      bootstrapAdmin: undefined,
    });
    expect(config.dataDir).toBe(join(process.cwd(), 'data'));
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a whole number/],
    [{ PORT: '70000' }, /^PORT/],
    [{ DB_POOL_SIZE: '0' }, /^DB_POOL_SIZE/],
    [{ ACCESS_TOKEN_TTL_SECONDS: '3600' }, /^ACCESS_TOKEN_TTL_SECONDS must be a whole number from 30 to 900/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV must be one of/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL/],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL/],
    [{ TRUST_PROXY: 'maybe; drop' }, /^TRUST_PROXY/],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'a@example.org' }, /BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD/],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'a@example.org', BOOTSTRAP_ADMIN_PASSWORD: 'short' }, /^BOOTSTRAP_ADMIN_PASSWORD must be at least 12/],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET must be at least 32/],
  ])('names the bad variable in one line: %j', (env, message) => {
    const load = () => loadConfig({ JWT_SECRET: SECRET, ...env });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) })).toThrow(
      'JWT_SECRET is required when NODE_ENV=production',
    );
  });

  it('generates a development secret once and keeps it under DATA_DIR, readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir }).jwtSecret;
    const second = loadConfig({ DATA_DIR: dir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o077).toBe(0);
  });

  it.each([
    ['', false],
    ['false', false],
    ['1', 1],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
    ['loopback', 'loopback'],
  ])('reads TRUST_PROXY=%p as %p', (raw, expected) => {
    expect(loadConfig({ JWT_SECRET: SECRET, TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each(['true', 'TRUE', ' true ', '*', 'all', '0.0.0.0/0', '::/0', '0.0.0.0/0.0.0.0', '10.0.0.0/8, 0.0.0.0/0'])(
    'refuses TRUST_PROXY=%p, which would believe any client and switch off the sign-in rate limit',
    (raw) => {
      const load = () => loadConfig({ JWT_SECRET: SECRET, TRUST_PROXY: raw });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(/^TRUST_PROXY must not believe every client/);
    },
  );

  it('reads CORS origins as a list', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });
});
