import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { APP_ROLE, OWNER_ROLE, prepareDatabase, urlFor } from './database-roles.js';
import {
  ClusterInUseError,
  isServer,
  serversCluster,
  startEmbeddedPostgres,
  storedPassword,
  THE_SERVER,
  type ClusterOwner,
  type ClusterUser,
  type EmbeddedDatabase,
} from './embedded-postgres.js';
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

/**
 * Who opens the database: the server, or a command-line tool, which uses the
 * PostgreSQL of a server running on the same DATA_DIR (docs/architecture.md,
 * "The command-line tools beside a running server") unless it says why it
 * must not run beside one.
 */
export interface DatabaseUser extends ClusterUser {
  /** Why this tool refuses to run while the server runs (a restore replaces the data under it). */
  refusedBesideServer?: string;
}

export const SERVER: DatabaseUser = THE_SERVER;

export function commandLineTool(command: string, refusedBesideServer?: string): DatabaseUser {
  return { kind: 'tool', command, refusedBesideServer };
}

/** What an operator reads on stderr: the command-line tools keep stdout for their result. */
const sayOnStderr = (line: string) => process.stderr.write(`dhr-backend: ${line}\n`);

/** A connection URL's role name. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * DATABASE_URL (and MIGRATION_DATABASE_URL) when given; otherwise the
 * embedded PostgreSQL kept under DATA_DIR, with its two roles made (or
 * repaired) on every start and their passwords kept beside the cluster. A
 * command-line tool started while the server runs on that DATA_DIR uses the
 * server's PostgreSQL, or refuses in plain words if it must not run beside it.
 */
export async function openDatabase(config: AppConfig, user: DatabaseUser): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    const migrationUrl = config.migrationDatabaseUrl ?? config.databaseUrl;
    const appRole = roleOf(config.databaseUrl);
    return { url: config.databaseUrl, migrationUrl, appRole: appRole === roleOf(migrationUrl) ? undefined : appRole };
  }
  const dir = join(config.dataDir, 'db');
  try {
    return await startOwnDatabase(config, dir, user);
  } catch (error) {
    if (!(error instanceof ClusterInUseError) || user.kind !== 'tool' || !isServer(error.owner)) throw error;
    if (user.refusedBesideServer) {
      throw new Error(`the server is running on this DATA_DIR (pid ${error.owner.pid}); stop it first: ${user.refusedBesideServer}`);
    }
    return useServersDatabase(dir, error.owner);
  }
}

/** The embedded PostgreSQL started by this process, which stops it when done. */
async function startOwnDatabase(config: AppConfig, dir: string, user: DatabaseUser): Promise<OpenDatabase> {
  const embedded = await startEmbeddedPostgres({ dir, port: config.embeddedPostgresPort, user, onWarning: sayOnStderr });
  try {
    const { owner, app } = roleLogins(dir);
    await prepareDatabase(embedded.adminUrl, 'dhr', owner, app);
    return { url: urlFor(embedded.adminUrl, 'dhr', app), migrationUrl: urlFor(embedded.adminUrl, 'dhr', owner), appRole: APP_ROLE, embedded };
  } catch (error) {
    await embedded.stop().catch(() => undefined);
    throw error;
  }
}

/** The running server's PostgreSQL, its roles and database made by the server, reached with the passwords kept beside the cluster. */
async function useServersDatabase(dir: string, server: ClusterOwner): Promise<OpenDatabase> {
  const cluster = await serversCluster(dir, server, sayOnStderr);
  sayOnStderr(`the server is running on this DATA_DIR (pid ${cluster.serverPid}): using its PostgreSQL`);
  const { owner, app } = roleLogins(dir);
  return { url: urlFor(cluster.url, 'dhr', app), migrationUrl: urlFor(cluster.url, 'dhr', owner), appRole: APP_ROLE };
}

function roleLogins(dir: string) {
  return {
    owner: { name: OWNER_ROLE, password: storedPassword(dir, OWNER_ROLE) },
    app: { name: APP_ROLE, password: storedPassword(dir, APP_ROLE) },
  };
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
