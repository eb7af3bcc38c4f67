/**
 * What `npm run backup` and `npm run restore` send (src/database/backup.ts),
 * on a plain pg client seen as a Queryable (`rowsOf`, src/common/sql.ts).
 * Table and constraint names come from the catalogue, never from a caller,
 * and are quoted as identifiers all the same.
 */
import pg from 'pg';
import { PRINCIPAL_CHANNEL } from '../auth/principal-cache.js';
import type { Queryable } from '../common/sql.js';

const ident = (name: string) => pg.escapeIdentifier(name);

/**
 * A snapshot the whole dump reads: every table as of one moment, read only.
 * `endDumpSnapshot` commits it, `abandonDumpSnapshot` rolls it back.
 */
export async function beginDumpSnapshot(db: Queryable): Promise<void> {
  await db.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
}

export async function endDumpSnapshot(db: Queryable): Promise<void> {
  await db.query(`COMMIT`);
}

export async function abandonDumpSnapshot(db: Queryable): Promise<void> {
  await db.query(`ROLLBACK`);
}

/** The migrations applied, in the order they ran. */
export async function appliedMigrations(db: Queryable): Promise<string[]> {
  const rows: Array<{ name: string }> = await db.query(`SELECT name FROM typeorm_migration ORDER BY id`);
  return rows.map((r) => r.name);
}

/**
 * The tables of the schema, in name order. A partitioned table (the audit
 * trail) is one table here: its rows are read and written through the
 * parent, so its partitions are not listed again.
 */
export async function backupTables(db: Queryable): Promise<string[]> {
  const rows: Array<{ name: string }> = await db.query(`
    SELECT c.relname AS name
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY c.relname`);
  return rows.map((r) => r.name);
}

export interface SequencePosition {
  name: string;
  lastValue: string | null;
  startValue: string;
}

/** The sequences of the schema (identity columns' included) and where each stands. */
export async function sequencePositions(db: Queryable): Promise<SequencePosition[]> {
  const rows: Array<{ name: string; last_value: string | null; start_value: string }> = await db.query(`
    SELECT sequencename AS name, last_value::text AS last_value, start_value::text AS start_value
      FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`);
  return rows.map((r) => ({ name: r.name, lastValue: r.last_value, startValue: r.start_value }));
}

/** A table's rows, as JSON text, read through the cursor `dump` in batches (`fetchDumpRows`), then `closeDumpCursor`. */
export async function openDumpCursor(db: Queryable, table: string): Promise<void> {
  await db.query(`DECLARE dump CURSOR FOR SELECT row_to_json(t)::text AS row FROM ${ident(table)} t`);
}

export async function fetchDumpRows(db: Queryable, count: number): Promise<string[]> {
  const rows: Array<{ row: string }> = await db.query(`FETCH ${Math.trunc(count)} FROM dump`);
  return rows.map((r) => r.row);
}

export async function closeDumpCursor(db: Queryable): Promise<void> {
  await db.query(`CLOSE dump`);
}

/** How many tables the schema holds (0 for an empty database). */
export async function schemaTableCount(db: Queryable): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await db.query(
    `SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')`,
  );
  return n;
}

/** The schema and everything in it, gone, and an empty one in its place (inside the restore's transaction). */
export async function dropSchema(db: Queryable): Promise<void> {
  await db.query(`DROP SCHEMA public CASCADE`);
  await db.query(`CREATE SCHEMA public`);
}

/** A table's stored columns: generated ones are computed again on the way in. */
export async function storedColumns(db: Queryable, table: string): Promise<string[]> {
  const rows: Array<{ name: string }> = await db.query(
    `
    SELECT a.attname AS name
      FROM pg_attribute a
     WHERE a.attrelid = format('public.%I', $1::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     ORDER BY a.attnum`,
    [table],
  );
  return rows.map((r) => r.name);
}

export interface ForeignKey {
  tableName: string;
  name: string;
  definition: string;
}

