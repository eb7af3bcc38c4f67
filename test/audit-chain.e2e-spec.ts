/**
 * The audit trail's hash chain (docs/architecture.md, "The audit trail's hash
 * chain"): `npm run audit:verify`, run as the command-line job it is, against
 * a trail the API wrote to, then tampered with as the database owner can.
 * Each kind of tampering is done in a month of its own, so each month's
 * report shows one break.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations/index.js';
import type { MonthReport } from '../src/audit/audit-chain.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { urlFor } from '../src/database/database-roles.js';
import { runMigrations } from '../src/database/migrate.js';
import { createEmptyDatabase, testDatabaseEnv } from './support/test-database.js';
import { buildWorld, type World } from './support/world.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VERIFY_CLI = join(ROOT, 'dist/src/audit/audit-verify-cli.js');
const run = promisify(execFile);

interface Verified {
  code: number;
  months: Record<string, MonthReport>;
  stdout: string;
  stderr: string;
}

/** Runs `npm run audit:verify`'s program against the database `appUrl` names. */
async function verify(appUrl: string, args: string[] = []): Promise<Verified> {
  const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789', DATABASE_URL: appUrl };
  let out: { stdout: string; stderr: string; code: number };
  try {
    out = { ...(await run(process.execPath, [VERIFY_CLI, ...args], { env })), code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    out = { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
  const lines = out.stdout.split('\n').filter((line) => line.startsWith('{'));
  const months = Object.fromEntries(lines.map((line) => JSON.parse(line) as MonthReport).map((r) => [r.month, r]));
  return { ...out, months };
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

const appUrlOf = (t: World) => (t.dataSource.options as { url: string }).url;

function ownerUrlOf(t: World): string {
  const { serverUrl, owner } = testDatabaseEnv();
  return urlFor(serverUrl, decodeURIComponent(new URL(appUrlOf(t)).pathname.slice(1)), owner);
}

/** Hostile but legal values: separators of the encoding, quotes, non-ASCII text, nested JSON. */
const AWKWARD_DETAILS = [
  { note: '3:abc~' },
  { 'ключ': 'значение', emoji: '🙂', nested: { list: [1, 2.50, null, true, 'x'] } },
  { empty: '', quote: "O'Neill \"Ná\" \\", big: 1.5e300, small: -0.000125 },
  {},
];

/** `count` events dated in `month` (YYYY-MM), inserted as the app role, one statement each. */
async function addEvents(app: pg.Client, month: string, count: number, action = 'test.chain'): Promise<void> {
  for (let i = 0; i < count; i++) {
    await app.query(
      `INSERT INTO audit_event (occurred_at, action, actor_role, entity_id, ip, details)
       VALUES ($1::timestamptz + $2 * interval '1 hour 0.000123 seconds', $3, $4, $5, $6, $7)`,
      [`${month}-03T10:00:00Z`, i, action, i % 2 ? null : 'review_chair', `ent:${i}~`, i % 3 ? '10.0.0.1' : null, AWKWARD_DETAILS[i % AWKWARD_DETAILS.length]],
    );
  }
}

/** Runs `statement` on one month's partition as the owner with that partition's user triggers (append-only and chain) off. */
async function tamper(owner: pg.Client, month: string, statement: (partition: string) => string): Promise<void> {
  const partition = `audit_event_${month.replace('-', '_')}`;
  await owner.query(`ALTER TABLE ${partition} DISABLE TRIGGER USER`);
  try {
    await owner.query(statement(partition));
  } finally {
    await owner.query(`ALTER TABLE ${partition} ENABLE TRIGGER USER`);
  }
}

const CHANGES: [string, string][] = [
  ['action', `action = 'case.viewed'`],
  ['actor_id', `actor_id = '6f1c1e52-0000-4000-8000-0000000000aa'`],
  ['actor_role', `actor_role = 'sdp_admin'`],
  ['occurred_at (one microsecond)', `occurred_at = occurred_at + interval '1 microsecond'`],
  ['details', `details = details || '{"added": 1}'`],
  ['details to NULL', `details = NULL`],
  ['changes', `changes = '{"x": {"from": 1, "to": 2}}'`],
  ['ip', `ip = '192.0.2.9'`],
  ['entity_id', `entity_id = 'ent:1'`],
  ['id', `id = gen_random_uuid()`],
  ['request_id', `request_id = 'req-forged'`],
  ['hash recomputed with a wrong predecessor', `prev_hash = sha256('x'::bytea)`],
];

describe('npm run audit:verify', () => {
  jest.setTimeout(300_000);
  let t: World;
  let owner: pg.Client;
  let app: pg.Client;
  const dir = mkdtempSync(join(tmpdir(), 'dhr-audit-anchor-'));
  const anchorFile = join(dir, 'anchor.json');
  /** One month per kind of tampering. */
  const month = {
    deleted: '2021-02',
    firstDeleted: '2021-03',
    unchained: '2021-04',
    forgedNext: '2021-05',
    forgedTwin: '2021-06',
    forgedPrev: '2021-07',
    tailCut: '2021-08',
    tailRewritten: '2021-09',
    dropped: '2021-10',
    untouched: '2021-11',
  };
  const changedMonth = (i: number) => `2022-${String(i + 1).padStart(2, '0')}`;

  beforeAll(async () => {
    t = await buildWorld();
    owner = await connect(ownerUrlOf(t));
    app = await connect(appUrlOf(t));
    await owner.query(`SELECT audit_event_ensure_partitions('2021-01-01', '2022-12-01')`);
    // Events the API writes (this month's), and events of the months to be tampered with.
    await t.http.post('/api/agencies').set(t.cast.admin.auth).send({ name: 'Chain Check Trust', sector: 'health' }).expect(201);
    await t.http.get('/api/audit?limit=5').set(t.cast.admin.auth).expect(200);
    for (const m of Object.values(month)) await addEvents(app, m, 5);
    for (let i = 0; i < CHANGES.length; i++) await addEvents(app, changedMonth(i), 4);
  });
  afterAll(async () => {
    await owner?.end();
    await app?.end();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes on an untouched trail, prints where each month ends, and saves that as the anchor', async () => {
    const result = await verify(appUrlOf(t), ['--save-anchor', anchorFile]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const thisMonth = new Date().toISOString().slice(0, 7);
    expect(Object.keys(result.months)).toEqual(expect.arrayContaining([thisMonth, ...Object.values(month)]));
    for (const report of Object.values(result.months)) expect(report.break).toBeNull();
    const [last] = (
      await owner.query(`SELECT chain_position::text AS position, encode(hash, 'hex') AS hash, count(*) OVER ()::int AS n FROM audit_event_2021_02 ORDER BY chain_position DESC LIMIT 1`)
    ).rows;
    expect(result.months['2021-02']).toMatchObject({ events: 5, position: '5', hash: last.hash });
    expect(last.n).toBe(5);
    const anchor = JSON.parse(readFileSync(anchorFile, 'utf8'));
    expect(anchor.months['2021-02']).toEqual({ position: '5', hash: last.hash });
  });

  it('chains each month from a genesis that names it, in the order of insertion, whatever chain values the inserter brings', async () => {
    await owner.query(`SELECT audit_event_ensure_partitions('2023-01-01', '2023-01-01')`);
    await app.query(
      `INSERT INTO audit_event (occurred_at, action, chain_position, prev_hash, hash) VALUES ('2023-01-05Z', 'test.own-values', 999, '\\x00', '\\x01')`,
    );
    await addEvents(app, '2023-01', 2);
    const rows = (await owner.query(`SELECT chain_position::int AS p, prev_hash = audit_event_chain_genesis('2023-01-01') AS from_genesis FROM audit_event_2023_01 ORDER BY seq`)).rows;
    expect(rows).toEqual([
      { p: 1, from_genesis: true },
      { p: 2, from_genesis: false },
      { p: 3, from_genesis: false },
    ]);
    // Many events of one statement chain one after another, in the order the statement writes them.
    await owner.query(`SELECT audit_event_ensure_partitions('2023-03-01', '2023-03-01')`);
    await app.query(`INSERT INTO audit_event (occurred_at, action, details) SELECT '2023-03-07Z', 'test.bulk', jsonb_build_object('n', n) FROM generate_series(1, 50) n`);
    const bulk = (await owner.query(`SELECT count(DISTINCT chain_position)::int AS n, max(chain_position)::int AS top FROM audit_event_2023_03`)).rows[0];
    expect(bulk).toEqual({ n: 50, top: 50 });
    const reports = (await verify(appUrlOf(t))).months;
    expect(reports['2023-01'].break).toBeNull();
    expect(reports['2023-03']).toMatchObject({ events: 50, break: null });
  });

  it('refuses to chain an event in a transaction whose snapshot may be older than the month’s last event', async () => {
    await app.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      await expect(app.query(`INSERT INTO audit_event (action) VALUES ('test.repeatable-read')`)).rejects.toThrow(/READ COMMITTED/);
    } finally {
      await app.query('ROLLBACK');
    }
  });

  it('makes one unbroken chain of inserts from many connections at once', async () => {
    await owner.query(`SELECT audit_event_ensure_partitions('2023-02-01', '2023-02-01')`);
    const clients = await Promise.all(Array.from({ length: 12 }, () => connect(appUrlOf(t))));
    try {
      await Promise.all(
        clients.map(async (client, c) => {
          for (let i = 0; i < 10; i++) {
            await client.query('BEGIN');
            await client.query(`INSERT INTO audit_event (occurred_at, action, details) VALUES ('2023-02-10Z', 'test.concurrent', $1)`, [{ c, i, n: 1 }]);
            await client.query(`INSERT INTO audit_event (occurred_at, action, details) VALUES ('2023-02-10Z', 'test.concurrent', $1)`, [{ c, i, n: 2 }]);
            await client.query('COMMIT');
          }
        }),
      );
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    const [{ n, distinct, top }] = (
      await owner.query(`SELECT count(*)::int AS n, count(DISTINCT chain_position)::int AS distinct, max(chain_position)::int AS top FROM audit_event_2023_02`)
    ).rows;
    expect({ n, distinct, top }).toEqual({ n: 240, distinct: 240, top: 240 });
    const report = (await verify(appUrlOf(t))).months['2023-02'];
    expect(report).toMatchObject({ events: 240, position: '240', break: null });
  });

  it('keeps the chain of events the DEFAULT partition caught when they move into their month', async () => {
    await addEvents(app, '2019-03', 4);
    expect((await owner.query(`SELECT count(*)::int AS n FROM audit_event_default`)).rows[0].n).toBe(4);
    const before = (await verify(appUrlOf(t))).months['2019-03'];
    expect(before).toMatchObject({ events: 4, position: '4', break: null });
    await owner.query(`SELECT audit_event_ensure_partitions('2019-03-01', '2019-03-01')`);
    await addEvents(app, '2019-03', 1);
    const after = (await verify(appUrlOf(t))).months['2019-03'];
    expect(after).toMatchObject({ events: 5, position: '5', break: null });
    expect((await owner.query(`SELECT count(*)::int AS n FROM audit_event_2019_03`)).rows[0].n).toBe(5);
  });

  describe('after the owner has tampered with the trail', () => {
    let plain: Verified;
    let anchored: Verified;

    beforeAll(async () => {
      await tamper(owner, month.deleted, (p) => `DELETE FROM ${p} WHERE chain_position = 3`);
      await tamper(owner, month.firstDeleted, (p) => `DELETE FROM ${p} WHERE chain_position = 1`);
      // Forged events, each written with the chain's trigger off.
      await tamper(owner, month.unchained, (p) => `INSERT INTO ${p} (occurred_at, action) VALUES ('${month.unchained}-04Z', 'case.viewed')`);
      await tamper(
        owner,
        month.forgedNext,
        (p) => `INSERT INTO ${p} (occurred_at, action, chain_position, prev_hash, hash)
                SELECT '${month.forgedNext}-20Z', 'case.viewed', chain_position + 1, hash, sha256('forged'::bytea) FROM ${p} ORDER BY chain_position DESC LIMIT 1`,
      );
      await tamper(
        owner,
        month.forgedTwin,
        (p) => `INSERT INTO ${p} (occurred_at, action, chain_position, prev_hash, hash)
                SELECT occurred_at, 'case.viewed', chain_position, prev_hash, sha256('forged'::bytea) FROM ${p} WHERE chain_position = 2`,
      );
      await tamper(
        owner,
        month.forgedPrev,
        (p) => `INSERT INTO ${p} (occurred_at, action, chain_position, prev_hash, hash)
                SELECT '${month.forgedPrev}-20Z', 'case.viewed', chain_position + 1, sha256('elsewhere'::bytea), hash FROM ${p} ORDER BY chain_position DESC LIMIT 1`,
      );
      // The tail cut off: the chain that is left is whole.
      await tamper(owner, month.tailCut, (p) => `DELETE FROM ${p} WHERE chain_position >= 4`);
      // The tail cut off and written again, through the trigger, so it chains as any insert would.
      await tamper(owner, month.tailRewritten, (p) => `DELETE FROM ${p} WHERE chain_position = 5`);
      await app.query(`INSERT INTO audit_event (occurred_at, action) VALUES ('${month.tailRewritten}-25Z', 'case.viewed')`);
      // A whole month dropped.
      await owner.query(`ALTER TABLE audit_event DETACH PARTITION audit_event_${month.dropped.replace('-', '_')}`);
      await owner.query(`DROP TABLE audit_event_${month.dropped.replace('-', '_')}`);
      for (let i = 0; i < CHANGES.length; i++) await tamper(owner, changedMonth(i), (p) => `UPDATE ${p} SET ${CHANGES[i][1]} WHERE chain_position = 2`);

      plain = await verify(appUrlOf(t));
      anchored = await verify(appUrlOf(t), ['--anchor', anchorFile]);
    });

    it('exits non-zero and names the first break of each month', () => {
      expect(plain.code).toBe(1);
      expect(anchored.code).toBe(1);
      expect(plain.stdout).toMatch(/months broken/);
      expect(plain.months[month.untouched].break).toBeNull();
      expect(anchored.months[month.untouched].break).toBeNull();
    });

    it('finds an event deleted in the middle of a month, and the first of a month', () => {
      expect(plain.months[month.deleted].break).toMatchObject({ kind: 'missing', position: '4', message: expect.stringMatching(/position 3 is missing/) });
      expect(plain.months[month.firstDeleted].break).toMatchObject({ kind: 'missing', position: '2', message: expect.stringMatching(/position 1 is missing/) });
    });

    it.each(CHANGES.map(([name], i) => [name, i] as const))('finds an event whose %s was changed', (_name, i) => {
      const report = plain.months[changedMonth(i)];
      expect(report.break).toMatchObject({ position: '2' });
      expect(['changed', 'forged-link']).toContain(report.break?.kind);
    });

    it('finds forged events: one with no link, one with a made-up hash, one at a taken position, one naming another predecessor', () => {
      expect(plain.months[month.unchained].break).toMatchObject({ kind: 'unchained', position: null });
      expect(plain.months[month.forgedNext].break).toMatchObject({ kind: 'changed', position: '6' });
      expect(plain.months[month.forgedTwin].break).toMatchObject({ kind: 'forged-link', position: '2' });
      expect(plain.months[month.forgedPrev].break).toMatchObject({ kind: 'forged-link', position: '6' });
    });

    it('finds a cut or rewritten tail, and a dropped month, only against the anchor', () => {
      expect(plain.months[month.tailCut]).toMatchObject({ events: 3, position: '3', break: null });
      expect(plain.months[month.tailRewritten]).toMatchObject({ events: 5, position: '5', break: null });
      expect(plain.months[month.dropped]).toBeUndefined();
      expect(anchored.months[month.tailCut].break).toMatchObject({ kind: 'truncated', message: expect.stringMatching(/position 5.*position 3/) });
      expect(anchored.months[month.tailRewritten].break).toMatchObject({ kind: 'rewritten', position: '5' });
      expect(anchored.months[month.dropped]).toMatchObject({ events: 0, break: { kind: 'truncated' } });
    });

    it('saves no anchor of a broken trail', async () => {
      const file = join(dir, 'broken-anchor.json');
      const result = await verify(appUrlOf(t), ['--save-anchor', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no anchor saved/);
      expect(() => readFileSync(file)).toThrow();
    });
  });

  it('refuses a bad anchor file or bad arguments with a clear message, exit code 2', async () => {
    const bad = join(dir, 'bad.json');
    const cases: [string[], RegExp][] = [[['--anchor'], /usage/], [['--frobnicate', 'x'], /usage/], [['--anchor', join(dir, 'absent.json')], /ENOENT|no such file/]];
    const hostile = [
      'not json',
      '[]',
      'null',
      '{"format":"dhr-audit-anchor-1"}',
      '{"format":"other","months":{}}',
      '{"format":"dhr-audit-anchor-1","months":{"2021-13":{"position":"1","hash":"' + 'a'.repeat(64) + '"}}}',
      '{"format":"dhr-audit-anchor-1","months":{"2021-01":{"position":"0","hash":"' + 'a'.repeat(64) + '"}}}',
      '{"format":"dhr-audit-anchor-1","months":{"2021-01":{"position":1,"hash":"' + 'a'.repeat(64) + '"}}}',
      '{"format":"dhr-audit-anchor-1","months":{"2021-01":{"position":"1","hash":"xyz"}}}',
      '{"format":"dhr-audit-anchor-1","months":{"2021-01":null}}',
    ];
    for (const [args, message] of cases) {
      const result = await verify(appUrlOf(t), args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
    }
    for (const text of hostile) {
      writeFileSync(bad, text);
      const result = await verify(appUrlOf(t), ['--anchor', bad]);
      expect({ text, code: result.code }).toEqual({ text, code: 2 });
      expect(result.stderr).toMatch(/audit:verify failed: the anchor file/);
    }
  });
});

describe('the chain migration', () => {
  jest.setTimeout(300_000);

  it('chains the events already written, month by month in the order of their numbers', async () => {
    const chaining = migrations.findIndex((m) => m.name === 'AuditChain1765020000000');
    expect(chaining).toBeGreaterThan(0);
    const db = await createEmptyDatabase();
    const settings = { url: db.migrationUrl, poolSize: 2, statementTimeoutMs: 60_000 };
    const before = new DataSource({ ...dataSourceOptions(settings), migrations: migrations.slice(0, chaining) });
    await before.initialize();
    try {
      await before.runMigrations({ transaction: 'each' });
      await before.query(`
        INSERT INTO audit_event (occurred_at, action, details)
        SELECT timestamptz '2025-01-15 10:00:00+00' + ((n % 7) * interval '17 days'), 'legacy.event', jsonb_build_object('n', n, 'name', 'Ævar ' || n)
          FROM generate_series(1, 60) AS n`);
    } finally {
      await before.destroy();
    }
    await runMigrations(settings, db.appRole);
    const result = await verify(db.url);
    expect(result.code).toBe(0);
    const legacy = Object.values(result.months).filter((r) => r.month.startsWith('2025'));
    expect(legacy.reduce((sum, r) => sum + r.events, 0)).toBe(60);
    const owner = await connect(db.migrationUrl);
    try {
      const outOfOrder = await owner.query(`
        SELECT 1 FROM (SELECT chain_position, row_number() OVER (PARTITION BY date_trunc('month', occurred_at AT TIME ZONE 'UTC') ORDER BY seq) AS expected
                         FROM audit_event) e
         WHERE chain_position <> expected`);
      expect(outOfOrder.rows).toEqual([]);
      // The trail stays append-only after the migration switched its triggers off and on.
      await expect(owner.query(`DELETE FROM audit_event WHERE action = 'legacy.event'`)).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
    // Reverted (with every migration after it), the trail is as it was before: no chain columns, no chain trigger, inserts as before.
    const after = new DataSource({ ...dataSourceOptions(settings), migrations });
    await after.initialize();
    try {
      for (let n = migrations.length; n > chaining; n--) await after.undoLastMigration({ transaction: 'each' });
      const left = await after.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'audit_event'::regclass AND attname IN ('chain_position', 'prev_hash', 'hash') AND NOT attisdropped`);
      expect(left).toEqual([]);
      expect(await after.query(`SELECT tgname FROM pg_trigger WHERE tgname = 'audit_event_chain'`)).toEqual([]);
      await after.query(`INSERT INTO audit_event (action) VALUES ('after.revert')`);
    } finally {
      await after.destroy();
    }
  });
});
