import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trigram indexes for the case list's text search (reference and pseudonyms,
 * matched anywhere). pg_trgm is a trusted extension, but a database user may
 * still lack the right to create it: then the search runs without an index,
 * and the migration does not stop the server.
 */
export class CaseSearchIndexes1764648000000 implements MigrationInterface {
  name = 'CaseSearchIndexes1764648000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX review_case_reference_trgm_idx ON review_case USING gin (reference gin_trgm_ops);
        CREATE INDEX case_subject_pseudonym_trgm_idx ON case_subject USING gin (pseudonym gin_trgm_ops);
      EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
        RAISE NOTICE 'pg_trgm is not available: case search runs without trigram indexes';
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS case_subject_pseudonym_trgm_idx`);
    await q.query(`DROP INDEX IF EXISTS review_case_reference_trgm_idx`);
  }
}
