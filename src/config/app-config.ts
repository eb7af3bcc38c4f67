import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isCalendarDate } from '../common/calendar.js';
import { KNOWN_SECRETS } from './known-secrets.js';
import { parseTrustProxy, TrustProxyError } from './trust-proxy.js';

/**
 * The server's whole configuration, read once from the environment at start.
 * A missing or malformed variable stops the start with one line naming it.
 */
export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The schema owner's connection for the migrations; the API's own (DATABASE_URL) otherwise. */
  migrationDatabaseUrl: string | undefined;
  embeddedPostgresPort: number;
  dbPoolSize: number;
  dbStatementTimeoutMs: number;
  /** How long to wait for a database connection (a free one from the pool, or a new one) before the request fails with 503. */
  dbConnectTimeoutMs: number;
  /** How long to wait for any one query's answer, however the database fails to give one, before 503. */
  dbQueryTimeoutMs: number;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlHours: number;
  /** A session ends this long after sign-in, however often it is refreshed. */
  sessionMaxHours: number;
  /** Wrong passwords in a row from one client address before the account locks for that address. */
  loginMaxAttempts: number;
  /** How long that lock (one account, one address) lasts. */
  loginLockMinutes: number;
  /** Refused sign-ins in a row with one e-mail address, from anywhere, before each further attempt must wait. */
  loginSlowdownAfter: number;
  /** The longest that wait grows to, in seconds. */
  loginSlowdownMaxSeconds: number;
  /** Wrong passwords in a row on one account, from anywhere, before only an unlock link (or an admin) lets anyone sign in to it. */
  loginAccountLockAfter: number;
  /** How long an e-mailed unlock link works. */
  unlockLinkMinutes: number;
  authRateLimitPerMinute: number;
  /** Requests per client address per minute from nobody signed in: public routes and refused tokens. */
  anonymousRateLimitPerMinute: number;
  /** Calls per REST client per minute, whatever address they come from. */
  clientRateLimitPerMinute: number;
  /**
   * Refusals (403, and 404 out of scope) of one signed-in person or REST
   * client in a ten-minute window before every request of theirs answers 429
   * until the window ends (docs/security.md, "Format characters and repeated refusals").
   */
  refusalLimitPer10Minutes: number;
  /** The address the public page's links are made from (the Atom feed's); no Host header is trusted for them. */
  publicBaseUrl: string;
  corsOrigins: string[];
  /** Express' trust proxy: false, or the proxies' subnets, each inside private, loopback or link-local space. */
  trustProxy: false | string[];
  jsonBodyLimit: string;
  /** The largest document upload, in bytes (413 beyond). */
  documentMaxBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bootstrapAdmin: { email: string; password: string; name: string } | undefined;
  milestones: {
    dueSoonDays: number;
    familyContactMonths: number;
    homeOfficeSubmissionMonths: number;
    statutoryCopyMonths: number;
    /** When VPA 2024 s.19 commenced (the dardr-2024 regime is law from then), or null while it has not: a draft. */
    dardrCommencementDate: string | null;
  };
  /** Cron expression (Europe/London) for the daily sweep, or undefined when switched off. */
  sweepCron: string | undefined;
  mail: { smtpUrl: string; from: string; intervalSeconds: number; maxAttempts: number } | undefined;
  /** The largest chronology file accepted, in bytes (413 beyond). */
  chronologyMaxBytes: number;
  /** The most rows one chronology may hold (422 beyond). */
  chronologyMaxRows: number;
  /** The AES-256 key backups are encrypted with and restores decrypt with; none leaves archives unencrypted (README, "Backup and restore"). */
  backupEncryptionKey: Buffer | undefined;
  /** The most an XLSX or DOCX upload's parts may inflate to, each and all together (413 beyond). */
  uploadMaxInflatedBytes: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const NODE_ENVS = ['development', 'test', 'production'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const MIN_PASSWORD_LENGTH = 12;
const MAX_ACCESS_TOKEN_TTL_SECONDS = 900;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

/** A calendar date, YYYY-MM-DD, or null when unset. */
function dateVar(env: Env, name: string): string | null {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return null;
  if (!isCalendarDate(raw)) throw new ConfigError(`${name} must be a date such as 2027-04-01, or unset (got "${raw}")`);
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

/** TRUST_PROXY as the subnets to believe (see trust-proxy.ts), its refusal as a ConfigError. */
function trustProxyVar(env: Env): AppConfig['trustProxy'] {
  try {
    return parseTrustProxy(env.TRUST_PROXY ?? '');
  } catch (error) {
    if (error instanceof TrustProxyError) throw new ConfigError(error.message);
    throw error;
  }
}

function sweepCronVar(env: Env, nodeEnv: AppConfig['nodeEnv']): string | undefined {
  const raw = env.SWEEP_CRON ?? (nodeEnv === 'test' ? 'off' : '0 6 * * *');
  if (raw === 'off') return undefined;
  if (raw.trim().split(/\s+/).length < 5 || raw.trim().split(/\s+/).length > 6) {
    throw new ConfigError(`SWEEP_CRON must be a cron expression such as "0 6 * * *", or off (got "${raw}")`);
  }
  return raw.trim();
}

function mailVars(env: Env): AppConfig['mail'] {
  const smtpUrl = env.SMTP_URL;
  if (!smtpUrl) return undefined;
  if (!/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL');
  return {
    smtpUrl,
    from: env.MAIL_FROM || 'DHR case management <no-reply@localhost>',
    intervalSeconds: intVar(env, 'MAIL_INTERVAL_SECONDS', 30, 1, 3600),
    maxAttempts: intVar(env, 'MAIL_MAX_ATTEMPTS', 8, 1, 50),
  };
}

/** An absolute http(s) address with no path, query or fragment; a trailing slash is dropped. */
function publicBaseUrlVar(env: Env): string {
  const raw = (env.PUBLIC_BASE_URL ?? '').trim();
  if (raw === '') return `http://localhost:${intVar(env, 'PORT', 3000, 0, 65535)}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL must be an absolute http or https address (got "${raw}")`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`PUBLIC_BASE_URL must be an absolute http or https address with no query, fragment or credentials (got "${raw}")`);
  }
  return url.toString().replace(/\/+$/, '');
}

function databaseUrlVar(env: Env, name = 'DATABASE_URL'): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a postgres:// connection URL`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must be a postgres:// connection URL`);
  }
  return raw;
}

