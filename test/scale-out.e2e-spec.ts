/**
 * Two instances of the server against one database (docs/scaling.md), each
 * a process of its own (`node dist/src/main.js`, as in production; in one
 * process passport would share one JWT strategy between them). They start at
 * the same moment on a database with no schema at all; the daily sweep runs
 * twice at the same moment; a session ended, or a person changed, through
 * one is refused or seen changed by the other on the very next request, even
 * though each keeps the sessions it has checked in memory.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrations } from '../migrations/index.js';
import { freePort, startServer } from '../scripts/bench-support.js';
import { LISTENER_APPLICATION_NAME } from '../src/auth/principal-changes.service.js';
import { insertCase, insertUser, partnershipId, testPassword, type Db } from './support/factories.js';
import { createEmptyDatabase, type TestDatabase } from './support/test-database.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SWEEP_CLI = join(ROOT, 'dist/src/milestones/sweep-cli.js');
const ADMIN = { email: 'admin@example.org', password: 'bootstrap-password-1' };
const AS_OF = '2026-06-01';
const CASES = 12;

interface Instance {
  name: string;
  base: string;
  process: ChildProcess;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function eventually(what: string, condition: () => Promise<boolean>, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`still not so: ${what}`);
}

describe('two instances against one database', () => {
  jest.setTimeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'dhr-scale-out-'));
  let database: TestDatabase;
  let db: pg.Client;
  let rows: Db;
  let a: Instance;
  let b: Instance;

  const env = () => ({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    MIGRATION_DATABASE_URL: database.migrationUrl,
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'silent',
    SWEEP_CRON: 'off',
    DB_POOL_SIZE: '4',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    ANONYMOUS_RATE_LIMIT_PER_MINUTE: '100000',
  });

  const start = async (name: string): Promise<Instance> => {
    const port = await freePort();
    return { name, base: `http://127.0.0.1:${port}`, process: await startServer(database.url, port, env()) };
  };

  const call = async (instance: Instance, method: string, path: string, token?: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${instance.base}${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  const signIn = async (instance: Instance, email: string, password: string) => {
    const res = await call(instance, 'POST', '/api/auth/login', undefined, { email, password });
    expect(res.status).toBe(200);
    return { token: String(res.body.accessToken), refreshToken: String(res.body.refreshToken), userId: (res.body.user as { id: string }).id };
  };

  const me = async (instance: Instance, token: string) => call(instance, 'GET', '/api/auth/me', token);

  /** A person signed in on A whose token both instances have checked (and so remember). */
  const seenByBoth = async (name: string) => {
    const user = await insertUser(rows, { role: 'review_chair', name });
    const session = await signIn(a, user.email, testPassword().password);
    for (const instance of [a, b, a, b]) expect((await me(instance, session.token)).status).toBe(200);
    return session;
  };

  const listeners = async (): Promise<number[]> =>
    (
      await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [
        LISTENER_APPLICATION_NAME,
      ])
    ).rows.map((r) => r.pid);

  const stop = async (instance: Instance | undefined) => {
    if (!instance || instance.process.exitCode !== null) return;
    const exited = new Promise((resolve) => instance.process.once('exit', resolve));
    instance.process.kill('SIGTERM');
    await exited;
  };

  beforeAll(async () => {
    database = await createEmptyDatabase();
    [a, b] = await Promise.all([start('A'), start('B')]);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    rows = { query: async (sql, params) => (await db.query(sql, params)).rows };
  });

  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await db?.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('start at the same moment on an empty database: the migrations are applied once, the first administrator made once', async () => {
    const { rows: applied } = await db.query<{ name: string }>('SELECT name FROM typeorm_migration ORDER BY id');
    expect(applied.map((m) => m.name)).toEqual(migrations.map((m) => new m().name));
    const { rows: admins } = await db.query(`SELECT count(*)::int AS n FROM app_user WHERE email = $1`, [ADMIN.email]);
    expect(admins).toEqual([{ n: 1 }]);
    expect(await listeners()).toHaveLength(2);
    for (const instance of [a, b]) expect((await call(instance, 'GET', '/api/health')).status).toBe(200);
  });

  it('a logout on one is refused by the other on its next request', async () => {
    const session = await seenByBoth('Ada Quill');
    const out = await call(a, 'POST', '/api/auth/logout', session.token, { refreshToken: session.refreshToken });
    expect(out.status).toBe(204);
    expect((await me(b, session.token)).status).toBe(401);
    expect((await me(a, session.token)).status).toBe(401);
  });

  it('a person deactivated or moved to another role through one is refused, or seen in the new role, by the other at once', async () => {
    const admin = await signIn(a, ADMIN.email, ADMIN.password);
    const moved = await seenByBoth('Bram Tiller');
    // the list of users is for SDP administrators: the role the token's check resolved decides
    expect((await call(b, 'GET', '/api/users?limit=1', moved.token)).status).toBe(403);
    const promoted = await call(a, 'PATCH', `/api/users/${moved.userId}`, admin.token, { role: 'sdp_admin' });
    expect(promoted.status).toBe(200);
    expect((await call(b, 'GET', '/api/users?limit=1', moved.token)).status).toBe(200);
    expect((await me(b, moved.token)).body).toMatchObject({ id: moved.userId, role: 'sdp_admin' });

    const leaving = await seenByBoth('Cleo Marrow');
    const deactivated = await call(a, 'PATCH', `/api/users/${leaving.userId}`, admin.token, { active: false });
    expect(deactivated.status).toBe(200);
    expect((await me(b, leaving.token)).status).toBe(401);
    expect((await me(a, leaving.token)).status).toBe(401);
  });

  it('a session revoked in the database by any path (here, a refresh token replayed) is refused by both', async () => {
    const session = await seenByBoth('Dora Fenwick');
    const refreshed = await call(b, 'POST', '/api/auth/refresh', undefined, { refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(200);
    // the spent token presented again: the whole session is revoked, the fresh access token with it
    expect((await call(a, 'POST', '/api/auth/refresh', undefined, { refreshToken: session.refreshToken })).status).toBe(401);
    expect((await me(b, String(refreshed.body.accessToken))).status).toBe(401);
    expect((await me(a, session.token)).status).toBe(401);
  });

  it('a REST client revoked, or its secret rotated, through one is refused by the other at once', async () => {
    const admin = await signIn(a, ADMIN.email, ADMIN.password);
    const register = async () => {
      const res = await call(a, 'POST', '/api/clients', admin.token, { name: 'Board dashboard', scopes: ['milestones:read'] });
      expect(res.status).toBe(201);
      return res.body as { id: string; clientId: string; clientSecret: string };
    };
    const tokenOf = async (client: { clientId: string; clientSecret: string }) => {
      const res = await fetch(`${b.base}/api/auth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
      });
      expect(res.status).toBe(200);
      return String(((await res.json()) as { access_token: string }).access_token);
    };
    const milestones = (instance: Instance, token: string) => call(instance, 'GET', '/api/milestones', token);

    const revoked = await register();
    const revokedToken = await tokenOf(revoked);
    for (const instance of [a, b, a, b]) expect((await milestones(instance, revokedToken)).status).toBe(200);
    expect((await call(a, 'POST', `/api/clients/${revoked.id}/revoke`, admin.token)).status).toBe(200);
    expect((await milestones(b, revokedToken)).status).toBe(401);

    const rotated = await register();
    const rotatedToken = await tokenOf(rotated);
    for (const instance of [a, b, a, b]) expect((await milestones(instance, rotatedToken)).status).toBe(200);
    expect((await call(b, 'POST', `/api/clients/${rotated.id}/rotate`, admin.token)).status).toBe(200);
    expect((await milestones(a, rotatedToken)).status).toBe(401);
  });

  it('with its listening connection killed, an instance asks the database, so a logout still takes effect; it listens again after', async () => {
    const first = await seenByBoth('Edie Hollins');
    const before = await listeners();
    for (const pid of before) {
      const { rows: ended } = await db.query<{ ended: boolean }>('SELECT pg_terminate_backend($1, 10000) AS ended', [pid]);
      expect(ended).toEqual([{ ended: true }]);
    }
    expect((await call(a, 'POST', '/api/auth/logout', first.token, { refreshToken: first.refreshToken })).status).toBe(204);
    expect((await me(b, first.token)).status).toBe(401);
    expect((await me(a, first.token)).status).toBe(401);

    await eventually('both instances listen again', async () => {
      const now = await listeners();
      return now.length === 2 && now.every((pid) => !before.includes(pid));
    });
    const second = await seenByBoth('Finn Abbott');
    expect((await call(b, 'POST', '/api/auth/logout', second.token, { refreshToken: second.refreshToken })).status).toBe(204);
    expect((await me(a, second.token)).status).toBe(401);
  });

  it('sweeps run at the same moment raise each alert and each notification once', async () => {
    const exeter = await partnershipId(rows, 'exeter');
    await insertUser(rows, { role: 'csp_chair', partnershipId: exeter, name: 'Gwen Ashby' });
    const reviewChair = await insertUser(rows, { role: 'review_chair', name: 'Hal Brightwater' });
    for (let i = 0; i < CASES; i++) {
      await insertCase(rows, {
        partnershipId: exeter,
        stage: 'commissioned',
        notifiedOn: '2025-01-06',
        reviewChairId: reviewChair.id,
        subjects: [{ role: 'victim', fullName: `Fictional Person ${i}`, pseudonym: `P${i}` }],
      });
    }
    const sweep = (): Promise<{ code: number | null; out: string; err: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [SWEEP_CLI, AS_OF], { env: { PATH: process.env.PATH, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk) => (out += String(chunk)));
        child.stderr.on('data', (chunk) => (err += String(chunk)));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const runs = await Promise.all([sweep(), sweep()]);
    for (const run of runs) expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
    const results = runs.map((run) => JSON.parse(run.out.trim().split('\n').pop()!) as { alertsRaised: number; notificationsSent: number });
    const raised = results.reduce((sum, r) => sum + r.alertsRaised, 0);
    const sent = results.reduce((sum, r) => sum + r.notificationsSent, 0);
    expect(raised).toBeGreaterThanOrEqual(CASES);

    const { rows: counted } = await db.query(`
      SELECT (SELECT count(*) FROM milestone_alert)::int AS alerts,
             (SELECT count(*) FROM notification WHERE alert_id IS NOT NULL)::int AS notifications`);
    expect(counted).toEqual([{ alerts: raised, notifications: sent }]);
    // each alert told once to each of the case's people: its CSP chair, its review chair, the SDP administrators
    const { rows: told } = await db.query(`SELECT DISTINCT count(*)::int AS people FROM notification WHERE alert_id IS NOT NULL GROUP BY alert_id`);
    expect(told).toEqual([{ people: 4 }]);
    expect(sent).toBe(4 * raised);
    const { rows: repeated } = await db.query(`
      SELECT n.user_id, a.case_id, a.milestone_key, a.state, count(*) AS times
        FROM notification n JOIN milestone_alert a ON a.id = n.alert_id
       GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`);
    expect(repeated).toEqual([]);
  });
});
