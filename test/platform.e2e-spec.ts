import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { runMigrations } from '../src/database/migrate.js';
import { migrations } from '../migrations/index.js';
import { createCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { ADMIN } from './support/test-app.js';
import { createEmptyDatabase } from './support/test-database.js';
import { buildWorld, type World } from './support/world.js';

describe('logs', () => {
  const lines: string[] = [];
  let t: World;

  beforeAll(async () => {
    t = await buildWorld({ logLevel: 'info' }, { logSink: { write: (line: string) => lines.push(line) } });
  });
  afterAll(() => t.close());

  it('are JSON lines with the request id, and never hold a password, a token or a real name', async () => {
    const cast = t.cast;
    await t.http.post('/api/auth/login').send({ email: ADMIN.email, password: 'a-wrong-password-x' }).expect(401);
    const made = await createCase(t, cast.admin, cast.exeter);
    await t.http.get(`/api/cases/${made.id}`).set(cast.admin.auth).set('X-Request-Id', 'trace-me-123').expect(200);
    await t.http.get(`/api/cases?q=${encodeURIComponent(VICTIM_NAME)}`).set(cast.admin.auth).expect(200);
    await t.http.get('/api/cases/not-a-uuid').set(cast.admin.auth).expect(400);

    const parsed = lines.map((line) => JSON.parse(line) as { requestId?: string; req?: { path: string } });
    // one line at least for each of the five requests
    expect(parsed.filter((l) => l.req).length).toBeGreaterThanOrEqual(5);
    expect(parsed.some((l) => l.requestId === 'trace-me-123' && l.req?.path === `/api/cases/${made.id}`)).toBe(true);
    const all = lines.join('\n');
    for (const secret of [ADMIN.password, 'a-wrong-password-x', cast.admin.token, cast.admin.refreshToken, VICTIM_NAME, PERPETRATOR_NAME, 'Marsh-Ockley']) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('migrations', () => {
  it('run once when two instances start at the same moment', async () => {
    const { url, migrationUrl, appRole } = await createEmptyDatabase();
    const settings = { url: migrationUrl, poolSize: 2, statementTimeoutMs: 60_000 };
    const [first, second] = await Promise.all([runMigrations(settings, appRole), runMigrations(settings, appRole)]);
    expect([...first, ...second].sort()).toEqual(migrations.map((m) => m.name).sort());
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const applied = await client.query('SELECT name FROM typeorm_migration');
      expect(applied.rowCount).toBe(migrations.length);
      const partnerships = await client.query('SELECT count(*)::int AS n FROM partnership');
      expect(partnerships.rows[0].n).toBe(4);
      const search = await client.query(`SELECT indexname FROM pg_indexes WHERE indexname LIKE '%trgm%' ORDER BY indexname`);
      expect(search.rows.map((r) => r.indexname)).toEqual(['case_subject_pseudonym_trgm_idx', 'review_case_reference_trgm_idx']);
    } finally {
      await client.end();
    }
  });
});

describe('health', () => {
  it('answers 503 as problem+json when the database is gone, and 200 while it is there', async () => {
    const t = await buildWorld();
    try {
      await t.http.get('/api/health').expect(200);
      const database = (t.dataSource.options as { url: string }).url;
      const name = new URL(database).pathname.slice(1);
      const server = new URL(JSON.parse(process.env.DHR_TEST_DATABASE!).serverUrl as string);
      const admin = new pg.Client({ connectionString: server.toString() });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
      const res = await t.http.get('/api/health');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 503, checks: { database: { status: 'down' } } });
      expect(JSON.stringify(res.body)).not.toMatch(/password|postgres:\/\//);
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});
