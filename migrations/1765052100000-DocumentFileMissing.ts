import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a document's stored file was first found missing (docs/domain.md,
 * "A document whose file is missing"): set once, by the request that finds
 * it gone, so the SDP administrators are told once, not once per request.
 */
export class DocumentFileMissing1765052100000 implements MigrationInterface {
  name = 'DocumentFileMissing1765052100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_document ADD COLUMN file_missing_since timestamptz`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_document DROP COLUMN file_missing_since`);
  }
}
