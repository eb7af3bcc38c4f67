/**
 * npm run bench:milestones
 *
 * Seeds 20,000 fictional cases across the four CSPs (decisions, holds,
 * completions and contribution requests in realistic proportions), computes
 * their stored milestone state, times the daily sweep, then measures
 * GET /api/milestones?status=overdue for an SDP admin and for one CSP chair,
 * one request at a time and under 50 concurrent connections (autocannon)
 * beside GET /api/cases and GET /api/health, and shows the page query's
 * plan. Writes the figures to docs/benchmarks.md. Uses its own throw-away
 * embedded PostgreSQL, or DATABASE_URL's server.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { milestoneScopeCondition } from '../src/access/access.queries.js';
import type { Role } from '../src/access/roles.js';
import { AppModule } from '../src/app.module.js';
import { hashPassword } from '../src/auth/passwords.js';
import { londonDate } from '../src/common/calendar.js';
import { loadConfig } from '../src/config/app-config.js';
import { runMigrations } from '../src/database/migrate.js';
import { MilestoneSources } from '../src/milestones/milestone-sources.js';
import { backfillMilestoneState } from '../src/milestones/milestone-state.js';
import { MilestoneStateService } from '../src/milestones/milestone-state.service.js';
import { findMilestonePage } from '../src/milestones/milestones.queries.js';
import { SweepService } from '../src/milestones/sweep.service.js';
import { benchDatabaseServer, currentCommit, freePort, machineLine, mergeSection, percentile, readBenchmarks, startServer } from './bench-support.js';

const CASES = Number(process.env.BENCH_CASES ?? 20_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 8);
const PASSWORD = 'benchmark-password-1';

function onDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const hash = await hashPassword(PASSWORD);
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO app_user (email, name, role, partnership_id, password_hash)
       VALUES ('admin@bench.example', 'Bench Admin', 'sdp_admin', NULL, $1),
              ('chair@bench.example', 'Bench Chair', 'csp_chair', (SELECT id FROM partnership WHERE code = 'exeter'), $1)`,
      [hash],
    );
    await client.query(
      `INSERT INTO app_user (email, name, role, password_hash)
       SELECT 'reviewer' || i || '@bench.example', 'Bench Reviewer ' || i, 'review_chair', $1 FROM generate_series(1, 30) i`,
      [hash],
    );
    await client.query(
      `INSERT INTO agency (name, sector) SELECT 'Bench Agency ' || i, (ARRAY['police','health','local_authority','probation','voluntary'])[1 + i % 5]
       FROM generate_series(1, 12) i`,
    );
    // One row per case, with a random "age" that decides how far it has got.
    await client.query(`
      CREATE TEMP TABLE seed AS
      SELECT i, (SELECT array_agg(id ORDER BY code) FROM partnership)[1 + i % 4] AS partnership_id,
             (current_date - (random() * 2000)::int) AS notified_on,
             random() AS r, random() AS r2, random() AS r3
        FROM generate_series(1, ${CASES}) i`);
    await client.query(`
      INSERT INTO review_case (reference, partnership_id, review_type, regime, stage, notified_on, notification_source,
                               decision_outcome, decided_on, decision_rationale, commissioned_on, home_office_notified_on,
                               terms_of_reference_agreed_on, review_chair_id, completed_on)
      SELECT 'BENCH-' || i, partnership_id, CASE WHEN r3 < 0.1 THEN 'DARDR' ELSE 'DHR' END,
             CASE WHEN r3 < 0.1 THEN 'dardr-2024' ELSE 'dhr-2016' END,
             CASE WHEN age < 25 THEN 'notified'
                  WHEN r < 0.07 THEN 'not_commissioned'
                  WHEN age < 120 THEN 'panel_established'
                  WHEN age < 250 THEN 'information_gathering'
                  WHEN age < 400 THEN 'drafting'
                  WHEN age < 460 THEN 'home_office_qa'
                  WHEN age < 700 THEN 'published'
                  ELSE 'closed' END,
             notified_on, 'Bench notification',
             CASE WHEN age < 25 THEN NULL WHEN r < 0.07 THEN 'no_review' ELSE 'commission' END,
             CASE WHEN age < 25 THEN NULL ELSE notified_on + (10 + r2 * 40)::int END,
             CASE WHEN age < 25 THEN NULL ELSE 'Bench rationale' END,
             CASE WHEN age < 25 OR r < 0.07 THEN NULL ELSE notified_on + (10 + r2 * 40)::int END,
             CASE WHEN age < 25 OR r2 < 0.15 THEN NULL ELSE notified_on + (15 + r2 * 40)::int END,
             CASE WHEN age < 120 OR r < 0.07 THEN NULL ELSE notified_on + 90 END,
             CASE WHEN age < 120 OR r < 0.07 THEN NULL ELSE (SELECT id FROM app_user WHERE role = 'review_chair' ORDER BY email OFFSET (i % 30) LIMIT 1) END,
             CASE WHEN age < 460 OR r < 0.07 THEN NULL ELSE notified_on + (200 + r2 * 300)::int END
        FROM (SELECT *, current_date - notified_on AS age FROM seed) s`);
    await client.query(`
      UPDATE review_case SET first_completed_on = completed_on WHERE reference LIKE 'BENCH-%'`);
    await client.query(`
      INSERT INTO case_subject (case_id, position, role, full_name, pseudonym)
      SELECT id, 0, 'victim', 'Bench Person ' || seq, 'Pseudonym' || seq FROM review_case WHERE reference LIKE 'BENCH-%'`);
    await client.query(`
      INSERT INTO case_hold (case_id, reason, started_on, ended_on)
      SELECT id, 'criminal_proceedings', commissioned_on + 20,
             CASE WHEN random() < 0.3 THEN NULL ELSE least(commissioned_on + 20 + (random() * 150)::int, current_date) END
        FROM review_case WHERE reference LIKE 'BENCH-%' AND commissioned_on IS NOT NULL AND commissioned_on + 20 < current_date AND random() < 0.15`);
    await client.query(`
      INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, draft_report_offered)
      SELECT id, least(commissioned_on + (random() * 60)::int, current_date), 'letter', true, true, stage IN ('home_office_qa','published','closed')
        FROM review_case WHERE reference LIKE 'BENCH-%' AND commissioned_on IS NOT NULL AND random() < 0.85`);
    // A request is outstanding only while information is being gathered; one resolved has its resolution date (the schema insists).
    await client.query(`
      INSERT INTO contribution_request (case_id, agency_id, kind, due_on, status, waived_reason, resolved_at, created_at)
      SELECT case_id, agency_id, 'imr', due_on, status, NULL,
             CASE WHEN status = 'requested' THEN NULL ELSE least(created_at + interval '60 days', now()) END, created_at
        FROM (SELECT c.id AS case_id, a.id AS agency_id, c.commissioned_on + 120 AS due_on, (c.commissioned_on + 30)::timestamptz AS created_at,
                     CASE WHEN c.stage IN ('panel_established','information_gathering') AND random() < 0.6 THEN 'requested' ELSE 'submitted' END AS status
                FROM review_case c
                JOIN LATERAL (SELECT id FROM agency ORDER BY random() LIMIT 3) a ON true
               WHERE c.reference LIKE 'BENCH-%' AND c.commissioned_on IS NOT NULL AND c.stage <> 'not_commissioned'
                 AND c.commissioned_on + 30 < current_date) requests`);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

async function timeRequests(base: string, token: string, path: string) {
  const once = async () => {
    const start = process.hrtime.bigint();
    const res = await fetch(base + path, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items: unknown[] };
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, items: body.items.length };
  };
  for (let i = 0; i < 10; i++) await once();
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const r = await once();
    times.push(r.ms);
    items = r.items;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1], items };
}

async function login(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`signing in as ${email} answered ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

interface LoadFigures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** One route under CONNECTIONS concurrent connections: the median of ROUNDS rounds of ROUND_SECONDS each. */
async function load(base: string, path: string, token?: string): Promise<LoadFigures> {
  const rounds: LoadFigures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const result = await autocannon({
      url: base + path,
      connections: CONNECTIONS,
      duration: ROUND_SECONDS,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    rounds.push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx });
  }
  const median = (pick: (f: LoadFigures) => number) => [...rounds.map(pick)].sort((a, b) => a - b)[Math.floor(rounds.length / 2)];
  return { rps: median((f) => f.rps), p50: median((f) => f.p50), p99: median((f) => f.p99), errors: rounds.reduce((n, f) => n + f.errors, 0) };
}

