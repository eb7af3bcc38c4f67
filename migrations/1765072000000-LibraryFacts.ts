import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The facts the national DHR library and the Domestic Abuse Commissioner's
 * oversight group reviews by (docs/domain.md, "Facts for the national
 * library"): `manner_of_death` and `relationship`, null until recorded, each
 * held to its vocabulary (src/cases/library-facts.ts, as written here when
 * this migration was), and `police_force_area`, one line of text, "Devon and
 * Cornwall" for every case, existing ones included. Adding a column with a
 * constant default rewrites no row; no stored milestone reads these facts,
 * so nothing is recomputed.
 */
export class LibraryFacts1765072000000 implements MigrationInterface {
  name = 'LibraryFacts1765072000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE review_case
        ADD COLUMN manner_of_death text
          CONSTRAINT review_case_manner_of_death_known CHECK (manner_of_death IN ('homicide','suicide','unexplained','other')),
        ADD COLUMN relationship text
          CONSTRAINT review_case_relationship_known CHECK (relationship IN (
            'intimate_partner','former_intimate_partner','adult_child','parent','other_family','household_member','other')),
        ADD COLUMN police_force_area text NOT NULL DEFAULT 'Devon and Cornwall'
          CONSTRAINT review_case_police_force_area_line CHECK (
            btrim(police_force_area) <> '' AND char_length(police_force_area) <= 100 AND police_force_area !~ '[\\r\\n]')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE review_case DROP COLUMN police_force_area, DROP COLUMN relationship, DROP COLUMN manner_of_death`);
  }
}
