import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Linked reviews (docs/domain.md, "Linked reviews"): a DHR run jointly with,
 * or beside, another review. A link names its kind and either another case
 * of this system or an external reference. It is stored once, from the case
 * it was added on, and read from either side; the pair of cases is linked
 * once whichever way round (`case_link_pair_once`, on the unordered pair),
 * and a case names an external reference once, in any letter case
 * (`case_link_external_once`). Nothing existing changes.
 */
export class CaseLinks1765065000000 implements MigrationInterface {
  name = 'CaseLinks1765065000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_link (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        case_id uuid NOT NULL REFERENCES review_case(id),
        linked_case_id uuid REFERENCES review_case(id),
        external_reference text CHECK (btrim(external_reference) <> ''),
        kind text NOT NULL CHECK (kind IN ('joint_dhr','sar','cspr','mental_health_review','other')),
        note text,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL,
        CONSTRAINT case_link_one_target CHECK ((linked_case_id IS NULL) <> (external_reference IS NULL)),
        CONSTRAINT case_link_not_to_itself CHECK (linked_case_id <> case_id)
      )`);
    await q.query(`
      CREATE UNIQUE INDEX case_link_pair_once ON case_link (LEAST(case_id, linked_case_id), GREATEST(case_id, linked_case_id))
       WHERE linked_case_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX case_link_external_once ON case_link (case_id, lower(external_reference)) WHERE external_reference IS NOT NULL`);
    await q.query(`CREATE INDEX case_link_case_idx ON case_link (case_id, seq)`);
    await q.query(`CREATE INDEX case_link_linked_case_idx ON case_link (linked_case_id, seq) WHERE linked_case_id IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_link`);
  }
}
