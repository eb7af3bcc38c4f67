import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { runMigrations } from '../src/database/migrate.js';
import { startTestApp, type TestApp, loginAsAdmin } from './support/test-app.js';
import { createEmptyDatabase, createTestDatabase } from './support/test-database.js';

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

const AUDIT_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];

/** The privileges `role` holds on `table`, of those above. */
async function privileges(client: pg.Client, role: string, table: string): Promise<string[]> {
  const held: string[] = [];
  for (const privilege of AUDIT_PRIVILEGES) {
    const { rows } = await client.query<{ has: boolean }>('SELECT has_table_privilege($1, $2, $3) AS has', [role, table, privilege]);
    if (rows[0].has) held.push(privilege);
  }
  return held;
}

/**
 * The API connects as a login role that owns nothing and is no superuser:
 * the audit trail's append-only rule cannot be switched off from its
 * connection, and an injected statement cannot reach the server's files or
 * programs. Migrations run as a separate owner role.
 */
describe("the application's database role", () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: await createTestDatabase() });
    await client.connect();
  });
  afterAll(() => client?.end());

  it('is not a superuser and owns nothing', async () => {
    const { rows } = await client.query<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>(
      'SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user',
    );
    expect(rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
    const owned = await client.query(
      `SELECT c.relname FROM pg_class c WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
        UNION ALL SELECT p.proname FROM pg_proc p WHERE p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
    );
    expect(owned.rows).toEqual([]);
  });

  it('cannot switch off triggers with session_replication_role', async () => {
    await expect(client.query('SET session_replication_role = replica')).rejects.toThrow(/permission denied/);
  });

  it('cannot UPDATE, DELETE or TRUNCATE audit_event, but may read and append to it', async () => {
    await client.query(`INSERT INTO audit_event (action) VALUES ('test.appended')`);
    const before = await client.query('SELECT count(*)::int AS n FROM audit_event');
    await expect(client.query(`UPDATE audit_event SET action = 'tampered'`)).rejects.toThrow(/permission denied for table audit_event/);
    await expect(client.query('DELETE FROM audit_event')).rejects.toThrow(/permission denied for table audit_event/);
    await expect(client.query('TRUNCATE audit_event')).rejects.toThrow(/permission denied for table audit_event/);
    const after = await client.query('SELECT count(*)::int AS n FROM audit_event');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('cannot change the schema, nor run programs or read files on the server', async () => {
    await expect(client.query('CREATE TABLE intruder (id int)')).rejects.toThrow(/permission denied for schema public/);
    await expect(client.query('ALTER TABLE app_user ADD COLUMN intruder int')).rejects.toThrow(/must be owner/);
    await expect(client.query(`COPY (SELECT 1) TO PROGRAM 'true'`)).rejects.toThrow(/permission denied|must be superuser|pg_execute_server_program/);
    await expect(client.query(`SELECT pg_read_file('postgresql.conf')`)).rejects.toThrow(/permission denied/);
  });
});

describe('the migrations, run as the owner role', () => {
  it('leave the audit trail SELECT and INSERT only for the app role, also after a later migration', async () => {
    const db = await createEmptyDatabase();
    const settings = { url: db.migrationUrl, poolSize: 2, statementTimeoutMs: 60_000 };
    await runMigrations(settings, db.appRole);
    const owner = await connect(db.migrationUrl);
    const app = await connect(db.url);
    try {
      expect(await privileges(owner, db.appRole, 'audit_event')).toEqual(['SELECT', 'INSERT']);
      expect(await privileges(owner, db.appRole, 'plan_action_progress')).toEqual(['SELECT', 'INSERT']);
      expect(await privileges(owner, db.appRole, 'app_user')).toEqual(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

      // A later migration: a new table, and a careless grant on the audit trail.
      await owner.query('CREATE TABLE later_table (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text)');
      await owner.query(`GRANT ALL ON audit_event TO "${db.appRole}"`);
      await runMigrations(settings, db.appRole);

      expect(await privileges(owner, db.appRole, 'audit_event')).toEqual(['SELECT', 'INSERT']);
      expect(await privileges(owner, db.appRole, 'later_table')).toEqual(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
      await app.query(`INSERT INTO later_table (note) VALUES ('a')`);
      await app.query(`UPDATE later_table SET note = 'b'`);
      await app.query('DELETE FROM later_table');
    } finally {
      await owner.end();
      await app.end();
    }
  });

  it('leave the owner role no superuser either: the append-only trigger still stops it', async () => {
    const db = await createEmptyDatabase();
    await runMigrations({ url: db.migrationUrl, poolSize: 2, statementTimeoutMs: 60_000 }, db.appRole);
    const owner = await connect(db.migrationUrl);
    try {
      const { rows } = await owner.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      expect(rows).toEqual([{ rolsuper: false }]);
      await expect(owner.query('SET session_replication_role = replica')).rejects.toThrow(/permission denied/);
      await owner.query(`INSERT INTO audit_event (action) VALUES ('test.appended')`);
      await expect(owner.query(`UPDATE audit_event SET action = 'tampered'`)).rejects.toThrow(/append-only/);
      await expect(owner.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
      await expect(owner.query('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
      await expect(owner.query(`UPDATE plan_action_progress SET note = 'tampered'`)).rejects.toThrow(/append-only/);
      await expect(owner.query('DELETE FROM plan_action_progress')).rejects.toThrow(/append-only/);
      await expect(owner.query('TRUNCATE plan_action_progress')).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
  });
});

describe('the application, connected as that role', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('works end to end: signs in, writes, and appends to the audit trail', async () => {
    const [{ rolsuper }] = await t.dataSource.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    expect(rolsuper).toBe(false);
    const admin = await loginAsAdmin(t);
    const made = await t.http.post('/api/agencies').set(admin.auth).send({ name: 'Role Check Trust', sector: 'health' }).expect(201);
    await t.http.patch(`/api/agencies/${made.body.id}`).set(admin.auth).send({ sector: 'other' }).expect(200);
    const page = await t.http.get('/api/audit?action=agency.updated').set(admin.auth).expect(200);
    expect(page.body.items[0]).toMatchObject({ entityId: made.body.id });
    await t.http.get('/api/health').expect(200);
  });
});
