import type { MigrationInterface, QueryRunner } from 'typeorm';
import { londonDate } from '../src/common/calendar.js';
import { milestoneSettingsVars } from '../src/config/app-config.js';
import { MilestoneSources } from '../src/milestones/milestone-sources.js';
import { refreshMilestoneState } from '../src/milestones/milestone-state.js';

/**
 * Every module's milestone source as this migration was written. Loaded when
 * the migration runs, not when the list of migrations is read, and after the
 * feature list: the action plans' plugins reach the feature list, whose
 * manifests name them.
 */
export async function milestoneSourcesOfThisTime() {
  // The feature list first, as the application loads it: the plugins' modules reach it.
  await import('../src/features.js');
  const [{ CaseMilestoneEvents }, { FAMILY_CONTACT_BEFORE_PARTIES }, { ContributionMilestones }, { QaMilestones }, { ActionMilestones }] = await Promise.all([
    import('../src/cases/case-milestone-events.js'),
    import('./1764734400000-MilestoneState.js'),
    import('../src/contributions/contributions.plugins.js'),
    import('../src/qa/qa.plugins.js'),
    import('../src/actions/actions.plugins.js'),
  ]);
  return [new CaseMilestoneEvents(), FAMILY_CONTACT_BEFORE_PARTIES, new ContributionMilestones(), new QaMilestones(), new ActionMilestones()];
}

/** The cases recomputed a batch at a time. */
const BATCH = 500;

/**
 * Completion is the first sign-off, and a review may end withheld
 * (docs/domain.md, "Completion is the first sign-off" and "Publication").
 *
 * - `first_completed_on`: the CSP chair's first sign-off (csp_sign_off →
 *   home_office_qa), kept when a QA resubmission brings a later one
 *   (`completed_on`). Backfilled from the stage history as the London date of
 *   the earliest sign-off, as `completed_on` was set on the day of the step;
 *   a case with a completion date but no sign-off in its history keeps that
 *   date.
 * - `withheld_on` and `withholding_reason`: the decision not to publish,
 *   recorded by the CSP chair's closure from approved_for_publication.
 *
 * The `completion` event now reads the first sign-off and the QA module's
 * event the first submission ever, so the stored milestones of the cases
 * whose first and latest rounds differ are recomputed here, from the
 * milestone sources of the time this was written.
 */
export class CompletionAndWithholding1765062000000 implements MigrationInterface {
  name = 'CompletionAndWithholding1765062000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE review_case
        ADD COLUMN first_completed_on date,
        ADD COLUMN withheld_on date,
        ADD COLUMN withholding_reason text`);
    await q.query(`
      UPDATE review_case c
         SET first_completed_on = coalesce(
               (SELECT min((t.occurred_at AT TIME ZONE 'Europe/London')::date) FROM case_transition t
                 WHERE t.case_id = c.id AND t.from_stage = 'csp_sign_off' AND t.to_stage = 'home_office_qa'),
               c.completed_on)
       WHERE c.completed_on IS NOT NULL`);
    await q.query(`
      ALTER TABLE review_case
        ADD CONSTRAINT review_case_first_completion CHECK (first_completed_on IS NULL OR first_completed_on <= completed_on),
        ADD CONSTRAINT review_case_withholding_reasoned CHECK ((withheld_on IS NULL) = (withholding_reason IS NULL))`);
    await this.recomputeMilestones(q);
  }

  /** The cases whose milestones the new events move: a later sign-off than the first, or a submission of an earlier round. */
  private async recomputeMilestones(q: QueryRunner): Promise<void> {
    const rows: { id: string }[] = await q.query(`
      SELECT c.id FROM review_case c
       WHERE c.first_completed_on IS DISTINCT FROM c.completed_on
          OR EXISTS (SELECT 1 FROM qa_submission s WHERE s.case_id = c.id
                        AND s.round < (SELECT count(*) FROM case_transition t
                                        WHERE t.case_id = c.id AND t.from_stage = 'csp_sign_off' AND t.to_stage = 'home_office_qa'))
       ORDER BY c.seq`);
    const sources = MilestoneSources.of(await milestoneSourcesOfThisTime());
    const today = londonDate(new Date());
    for (let at = 0; at < rows.length; at += BATCH) {
      await refreshMilestoneState(q.manager, sources, milestoneSettingsVars(), rows.slice(at, at + BATCH).map((r) => r.id), today);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE review_case
        DROP CONSTRAINT review_case_withholding_reasoned,
        DROP CONSTRAINT review_case_first_completion,
        DROP COLUMN withholding_reason,
        DROP COLUMN withheld_on,
        DROP COLUMN first_completed_on`);
  }
}
