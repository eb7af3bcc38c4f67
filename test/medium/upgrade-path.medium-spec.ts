/**
 * Upgrading a database that holds cases from an older version
 * (docs/architecture.md, "Schema and migrations"): the migrations that recompute stored
 * milestones (1764734400000-MilestoneState, 1765062000000-CompletionAndWithholding)
 * read only the schema of their own time, through the frozen SQL of
 * migrations/frozen/, never the application's, whose queries read columns
 * that later migrations add. From each start point, realistic cases are
 * recorded on the schema of that time, every later migration runs, and the
 * stored milestones are what the engine computes from the facts today: what
 * `npm run milestones:verify` checks.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MILESTONES_OF_THIS_TIME as MILESTONES_AT_COMPLETION } from '../../migrations/1765062000000-CompletionAndWithholding.js';
import { recomputeEveryCase, type MilestoneSchema } from '../../migrations/frozen/milestone-recompute.js';
import { migrations } from '../../migrations/index.js';
import { londonDate } from '../../src/common/calendar.js';
import { milestoneSettingsVars } from '../../src/config/app-config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { runMigrations } from '../../src/database/migrate.js';
import { MilestoneSources } from '../../src/milestones/milestone-sources.js';
import { verifyMilestoneState } from '../../src/milestones/milestone-state.js';
import { applicationMilestoneSources } from '../support/milestone-sources.js';
import { createEmptyDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The milestone events as the application read them just before
 * 1765062000000: completion the latest sign-off, the QA submission the
 * first of the current round. How the stored milestones of a database at
 * that version stood.
 */
const MILESTONES_BEFORE_COMPLETION: MilestoneSchema = {
  ...MILESTONES_AT_COMPLETION,
  events: {
    ...MILESTONES_AT_COMPLETION.events,
    completion: 'c.completed_on',
    qa_submission: `(SELECT min(qs.submitted_on) FROM qa_submission qs WHERE qs.case_id = c.id AND qs.round = (SELECT count(*)::int FROM case_transition st
  WHERE st.case_id = c.id AND st.from_stage = 'csp_sign_off' AND st.to_stage = 'home_office_qa'))`,
  },
};

interface Seeded {
  notified: string;
  running: string;
  noReview: string;
  published: string;
  signedOffTwice: string;
}

const open: DataSource[] = [];
afterAll(async () => {
  for (const db of open) await db.destroy();
});

/** A fresh database migrated up to (not including) the migration `name`. */
async function migratedUpTo(name: string): Promise<{ database: TestDatabase; db: DataSource }> {
  const stop = migrations.findIndex((m) => m.name === name);
  expect(stop).toBeGreaterThan(0);
  const database = await createEmptyDatabase();
  const db = new DataSource({
    ...dataSourceOptions({ url: database.migrationUrl, poolSize: 2, statementTimeoutMs: 60_000 }),
    migrations: migrations.slice(0, stop),
  });
  await db.initialize();
  open.push(db);
  await db.runMigrations({ transaction: 'each' });
  return { database, db };
}

