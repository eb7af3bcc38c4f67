import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the hot read paths showed they need, each one because a plan on
 * 20,000 cases used it (docs/benchmarks.md, "What each fix bought"):
 *
 * - the dashboard's and the completion chart's completed reviews: the
 *   completion milestone met, per partnership, read index-only instead of
 *   scanning every stored milestone.
 */
export class HotPathIndexes1765000000000 implements MigrationInterface {
  name = 'HotPathIndexes1765000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX case_milestone_completed_idx ON case_milestone (partnership_id, met_on) INCLUDE (due_on, applicable)
       WHERE key = 'review_completed' AND applicable AND met_on IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_milestone_completed_idx`);
  }
}