/** The plan PostgreSQL chooses for the cross-case page query of one actor, run once with ANALYZE. */
async function explainPage(client: pg.Client, actor: { role: Role; userId: string; partnershipId: string | null }): Promise<string> {
  let captured: { sql: string; params: unknown[] } | undefined;
  const capture = { query: async (sql: string, params: unknown[]) => ((captured = { sql, params }), []) };
  await findMilestonePage(capture as unknown as EntityManager, {
    scope: milestoneScopeCondition({ ...actor, agencyId: null, sessionId: '' }),
    agency: null,
    statutory: true,
    status: 'overdue',
    limit: 51,
    today: londonDate(new Date()),
    dueSoonDays: 14,
  });
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${captured!.sql}`, captured!.params);
  return rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
}

async function main(): Promise<void> {
  const { serverUrl, close } = await benchDatabaseServer();
  const database = `dhr_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = onDatabase(serverUrl, database);
  const client = new pg.Client({ connectionString: url });
  let server: ChildProcess | undefined;
  try {
    await runMigrations({ url, poolSize: 2, statementTimeoutMs: 600_000 });
    await client.connect();
    const seedStart = Date.now();
    await seed(url);
    const seedSeconds = (Date.now() - seedStart) / 1000;

    // The sweep and the stored state are timed in this process; the HTTP figures against a server of its own.
    const config = { ...loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789' }), logLevel: 'silent' as const };
    const context = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl: url }), { logger: false });
    const today = londonDate(new Date());
    let sweeps: Figures['sweeps'];
    let backfillMs: number;
    try {
      const dataSource = context.get<DataSource>(getDataSourceToken());
      const t0 = Date.now();
      await backfillMilestoneState(dataSource.manager, context.get(MilestoneSources), config.milestones, today);
      backfillMs = Date.now() - t0;
      const sweep = context.get(SweepService);
      const t1 = Date.now();
      const first = await sweep.run(today);
      const firstMs = Date.now() - t1;
      const t2 = Date.now();
      const second = await sweep.run(today);
      sweeps = { first: { ...first, ms: firstMs }, second: { ...second, ms: Date.now() - t2 } };
      const verify = await context.get(MilestoneStateService).verify();
      if (verify.differences.length > 0) throw new Error(`${verify.differences.length} stored milestones differ from their facts`);
    } finally {
      await context.close();
    }
    await client.query('ANALYZE');

    const port = await freePort();
    server = await startServer(url, port);
    const base = `http://127.0.0.1:${port}`;
    const adminToken = await login(base, 'admin@bench.example');
    const chairToken = await login(base, 'chair@bench.example');
    const adminRun = await timeRequests(base, adminToken, '/api/milestones?status=overdue');
    const chairRun = await timeRequests(base, chairToken, '/api/milestones?status=overdue');
    const loads = {
      health: await load(base, '/api/health'),
      adminOverdue: await load(base, '/api/milestones?status=overdue', adminToken),
      chairOverdue: await load(base, '/api/milestones?status=overdue', chairToken),
      chairCases: await load(base, '/api/cases', chairToken),
    };
    const [{ id: adminId }] = (await client.query(`SELECT id FROM app_user WHERE email = 'admin@bench.example'`)).rows;
    const [{ id: chairId, partnership_id: exeter }] = (await client.query(`SELECT id, partnership_id FROM app_user WHERE email = 'chair@bench.example'`)).rows;
    const plans = {
      admin: await explainPage(client, { role: 'sdp_admin', userId: adminId, partnershipId: null }),
      chair: await explainPage(client, { role: 'csp_chair', userId: chairId, partnershipId: exeter }),
    };
    const pgVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
    const report = renderReport({ seedSeconds, backfillMs, sweeps, adminRun, chairRun, loads, plans, pgVersion });
    writeFileSync('docs/benchmarks.md', mergeSection(readBenchmarks(), BEGIN, END, report));
    process.stdout.write(report + '\n');
  } finally {
    server?.kill('SIGTERM');
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await close();
  }
}