async function insertCase(db: DataSource, values: Record<string, string | null>): Promise<string> {
  const columns = Object.keys(values);
  const [row]: { id: string }[] = await db.query(
    `INSERT INTO review_case (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    Object.values(values),
  );
  return row.id;
}

const signOff = (db: DataSource, caseId: string, at: string) =>
  db.query(`INSERT INTO case_transition (case_id, from_stage, to_stage, occurred_at) VALUES ($1, 'csp_sign_off', 'home_office_qa', $2)`, [caseId, at]);

/** Cases at several stages, on the schema of 1764648000000 (and every later one: only columns that exist since). */
async function seedCases(db: DataSource): Promise<Seeded> {
  const [{ id: exeter }] = await db.query(`SELECT id FROM partnership WHERE code = 'exeter'`);
  const [{ id: police }] = await db.query(`INSERT INTO agency (name, sector) VALUES ('Upgrade Constabulary', 'police') RETURNING id`);
  const base = { partnership_id: exeter, review_type: 'DHR', regime: 'dhr-2016', notification_source: 'Police' };
  const decided = (on: string) => ({ decision_outcome: 'commission', decided_on: on, decision_rationale: 'Criteria met.', commissioned_on: on });

  const notified = await insertCase(db, { ...base, reference: 'UP-001', stage: 'notified', notified_on: '2026-05-04' });
  const running = await insertCase(db, {
    ...base,
    ...decided('2026-02-01'),
    reference: 'UP-002',
    stage: 'information_gathering',
    notified_on: '2026-01-12',
    home_office_notified_on: '2026-02-10',
  });
  const noReview = await insertCase(db, {
    ...base,
    reference: 'UP-003',
    stage: 'not_commissioned',
    notified_on: '2026-01-20',
    decision_outcome: 'no_review',
    decided_on: '2026-02-03',
    decision_rationale: 'Not a domestic homicide.',
  });
  const published = await insertCase(db, {
    ...base,
    ...decided('2025-06-02'),
    reference: 'UP-004',
    review_type: 'DARDR',
    regime: 'dardr-2024',
    stage: 'published',
    notified_on: '2025-05-12',
    home_office_notified_on: '2025-06-05',
    completed_on: '2026-03-03',
    statutory_copy_sent_on: '2026-03-20',
  });
  // signed off, sent back to drafting, signed off again: completed_on is the second sign-off
  const signedOffTwice = await insertCase(db, {
    ...base,
    ...decided('2025-09-01'),
    reference: 'UP-005',
    stage: 'home_office_qa',
    notified_on: '2025-08-11',
    home_office_notified_on: '2025-09-03',
    completed_on: '2026-06-06',
  });
  await signOff(db, published, '2026-03-03T10:00:00Z');
  // late in the evening UTC in summer: the next day in London
  await signOff(db, signedOffTwice, '2026-04-03T23:30:00Z');
  await db.query(`INSERT INTO case_transition (case_id, from_stage, to_stage, occurred_at) VALUES ($1, 'home_office_qa', 'drafting', '2026-05-01T09:00:00Z')`, [
    signedOffTwice,
  ]);
  await signOff(db, signedOffTwice, '2026-06-06T09:00:00Z');

  await db.query(
    `INSERT INTO case_hold (case_id, reason, started_on, ended_on) VALUES ($1, 'inquest', '2026-03-01', '2026-04-01'), ($1, 'criminal_proceedings', '2026-05-01', NULL)`,
    [running],
  );
  await db.query(
    `INSERT INTO contribution_request (case_id, agency_id, kind, due_on, status, waived_reason, resolved_at, created_at) VALUES
       ($1, $2, 'imr', '2026-04-01', 'submitted', NULL, '2026-03-10T12:00:00Z', '2026-02-05T12:00:00Z'),
       ($1, $2, 'chronology', '2026-03-15', 'requested', NULL, NULL, '2026-02-05T12:00:00Z'),
       ($1, $2, 'summary', '2026-03-15', 'waived', 'Covered by the IMR.', '2026-03-02T12:00:00Z', '2026-02-05T12:00:00Z')`,
    [running, police],
  );
  await db.query(
    `INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, draft_report_offered) VALUES
       ($1, '2026-02-15', 'letter', true, false, false), ($1, '2026-02-20', 'meeting', true, true, false)`,
    [running],
  );
  await db.query(
    `INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, draft_report_offered) VALUES ($1, '2025-06-20', 'phone', true, true, true)`,
    [published],
  );
  return { notified, running, noReview, published, signedOffTwice };
}

/** The QA submissions and the action plan a database just before 1765062000000 may hold besides. */
async function seedLaterFacts(db: DataSource, cases: Seeded): Promise<void> {
  const [{ id: police }] = await db.query(`SELECT id FROM agency WHERE name = 'Upgrade Constabulary'`);
  await db.query(
    `INSERT INTO qa_submission (case_id, round, submitted_on, created_at, outcome, outcome_on, outcome_recorded_at) VALUES
       ($1, 1, '2026-03-05', now(), 'approved', '2026-03-15', now()),
       ($2, 1, '2026-04-10', now(), 'resubmit', '2026-04-30', now()),
       ($2, 2, '2026-06-08', now(), NULL, NULL, NULL)`,
    [cases.published, cases.signedOffTwice],
  );
  const [{ id: recommendation }] = await db.query(`INSERT INTO recommendation (case_id, scope, text) VALUES ($1, 'local', 'Share risk information.') RETURNING id`, [
    cases.published,
  ]);
  await db.query(
    `INSERT INTO plan_action (recommendation_id, case_id, owner_agency_id, description, target_on, status, completed_on, created_on) VALUES
       ($1, $2, $3, 'Train the call handlers.', '2026-06-30', 'completed', '2026-06-12', '2026-03-25'),
       ($1, $2, $3, 'Audit the referrals.', '2026-09-30', 'in_progress', NULL, '2026-03-25')`,
    [recommendation, cases.published, police],
  );
}

async function storedMetOn(db: DataSource, caseId: string, key: string): Promise<string | null | undefined> {
  const [row] = await db.query(`SELECT met_on::text AS met_on FROM case_milestone WHERE case_id = $1 AND key = $2`, [caseId, key]);
  return row ? row.met_on : undefined;
}

/** Runs every remaining migration as the server does, then checks the stored milestones as `npm run milestones:verify` does. */
async function upgradeAndVerify(database: TestDatabase, db: DataSource): Promise<{ casesChecked: number; differences: unknown[] }> {
  const applied = await runMigrations({ url: database.migrationUrl, poolSize: 2, statementTimeoutMs: 60_000 });
  expect(applied.length).toBeGreaterThan(0);
  expect(applied[applied.length - 1]).toBe(migrations[migrations.length - 1].name);
  const sources = MilestoneSources.of(await applicationMilestoneSources());
  return verifyMilestoneState(db, sources, milestoneSettingsVars(), londonDate(new Date()));
}

describe('upgrading a database that holds cases', () => {
  it('from just before the stored milestones (1764734400000): every migration runs and the stored milestones are the engine’s', async () => {
    const { database, db } = await migratedUpTo('MilestoneState1764734400000');
    const cases = await seedCases(db);

    const { casesChecked, differences } = await upgradeAndVerify(database, db);

    expect(differences).toEqual([]);
    expect(casesChecked).toBe(5);
    expect(await storedMetOn(db, cases.running, 'family_contacted')).toBe('2026-02-20');
    expect(await storedMetOn(db, cases.running, 'decision')).toBe('2026-02-01');
    expect(await storedMetOn(db, cases.notified, 'decision')).toBeNull();
    expect(await storedMetOn(db, cases.published, 'statutory_copy_sent')).toBe('2026-03-20');
    // completion is now the first sign-off, on its London day
    expect(await storedMetOn(db, cases.signedOffTwice, 'review_completed')).toBe('2026-04-04');
    const contributions = await db.query(`SELECT met_on::text AS met_on FROM case_milestone WHERE case_id = $1 AND key LIKE 'contribution:%' ORDER BY position`, [
      cases.running,
    ]);
    expect(contributions).toEqual([{ met_on: '2026-03-10' }, { met_on: null }, { met_on: '2026-03-02' }]);
    const [{ applicable }] = await db.query(`SELECT applicable FROM case_milestone WHERE case_id = $1 AND key = 'family_contacted'`, [cases.noReview]);
    expect(applicable).toBe(false);
  });

  it('from just before completion became the first sign-off (1765062000000): the same, with QA rounds and an action plan', async () => {
    const { database, db } = await migratedUpTo('CompletionAndWithholding1765062000000');
    const cases = await seedCases(db);
    await seedLaterFacts(db, cases);
    // the stored milestones as the application of that version kept them
    await recomputeEveryCase(db.manager, MILESTONES_BEFORE_COMPLETION, milestoneSettingsVars(), londonDate(new Date()));
    expect(await storedMetOn(db, cases.signedOffTwice, 'home_office_submitted')).toBe('2026-06-08');

    const { casesChecked, differences } = await upgradeAndVerify(database, db);

    expect(differences).toEqual([]);
    expect(casesChecked).toBe(5);
    expect(await storedMetOn(db, cases.signedOffTwice, 'review_completed')).toBe('2026-04-04');
    expect(await storedMetOn(db, cases.signedOffTwice, 'home_office_submitted')).toBe('2026-04-10');
    expect(await storedMetOn(db, cases.published, 'home_office_submitted')).toBe('2026-03-05');
    const actions = await db.query(`SELECT met_on::text AS met_on FROM case_milestone WHERE case_id = $1 AND key LIKE 'action:%' ORDER BY position`, [
      cases.published,
    ]);
    expect(actions).toEqual([{ met_on: '2026-06-12' }, { met_on: null }]);
  });
});
