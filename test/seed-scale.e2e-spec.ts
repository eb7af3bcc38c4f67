import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MilestoneStateService } from '../src/milestones/milestone-state.service.js';
import { STAGES } from '../src/cases/stages.js';
import { SCALE_PASSWORD, ScaleSeedRefused, seedScale, type ScaleSummary } from '../scripts/seed-scale.js';
import { login, startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabaseWithOwner, type TestDatabase } from './support/test-database.js';

/** What the seed fills, and the columns of each that are not the case's own (identity numbers, a salted hash, the day of computing). */
const SEEDED: Record<string, string[]> = {
  partnership: [],
  agency: [],
  app_user: ['password_hash'],
  review_case: ['seq'],
  case_subject: [],
  case_transition: ['seq'],
  case_hold: [],
  panel_member: [],
  contribution_request: ['seq'],
  chronology_submission: [],
  chronology_entry: [],
  family_contact: ['seq'],
  case_document: [],
  qa_submission: ['seq'],
  publication: [],
  case_theme: [],
  recommendation: ['seq'],
  recommendation_theme: [],
  plan_action: ['seq'],
  plan_action_progress: ['id'],
  // The hash chain follows the order events were written in (docs/architecture.md, "The audit trail's hash chain").
  audit_event: ['seq', 'chain_position', 'prev_hash', 'hash'],
  case_milestone: ['computed_on'],
};

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** One checksum per table over every row, without the columns that depend on when or in what order rows were made. */
function checksums(url: string): Promise<Record<string, string>> {
  return withClient(url, async (client) => {
    const sums: Record<string, string> = {};
    for (const [table, skip] of Object.entries(SEEDED)) {
      const row = `(to_jsonb(t) - ARRAY[${skip.map((c) => `'${c}'`).join(',')}]::text[])::text`;
      const { rows } = await client.query(`SELECT count(*)::int AS n, md5(string_agg(${row}, '|' ORDER BY ${row})) AS sum FROM ${table} t`);
      sums[table] = `${rows[0].n}:${rows[0].sum}`;
    }
    return sums;
  });
}

function count(url: string, sql: string): Promise<number> {
  return withClient(url, async (client) => Number((await client.query(sql)).rows[0].n));
}

