import type { MigrationInterface, QueryRunner } from 'typeorm';

const STAGES_BEFORE = `'notified','commissioned','not_commissioned','panel_established','information_gathering','drafting','csp_sign_off',
  'home_office_qa','approved_for_publication','published','closed'`;

/**
 * Discontinued reviews (docs/domain.md, "Discontinued reviews"): a final
 * stage `discontinued`, and a contribution request `closed` when the review
 * that asked for it is discontinued. No existing row changes: every case and
 * request is valid under both lists, and no stored milestone moves.
 */
export class DiscontinuedReviews1765063000000 implements MigrationInterface {
  name = 'DiscontinuedReviews1765063000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE review_case DROP CONSTRAINT review_case_stage_check`);
    await q.query(`ALTER TABLE review_case ADD CONSTRAINT review_case_stage_check CHECK (stage IN (${STAGES_BEFORE}, 'discontinued'))`);
    await q.query(`ALTER TABLE contribution_request DROP CONSTRAINT contribution_request_status_check`);
    await q.query(`ALTER TABLE contribution_request ADD CONSTRAINT contribution_request_status_check CHECK (status IN ('requested','submitted','waived','closed'))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contribution_request DROP CONSTRAINT contribution_request_status_check`);
    await q.query(`ALTER TABLE contribution_request ADD CONSTRAINT contribution_request_status_check CHECK (status IN ('requested','submitted','waived'))`);
    await q.query(`ALTER TABLE review_case DROP CONSTRAINT review_case_stage_check`);
    await q.query(`ALTER TABLE review_case ADD CONSTRAINT review_case_stage_check CHECK (stage IN (${STAGES_BEFORE}))`);
  }
}
