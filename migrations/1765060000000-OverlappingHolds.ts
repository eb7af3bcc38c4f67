import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case may be on several holds at once, at most one open per reason
 * (docs/domain.md, "Holds"): the database keeps two requests at once from
 * both opening a hold of the same reason. Holds never overlapped before, so
 * every case has at most one open hold and the index builds on any data;
 * the days on hold, counted once however many holds cover a day, are what
 * they were.
 */
export class OverlappingHolds1765060000000 implements MigrationInterface {
  name = 'OverlappingHolds1765060000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX case_hold_one_open_per_reason ON case_hold (case_id, reason) WHERE ended_on IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_hold_one_open_per_reason`);
  }
}