interface SweepFigures {
  ms: number;
  casesChecked: number;
  alertsRaised: number;
  notificationsSent: number;
}

interface Figures {
  seedSeconds: number;
  backfillMs: number;
  sweeps: { first: SweepFigures; second: SweepFigures };
  adminRun: { p50: number; p95: number; max: number; items: number };
  chairRun: { p50: number; p95: number; max: number; items: number };
  loads: { health: LoadFigures; adminOverdue: LoadFigures; chairOverdue: LoadFigures; chairCases: LoadFigures };
  plans: { admin: string; chair: string };
  pgVersion: string;
}

const BEGIN = '<!-- bench:milestones -->';
const END = '<!-- /bench:milestones -->';

function renderReport(f: Figures): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const loadRow = (what: string, l: LoadFigures) =>
    `| ${what} | ${l.rps.toFixed(0)} | ${ms(l.p50)} | ${ms(l.p99)} | ${l.errors} | ${(l.rps / f.loads.health.rps).toFixed(2)} |`;
  return [
    BEGIN,
    '## Milestones: the stored state, the daily sweep and GET /api/milestones',
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z at commit ${currentCommit()} by \`npm run bench:milestones\`.`,
    '',
    machineLine(f.pgVersion),
    `- Data: ${CASES.toLocaleString('en-GB')} fictional cases across the four CSPs (seeded in ${f.seedSeconds.toFixed(1)} s): about 7% not commissioned, the rest spread from notified to closed by age; holds on about 15% of commissioned cases (a third still open); family contacts on 85%; three IMR requests per commissioned case.`,
    '',
    '### The stored state and the sweep',
    '',
    '| what | figure | target |',
    '|---|---|---|',
    `| computing and storing every case's milestones (what the migration does) | ${ms(f.backfillMs)} for ${CASES.toLocaleString('en-GB')} cases | — |`,
    `| sweep, first run (refreshes every open case, raises every alert) | ${ms(f.sweeps.first.ms)}: ${f.sweeps.first.casesChecked} open cases, ${f.sweeps.first.alertsRaised} alerts, ${f.sweeps.first.notificationsSent} notifications | < 2 s |`,
    `| sweep, next run (nothing new to raise) | ${ms(f.sweeps.second.ms)}: ${f.sweeps.second.casesChecked} open cases, ${f.sweeps.second.alertsRaised} alerts | < 2 s |`,
    '',
    'After the sweeps, `verify` (what `npm run milestones:verify` runs) found no stored row that differs from its facts.',
    '',
    '### One request at a time',
    '',
    '| what | figure |',
    '|---|---|',
    `| GET /api/milestones?status=overdue, SDP admin (all cases; ${f.adminRun.items} items a page) | p50 ${ms(f.adminRun.p50)}, p95 ${ms(f.adminRun.p95)}, max ${ms(f.adminRun.max)} over ${REQUESTS} requests |`,
    `| GET /api/milestones?status=overdue, Exeter CSP chair (a quarter of the cases) | p50 ${ms(f.chairRun.p50)}, p95 ${ms(f.chairRun.p95)}, max ${ms(f.chairRun.max)} over ${REQUESTS} requests |`,
    '',
    `### Under load: ${CONNECTIONS} connections`,
    '',
    `autocannon from the benchmark's process against the server in a process of its own (\`node dist/src/main.js\`), both on this machine with PostgreSQL; each route ${ROUNDS} rounds of ${ROUND_SECONDS} s, the median round shown, errors summed over the rounds. The last column is the route's requests/s over GET /api/health's (one trivial query: the floor of a request that touches the database).`,
    '',
    '| route | requests/s | p50 | p99 | errors | ÷ health |',
    '|---|---|---|---|---|---|',
    loadRow('GET /api/health', f.loads.health),
    loadRow('GET /api/milestones?status=overdue, SDP admin', f.loads.adminOverdue),
    loadRow('GET /api/milestones?status=overdue, Exeter CSP chair', f.loads.chairOverdue),
    loadRow('GET /api/cases, Exeter CSP chair', f.loads.chairCases),
    '',
    'Targets for the overdue list, both roles: at least 300 requests/s, p99 under 250 ms, no errors.',
    '',
    '### The page query\'s plan',
    '',
    'The cross-case list reads only `case_milestone`; the first page of overdue milestones, as `EXPLAIN (ANALYZE, BUFFERS)` shows it:',
    '',
    'SDP admin:',
    '',
    '```',
    f.plans.admin,
    '```',
    '',
    'Exeter CSP chair:',
    '',
    '```',
    f.plans.chair,
    '```',
    '',
    'No figure here is asserted by a test. QA submissions cannot be recorded yet, so every completed case carries an overdue `home_office_submitted` milestone: the overdue list is larger here than it will be in real use. The first sweep raises every alert the seeded history deserves at once; a daily sweep on live data raises a handful.',
    END,
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
