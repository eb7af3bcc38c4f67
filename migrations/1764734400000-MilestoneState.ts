import type { MigrationInterface, QueryRunner } from 'typeorm';
import { londonDate } from '../src/common/calendar.js';
import { milestoneSettingsVars } from '../src/config/app-config.js';
import { recomputeEveryCase, type MilestoneSchema } from './frozen/milestone-recompute.js';

/**
 * The milestone events, applicability and item milestones as the schema of
 * this migration's time records them, frozen here (docs/architecture.md,
 * "Schema and migrations"): the case record's dates (completion was then the latest
 * sign-off, `completed_on`), the first family contact that gave the leaflet
 * and offered advocacy (every contact was with the victim's family then),
 * and each contribution request, met once resolved. No QA submission, action
 * or discontinued review existed yet.
 */
export const MILESTONES_OF_THIS_TIME: MilestoneSchema = {
  events: {
    notification: 'c.notified_on',
    decision: 'c.decided_on',
    commissioning: 'c.commissioned_on',
    home_office_notification: 'c.home_office_notified_on',
    completion: 'c.completed_on',
    statutory_copy: 'c.statutory_copy_sent_on',
    family_contact: `(SELECT min(fc.contacted_on) FROM family_contact fc
  WHERE fc.case_id = c.id AND fc.leaflet_given AND fc.advocacy_offered)`,
  },
  applies: {
    always: 'TRUE',
    if_commissioned: `NOT (c.decision_outcome IS NOT DISTINCT FROM 'no_review' AND c.commissioned_on IS NULL)`,
  },
  discontinued: 'FALSE',
  items: [
    `SELECT r.case_id, 'contribution:' || r.id AS key,
         CASE r.kind WHEN 'imr' THEN 'IMR' WHEN 'chronology' THEN 'Chronology' ELSE 'Summary' END || ' from ' || a.name AS title,
         'Due date set on the contribution request' AS basis,
         (r.created_at AT TIME ZONE 'Europe/London')::date AS start_on,
         r.due_on,
         CASE WHEN r.status <> 'requested' THEN (r.resolved_at AT TIME ZONE 'Europe/London')::date END AS met_on,
         r.agency_id, r.seq AS ordinal
    FROM contribution_request r JOIN agency a ON a.id = r.agency_id`,
  ],
};

/**
 * Each case's milestones, stored: one row per case and milestone key, kept
 * current by the engine in the transaction of every change to the case and
 * by the daily sweep (docs/architecture.md, "Milestones"). Statuses are not
 * stored: they come from these dates and today when read. The partial
 * indexes serve the cross-case list of unmet milestones, soonest first, for
 * every role's scope.
 *
 * The backfill computes every case with the engine, from the milestone
 * events and items of this migration's time (MILESTONES_OF_THIS_TIME, read
 * by the frozen SQL of migrations/frozen/, never the application's), and the
 * milestone settings of the environment it runs in.
 */
export class MilestoneState1764734400000 implements MigrationInterface {
  name = 'MilestoneState1764734400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_milestone (
        case_id uuid NOT NULL REFERENCES review_case(id),
        key text COLLATE "C" NOT NULL,
        partnership_id uuid NOT NULL REFERENCES partnership(id),
        reference text COLLATE "C" NOT NULL,
        statutory boolean NOT NULL,
        agency_id uuid REFERENCES agency(id),
        title text NOT NULL,
        basis text NOT NULL,
        position integer NOT NULL,
        applicable boolean NOT NULL,
        start_on date,
        due_on date,
        adjusted_due_on date,
        met_on date,
        on_hold boolean NOT NULL,
        computed_on date NOT NULL,
        sort_on date GENERATED ALWAYS AS (coalesce(due_on, DATE '9999-12-31')) STORED,
        PRIMARY KEY (case_id, key),
        CHECK (NOT statutory OR agency_id IS NULL),
        CHECK (applicable OR (due_on IS NULL AND met_on IS NULL))
      )`);
    // Filled before the indexes are built: one build each is cheaper than an index insert per row.
    await recomputeEveryCase(q.manager, MILESTONES_OF_THIS_TIME, milestoneSettingsVars(), londonDate(new Date()));
    await q.query(`CREATE INDEX case_milestone_unmet_idx ON case_milestone (sort_on, reference, key) WHERE applicable AND met_on IS NULL`);
    await q.query(
      `CREATE INDEX case_milestone_unmet_partnership_idx ON case_milestone (partnership_id, sort_on, reference, key) WHERE applicable AND met_on IS NULL`,
    );
    await q.query(
      `CREATE INDEX case_milestone_unmet_agency_idx ON case_milestone (agency_id, sort_on, reference, key) WHERE applicable AND met_on IS NULL AND agency_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX case_milestone_order_idx ON case_milestone (sort_on, reference, key)`);
    await q.query(`CREATE INDEX case_milestone_partnership_order_idx ON case_milestone (partnership_id, sort_on, reference, key)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_milestone`);
  }
}