describe('the national-scale dataset (npm run seed:scale)', () => {
  let grown: TestDatabase;
  let once: TestDatabase;
  let t: TestApp;
  let again: ScaleSummary;

  beforeAll(async () => {
    [grown, once] = await Promise.all([createTestDatabaseWithOwner(), createTestDatabaseWithOwner()]);
    await seedScale(grown.migrationUrl, { cases: 30, seed: 11 });
    await seedScale(grown.migrationUrl, { cases: 60, seed: 11 });
    again = await seedScale(grown.migrationUrl, { cases: 45, seed: 11 });
    await seedScale(once.migrationUrl, { cases: 60, seed: 11 });
    t = await startTestApp({ bootstrapAdmin: undefined }, undefined, grown.url);
  });
  afterAll(() => t?.close());

  it('grows: seeding 30 then 60 cases (then asking for 45) makes the same rows as 60 at once', async () => {
    const [a, b] = await Promise.all([checksums(grown.migrationUrl), checksums(once.migrationUrl)]);
    expect(a).toEqual(b);
    expect(a.review_case.startsWith('60:')).toBe(true);
    // Seeded in two runs, every month's chain still has positions 1 to its number of events.
    const gaps = `SELECT count(*) AS n FROM (SELECT date_trunc('month', occurred_at AT TIME ZONE 'UTC'), count(*) AS events, count(DISTINCT chain_position) AS positions, max(chain_position) AS top
                                             FROM audit_event GROUP BY 1) m WHERE events <> positions OR events <> top`;
    expect(await count(grown.migrationUrl, gaps)).toBe(0);
    // Asking for fewer cases than there are adds nothing (and the checksums above show it changed nothing).
    expect(again).toMatchObject({ casesBefore: 60, casesAfter: 60, tables: [] });
  });

  it('puts cases at every stage, of both review types, each judged by the regime in force when notified', async () => {
    const stages = await withClient(grown.migrationUrl, async (c) => (await c.query(`SELECT DISTINCT stage FROM review_case`)).rows.map((r) => r.stage));
    expect([...stages].sort()).toEqual([...STAGES].sort());
    const regimes = await withClient(grown.migrationUrl, async (c) => (await c.query(`SELECT DISTINCT regime FROM review_case ORDER BY 1`)).rows.map((r) => r.regime));
    // DARDR_COMMENCEMENT_DATE is unset: the 2024 regime is a draft, and a case named DARDR is judged by the 2016 guidance.
    expect(regimes).toEqual(['dhr-2016']);
    const types = await withClient(grown.migrationUrl, async (c) => (await c.query(`SELECT DISTINCT review_type FROM review_case ORDER BY 1`)).rows.map((r) => r.review_type));
    expect(types).toEqual(['DARDR', 'DHR']);
  });

  it('makes the fixed parts once and the per-case parts in proportion', async () => {
    const url = grown.migrationUrl;
    expect(await count(url, `SELECT count(*) AS n FROM partnership`)).toBe(40);
    expect(await count(url, `SELECT count(*) AS n FROM agency`)).toBe(300);
    expect(await count(url, `SELECT count(*) AS n FROM app_user WHERE email LIKE '%@scale.example'`)).toBe(1 + 40 + 200 + 300);
    const perCase = async (table: string) => (await count(url, `SELECT count(*) AS n FROM ${table}`)) / 60;
    expect(await perCase('audit_event')).toBeGreaterThan(40);
    expect(await perCase('audit_event')).toBeLessThan(60);
    expect(await perCase('chronology_entry')).toBeGreaterThan(60);
    expect(await perCase('chronology_entry')).toBeLessThan(140);
    expect(await perCase('plan_action')).toBeGreaterThan(5);
    expect(await perCase('plan_action')).toBeLessThan(15);
    const statuses = await withClient(url, async (c) => (await c.query(`SELECT DISTINCT status FROM contribution_request ORDER BY 1`)).rows.map((r) => r.status));
    expect(statuses).toEqual(['closed', 'requested', 'submitted', 'waived']);
    expect(await count(url, `SELECT count(*) AS n FROM case_hold WHERE ended_on IS NULL`)).toBeGreaterThan(0);
    // The product's own rules hold: no closed case with an open action, no case past information gathering with a request outstanding.
    expect(await count(url, `SELECT count(*) AS n FROM plan_action a JOIN review_case c ON c.id = a.case_id WHERE c.stage = 'closed' AND a.status IN ('not_started','in_progress')`)).toBe(0);
    expect(
      await count(url, `SELECT count(*) AS n FROM contribution_request r JOIN review_case c ON c.id = r.case_id WHERE r.status = 'requested' AND c.stage NOT IN ('panel_established','information_gathering')`),
    ).toBe(0);
    // A request is closed only by its review's discontinuation, and a discontinued review has none outstanding.
    expect(
      await count(url, `SELECT count(*) AS n FROM contribution_request r JOIN review_case c ON c.id = r.case_id WHERE (r.status = 'closed') <> (c.stage = 'discontinued' AND r.status <> 'submitted' AND r.status <> 'waived')`),
    ).toBe(0);
  });

  it('stores every case\'s milestones as the product computes them', async () => {
    const { casesChecked, differences } = await t.app.get(MilestoneStateService).verify();
    expect(casesChecked).toBe(60);
    expect(differences).toEqual([]);
  });

  it('lets a seeded CSP chair sign in and list only the cases of their partnership', async () => {
    const partnership = await withClient(grown.migrationUrl, async (c) => (await c.query(`SELECT id, code FROM partnership WHERE id IN (SELECT partnership_id FROM review_case) ORDER BY code LIMIT 1`)).rows[0]);
    const chair = await login(t, `chair-${partnership.code}@scale.example`, SCALE_PASSWORD);
    const res = await t.http.get('/api/cases?limit=100').set(chair.auth);
    expect(res.status).toBe(200);
    const expected = await count(grown.migrationUrl, `SELECT count(*) AS n FROM review_case WHERE partnership_id = '${partnership.id}'`);
    expect(expected).toBeGreaterThan(0);
    expect(res.body.items).toHaveLength(expected);
    expect(res.body.items.filter((item: { partnershipId: string }) => item.partnershipId !== partnership.id)).toEqual([]);
  });

  it('refuses a database holding cases it did not make, and a second seed', async () => {
    await expect(seedScale(grown.migrationUrl, { cases: 61, seed: 12 })).rejects.toThrow(ScaleSeedRefused);
    const other = await createTestDatabaseWithOwner();
    await withClient(other.migrationUrl, (c) =>
      c.query(`INSERT INTO review_case (reference, partnership_id, review_type, regime, stage, notified_on, notification_source)
               SELECT 'DHR-2026-001', id, 'DHR', 'dhr-2016', 'notified', DATE '2026-03-02', 'A letter' FROM partnership WHERE code = 'exeter'`),
    );
    await expect(seedScale(other.migrationUrl, { cases: 5 })).rejects.toThrow(/did not make/);
    expect(await count(other.migrationUrl, `SELECT count(*) AS n FROM review_case`)).toBe(1);
  });
});
