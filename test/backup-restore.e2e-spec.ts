/**
 * `npm run backup` and `npm run restore`, run as the command-line jobs they
 * are, against this file's database and documents folder, restored into a
 * fresh, empty database and an empty folder: every case, document (the file
 * byte for byte) and audit event comes back, the sequences stand where they
 * stood, the audit trail is still append-only for the app role, and the app
 * role has the privileges it had. A target that is not empty is refused
 * without --force.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { urlFor, withClient } from '../src/database/database-roles.js';
import { createCase } from './support/case-fixtures.js';
import { createEmptyDatabase, testDatabaseEnv, type TestDatabase } from './support/test-database.js';
import { buildWorld, type World } from './support/world.js';
import { minimalPdf } from './support/zip.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BACKUP_CLI = join(ROOT, 'dist/src/database/backup-cli.js');
const VERIFY_CLI = join(ROOT, 'dist/src/audit/audit-verify-cli.js');
const run = promisify(execFile);

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What must come back, read the same way from both databases. */
const SNAPSHOT = {
  cases: `SELECT row_to_json(c)::text AS row FROM review_case c ORDER BY seq`,
  subjects: `SELECT row_to_json(s)::text AS row FROM case_subject s ORDER BY case_id, position`,
  documents: `SELECT row_to_json(d)::text AS row FROM case_document d ORDER BY id`,
  audit: `SELECT row_to_json(a)::text AS row FROM audit_event a ORDER BY seq`,
  /** Where each month's hash chain ends (docs/architecture.md, "The audit trail's hash chain"). */
  chainHeads: `SELECT DISTINCT ON (1) to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, chain_position::text AS position, encode(hash, 'hex') AS hash
                 FROM audit_event ORDER BY 1, chain_position DESC`,
  sequences: `SELECT sequencename, last_value::text FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`,
  triggers: `SELECT tgrelid::regclass::text AS table_name, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`,
  grants: `SELECT table_name, privilege_type FROM information_schema.role_table_grants WHERE grantee = $1 ORDER BY 1, 2`,
};

async function snapshot(url: string, appRole: string): Promise<Record<string, unknown[]>> {
  return withClient(url, async (client) => {
    const result: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(SNAPSHOT)) result[name] = (await client.query(sql, sql.includes('$1') ? [appRole] : [])).rows;
    return result;
  });
}

