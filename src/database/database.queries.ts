import pg from 'pg';
import type { Queryable } from '../common/sql.js';
import { FEATURES } from '../features.js';

/**
 * The SQL of the database infrastructure: the migration lock, the embedded
 * server's first start and the two database roles. These mostly run on plain
 * `pg` clients, before any DataSource exists (`rowsOf`, src/common/sql.ts).
 */

/** Waits for, then holds, the session-level migration lock (held by the connection until released). */
export async function takeMigrationLock(db: Queryable, key: number): Promise<void> {
  await db.query(`SELECT pg_advisory_lock($1)`, [key]);
}

export async function releaseMigrationLock(db: Queryable, key: number): Promise<void> {
  await db.query(`SELECT pg_advisory_unlock($1)`, [key]);
}

export async function databaseExists(db: Queryable, name: string): Promise<boolean> {
  const rows: unknown[] = await db.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
  return rows.length > 0;
}

/**
 * The two roles of an application database. Identifiers and literals are
 * quoted with pg's own escaping: role names and passwords cannot be bound as
 * parameters in DDL.
 */
const ident = (name: string) => pg.escapeIdentifier(name);
const literal = (value: string) => pg.escapeLiteral(value);

export async function roleExists(db: Queryable, name: string): Promise<boolean> {
  const rows: unknown[] = await db.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [name]);
  return rows.length > 0;
}

/** Creates a login role with no special attribute: no superuser, no CREATEDB, no CREATEROLE. */
export async function createLoginRole(db: Queryable, name: string, password: string): Promise<void> {
  await db.query(`CREATE ROLE ${ident(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal(password)}`);
}

/** Puts an existing role back to a plain login role, with the password kept under DATA_DIR. */
export async function resetLoginRole(db: Queryable, name: string, password: string): Promise<void> {
  await db.query(`ALTER ROLE ${ident(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal(password)}`);
}

/** CREATE DATABASE takes no parameters: the names are quoted here. It cannot run inside a transaction. */
export async function createDatabaseOwnedBy(db: Queryable, name: string, owner: string, template?: string): Promise<void> {
  await db.query(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ''} OWNER ${ident(owner)}`);
}

/** Run as a superuser on an existing database: the owner role owns it, the app role may connect, nobody else. */
export async function setDatabaseAccess(db: Queryable, database: string, owner: string, app: string): Promise<void> {
  await db.query(`ALTER DATABASE ${ident(database)} OWNER TO ${ident(owner)}`);
  await db.query(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
  await db.query(`GRANT CONNECT ON DATABASE ${ident(database)} TO ${ident(app)}`);
}

/**
 * Run as a superuser inside a database made by an earlier version, whose
 * tables, sequences and functions the superuser owns: hands each of them to
 * the owner role. Objects that belong to an extension, and sequences that
 * belong to a column, stay as they are (they follow their extension or table).
 */
export async function takeOwnership(db: Queryable, owner: string): Promise<void> {
  await db.query(`
    DO $$
    DECLARE o record;
    BEGIN
      FOR o IN
        SELECT c.oid::regclass AS name,
               CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
          FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace
           AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
           AND c.relowner <> ${literal(owner)}::regrole
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
      LOOP
        EXECUTE format('ALTER %s %s OWNER TO %I', o.kind, o.name, ${literal(owner)});
      END LOOP;
      FOR o IN
        SELECT p.oid::regprocedure AS name
          FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND p.proowner <> ${literal(owner)}::regrole
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
      LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO %I', o.name, ${literal(owner)});
      END LOOP;
    END $$`);
}

/**
 * The tables that are history, as the feature modules declare them: the app
 * role may read and append to them, never change them (a trigger on each
 * refuses it as well; test/schema.e2e-spec.ts checks the two agree).
 */
export const APPEND_ONLY_TABLES: readonly string[] = FEATURES.flatMap((feature) => feature.appendOnlyTables ?? []);

/** The role this connection acts as. */
export async function currentRole(db: Queryable): Promise<string> {
  const [{ role }]: Array<{ role: string }> = await db.query(`SELECT current_user AS role`);
  return role;
}

/**
 * Run as the owner role after every migration run: the app role reads and
 * writes every table, and only reads and appends to the append-only ones
 * (the audit trail, the progress of actions). The default privileges cover
 * the tables later migrations create; the append-only tables' own grants are
 * set again after each run, so no later migration can widen them by
 * accident. The README lists these statements.
 */
export async function grantAppPrivileges(db: Queryable, owner: string, app: string): Promise<void> {
  for (const statement of appPrivileges(owner, app)) await db.query(statement);
}

function appPrivileges(owner: string, app: string): string[] {
  const a = ident(app);
  return [
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA public TO ${a}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${a}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${a}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(owner)} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${a}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(owner)} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${a}`,
    ...APPEND_ONLY_TABLES.flatMap((table) => [`REVOKE ALL ON ${table} FROM ${a}`, `GRANT SELECT, INSERT ON ${table} TO ${a}`]),
    revokeOnPartitions(APPEND_ONLY_TABLES, app),
  ];
}

/**
 * A partitioned append-only table (the audit trail's months) is read and
 * appended to through its parent alone: the app role holds nothing on the
 * partitions themselves, whatever the grant on all tables above gave it.
 */
function revokeOnPartitions(tables: readonly string[], app: string): string {
  const list = tables.map(literal).join(', ');
  return `
    DO $$
    DECLARE part regclass;
    BEGIN
      FOR part IN
        SELECT t.relid FROM unnest(ARRAY[${list}]) AS a(name), pg_partition_tree(format('public.%I', a.name)::regclass) t
         WHERE t.level > 0
      LOOP
        EXECUTE format('REVOKE ALL ON %s FROM %I', part, ${literal(app)});
      END LOOP;
    END $$`;
}

/**
 * Whether the audit trail is partitioned by month (migration
 * AuditPartitions) and this role may make its months: the owner may, the
 * app role may not (a job that connects as the app role alone migrates
 * nothing and makes no month).
 */
export async function auditPartitioningAvailable(db: Queryable): Promise<boolean> {
  const rows: unknown[] = await db.query(`
    SELECT 1 WHERE has_function_privilege(to_regprocedure('audit_event_ensure_partitions(timestamptz,timestamptz)'), 'EXECUTE')`);
  return rows.length > 0;
}

/**
 * The audit trail's months from the one `from` falls in (the time of the
 * start) to two ahead, made if missing; run as the owner role on every start,
 * so an insert finds its month ready (and the DEFAULT partition catches what
 * comes after a longer uptime).
 */
export async function ensureAuditPartitions(db: Queryable, from: Date): Promise<void> {
  await db.query(`SELECT audit_event_ensure_partitions($1::timestamptz, $1::timestamptz + interval '2 months') AS made`, [from]);
}

/** A transaction on a plain client (the migrations' own connection): `commit` or `rollback` ends it. */
export async function begin(db: Queryable): Promise<void> {
  await db.query(`BEGIN`);
}

export async function commit(db: Queryable): Promise<void> {
  await db.query(`COMMIT`);
}

export async function rollback(db: Queryable): Promise<void> {
  await db.query(`ROLLBACK`);
}
