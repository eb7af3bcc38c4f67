import pg from 'pg';
import { PRINCIPAL_CHANNEL } from '../auth/principal-cache.js';

const ident = (name: string) => pg.escapeIdentifier(name);

/**
 * The tables of the schema, in name order. A partitioned table (the audit
 * trail) is one table here: its rows are read and written through the
 * parent, so its partitions are not listed again.
 */
export const BACKUP_TABLES = `
  SELECT c.relname AS name
    FROM pg_class c
   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
   ORDER BY c.relname`;

/** The sequences of the schema (identity columns' included) and where each stands. */
export const BACKUP_SEQUENCES = `
  SELECT sequencename AS name, last_value::text AS last_value, start_value::text AS start_value
    FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`;

/** A table's stored columns: generated ones are computed again on the way in. */
export const STORED_COLUMNS = `
  SELECT a.attname AS name
    FROM pg_attribute a
   WHERE a.attrelid = format('public.%I', $1::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
   ORDER BY a.attnum`;

/**
 * Every foreign key of the schema, to be dropped while the rows go in and
 * added back (checked) after. A partition's copy of its parent's key comes
 * and goes with the parent's, so it is not listed.
 */
export const FOREIGN_KEYS = `
  SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c
   WHERE c.connamespace = 'public'::regnamespace AND c.contype = 'f' AND c.conparentid = 0
   ORDER BY c.conrelid::regclass::text, c.conname`;

export const APPLIED_MIGRATIONS = `SELECT name FROM typeorm_migration ORDER BY id`;

export const SCHEMA_TABLE_COUNT = `SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')`;

/** A table's rows, as JSON text, read through a cursor. */
export const dumpCursor = (table: string) => `DECLARE dump CURSOR FOR SELECT row_to_json(t)::text AS row FROM ${ident(table)} t`;

/** Rows of one batch back into their table, identity columns keeping their values. */
export function insertRows(table: string, columns: string[]): string {
  const list = columns.map(ident).join(', ');
  return `INSERT INTO ${ident(table)} (${list}) OVERRIDING SYSTEM VALUE
          SELECT ${list} FROM json_populate_recordset(NULL::${ident(table)}, $1::json)`;
}

export const dropForeignKey = (table: string, name: string) => `ALTER TABLE ${table} DROP CONSTRAINT ${ident(name)}`;
export const addForeignKey = (table: string, name: string, definition: string) => `ALTER TABLE ${table} ADD CONSTRAINT ${ident(name)} ${definition}`;
/** A table's own triggers, and each of its partitions' (which have append-only triggers of their own), off or on. */
export const setTriggers = (table: string, enabled: boolean) => `
  DO $$
  DECLARE part regclass;
  BEGIN
    -- pg_partition_tree lists nothing for a table that is not partitioned.
    FOR part IN SELECT ${pg.escapeLiteral(`public.${ident(table)}`)}::regclass
                UNION SELECT relid FROM pg_partition_tree(${pg.escapeLiteral(`public.${ident(table)}`)}::regclass) LOOP
      EXECUTE format('ALTER TABLE %s ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER USER', part);
    END LOOP;
  END $$`;

/** The span of the audit events the DEFAULT partition holds: restored rows of months not made yet land there. */
export const AUDIT_DEFAULT_SPAN = `
  SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM audit_event_default`;
/** Makes those months, moving the rows into them. */
export const ENSURE_AUDIT_MONTHS = `SELECT audit_event_ensure_partitions($1, $2) AS made`;
export const deleteRows = (table: string) => `DELETE FROM ${ident(table)}`;
export const countRows = (table: string) => `SELECT count(*) AS n FROM ${ident(table)}`;
export const RESET_SEQUENCE = `SELECT setval(format('public.%I', $1::text)::regclass, $2::bigint, $3::boolean)`;
export const DROP_SCHEMA = [`DROP SCHEMA public CASCADE`, `CREATE SCHEMA public`];

/** Rows loaded with the tables' triggers off announced nothing: every running server forgets every session and client it remembers. */
export const ANNOUNCE_PRINCIPALS_REPLACED = `SELECT pg_notify('${PRINCIPAL_CHANNEL}', 'all')`;