describe('backup and restore', () => {
  jest.setTimeout(300_000);
  const sourceDir = mkdtempSync(join(tmpdir(), 'dhr-backup-source-'));
  const targetDir = mkdtempSync(join(tmpdir(), 'dhr-backup-target-'));
  const archive = join(mkdtempSync(join(tmpdir(), 'dhr-backup-archive-')), 'dhr.tar.gz');
  let t: World;
  let sourceUrl: string;
  let sourceOwnerUrl: string;
  let target: TestDatabase;
  let storageKey: string;
  const pdf = minimalPdf('Fictional overview for Ada Quill');

  const cli = (args: string[], env: Record<string, string>) =>
    run(process.execPath, [BACKUP_CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789', ...env },
    });
  const asSource = { DATABASE_URL: '', MIGRATION_DATABASE_URL: '', DATA_DIR: sourceDir };
  const asTarget = { DATABASE_URL: '', MIGRATION_DATABASE_URL: '', DATA_DIR: targetDir };

  beforeAll(async () => {
    t = await buildWorld({ dataDir: sourceDir });
    const { cast } = t;
    const first = (await createCase(t, cast.admin, cast.exeter)).id;
    await createCase(t, cast.exeterChair, cast.exeter);
    await createCase(t, cast.admin, cast.northDevon);
    const uploaded = await t.http.post(`/api/cases/${first}/documents`).set(cast.admin.auth).field('kind', 'other').attach('file', pdf, 'Overview.pdf');
    expect(uploaded.status).toBe(201);
    await t.http.get(`/api/documents/${uploaded.body.id}/content`).set(cast.admin.auth).expect(200);
    [{ storage_key: storageKey }] = await t.dataSource.query('SELECT storage_key FROM case_document WHERE id = $1', [uploaded.body.id]);
    const [{ db }] = await t.dataSource.query('SELECT current_database() AS db');
    const env = testDatabaseEnv();
    sourceUrl = urlFor(env.serverUrl, db, env.app);
    sourceOwnerUrl = urlFor(env.serverUrl, db, env.owner);
    Object.assign(asSource, { DATABASE_URL: sourceUrl, MIGRATION_DATABASE_URL: sourceOwnerUrl });
    // An event of an old month, in its own partition (docs/architecture.md, "The audit trail's monthly partitions").
    await withClient(sourceOwnerUrl, async (owner) => {
      await owner.query(`SELECT audit_event_ensure_partitions('2023-03-01', '2023-03-01')`);
      await owner.query(`INSERT INTO audit_event (occurred_at, action) VALUES ('2023-03-10 09:00:00+00', 'test.old-month')`);
    });
    target = await createEmptyDatabase();
    Object.assign(asTarget, { DATABASE_URL: target.url, MIGRATION_DATABASE_URL: target.migrationUrl });
  });

  afterAll(async () => {
    await t?.close();
    for (const dir of [sourceDir, targetDir, join(archive, '..')]) rmSync(dir, { recursive: true, force: true });
  });

  it('restores every case, document and audit event into a fresh database, with the audit trail still append-only', async () => {
    const before = await snapshot(sourceOwnerUrl, testDatabaseEnv().app.name);
    expect(before.cases).toHaveLength(3);
    expect(before.documents).toHaveLength(1);
    expect(before.audit.length).toBeGreaterThan(5);

    const made = await cli(['backup', archive], asSource);
    expect(JSON.parse(made.stdout)).toMatchObject({ archive, documents: 1 });
    await t.close();

    const restored = await cli(['restore', archive], asTarget);
    expect(JSON.parse(restored.stdout)).toMatchObject({ restored: archive, documents: 1 });

    const after = await snapshot(target.migrationUrl, target.appRole);
    expect(after).toEqual(before);
    // The partitioned trail is one table of the backup, its rows written once; they go back into their months.
    const manifest = JSON.parse((await run('tar', ['-xzOf', archive, 'manifest.json'])).stdout);
    expect(Object.keys(manifest.tables).filter((name: string) => name.startsWith('audit_event'))).toEqual(['audit_event']);
    expect(manifest.tables.audit_event).toBe(before.audit.length);
    await withClient(target.migrationUrl, async (owner) => {
      const placed = await owner.query(`SELECT tableoid::regclass::text AS partition FROM audit_event WHERE action = 'test.old-month'`);
      expect(placed.rows).toEqual([{ partition: 'audit_event_2023_03' }]);
      expect((await owner.query('SELECT count(*)::int AS n FROM audit_event_default')).rows[0].n).toBe(0);
    });
    expect(after.triggers).toEqual(expect.arrayContaining([expect.objectContaining({ tgname: 'audit_event_no_update_or_delete', tgenabled: 'O' })]));
    expect(sha256(join(targetDir, 'documents', storageKey))).toBe(sha256(join(sourceDir, 'documents', storageKey)));
    expect(readFileSync(join(targetDir, 'documents', storageKey)).equals(pdf)).toBe(true);

    await withClient(target.url, async (app) => {
      await expect(app.query(`UPDATE audit_event SET action = 'case.changed' WHERE seq = (SELECT min(seq) FROM audit_event)`)).rejects.toThrow();
      await expect(app.query('DELETE FROM audit_event')).rejects.toThrow();
      await expect(app.query('TRUNCATE audit_event')).rejects.toThrow();
    });
    expect((await snapshot(target.migrationUrl, target.appRole)).audit).toEqual(before.audit);

    // The restored trail's chains verify, end where the source's ended, and go on from there.
    const verified = await run(process.execPath, [VERIFY_CLI], { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789', DATABASE_URL: target.url } });
    const months = verified.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    expect(months.map((m) => ({ month: m.month, position: m.position, hash: m.hash }))).toEqual(before.chainHeads);
    expect(months.every((m) => m.break === null)).toBe(true);
    expect(before.chainHeads.map((h) => (h as { month: string }).month)).toContain('2023-03');
    await withClient(target.url, async (app) => {
      await app.query(`INSERT INTO audit_event (occurred_at, action) VALUES ('2023-03-20 09:00:00+00', 'test.after-restore')`);
      const [added] = (await app.query(`SELECT chain_position::text AS position, encode(prev_hash, 'hex') AS prev FROM audit_event WHERE action = 'test.after-restore'`)).rows;
      const head = before.chainHeads.find((h) => (h as { month: string }).month === '2023-03') as { position: string; hash: string };
      expect(added).toEqual({ position: String(Number(head.position) + 1), prev: head.hash });
    });
  });

  it('refuses a target that is not empty, and replaces it with --force', async () => {
    const refused = cli(['restore', archive], asTarget);
    await expect(refused).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/not empty.*--force/) });
    const again = await cli(['restore', archive, '--force'], asTarget);
    expect(JSON.parse(again.stdout)).toMatchObject({ documents: 1 });
    const after = await snapshot(target.migrationUrl, target.appRole);
    expect(after.cases).toHaveLength(3);
    expect(existsSync(join(targetDir, 'documents', storageKey))).toBe(true);
  });

  it('refuses a file that is not a backup', async () => {
    await expect(cli(['restore', join(ROOT, 'package.json')], asTarget)).rejects.toMatchObject({ code: 1 });
  });
});
