/**
 * `npm run backup` and `npm run restore`, run as the command-line jobs they
 * are, against this file's database and documents folder, restored into a
 * fresh, empty database and an empty folder: every case, document (the file
 * byte for byte) and audit event comes back, the sequences stand where they
 * stood, the audit trail is still append-only for the app role, and the app
 * role has the privileges it had. A target that is not empty is refused
 * without --force.
 *
 * Then the archives a restore must refuse (docs/security.md, "Restarts,
 * restores and backup archives"): from an older or newer version, with a row
 * count, a rows file or a document wrong, truncated, altered, or whose rows
 * break the schema only once loaded; each refused with its reason, the
 * target's rows, documents and the admin's sign-in as they were. Archives are
 * written 0600 in a 0700 folder, and one sealed with BACKUP_ENCRYPTION_KEY
 * round-trips into a fresh database while a wrong key or a changed byte is
 * refused.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { backup, restore, type BackupManifest } from '../src/database/backup.js';
import { urlFor, withClient } from '../src/database/database-roles.js';
import { migrations } from '../migrations/index.js';
import { createCase } from './support/case-fixtures.js';
import { createEmptyDatabase, testDatabaseEnv, type TestDatabase } from './support/test-database.js';
import { loginAsAdmin, startTestApp } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';
import { minimalPdf } from './support/zip.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BACKUP_CLI = join(ROOT, 'dist/src/database/backup-cli.js');
const VERIFY_CLI = join(ROOT, 'dist/src/audit/audit-verify-cli.js');
const run = promisify(execFile);

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What must come back, read the same way from both databases. */
const SNAPSHOT = {
  users: `SELECT row_to_json(u)::text AS row FROM app_user u ORDER BY id`,
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
  let before: Record<string, unknown[]>;
  const pdf = minimalPdf('Fictional overview for Ada Quill');

  const work = mkdtempSync(join(tmpdir(), 'dhr-backup-work-'));
  const cli = (args: string[], env: Record<string, string>, cwd?: string) =>
    run(process.execPath, [BACKUP_CLI, ...args], {
      cwd,
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
    for (const dir of [sourceDir, targetDir, work, join(archive, '..')]) rmSync(dir, { recursive: true, force: true });
  });

  it('restores every case, document and audit event into a fresh database, with the audit trail still append-only', async () => {
    before = await snapshot(sourceOwnerUrl, testDatabaseEnv().app.name);
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
  const modeOf = (path: string) => statSync(path).mode & 0o777;
  /** Each document file of a folder, with its SHA-256. */
  const documentsOf = (dir: string) => Object.fromEntries(readdirSync(dir).filter((name) => name !== 'tmp').map((name) => [name, sha256(join(dir, name))]));
  const intoTarget = (key?: Buffer) => ({ ownerUrl: target.migrationUrl, appRole: target.appRole, documentsDir: join(targetDir, 'documents'), force: true, key });
  const manifestIn = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;

  let variants = 0;
  /** A copy of the archive, unpacked, changed by `change`, and packed again. */
  async function altered(change: (dir: string) => void): Promise<string> {
    const dir = join(work, `unpacked-${++variants}`);
    mkdirSync(dir);
    await run('tar', ['-xzf', archive, '-C', dir]);
    change(dir);
    const out = join(work, `altered-${variants}.tar.gz`);
    await run('tar', ['-czf', out, '-C', dir, ...readdirSync(dir)]);
    return out;
  }
  const editManifest = (edit: (manifest: BackupManifest) => void) => (dir: string) => {
    const manifest = manifestIn(dir);
    edit(manifest);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  };
  /** A copy of a file with one byte changed, at a fraction of its length or a position counted from its end. */
  function flipped(file: string, at: number, out = file): string {
    const bytes = readFileSync(file);
    const i = at < 0 ? bytes.length + at : at < 1 ? Math.floor(bytes.length * at) : at;
    bytes[i] ^= 0x01;
    writeFileSync(out, bytes);
    return out;
  }
  function truncated(file: string, length: number): string {
    const out = join(work, `truncated-${++variants}`);
    writeFileSync(out, readFileSync(file).subarray(0, length));
    return out;
  }
  /** A rows file changed with its count and checksum made to match: only loading it into the schema can refuse it. */
  const rewriteRows = (table: string, edit: (lines: string[]) => string[]) => (dir: string) => {
    const file = join(dir, 'database', `${table}.ndjson`);
    const lines = edit(existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
    writeFileSync(file, lines.map((line) => line + '\n').join(''));
    editManifest((manifest) => {
      manifest.tables[table] = lines.length;
      manifest.checksums[`database/${table}.ndjson`] = sha256(file);
    })(dir);
  };

  it('refuses every archive that is damaged, truncated, altered or of another version, leaving the target as it was and its admin able to sign in', async () => {
    const targetBefore = await snapshot(target.migrationUrl, target.appRole);
    expect(targetBefore).toEqual(before);
    const documentsBefore = documentsOf(join(targetDir, 'documents'));
    expect(Object.keys(documentsBefore)).toEqual([storageKey]);
    const unpacked = mkdtempSync(join(work, 'unpacked-'));
    await run('tar', ['-xzf', archive, '-C', unpacked]);
    const tables = manifestIn(unpacked).tables;
    const names = migrations.map((m) => m.name);
    const size = statSync(archive).size;

    const refusals: [string, () => Promise<string>, RegExp][] = [
      ...[0, Math.floor(names.length / 2), names.length - 1].map((i): [string, () => Promise<string>, RegExp] => [
        `without the migration ${names[i]}`,
        () => altered(editManifest((m) => void (m.migrations = m.migrations.filter((name) => name !== names[i])))),
        new RegExp(`older version \\(its schema lacks migrations ${names[i]}\\)`),
      ]),
      ['with a migration of a newer version', () => altered(editManifest((m) => void m.migrations.push('FutureReviewFields1799999999999'))), /newer version/],
      ['with its migrations in another order', () => altered(editManifest((m) => void m.migrations.reverse())), /another order/],
      ...Object.entries(tables).flatMap(([table, rows]) =>
        [1, ...(rows > 0 ? [-1] : [])].map((delta): [string, () => Promise<string>, RegExp] => [
          `${table}'s row count ${delta > 0 ? 'one more' : 'one less'} than it holds`,
          () => altered(editManifest((m) => void (m.tables[table] += delta))),
          new RegExp(`^${table}: the backup lists ${rows + delta} rows but holds ${rows}$`),
        ]),
      ),
      ['a document changed', () => altered((dir) => flipped(join(dir, 'documents', storageKey), 0.5)), /^documents\/.+ does not match its checksum/],
      ['a rows file changed', () => altered((dir) => flipped(join(dir, 'database', 'review_case.ndjson'), 0.5)), /^database\/review_case.ndjson does not match its checksum/],
      ['a document missing', () => altered((dir) => rmSync(join(dir, 'documents', storageKey))), /lacks files its manifest lists/],
      ['a file its manifest does not list', () => altered((dir) => writeFileSync(join(dir, 'documents', 'planted'), 'x')), /files its manifest does not list/],
      [
        'a rows file that is a link',
        () =>
          altered((dir) => {
            rmSync(join(dir, 'database', 'app_user.ndjson'));
            symlinkSync('/etc/hostname', join(dir, 'database', 'app_user.ndjson'));
          }),
        /not a plain file/,
      ],
      ['a folder no backup has', () => altered((dir) => writeFileSync(join(dir, 'run.sh'), 'exit 0')), /holds run.sh, which no backup has/],
      ['a table name that is a path', () => altered(editManifest((m) => void (m.tables['../../../etc/passwd'] = 1))), /not a manifest this version wrote/],
      ['a manifest that is not JSON', () => altered((dir) => writeFileSync(join(dir, 'manifest.json'), '{"format": "dhr-backup-2",')), /not JSON/],
      ['a manifest of the first format', () => altered(editManifest((m) => void (m.format = 'dhr-backup-1' as BackupManifest['format']))), /format is dhr-backup-1/],
      ['a manifest without checksums', () => altered(editManifest((m) => void delete (m as Partial<BackupManifest>).checksums)), /not a manifest this version wrote/],
      ['no manifest', () => altered((dir) => rmSync(join(dir, 'manifest.json'))), /no manifest.json/],
      ['a table this version does not have', () => altered(rewriteRows('no_such_table', () => [])), /tables \(\d+\) are not this version's/],
      ['a case twice, its count and checksum made to match', () => altered(rewriteRows('review_case', (lines) => [...lines, lines[0]])), /duplicate key value/],
      ['a case missing that its subjects belong to', () => altered(rewriteRows('review_case', (lines) => lines.slice(1))), /violates foreign key constraint/],
      ['a row that is not JSON', () => altered(rewriteRows('review_case', (lines) => [...lines.slice(1), lines[0].slice(0, -5)])), /json/i],
      ...[0, 1, 100, Math.floor(size / 2), size - 10, size - 1].map((length): [string, () => Promise<string>, RegExp] => [
        `cut off after ${length} of ${size} bytes`,
        async () => truncated(archive, length),
        /damaged or truncated/,
      ]),
    ];
    for (const [what, make, reason] of refusals) {
      const outcome = await restore(await make(), intoTarget()).then(() => 'restored', (error: Error) => error.message);
      expect({ what, outcome }).toEqual({ what, outcome: expect.stringMatching(reason) });
    }

    expect(await snapshot(target.migrationUrl, target.appRole)).toEqual(targetBefore);
    expect(documentsOf(join(targetDir, 'documents'))).toEqual(documentsBefore);
    expect(readdirSync(join(targetDir, 'documents', 'tmp'))).toEqual([]);
    const app = await startTestApp({ dataDir: targetDir }, undefined, target.url);
    try {
      await expect(loginAsAdmin(app)).resolves.toMatchObject({ token: expect.any(String) });
    } finally {
      await app.close();
    }
  });

  it('writes an archive 0600 in a folder only its owner can open, leaves nothing in the temporary folder, and refuses a folder open to others', async () => {
    const cwd = mkdtempSync(join(work, 'cwd-'));
    const scratch = mkdtempSync(join(work, 'scratch-'));
    // The default folder, as an earlier version left it: tightened.
    mkdirSync(join(cwd, 'backups'));
    chmodSync(join(cwd, 'backups'), 0o755);
    const made = JSON.parse((await cli(['backup'], { ...asSource, TMPDIR: scratch }, cwd)).stdout);
    expect(made.archive).toMatch(/^backups\/dhr-\d{8}T\d{6}Z\.tar\.gz$/);
    expect(modeOf(join(cwd, 'backups'))).toBe(0o700);
    expect(modeOf(join(cwd, made.archive))).toBe(0o600);
    expect(readdirSync(join(cwd, 'backups'))).toEqual([made.archive.slice('backups/'.length)]);
    expect(readdirSync(scratch)).toEqual([]);

    // A folder of the operator's choosing, not there yet: made 0700, every level of it.
    const nested = join(work, 'offsite', 'daily', 'dhr.tar.gz');
    await cli(['backup', nested], asSource);
    expect([modeOf(join(work, 'offsite')), modeOf(join(work, 'offsite', 'daily')), modeOf(nested)]).toEqual([0o700, 0o700, 0o600]);
    const unpacked = mkdtempSync(join(work, 'modes-'));
    await run('tar', ['-xzf', nested, '-C', unpacked]);
    expect(manifestIn(unpacked).checksums[`documents/${storageKey}`]).toBe(sha256(join(sourceDir, 'documents', storageKey)));

    // An existing folder that other users can open or write: refused, nothing written.
    for (const mode of [0o755, 0o750, 0o705, 0o770, 0o707, 0o777, 0o711, 0o701]) {
      const open = mkdtempSync(join(work, 'open-'));
      chmodSync(open, mode);
      await expect(backup(sourceOwnerUrl, join(sourceDir, 'documents'), join(open, 'dhr.tar.gz'))).rejects.toThrow(
        `open to other users (mode ${mode.toString(8)})`,
      );
      expect(readdirSync(open)).toEqual([]);
    }
    mkdirSync(join(work, 'open-cli'));
    chmodSync(join(work, 'open-cli'), 0o755);
    await expect(cli(['backup', join(work, 'open-cli', 'dhr.tar.gz')], asSource)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/open to other users \(mode 755\).*chmod 700/) });
  });

  it('seals an archive with BACKUP_ENCRYPTION_KEY that restores into a fresh database, and refuses a wrong key or a changed byte with the target untouched', async () => {
    const key = randomBytes(32);
    const sealed = join(work, 'sealed', 'dhr.tar.gz.enc');
    const made = await cli(['backup', sealed], { ...asSource, BACKUP_ENCRYPTION_KEY: key.toString('base64') });
    expect(JSON.parse(made.stdout)).toMatchObject({ encrypted: true, documents: 1 });
    expect(modeOf(sealed)).toBe(0o600);
    expect(readFileSync(sealed).subarray(0, 16).toString('latin1')).toBe('DHR-BACKUP-GCM1\n');
    await expect(run('tar', ['-tzf', sealed])).rejects.toThrow();

    const targetBefore = await snapshot(target.migrationUrl, target.appRole);
    const documentsBefore = documentsOf(join(targetDir, 'documents'));
    const size = statSync(sealed).size;
    const copy = () => join(work, `sealed-${++variants}`);
    const refusals: [string, string, Buffer | undefined, RegExp][] = [
      ['a wrong key', sealed, randomBytes(32), /encrypted with another key/],
      ['no key', sealed, undefined, /the archive is encrypted: set BACKUP_ENCRYPTION_KEY/],
      ['a plain archive while a key is set', archive, key, /not encrypted but BACKUP_ENCRYPTION_KEY is set/],
      ...[0, 15].map((at): [string, string, Buffer | undefined, RegExp] => [`its mark changed at byte ${at}`, flipped(sealed, at, copy()), key, /not encrypted but/]),
      ...[16, 23].map((at): [string, string, Buffer | undefined, RegExp] => [`its key's id changed at byte ${at}`, flipped(sealed, at, copy()), key, /another key/]),
      ...[24, 35, 36, 0.5, size - 17, -16, -1].map((at): [string, string, Buffer | undefined, RegExp] => [
        `a byte changed at ${at}`,
        flipped(sealed, at, copy()),
        key,
        /has been altered or damaged/,
      ]),
      ...[size - 1, size - 16, size - 100, 52].map((length): [string, string, Buffer | undefined, RegExp] => [
        `cut off after ${length} bytes`,
        truncated(sealed, length),
        key,
        /altered or damaged/,
      ]),
      ...[51, 20].map((length): [string, string, Buffer | undefined, RegExp] => [`cut off after ${length} bytes`, truncated(sealed, length), key, /truncated|not encrypted/]),
    ];
    for (const [what, file, withKey, reason] of refusals) {
      const outcome = await restore(file, intoTarget(withKey)).then(() => 'restored', (error: Error) => error.message);
      expect({ what, outcome }).toEqual({ what, outcome: expect.stringMatching(reason) });
    }
    expect(await snapshot(target.migrationUrl, target.appRole)).toEqual(targetBefore);
    expect(documentsOf(join(targetDir, 'documents'))).toEqual(documentsBefore);

    const fresh = await createEmptyDatabase();
    const freshDir = mkdtempSync(join(work, 'fresh-'));
    const scratch = mkdtempSync(join(work, 'scratch-'));
    const restored = await cli(['restore', sealed], {
      DATABASE_URL: fresh.url,
      MIGRATION_DATABASE_URL: fresh.migrationUrl,
      DATA_DIR: freshDir,
      BACKUP_ENCRYPTION_KEY: key.toString('base64'),
      TMPDIR: scratch,
    });
    expect(JSON.parse(restored.stdout)).toMatchObject({ restored: sealed, documents: 1 });
    // The decrypted archive and its unpacked files lived in a private staging folder, gone now.
    expect(readdirSync(scratch)).toEqual([]);
    expect(modeOf(join(freshDir, 'documents', storageKey))).toBe(0o600);
    expect(await snapshot(fresh.migrationUrl, fresh.appRole)).toEqual(before);
    expect(readFileSync(join(freshDir, 'documents', storageKey)).equals(pdf)).toBe(true);
  });
});