/**
 * Every foreign key of the schema, to be dropped while the rows go in and
 * added back (checked) after. A partition's copy of its parent's key comes
 * and goes with the parent's, so it is not listed.
 */
export async function foreignKeys(db: Queryable): Promise<ForeignKey[]> {
  const rows: Array<{ table_name: string; name: string; definition: string }> = await db.query(`
    SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint c
     WHERE c.connamespace = 'public'::regnamespace AND c.contype = 'f' AND c.conparentid = 0
     ORDER BY c.conrelid::regclass::text, c.conname`);
  return rows.map((r) => ({ tableName: r.table_name, name: r.name, definition: r.definition }));
}

/** `key.tableName` is the catalogue's own `regclass` text, already quoted where it needs to be. */
export async function dropForeignKey(db: Queryable, key: ForeignKey): Promise<void> {
  await db.query(`ALTER TABLE ${key.tableName} DROP CONSTRAINT ${ident(key.name)}`);
}

export async function addForeignKey(db: Queryable, key: ForeignKey): Promise<void> {
  await db.query(`ALTER TABLE ${key.tableName} ADD CONSTRAINT ${ident(key.name)} ${key.definition}`);
}

/** A table's own triggers, and each of its partitions' (which have append-only triggers of their own), off or on. */
export async function setTriggers(db: Queryable, table: string, enabled: boolean): Promise<void> {
  const relation = pg.escapeLiteral(`public.${ident(table)}`);
  await db.query(`
    DO $$
    DECLARE part regclass;
    BEGIN
      -- pg_partition_tree lists nothing for a table that is not partitioned.
      FOR part IN SELECT ${relation}::regclass
                  UNION SELECT relid FROM pg_partition_tree(${relation}::regclass) LOOP
        EXECUTE format('ALTER TABLE %s ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER USER', part);
      END LOOP;
    END $$`);
}

/** What the migrations seeded, gone before the backup's rows go in. */
export async function deleteRows(db: Queryable, table: string): Promise<void> {
  await db.query(`DELETE FROM ${ident(table)}`);
}

/** Rows of one batch (JSON objects, as the dump wrote them) back into their table, identity columns keeping their values. */
export async function insertRows(db: Queryable, table: string, columns: string[], rowsJson: string): Promise<void> {
  const list = columns.map(ident).join(', ');
  await db.query(
    `INSERT INTO ${ident(table)} (${list}) OVERRIDING SYSTEM VALUE
     SELECT ${list} FROM json_populate_recordset(NULL::${ident(table)}, $1::json)`,
    [rowsJson],
  );
}

export async function countRows(db: Queryable, table: string): Promise<number> {
  const [{ n }]: Array<{ n: string }> = await db.query(`SELECT count(*) AS n FROM ${ident(table)}`);
  return Number(n);
}

/** A sequence put back where the backup found it. */
export async function resetSequence(db: Queryable, sequence: SequencePosition): Promise<void> {
  await db.query(`SELECT setval(format('public.%I', $1::text)::regclass, $2::bigint, $3::boolean)`, [
    sequence.name,
    sequence.lastValue ?? sequence.startValue,
    sequence.lastValue !== null,
  ]);
}

/** The span of the audit events the DEFAULT partition holds: restored rows of months not made yet land there. */
export async function auditDefaultSpan(db: Queryable): Promise<{ first: Date | null; last: Date | null }> {
  const [span]: Array<{ first: Date | null; last: Date | null }> = await db.query(
    `SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM audit_event_default`,
  );
  return span;
}

/** Makes the months from `first` to `last`, moving their rows out of the DEFAULT partition. */
export async function ensureAuditMonths(db: Queryable, first: Date, last: Date): Promise<void> {
  await db.query(`SELECT audit_event_ensure_partitions($1, $2) AS made`, [first, last]);
}

/** Rows loaded with the tables' triggers off announced nothing: every running server forgets every session and client it remembers. */
export async function announcePrincipalsReplaced(db: Queryable): Promise<void> {
  await db.query(`SELECT pg_notify('${PRINCIPAL_CHANNEL}', 'all')`);
}
