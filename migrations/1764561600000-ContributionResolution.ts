import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A contribution request is resolved (submitted or waived) exactly when it has a resolution time. */
export class ContributionResolution1764561600000 implements MigrationInterface {
  name = 'ContributionResolution1764561600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE contribution_request SET resolved_at = created_at WHERE status <> 'requested' AND resolved_at IS NULL`);
    await q.query(`UPDATE contribution_request SET resolved_at = NULL WHERE status = 'requested' AND resolved_at IS NOT NULL`);
    await q.query(`
      ALTER TABLE contribution_request ADD CONSTRAINT contribution_resolved_when_not_requested
        CHECK ((status = 'requested') = (resolved_at IS NULL))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contribution_request DROP CONSTRAINT contribution_resolved_when_not_requested`);
  }
}
