/**
 * The migration that makes completion the first sign-off
 * (migrations/1765062000000-CompletionAndWithholding.ts; docs/domain.md,
 * "Completion is the first sign-off"): it reads each case's first sign-off
 * from its stage history as a London date, keeps a completion date that has
 * no sign-off behind it, and recomputes the stored milestones of the cases
 * whose rounds differ, so that `npm run milestones:verify` finds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { CompletionAndWithholding1765062000000, MILESTONES_OF_THIS_TIME } from '../../migrations/1765062000000-CompletionAndWithholding.js';
import { recomputeMilestones } from '../../migrations/frozen/milestone-recompute.js';
import { londonDate } from '../../src/common/calendar.js';
import { milestoneSettingsVars } from '../../src/config/app-config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { MilestoneSources } from '../../src/milestones/milestone-sources.js';
import { verifyMilestoneState } from '../../src/milestones/milestone-state.js';
import { applicationMilestoneSources } from '../support/milestone-sources.js';
import { insertCase, insertQaSubmission, insertTransition, partnershipId } from '../support/factories.js';
import { createTestDatabaseWithOwner } from '../support/test-database.js';

describe('the migration to completion at the first sign-off', () => {
  let owner: DataSource;
  /** Every module's milestone source, as the application reads them today. */
  let SOURCES: MilestoneSources;

  beforeAll(async () => {
    SOURCES = MilestoneSources.of(await applicationMilestoneSources());
    const database = await createTestDatabaseWithOwner();
    owner = await new DataSource(dataSourceOptions({ url: database.migrationUrl, poolSize: 2, statementTimeoutMs: 30_000 })).initialize();
  });
  afterAll(() => owner.destroy());

  const stored = async (caseId: string, key: string) => {
    const [row] = await owner.query(`SELECT met_on::text AS met_on FROM case_milestone WHERE case_id = $1 AND key = $2`, [caseId, key]);
    return row?.met_on ?? null;
  };
  const columns = async (caseId: string) => {
    const [row] = await owner.query(`SELECT first_completed_on::text AS first, completed_on::text AS latest FROM review_case WHERE id = $1`, [caseId]);
    return row;
  };

  it('backfills the first sign-off from the stage history and leaves the stored milestones as the engine computes them', async () => {
    const exeter = await partnershipId(owner, 'exeter');
    const today = londonDate(new Date());
    // signed off late on 3 August UTC: 4 August in London; resubmitted; signed off again on 5 October
    const resubmitted = await insertCase(owner, { partnershipId: exeter, stage: 'home_office_qa', decision: { outcome: 'commission', decidedOn: '2026-03-20' }, completedOn: '2026-10-05' });
    await owner.query(
      `INSERT INTO case_transition (case_id, from_stage, to_stage, occurred_at) VALUES ($1, 'csp_sign_off', 'home_office_qa', '2026-08-03T23:30:00Z')`,
      [resubmitted.id],
    );
    await insertQaSubmission(owner, { caseId: resubmitted.id, submittedOn: '2026-08-10', outcome: 'resubmit', outcomeOn: '2026-08-20' });
    await insertTransition(owner, { caseId: resubmitted.id, from: 'home_office_qa', to: 'drafting', occurredOn: '2026-08-21' });
    await insertTransition(owner, { caseId: resubmitted.id, from: 'csp_sign_off', to: 'home_office_qa', occurredOn: '2026-10-05' });
    await insertQaSubmission(owner, { caseId: resubmitted.id, submittedOn: '2026-10-06' });
    // a completion date with no sign-off in the history (recorded before the history was kept) stays as it is
    const noHistory = await insertCase(owner, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-07-01' });
    const unsigned = await insertCase(owner, { partnershipId: exeter, stage: 'drafting' });

    // the milestones stored as they were before: completion the latest sign-off, the submission the current round's
    await owner.query(`UPDATE review_case SET first_completed_on = completed_on WHERE id = ANY($1)`, [[resubmitted.id, noHistory.id, unsigned.id]]);
    await recomputeMilestones(owner, MILESTONES_OF_THIS_TIME, [resubmitted.id, noHistory.id, unsigned.id], milestoneSettingsVars(), today);
    await owner.query(`UPDATE case_milestone SET met_on = '2026-10-06' WHERE case_id = $1 AND key = 'home_office_submitted'`, [resubmitted.id]);
    expect(await stored(resubmitted.id, 'review_completed')).toBe('2026-10-05');

    const migration = new CompletionAndWithholding1765062000000();
    const runner = owner.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }

    expect(await columns(resubmitted.id)).toEqual({ first: '2026-08-04', latest: '2026-10-05' });
    expect(await columns(noHistory.id)).toEqual({ first: '2026-07-01', latest: '2026-07-01' });
    expect(await columns(unsigned.id)).toEqual({ first: null, latest: null });
    expect(await stored(resubmitted.id, 'review_completed')).toBe('2026-08-04');
    expect(await stored(resubmitted.id, 'home_office_submitted')).toBe('2026-08-10');
    expect(await stored(noHistory.id, 'review_completed')).toBe('2026-07-01');
    const { differences } = await verifyMilestoneState(owner, SOURCES, milestoneSettingsVars(), today);
    expect(differences).toEqual([]);
  });
});
