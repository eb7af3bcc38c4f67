import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public page's data. A publication records which document was the
 * final executive summary that passed the anonymisation check when it was
 * published: the public page serves exactly that file, whatever is uploaded
 * later. A publication recorded before this column existed gets the final
 * executive summary uploaded before its publication was recorded, if any.
 *
 * The public list reads the publications not withdrawn, newest first.
 */
export class PublicPage1764970000000 implements MigrationInterface {
  name = 'PublicPage1764970000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication ADD COLUMN executive_summary_document_id uuid REFERENCES case_document(id)`);
    await q.query(`
      UPDATE publication p SET executive_summary_document_id = d.id
        FROM case_document d
       WHERE d.case_id = p.case_id AND d.kind = 'executive_summary' AND d.final AND d.agency_id IS NULL
         AND d.uploaded_at <= p.recorded_at`);
    await q.query(`CREATE INDEX publication_listed_idx ON publication (published_on DESC, id DESC) WHERE withdrawn_on IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX publication_listed_idx`);
    await q.query(`ALTER TABLE publication DROP COLUMN executive_summary_document_id`);
  }
}
