/**
 * npm run bench:milestones
 *
 * Seeds 20,000 fictional cases across the four CSPs (decisions, holds,
 * completions and contribution requests in realistic proportions), then
 * times the daily sweep and GET /api/milestones?status=overdue for an SDP
 * admin and for one CSP chair. Writes the figures to docs/benchmarks.md.
 * Uses its own throw-away embedded PostgreSQL, or DATABASE_URL's server.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/app.setup.js';
import { hashPassword } from '../src/auth/passwords.js';
import { londonDate } from '../src/common/calendar.js';
import { createLogger } from '../src/common/logging.js';
import { loadConfig } from '../src/config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';
import { runMigrations } from '../src/database/migrate.js';
import { SweepService } from '../src/milestones/sweep.service.js';

const CASES = Number(process.env.BENCH_CASES ?? 20_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
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
      INSERT INTO case_subject (case_id, position, role, full_name, pseudonym)
      SELECT id, 0, 'victim', 'Bench Person ' || seq, 'Pseudonym' || seq FROM review_case`);
    await client.query(`
      INSERT INTO case_hold (case_id, reason, started_on, ended_on)
      SELECT id, 'criminal_proceedings', commissioned_on + 20,
             CASE WHEN random() < 0.3 THEN NULL ELSE least(commissioned_on + 20 + (random() * 150)::int, current_date) END
        FROM review_case WHERE commissioned_on IS NOT NULL AND commissioned_on + 20 < current_date AND random() < 0.15`);
    await client.query(`
      INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, draft_report_offered)
      SELECT id, least(commissioned_on + (random() * 60)::int, current_date), 'letter', true, true, stage IN ('home_office_qa','published','closed')
        FROM review_case WHERE commissioned_on IS NOT NULL AND random() < 0.85`);
    await client.query(`
      INSERT INTO contribution_request (case_id, agency_id, kind, due_on, status, waived_reason, resolved_at, created_at)
      SELECT c.id, a.id, 'imr', c.commissioned_on + 120,
             CASE WHEN c.stage IN ('panel_established','information_gathering') AND random() < 0.6 THEN 'requested' ELSE 'submitted' END,
             NULL, CASE WHEN c.stage IN ('panel_established','information_gathering') THEN NULL ELSE c.commissioned_on + 100 END,
             c.commissioned_on + 30
        FROM review_case c
        JOIN LATERAL (SELECT id FROM agency ORDER BY random() LIMIT 3) a ON true
       WHERE c.commissioned_on IS NOT NULL AND c.stage <> 'not_commissioned' AND c.commissioned_on + 30 < current_date`);
    await client.query(`UPDATE contribution_request SET resolved_at = created_at + interval '60 days' WHERE status = 'submitted' AND resolved_at IS NULL`);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
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
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function main(): Promise<void> {
  let embedded: EmbeddedDatabase | undefined;
  let dir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    dir = mkdtempSync(join(tmpdir(), 'dhr-bench-'));
    chmodSync(dir, 0o755);
    embedded = await startEmbeddedPostgres({ dir, port: 54000 + (process.pid % 1000), database: 'postgres' });
    serverUrl = embedded.adminUrl;
  }
  const database = `dhr_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = onDatabase(serverUrl, database);
  try {
    await runMigrations({ url, poolSize: 2, statementTimeoutMs: 600_000 });
    const seedStart = Date.now();
    await seed(url);
    const seedSeconds = (Date.now() - seedStart) / 1000;

    const config = { ...loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789' }), logLevel: 'silent' as const };
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl: url }), { bodyParser: false, logger: false });
    configureApp(app, config, createLogger(config));
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    try {
      const sweep = app.get(SweepService);
      const today = londonDate(new Date());
      const t1 = Date.now();
      const first = await sweep.run(today);
      const firstMs = Date.now() - t1;
      const t2 = Date.now();
      const second = await sweep.run(today);
      const secondMs = Date.now() - t2;

      const adminRun = await timeRequests(base, await login(base, 'admin@bench.example'), '/api/milestones?status=overdue');
      const chairRun = await timeRequests(base, await login(base, 'chair@bench.example'), '/api/milestones?status=overdue');
      const pgVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
      const report = renderReport({
        seedSeconds,
        first: { ...first, ms: firstMs },
        second: { ...second, ms: secondMs },
        adminRun,
        chairRun,
        pgVersion,
      });
      writeFileSync('docs/benchmarks.md', mergeReport(report));
      process.stdout.write(report + '\n');
    } finally {
      await app.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

interface Figures {
  seedSeconds: number;
  first: { ms: number; casesChecked: number; alertsRaised: number; notificationsSent: number };
  second: { ms: number; casesChecked: number; alertsRaised: number; notificationsSent: number };
  adminRun: { p50: number; p95: number; max: number; items: number };
  chairRun: { p50: number; p95: number; max: number; items: number };
  pgVersion: string;
}

const BEGIN = '<!-- bench:milestones -->';
const END = '<!-- /bench:milestones -->';

function renderReport(f: Figures): string {
  const cpu = cpus();
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  } catch {
    // not a checkout
  }
  return [
    BEGIN,
    '## Milestones: the daily sweep and GET /api/milestones',
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z at commit ${commit} by \`npm run bench:milestones\`.`,
    '',
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, PostgreSQL ${f.pgVersion} (embedded, same machine). The machine is shared: figures vary between runs.`,
    `- Data: ${CASES.toLocaleString('en-GB')} fictional cases across the four CSPs (seeded in ${f.seedSeconds.toFixed(1)} s): about 7% not commissioned, the rest spread from notified to closed by age; holds on about 15% of commissioned cases (a third still open); family contacts on 85%; three IMR requests per commissioned case.`,
    '',
    '| what | figure | target |',
    '|---|---|---|',
    `| sweep, first run (raises every alert) | ${ms(f.first.ms)}: ${f.first.casesChecked} open cases, ${f.first.alertsRaised} alerts, ${f.first.notificationsSent} notifications | < 2 s |`,
    `| sweep, next run (nothing new to raise) | ${ms(f.second.ms)}: ${f.second.casesChecked} open cases, ${f.second.alertsRaised} alerts | < 2 s |`,
    `| GET /api/milestones?status=overdue, SDP admin (all cases; ${f.adminRun.items} items a page) | p50 ${ms(f.adminRun.p50)}, p95 ${ms(f.adminRun.p95)}, max ${ms(f.adminRun.max)} over ${REQUESTS} requests | p95 < 100 ms |`,
    `| GET /api/milestones?status=overdue, Exeter CSP chair (a quarter of the cases) | p50 ${ms(f.chairRun.p50)}, p95 ${ms(f.chairRun.p95)}, max ${ms(f.chairRun.max)} over ${REQUESTS} requests | p95 < 100 ms |`,
    '',
    'Requests are sequential, from the same machine, after ten warm-up requests. No figure here is asserted by a test.',
    '',
    'QA submissions cannot be recorded yet, so every completed case carries an overdue `home_office_submitted` milestone: the overdue list is larger here than it will be in real use. The first sweep raises every alert the seeded history deserves at once; a daily sweep on live data raises a handful.',
    '',
    'How the list stays fast: PostgreSQL finds the page of 50 with SQL generated from the regime table (one branch per rule, narrowed by the wanted status), and only those 50 are computed by the engine. The sweep reads cases in batches of 5,000 with four set-based queries per batch and inserts alerts and notifications with one statement each.',
    END,
  ].join('\n');
}

/** Replaces this benchmark's section of docs/benchmarks.md and keeps the rest. */
function mergeReport(section: string): string {
  let current = '# Benchmarks\n\nEach section is written by its script; run it again to refresh the figures.\n';
  try {
    current = readFileSync('docs/benchmarks.md', 'utf8');
  } catch {
    // first run
  }
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start >= 0 && end > start) return current.slice(0, start) + section + current.slice(end + END.length);
  return `${current.trimEnd()}\n\n${section}\n`;
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
