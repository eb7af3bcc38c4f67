import type { MigrationInterface, QueryRunner } from 'typeorm';
import { londonDate } from '../src/common/calendar.js';
import { milestoneSettingsVars } from '../src/config/app-config.js';
import { MILESTONES_OF_THIS_TIME as MILESTONES_BEFORE } from './1764734400000-MilestoneState.js';
import { recomputeMilestones, type MilestoneSchema } from './frozen/milestone-recompute.js';

/**
 * The milestone events and items as this migration leaves them, frozen here
 * (docs/architecture.md, "Schema and migrations"): completion is the first sign-off,
 * the QA submission the first ever, and each action of an action plan is a
 * milestone of its owning agency; the rest as in 1764734400000-MilestoneState
 * (the family contact still without its party, which comes later).
 */
export const MILESTONES_OF_THIS_TIME: MilestoneSchema = {
  ...MILESTONES_BEFORE,
  events: {
    ...MILESTONES_BEFORE.events,
    completion: 'c.first_completed_on',
    qa_submission: `(SELECT min(qs.submitted_on) FROM qa_submission qs WHERE qs.case_id = c.id)`,
  },
  items: [
    ...MILESTONES_BEFORE.items,
    `SELECT a.case_id, 'action:' || a.id AS key,
         'Action by ' || ag.name AS title,
         'Target date set on the action' AS basis,
         a.created_on AS start_on,
         a.target_on AS due_on,
         coalesce(a.completed_on, a.closed_on) AS met_on,
         a.owner_agency_id AS agency_id, a.seq AS ordinal
    FROM plan_action a JOIN agency ag ON ag.id = a.owner_agency_id`,
  ],
};

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
 * milestone events and items of this migration's time
 * (MILESTONES_OF_THIS_TIME, read by the frozen SQL of migrations/frozen/).
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
    const today = londonDate(new Date());
    for (let at = 0; at < rows.length; at += BATCH) {
      await recomputeMilestones(q.manager, MILESTONES_OF_THIS_TIME, rows.slice(at, at + BATCH).map((r) => r.id), milestoneSettingsVars(), today);
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
