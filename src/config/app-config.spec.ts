import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config.js';
import { KNOWN_SECRETS } from './known-secrets.js';

const SECRET = 'a-secret-that-is-long-enough-for-tests-000';

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const config = loadConfig({ JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: undefined,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlHours: 12,
      sessionMaxHours: 12,
      loginMaxAttempts: 5,
      loginLockMinutes: 15,
      loginSlowdownAfter: 10,
      loginSlowdownMaxSeconds: 60,
      loginAccountLockAfter: 100,
      unlockLinkMinutes: 30,
      corsOrigins: [],
      bootstrapAdmin: undefined,
    });
    expect(config.dataDir).toBe(join(process.cwd(), 'data'));
    expect(config.clientRateLimitPerMinute).toBe(300);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
  });

  it('takes the public page’s address without a trailing slash, keeping a path', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, PUBLIC_BASE_URL: 'https://dhr.example.org/' }).publicBaseUrl).toBe('https://dhr.example.org');
    expect(loadConfig({ JWT_SECRET: SECRET, PUBLIC_BASE_URL: 'https://example.org/dhr/' }).publicBaseUrl).toBe('https://example.org/dhr');
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a whole number/],
    [{ PORT: '70000' }, /^PORT/],
    [{ DB_POOL_SIZE: '0' }, /^DB_POOL_SIZE/],
    [{ DB_CONNECT_TIMEOUT_MS: '50' }, /^DB_CONNECT_TIMEOUT_MS must be a whole number from 100/],
    [{ DB_QUERY_TIMEOUT_MS: 'soon' }, /^DB_QUERY_TIMEOUT_MS must be a whole number/],
    [{ ACCESS_TOKEN_TTL_SECONDS: '3600' }, /^ACCESS_TOKEN_TTL_SECONDS must be a whole number from 30 to 900/],
    [{ SESSION_MAX_HOURS: '0' }, /^SESSION_MAX_HOURS must be a whole number from 1 to 720/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV must be one of/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL/],
    [{ PUBLIC_BASE_URL: 'ftp://dhr.example.org' }, /^PUBLIC_BASE_URL/],
    [{ PUBLIC_BASE_URL: 'https://dhr.example.org/?a=1' }, /^PUBLIC_BASE_URL/],
    [{ PUBLIC_BASE_URL: 'dhr.example.org' }, /^PUBLIC_BASE_URL/],
    [{ CLIENT_RATE_LIMIT_PER_MINUTE: '0' }, /^CLIENT_RATE_LIMIT_PER_MINUTE/],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL/],
    [{ MIGRATION_DATABASE_URL: 'postgres://dhr_owner@db/dhr' }, /^MIGRATION_DATABASE_URL needs DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://dhr_app@db/dhr', MIGRATION_DATABASE_URL: 'mysql://x' }, /^MIGRATION_DATABASE_URL must be a postgres/],
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

  it.each(KNOWN_SECRETS.map((secret) => [secret]))('refuses the secret %p, committed in this repository, in production', (secret) => {
    const load = () => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/^JWT_SECRET is an example secret published in the repository/);
    // outside production the examples still work: the tests and the benchmark use them
    expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: secret }).jwtSecret).toBe(secret);
  });

  it('refuses in production the default secret docker-compose.yml used to carry', () => {
    const load = () => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'local-only-secret-change-me-0123456789abcdef' });
    expect(load).toThrow(/^JWT_SECRET is an example secret published in the repository/);
  });

  it('starts in production with a secret of its own', () => {
    const secret = randomBytes(32).toString('base64url');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).jwtSecret).toBe(secret);
  });

  it('lists every secret committed in the repository among the secrets production refuses', () => {
    // a JWT_SECRET given a value (JWT_SECRET: '…', JWT_SECRET=…, ${JWT_SECRET:-…}), and any quoted
    // secret-looking string long enough to pass as one (const SECRET = 'a-secret-…')
    const assignment = /JWT_SECRET['"]?\s*(?::-|[:=])\s*['"]?([^'"\s,;})$]+)/g;
    const quoted = /['"`]([\w.~+/=-]*secret[\w.~+/=-]*)['"`]/gi;
    const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file && !file.endsWith('package-lock.json') && !file.endsWith('known-secrets.ts'));
    const found = new Map<string, string>();
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue; // a tracked file deleted in the working tree
      }
      for (const match of [...text.matchAll(assignment), ...text.matchAll(quoted)]) {
        const value = match[1];
        // shorter values are refused anyway, and references ($…) are never captured
        if (value.length < 32) continue;
        found.set(value, file);
      }
    }
    expect(found.size).toBeGreaterThan(0);
    const unlisted = [...found].filter(([value]) => !KNOWN_SECRETS.includes(value)).map(([value, file]) => `${file}: ${value}`);
    expect(unlisted).toEqual([]);
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
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1/32']],
    ['loopback', ['127.0.0.0/8', '0:0:0:0:0:0:0:1/128']],
  ])('reads TRUST_PROXY=%p as %p', (raw, expected) => {
    expect(loadConfig({ JWT_SECRET: SECRET, TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  // many more, generated, in trust-proxy.spec.ts
  it.each(['true', 'TRUE', ' true ', '*', 'all', '1', '0.0.0.0/0', '::/0', '0.0.0.0/0.0.0.0', '10.0.0.0/8, 0.0.0.0/0', '0.0.0.0/1,128.0.0.0/1,::/1,8000::/1'])(
    'refuses TRUST_PROXY=%p, which would believe clients anywhere and switch off the sign-in limits',
    (raw) => {
      const load = () => loadConfig({ JWT_SECRET: SECRET, TRUST_PROXY: raw });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(/^TRUST_PROXY must not believe clients outside private, loopback and link-local addresses/);
    },
  );

  it('takes a backup encryption key of exactly 32 bytes in base64, and refuses every other', () => {
    const key = randomBytes(32);
    expect(loadConfig({ JWT_SECRET: SECRET }).backupEncryptionKey).toBeUndefined();
    expect(loadConfig({ JWT_SECRET: SECRET, BACKUP_ENCRYPTION_KEY: key.toString('base64') }).backupEncryptionKey?.equals(key)).toBe(true);
    const refused = [
      randomBytes(16).toString('base64'),
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(64).toString('base64'),
      key.toString('hex'),
      key.toString('base64url'),
      key.toString('base64').replace(/=$/, ''),
      key.toString('base64').slice(0, 20) + ' ' + key.toString('base64').slice(20),
      'correct horse battery staple, which is not base64 at all',
      '%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%=',
    ];
    for (const value of refused) {
      expect(() => loadConfig({ JWT_SECRET: SECRET, BACKUP_ENCRYPTION_KEY: value })).toThrow(/BACKUP_ENCRYPTION_KEY must be 32 bytes in base64/);
    }
  });

  it('takes the commencement of the 2024 regime as a date, unset meaning a draft, and refuses anything else', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).milestones.dardrCommencementDate).toBeNull();
    expect(loadConfig({ JWT_SECRET: SECRET, DARDR_COMMENCEMENT_DATE: '' }).milestones.dardrCommencementDate).toBeNull();
    expect(loadConfig({ JWT_SECRET: SECRET, DARDR_COMMENCEMENT_DATE: ' 2027-04-01 ' }).milestones.dardrCommencementDate).toBe('2027-04-01');
    for (const bad of ['2027-02-30', '1 April 2027', '2027-4-1', '2027-04-01T00:00:00Z', 'yes']) {
      expect(() => loadConfig({ JWT_SECRET: SECRET, DARDR_COMMENCEMENT_DATE: bad })).toThrow(
        new ConfigError(`DARDR_COMMENCEMENT_DATE must be a date such as 2027-04-01, or unset (got "${bad}")`),
      );
    }
  });

  it('reads CORS origins as a list', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });
});
