import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { APP_ROLE, OWNER_ROLE, prepareDatabase, urlFor } from './database-roles.js';
import { startEmbeddedPostgres, storedPassword, type EmbeddedDatabase } from './embedded-postgres.js';
import { runMigrations } from './migrate.js';

export interface OpenDatabase {
  /** Where the API connects: the app role, which owns nothing. */
  url: string;
  /** Where the migrations run: the role that owns the schema. */
  migrationUrl: string;
  /** The role the migrations grant the API's privileges to; none when both URLs are one role. */
  appRole: string | undefined;
  /** Set when this process started the embedded server and must stop it. */
  embedded?: EmbeddedDatabase;
}

/** A connection URL's role name. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * DATABASE_URL (and MIGRATION_DATABASE_URL) when given; otherwise the
 * embedded PostgreSQL kept under DATA_DIR, with its two roles made (or
 * repaired) on every start and their passwords kept beside the cluster.
 */
export async function openDatabase(config: AppConfig): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    const migrationUrl = config.migrationDatabaseUrl ?? config.databaseUrl;
    const appRole = roleOf(config.databaseUrl);
    return { url: config.databaseUrl, migrationUrl, appRole: appRole === roleOf(migrationUrl) ? undefined : appRole };
  }
  const dir = join(config.dataDir, 'db');
  const embedded = await startEmbeddedPostgres({
    dir,
    port: config.embeddedPostgresPort,
    // On stderr: the command-line tools keep stdout for their result.
    onWarning: (line) => process.stderr.write(`dhr-backend: ${line}\n`),
  });
  try {
    const owner = { name: OWNER_ROLE, password: storedPassword(dir, OWNER_ROLE) };
    const app = { name: APP_ROLE, password: storedPassword(dir, APP_ROLE) };
    await prepareDatabase(embedded.adminUrl, 'dhr', owner, app);
    return { url: urlFor(embedded.adminUrl, 'dhr', app), migrationUrl: urlFor(embedded.adminUrl, 'dhr', owner), appRole: APP_ROLE, embedded };
  } catch (error) {
    await embedded.stop().catch(() => undefined);
    throw error;
  }
}

export function databaseSettings(config: AppConfig, url: string) {
  return {
    url,
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    queryTimeoutMs: config.dbQueryTimeoutMs,
  };
}

/** Applies pending migrations as the owner role, then (re)grants the app role its privileges. */
export function migrateDatabase(config: AppConfig, database: OpenDatabase): Promise<string[]> {
  return runMigrations(databaseSettings(config, database.migrationUrl), database.appRole);
}
