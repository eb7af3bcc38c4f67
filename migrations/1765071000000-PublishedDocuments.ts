import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A publication records every document it published (docs/domain.md,
 * "Publication"): beside the executive summary, the overview report and the
 * QA panel's letter, each the final version that passed the anonymisation
 * check. A publication recorded before these columns existed gets the case's
 * final overview report if it was uploaded before the publication was
 * recorded (a later one never passed the check), and no QA letter: the
 * check did not read letters then.
 */
export class PublishedDocuments1765071000000 implements MigrationInterface {
  name = 'PublishedDocuments1765071000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE publication
        ADD COLUMN overview_report_document_id uuid REFERENCES case_document(id),
        ADD COLUMN qa_letter_document_id uuid REFERENCES case_document(id)`);
    await q.query(`
      UPDATE publication p SET overview_report_document_id = d.id
        FROM case_document d
       WHERE d.case_id = p.case_id AND d.kind = 'overview_report' AND d.final AND d.agency_id IS NULL
         AND d.uploaded_at <= p.recorded_at`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication DROP COLUMN qa_letter_document_id, DROP COLUMN overview_report_document_id`);
  }
}