function migrationDatabaseUrlVar(env: Env): string | undefined {
  const url = databaseUrlVar(env, 'MIGRATION_DATABASE_URL');
  if (url && !databaseUrlVar(env)) throw new ConfigError('MIGRATION_DATABASE_URL needs DATABASE_URL (the role the API connects as)');
  return url;
}

function bootstrapAdminVars(env: Env): AppConfig['bootstrapAdmin'] {
  const email = env.BOOTSTRAP_ADMIN_EMAIL;
  const password = env.BOOTSTRAP_ADMIN_PASSWORD;
  if (!email && !password) return undefined;
  if (!email || !password) {
    throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL must be an e-mail address');
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ConfigError(`BOOTSTRAP_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  return { email, password, name: env.BOOTSTRAP_ADMIN_NAME || 'SDP administrator' };
}

/**
 * In production the secret must be given, and must not be one of the
 * examples committed to the repository (KNOWN_SECRETS). Elsewhere one is generated on first
 * start and kept under DATA_DIR, so tokens survive a restart of a dev server.
 */
function jwtSecretVar(env: Env, nodeEnv: AppConfig['nodeEnv'], dataDir: string): string {
  const given = env.JWT_SECRET;
  if (given) {
    if (given.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');
    if (nodeEnv === 'production' && KNOWN_SECRETS.includes(given.trim())) {
      throw new ConfigError('JWT_SECRET is an example secret published in the repository: generate one, e.g. openssl rand -base64 48');
    }
    return given;
  }
  if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/**
 * BACKUP_ENCRYPTION_KEY: 32 random bytes in standard base64 (`openssl rand
 * -base64 32`). Anything else stops the start: a key that silently became
 * shorter or different would make archives nobody can open.
 */
function backupEncryptionKeyVar(env: Env): Buffer | undefined {
  const raw = (env.BACKUP_ENCRYPTION_KEY ?? '').trim();
  if (raw === '') return undefined;
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || key.toString('base64') !== raw) {
    throw new ConfigError('BACKUP_ENCRYPTION_KEY must be 32 bytes in base64, e.g. the output of openssl rand -base64 32');
  }
  return key;
}

/** The milestone settings alone: the milestone-state migration reads them too. */
export function milestoneSettingsVars(env: Env = process.env): AppConfig['milestones'] {
  return {
    dueSoonDays: intVar(env, 'MILESTONE_DUE_SOON_DAYS', 14, 0, 365),
    familyContactMonths: intVar(env, 'FAMILY_CONTACT_MONTHS', 1, 0, 24),
    homeOfficeSubmissionMonths: intVar(env, 'HOME_OFFICE_SUBMISSION_MONTHS', 1, 0, 24),
    statutoryCopyMonths: intVar(env, 'STATUTORY_COPY_MONTHS', 1, 0, 24),
    dardrCommencementDate: dateVar(env, 'DARDR_COMMENCEMENT_DATE'),
  };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', NODE_ENVS, 'development');
  const dataDir = resolve(env.DATA_DIR || './data');
  return {
    nodeEnv,
    port: intVar(env, 'PORT', 3000, 0, 65535),
    dataDir,
    databaseUrl: databaseUrlVar(env),
    migrationDatabaseUrl: migrationDatabaseUrlVar(env),
    embeddedPostgresPort: intVar(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    dbPoolSize: intVar(env, 'DB_POOL_SIZE', 10, 1, 200),
    dbStatementTimeoutMs: intVar(env, 'DB_STATEMENT_TIMEOUT_MS', 15000, 100, 600000),
    dbConnectTimeoutMs: intVar(env, 'DB_CONNECT_TIMEOUT_MS', 30000, 100, 600000),
    dbQueryTimeoutMs: intVar(env, 'DB_QUERY_TIMEOUT_MS', 20000, 100, 600000),
    jwtSecret: jwtSecretVar(env, nodeEnv, dataDir),
    accessTokenTtlSeconds: intVar(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, MAX_ACCESS_TOKEN_TTL_SECONDS),
    refreshTokenTtlHours: intVar(env, 'REFRESH_TOKEN_TTL_HOURS', 12, 1, 24 * 30),
    sessionMaxHours: intVar(env, 'SESSION_MAX_HOURS', 12, 1, 24 * 30),
    loginMaxAttempts: intVar(env, 'LOGIN_MAX_ATTEMPTS', 5, 1, 100),
    loginLockMinutes: intVar(env, 'LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    loginSlowdownAfter: intVar(env, 'LOGIN_SLOWDOWN_AFTER', 10, 1, 1000),
    loginSlowdownMaxSeconds: intVar(env, 'LOGIN_SLOWDOWN_MAX_SECONDS', 60, 1, 3600),
    loginAccountLockAfter: intVar(env, 'LOGIN_ACCOUNT_LOCK_AFTER', 100, 1, 100000),
    unlockLinkMinutes: intVar(env, 'UNLOCK_LINK_MINUTES', 30, 5, 24 * 60),
    authRateLimitPerMinute: intVar(env, 'AUTH_RATE_LIMIT_PER_MINUTE', 20, 1, 100000),
    anonymousRateLimitPerMinute: intVar(env, 'ANONYMOUS_RATE_LIMIT_PER_MINUTE', 120, 1, 1000000),
    clientRateLimitPerMinute: intVar(env, 'CLIENT_RATE_LIMIT_PER_MINUTE', 300, 1, 1000000),
    refusalLimitPer10Minutes: intVar(env, 'REFUSAL_LIMIT_PER_10_MINUTES', 30, 1, 1000000),
    publicBaseUrl: publicBaseUrlVar(env),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: trustProxyVar(env),
    jsonBodyLimit: env.JSON_BODY_LIMIT || '100kb',
    documentMaxBytes: intVar(env, 'DOCUMENT_MAX_BYTES', 20 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    bootstrapAdmin: bootstrapAdminVars(env),
    milestones: milestoneSettingsVars(env),
    sweepCron: sweepCronVar(env, nodeEnv),
    mail: mailVars(env),
    chronologyMaxBytes: intVar(env, 'CHRONOLOGY_MAX_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    chronologyMaxRows: intVar(env, 'CHRONOLOGY_MAX_ROWS', 100000, 1, 10000000),
    backupEncryptionKey: backupEncryptionKeyVar(env),
    uploadMaxInflatedBytes: intVar(env, 'UPLOAD_MAX_INFLATED_BYTES', 200 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024),
  };
}

/** The injection token under which the loaded configuration is provided. */
export const APP_CONFIG = Symbol('APP_CONFIG');
