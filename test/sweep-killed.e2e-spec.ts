/**
 * The daily sweep killed part-way and run again. The sweep runs as the
 * command-line job does (`npm run sweep`, a child process against this
 * file's database), over more open cases than one batch holds. A lock the
 * test holds on a case of the second batch stops the sweep there, after it
 * has stored the first batch's milestones, so that SIGKILL lands mid-run for
 * certain. The sweep is one transaction: the kill leaves nothing of it. Run
 * again to the end it raises every alert and notification once, and a third
 * run raises none.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { insertCase, insertUser, partnershipId, type Db } from './support/factories.js';
import { createTestDatabase } from './support/test-database.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SWEEP_CLI = join(ROOT, 'dist/src/milestones/sweep-cli.js');
/** One more than the sweep's batch (milestones.service.ts, CASE_BATCH), so that it reads at least two. */
const CASES = 5_200;
const AS_OF = '2026-06-01';

async function eventually(what: string, condition: () => Promise<boolean>, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`still not so: ${what}`);
}

interface Counts {
  states: number;
  alerts: number;
  notifications: number;
  sweeps: number;
}

describe('the daily sweep killed mid-run and run again', () => {
  jest.setTimeout(600_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'dhr-sweep-'));
  let url: string;
  let db: pg.Client;

  const sweep = (): ChildProcess =>
    spawn(process.execPath, [SWEEP_CLI, AS_OF], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: url,
        DATA_DIR: dataDir,
        JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
        LOG_LEVEL: 'silent',
        DB_POOL_SIZE: '3',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  const finish = (child: ChildProcess): Promise<{ code: number | null; signal: string | null; out: string; err: string }> =>
    new Promise((resolve) => {
      let out = '';
      let err = '';
      child.stdout?.on('data', (chunk) => (out += String(chunk)));
      child.stderr?.on('data', (chunk) => (err += String(chunk)));
      child.on('exit', (code, signal) => resolve({ code, signal, out, err }));
    });

  const counts = async (): Promise<Counts> => {
    const { rows } = await db.query(`
      SELECT (SELECT count(*) FROM case_milestone)::int AS states,
             (SELECT count(*) FROM milestone_alert)::int AS alerts,
             (SELECT count(*) FROM notification)::int AS notifications,
             (SELECT count(*) FROM audit_event WHERE action = 'milestones.swept')::int AS sweeps`);
    return rows[0] as Counts;
  };

  /** The sweep's own connections still open on this database (its application_name). */
  const sweepConnections = async (): Promise<{ waiting: number; open: number }> => {
    const { rows } = await db.query(
      `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS waiting, count(*)::int AS open
         FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'dhr-backend'`,
    );
    return rows[0] as { waiting: number; open: number };
  };

  beforeAll(async () => {
    url = await createTestDatabase();
    db = new pg.Client({ connectionString: url });
    await db.connect();
    const rowsOf: Db = { query: async (sql, params) => (await db.query(sql, params)).rows };
    const exeter = await partnershipId(rowsOf, 'exeter');
    await insertUser(rowsOf, { role: 'csp_chair', partnershipId: exeter, name: 'Ada Quill' });
    const reviewChair = await insertUser(rowsOf, { role: 'review_chair', name: 'Tobias Wren' });
    await db.query('BEGIN');
    for (let i = 0; i < CASES; i++) {
      await insertCase(rowsOf, {
        partnershipId: exeter,
        stage: 'commissioned',
        notifiedOn: '2025-01-06',
        reviewChairId: reviewChair.id,
        subjects: [{ role: 'victim', fullName: `Fictional Person ${i}`, pseudonym: `P${i}` }],
      });
    }
    await db.query('COMMIT');
  });

  afterAll(async () => {
    await db?.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves nothing when killed, raises each alert once when rerun, and nothing more on a third run', async () => {
    expect(await counts()).toEqual({ states: 0, alerts: 0, notifications: 0, sweeps: 0 });

    // Hold the last case: storing the second batch's milestones must wait for it.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM review_case ORDER BY seq DESC LIMIT 1 FOR UPDATE');

    const killed = sweep();
    const killedEnd = finish(killed);
    await eventually('the sweep waits on the held case, past its first batch', async () => (await sweepConnections()).waiting > 0);
    killed.kill('SIGKILL');
    expect((await killedEnd).signal).toBe('SIGKILL');
    await holder.query('ROLLBACK');
    await holder.end();
    await eventually('the killed sweep has no connection left', async () => (await sweepConnections()).open === 0);

    expect(await counts()).toEqual({ states: 0, alerts: 0, notifications: 0, sweeps: 0 });

    const rerun = await finish(sweep());
    expect({ code: rerun.code, err: rerun.err }).toEqual({ code: 0, err: '' });
    const result = JSON.parse(rerun.out.trim().split('\n').pop()!);
    expect(result).toMatchObject({ today: AS_OF, skipped: false, casesChecked: CASES });
    expect(result.alertsRaised).toBeGreaterThanOrEqual(CASES);
    const afterRerun = await counts();
    expect(afterRerun).toMatchObject({ alerts: result.alertsRaised, notifications: result.notificationsSent, sweeps: 1 });
    expect(afterRerun.states).toBeGreaterThan(0);
    // Each case's people (the CSP chair, the review chair) told once of each alert.
    expect(result.notificationsSent).toBe(2 * result.alertsRaised);
    const { rows: repeated } = await db.query(`
      SELECT n.user_id, a.case_id, a.milestone_key, a.state, count(*) AS times
        FROM notification n JOIN milestone_alert a ON a.id = n.alert_id
       GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`);
    expect(repeated).toEqual([]);

    const third = await finish(sweep());
    expect(third.code).toBe(0);
    expect(JSON.parse(third.out.trim().split('\n').pop()!)).toMatchObject({ alertsRaised: 0, notificationsSent: 0 });
    expect(await counts()).toEqual({ ...afterRerun, sweeps: 2 });
  });
});
