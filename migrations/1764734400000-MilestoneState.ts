import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CaseMilestoneEvents } from '../src/cases/case-milestone-events.js';
import { londonDate } from '../src/common/calendar.js';
import { milestoneSettingsVars } from '../src/config/app-config.js';
import { ContributionMilestones } from '../src/contributions/contributions.plugins.js';
import { MilestoneSources, type MilestoneSource } from '../src/milestones/milestone-sources.js';
import { backfillMilestoneState } from '../src/milestones/milestone-state.js';

/**
 * The family contact that met `family_contacted` before contacts recorded
 * their party (1765073000000-ContactPartiesAndAddressees): every contact was
 * with the victim's family then, and the column the module's event reads now
 * does not exist yet while the migrations before that one run.
 */
export const FAMILY_CONTACT_BEFORE_PARTIES: MilestoneSource = {
  events: {
    family_contact: `(SELECT min(fc.contacted_on) FROM family_contact fc
  WHERE fc.case_id = c.id AND fc.leaflet_given AND fc.advocacy_offered)`,
  },
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
 * sources that existed when this migration was written, and the milestone
 * settings of the environment it runs in.
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
    const sources = MilestoneSources.of([new CaseMilestoneEvents(), FAMILY_CONTACT_BEFORE_PARTIES, new ContributionMilestones()]);
    await backfillMilestoneState(q.manager, sources, milestoneSettingsVars(), londonDate(new Date()));
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
