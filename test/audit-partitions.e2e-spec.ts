import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { migrations } from '../migrations/index.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { urlFor } from '../src/database/database-roles.js';
import { runMigrations } from '../src/database/migrate.js';
import { createEmptyDatabase, testDatabaseEnv } from './support/test-database.js';
import { buildWorld, type World } from './support/world.js';

/** The audit trail partitioned by month (docs/architecture.md, "The audit trail's monthly partitions"). */

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The database a World's DataSource connects to, as the owner role. */
function ownerUrlOf(t: World): string {
  const { serverUrl, owner } = testDatabaseEnv();
  const database = t.dataSource.options.database ?? new URL((t.dataSource.options as { url: string }).url).pathname.slice(1);
  return urlFor(serverUrl, decodeURIComponent(String(database)), owner);
}

const PARTITIONS = `
  SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = 'audit_event'::regclass ORDER BY c.relname`;

const PARTITION_OF_EVENT = `SELECT tableoid::regclass::text AS partition FROM audit_event WHERE action = $1`;

describe('the audit trail partitioned by month: the migration', () => {
  const partitioning = migrations.findIndex((m) => m.name === 'AuditPartitions1764980000000');

  it('keeps the events already written, their numbers and the sequence, then goes on numbering after them', async () => {
    expect(partitioning).toBeGreaterThan(0);
    const db = await createEmptyDatabase();
    const settings = { url: db.migrationUrl, poolSize: 2, statementTimeoutMs: 60_000 };
    const before = new DataSource({ ...dataSourceOptions(settings), migrations: migrations.slice(0, partitioning) });
    await before.initialize();
    try {
      await before.runMigrations({ transaction: 'each' });
      await before.query(`
        INSERT INTO audit_event (occurred_at, action, details)
        SELECT timestamptz '2025-01-15 10:00:00+00' + (n * interval '9 days'), 'legacy.event', jsonb_build_object('n', n)
          FROM generate_series(1, 40) AS n`);
    } finally {
      await before.destroy();
    }
    const owner = await connect(db.migrationUrl);
    try {
      const old = (await owner.query(`SELECT seq::text, id, occurred_at FROM audit_event ORDER BY seq`)).rows;
      const lastSeq = (await owner.query(`SELECT last_value::text FROM audit_event_seq_seq`)).rows[0].last_value;

      await runMigrations(settings, db.appRole);

      const [{ relkind }] = (await owner.query(`SELECT relkind FROM pg_class WHERE oid = 'audit_event'::regclass`)).rows;
      expect(relkind).toBe('p');
      expect((await owner.query(`SELECT seq::text, id, occurred_at FROM audit_event ORDER BY seq`)).rows).toEqual(old);
      const partitions = (await owner.query(PARTITIONS)).rows.map((r) => r.name);
      // 40 events nine days apart from mid-January 2025 span Jan 2025 to Dec 2025; this month and two ahead are made too.
      for (const month of ['2025_01', '2025_06', '2025_12']) expect(partitions).toContain(`audit_event_${month}`);
      expect(partitions).toContain('audit_event_default');
      expect((await owner.query(`SELECT count(*)::int AS n FROM audit_event_default`)).rows[0].n).toBe(0);
      expect((await owner.query(`SELECT count(*)::int AS n FROM audit_event_2025_01`)).rows[0].n).toBe(1);

      await owner.query(`INSERT INTO audit_event (action) VALUES ('after.partitioning')`);
      const [{ seq }] = (await owner.query(`SELECT seq::text FROM audit_event WHERE action = 'after.partitioning'`)).rows;
      expect(BigInt(seq)).toBe(BigInt(lastSeq) + 1n);

      // Every index the listing and its filters use is there, as a partitioned index.
      const indexes = (await owner.query(`SELECT relname FROM pg_class WHERE relkind = 'I' AND relname LIKE 'audit_event%' ORDER BY relname`)).rows.map(
        (r) => r.relname,
      );
      expect(indexes).toEqual(
        expect.arrayContaining([
          'audit_event_action_idx',
          'audit_event_actor_idx',
          'audit_event_case_idx',
          'audit_event_client_idx',
          'audit_event_occurred_idx',
          'audit_event_partnership_idx',
          'audit_event_pkey',
        ]),
      );
      const foreignKeys = (await owner.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'audit_event'::regclass AND contype = 'f'`)).rows;
      expect(foreignKeys).toEqual([{ def: 'FOREIGN KEY (client_id) REFERENCES api_client(id)' }]);
    } finally {
      await owner.end();
    }
  });
});

describe('the audit trail partitioned by month: the months made at start-up', () => {
  it.each([
    ['mid-year', '2031-06-15T12:00:00Z', ['2031_06', '2031_07', '2031_08'], '2031_09'],
    ['across the new year, late on the last day of the year', '2031-12-31T23:30:00Z', ['2031_12', '2032_01', '2032_02'], '2032_03'],
  ])('makes the month of the start and the next two, %s', async (_when, now, made, notYet) => {
    const db = await createEmptyDatabase();
    await runMigrations({ url: db.migrationUrl, poolSize: 2, statementTimeoutMs: 60_000 }, db.appRole, new Date(now));
    const owner = await connect(db.migrationUrl);
    try {
      const names = (await owner.query(PARTITIONS)).rows.map((r) => r.name);
      expect(names.filter((n) => n.startsWith('audit_event_203'))).toEqual(made.map((month) => `audit_event_${month}`));
      expect(names).not.toContain(`audit_event_${notYet}`);
    } finally {
      await owner.end();
    }
  });
});

describe('the audit trail partitioned by month', () => {
  let t: World;
  let owner: pg.Client;
  let app: pg.Client;

  beforeAll(async () => {
    t = await buildWorld();
    owner = await connect(ownerUrlOf(t));
    app = await connect((t.dataSource.options as { url: string }).url);
  });
  afterAll(async () => {
    await owner?.end();
    await app?.end();
    await t?.close();
  });

  it('gives each partition its own append-only triggers', async () => {
    expect((await owner.query(PARTITIONS)).rows.length).toBeGreaterThan(3);
    const unprotected = await owner.query(`
      SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'audit_event'::regclass
         AND (SELECT count(*) FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgparentid = 0
               AND g.tgname IN ('audit_event_partition_no_update_or_delete', 'audit_event_partition_no_truncate')) <> 2`);
    expect(unprotected.rows).toEqual([]);
  });

  it('refuses the app role UPDATE, DELETE and TRUNCATE on the trail and on each partition, and any change to the partitions', async () => {
    const [{ partition }] = (await app.query(`SELECT tableoid::regclass::text AS partition FROM audit_event LIMIT 1`)).rows;
    const [{ n: before }] = (await app.query(`SELECT count(*)::int AS n FROM audit_event`)).rows;
    for (const table of ['audit_event', partition, 'audit_event_default']) {
      await expect(app.query(`UPDATE ${table} SET action = 'tampered'`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`TRUNCATE ${table}`)).rejects.toThrow(/permission denied/);
    }
    await expect(app.query(`ALTER TABLE audit_event DETACH PARTITION ${partition}`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`DROP TABLE ${partition}`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`ALTER TABLE ${partition} DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`CREATE TABLE audit_event_2001_01 PARTITION OF audit_event FOR VALUES FROM ('2001-01-01') TO ('2001-02-01')`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(app.query(`SELECT audit_event_ensure_partitions(now(), now())`)).rejects.toThrow(/permission denied/);
    expect((await app.query(`SELECT count(*)::int AS n FROM audit_event`)).rows[0].n).toBe(before);
    // Not even the owner changes a row: the partition's own trigger refuses it.
    await expect(owner.query(`UPDATE ${partition} SET action = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`DELETE FROM ${partition}`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`TRUNCATE ${partition}`)).rejects.toThrow(/append-only/);
  });

  it('makes missing months once: ensuring them again makes none', async () => {
    expect((await owner.query(`SELECT audit_event_ensure_partitions('2024-03-10', '2024-05-02') AS made`)).rows[0].made).toBe(3);
    expect((await owner.query(`SELECT audit_event_ensure_partitions('2024-03-01', '2024-05-31') AS made`)).rows[0].made).toBe(0);
    const bounds = (await owner.query(PARTITIONS)).rows.filter((r) => r.name === 'audit_event_2024_04');
    expect(bounds).toEqual([{ name: 'audit_event_2024_04', bound: "FOR VALUES FROM ('2024-04-01 00:00:00+00') TO ('2024-05-01 00:00:00+00')" }]);
  });

  it('lands an event dated in a month nobody made in the DEFAULT partition, and moves it into that month once it is made', async () => {
    await app.query(`INSERT INTO audit_event (occurred_at, action) VALUES ('2019-07-04 12:00:00+00', 'test.unmade-month')`);
    expect((await app.query(PARTITION_OF_EVENT, ['test.unmade-month'])).rows).toEqual([{ partition: 'audit_event_default' }]);
    expect((await owner.query(`SELECT audit_event_ensure_partitions('2019-07-01', '2019-07-01') AS made`)).rows[0].made).toBe(1);
    expect((await app.query(PARTITION_OF_EVENT, ['test.unmade-month'])).rows).toEqual([{ partition: 'audit_event_2019_07' }]);
    expect((await owner.query(`SELECT count(*)::int AS n FROM audit_event_default`)).rows[0].n).toBe(0);
    await expect(owner.query(`DELETE FROM audit_event_2019_07`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`DELETE FROM audit_event_default`)).resolves.toBeDefined(); // empty: nothing for the trigger to refuse
    await expect(app.query(`UPDATE audit_event_2019_07 SET action = 'tampered'`)).rejects.toThrow(/permission denied/);
  });

  describe('listing at a few thousand events over several months', () => {
    // Six past months, none of them the month the cast's own events fall in (whatever the day of the run).
    const months = ['2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01'];
    let caseId: string;
    let partnershipId: string;

    beforeAll(async () => {
      expect((await owner.query(`SELECT audit_event_ensure_partitions('2024-08-01', '2025-01-31') AS made`)).rows[0].made).toBe(months.length);
      partnershipId = t.cast.exeter;
      caseId = '6f1c1e52-0000-4000-8000-00000000a11d';
      // 6,000 events: 1,000 a month, spread over actors, actions, cases and partnerships.
      await app.query(
        `INSERT INTO audit_event (occurred_at, action, actor_id, case_id, partnership_id, entity_type)
         SELECT (m || '-01')::timestamptz + (n % 27) * interval '1 day' + n * interval '1 second',
                'bulk.' || (n % 20),
                ('6f1c1e52-0000-4000-8000-' || lpad((n % 50)::text, 12, '0'))::uuid,
                CASE WHEN n % 100 = 0 THEN $1::uuid ELSE ('6f1c1e52-0000-4000-9000-' || lpad((n % 400)::text, 12, '0'))::uuid END,
                CASE WHEN n % 3 = 0 THEN $2::uuid ELSE NULL END,
                'bulk'
           FROM unnest($3::text[]) AS m, generate_series(1, 1000) AS n`,
        [caseId, partnershipId, months],
      );
      await owner.query('ANALYZE audit_event');
    });

    /** Runs `request` and captures the SQL the application sent that reads the audit trail. */
    async function auditQueriesOf(request: () => Promise<unknown>): Promise<{ sql: string; parameters: unknown[] }[]> {
      const seen: { sql: string; parameters: unknown[] }[] = [];
      const driver = t.dataSource.driver;
      const original = driver.createQueryRunner.bind(driver);
      driver.createQueryRunner = (mode) => {
        const runner: QueryRunner = original(mode);
        const query = runner.query.bind(runner);
        runner.query = ((sql: string, parameters?: unknown[], ...rest: unknown[]) => {
          if (/FROM "?audit_event"?\b/i.test(sql) && /^\s*SELECT/i.test(sql)) seen.push({ sql, parameters: parameters ?? [] });
          return (query as (...args: unknown[]) => Promise<unknown>)(sql, parameters, ...rest);
        }) as QueryRunner['query'];
        return runner;
      };
      try {
        await request();
      } finally {
        driver.createQueryRunner = original;
      }
      return seen;
    }

    /** The plan's nodes that read a relation: its kind and the relation's name. */
    async function scansOf(sql: string, parameters: unknown[]): Promise<{ node: string; relation: string }[]> {
      const [{ 'QUERY PLAN': plan }] = (await owner.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters)).rows;
      const scans: { node: string; relation: string }[] = [];
      const walk = (node: Record<string, unknown>) => {
        if (typeof node['Relation Name'] === 'string') scans.push({ node: String(node['Node Type']), relation: node['Relation Name'] });
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
      };
      walk(plan[0].Plan);
      return scans;
    }

    /**
     * The partitions holding a real share of events. One of a few rows (a
     * month the DEFAULT partition test made, say) is read whole, rightly:
     * that costs less than its index.
     */
    async function partitionsWithEvents(): Promise<Set<string>> {
      const rows = (await owner.query(`SELECT tableoid::regclass::text AS name FROM audit_event GROUP BY 1 HAVING count(*) >= 500`)).rows;
      return new Set(rows.map((r) => r.name));
    }

    const listings: [string, (ctx: { caseId: string; actorId: string }) => string, 'admin' | 'chair'][] = [
      ['the whole trail', () => '/api/audit', 'admin'],
      ['one case', ({ caseId }) => `/api/audit?caseId=${caseId}`, 'admin'],
      ['one actor', ({ actorId }) => `/api/audit?actorId=${actorId}`, 'admin'],
      ['one action', () => '/api/audit?action=bulk.7', 'admin'],
      ['a time window', () => '/api/audit?from=2024-10-01T00:00:00Z&to=2024-11-01T00:00:00Z', 'admin'],
      ['a CSP chair’s cases', () => '/api/audit', 'chair'],
      ['a CSP chair’s one case', ({ caseId }) => `/api/audit?caseId=${caseId}`, 'chair'],
    ];

    it.each(listings)('reads %s through indexes, never a sequential scan of a partition holding events', async (_name, path, who) => {
      const session = who === 'admin' ? t.cast.admin : t.cast.exeterChair;
      const actorId = '6f1c1e52-0000-4000-8000-000000000007';
      const queries = await auditQueriesOf(() => t.http.get(path({ caseId, actorId })).set(session.auth).expect(200));
      expect(queries.length).toBeGreaterThan(0);
      const filled = await partitionsWithEvents();
      expect(filled.size).toBe(months.length);
      for (const { sql, parameters } of queries) {
        const scans = (await scansOf(sql, parameters)).filter((s) => s.relation.startsWith('audit_event'));
        expect(scans.length).toBeGreaterThan(0);
        expect(scans.filter((s) => s.node === 'Seq Scan' && filled.has(s.relation))).toEqual([]);
      }
    });

    it('reads only the months a time window covers', async () => {
      const queries = await auditQueriesOf(() =>
        t.http.get('/api/audit?from=2024-10-01T00:00:00Z&to=2024-11-01T00:00:00Z').set(t.cast.admin.auth).expect(200),
      );
      const relations = new Set((await scansOf(queries[0].sql, queries[0].parameters)).map((s) => s.relation));
      expect([...relations].filter((r) => r.startsWith('audit_event'))).toEqual(['audit_event_2024_10']);
    });

    it('detaching a month keeps it read-only for the app role, and the listing goes on without it', async () => {
      // The app role reads the trail through its parent only.
      await expect(app.query(`SELECT count(*) FROM audit_event_2024_10`)).rejects.toThrow(/permission denied/);
      const [{ n: archived }] = (await owner.query(`SELECT count(*)::int AS n FROM audit_event_2024_10`)).rows;
      expect(archived).toBe(1000);

      // The operator's procedure (docs/architecture.md, "Archiving old audit months").
      await owner.query(`ALTER TABLE audit_event DETACH PARTITION audit_event_2024_10`);
      await owner.query(`CREATE SCHEMA IF NOT EXISTS audit_archive`);
      await owner.query(`ALTER TABLE audit_event_2024_10 SET SCHEMA audit_archive`);

      await expect(owner.query(`UPDATE audit_archive.audit_event_2024_10 SET action = 'tampered'`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM audit_archive.audit_event_2024_10`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`TRUNCATE audit_archive.audit_event_2024_10`)).rejects.toThrow(/append-only/);
      await expect(app.query(`UPDATE audit_archive.audit_event_2024_10 SET action = 'tampered'`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`DELETE FROM audit_archive.audit_event_2024_10`)).rejects.toThrow(/permission denied/);
      expect((await owner.query(`SELECT count(*)::int AS n FROM audit_archive.audit_event_2024_10 WHERE action LIKE 'bulk.%'`)).rows[0].n).toBe(1000);

      // What remains is as append-only as before, and still listed.
      await expect(app.query(`DELETE FROM audit_event`)).rejects.toThrow(/permission denied/);
      await expect(owner.query(`DELETE FROM audit_event WHERE action = 'bulk.3'`)).rejects.toThrow(/append-only/);
      const october = await t.http.get('/api/audit?from=2024-10-01T00:00:00Z&to=2024-11-01T00:00:00Z').set(t.cast.admin.auth).expect(200);
      expect(october.body.items).toEqual([]);
      const november = await t.http.get('/api/audit?from=2024-11-01T00:00:00Z&to=2024-12-01T00:00:00Z&limit=5').set(t.cast.admin.auth).expect(200);
      expect(november.body.items).toHaveLength(5);
      await t.http.post('/api/agencies').set(t.cast.admin.auth).send({ name: 'Archive Check Trust', sector: 'health' }).expect(201);
      const latest = await t.http.get('/api/audit?action=agency.created&limit=1').set(t.cast.admin.auth).expect(200);
      expect(latest.body.items[0].action).toBe('agency.created');

      // An auditor reads the month by attaching it again; the start-up ensure leaves an archived name alone.
      await owner.query(`ALTER TABLE audit_archive.audit_event_2024_10 SET SCHEMA public`);
      await owner.query(`ALTER TABLE audit_event ATTACH PARTITION audit_event_2024_10 FOR VALUES FROM ('2024-10-01 00:00:00+00') TO ('2024-11-01 00:00:00+00')`);
      const back = await t.http.get('/api/audit?from=2024-10-01T00:00:00Z&to=2024-11-01T00:00:00Z&limit=3').set(t.cast.admin.auth).expect(200);
      expect(back.body.items).toHaveLength(3);
    });
  });
});
