import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';

export interface OpenDatabase {
  url: string;
  /** Set when this process started the embedded server and must stop it. */
  embedded?: EmbeddedDatabase;
}

/** DATABASE_URL when given; otherwise the embedded PostgreSQL kept under DATA_DIR. */
export async function openDatabase(config: AppConfig): Promise<OpenDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const embedded = await startEmbeddedPostgres({
    dir: join(config.dataDir, 'db'),
    port: config.embeddedPostgresPort,
    database: 'dhr',
  });
  return { url: embedded.url, embedded };
}

export function databaseSettings(config: AppConfig, url: string) {
  return { url, poolSize: config.dbPoolSize, statementTimeoutMs: config.dbStatementTimeoutMs };
}
