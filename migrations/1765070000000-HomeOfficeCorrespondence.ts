import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Home Office's part (docs/domain.md, "Home Office correspondence"):
 * each letter between the review and the Home Office, recorded on the case
 * with its kind, its direction, its date, a short summary and optionally a
 * document of the case. A response's outcome (`accepted`, `challenged`) is
 * kept for responses alone. The QA panel's letter, recorded with a QA
 * outcome, names its submission, once (`home_office_correspondence_qa_once`).
 *
 * The outcomes already recorded become their QA letters here, dated on the
 * outcome's day and naming its letter, so that a case's history reads in one
 * list from the start. No case row changes, so the stored milestones stay
 * what the engine computes.
 */
export class HomeOfficeCorrespondence1765070000000 implements MigrationInterface {
  name = 'HomeOfficeCorrespondence1765070000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE home_office_correspondence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        case_id uuid NOT NULL REFERENCES review_case(id),
        kind text NOT NULL CHECK (kind IN ('decision_notice','response','direction','qa_letter','other')),
        direction text NOT NULL CHECK (direction IN ('sent','received')),
        corresponded_on date NOT NULL,
        summary text NOT NULL CHECK (btrim(summary) <> ''),
        outcome text CHECK (outcome IN ('accepted','challenged')),
        document_id uuid REFERENCES case_document(id),
        qa_submission_id uuid REFERENCES qa_submission(id),
        recorded_by uuid REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL,
        CONSTRAINT home_office_correspondence_outcome_of_response CHECK (outcome IS NULL OR kind = 'response'),
        CONSTRAINT home_office_correspondence_qa_letter CHECK (qa_submission_id IS NULL OR kind = 'qa_letter')
      )`);
    await q.query(`CREATE INDEX home_office_correspondence_case_idx ON home_office_correspondence (case_id, corresponded_on, seq)`);
    await q.query(`
      CREATE UNIQUE INDEX home_office_correspondence_qa_once ON home_office_correspondence (qa_submission_id)
       WHERE qa_submission_id IS NOT NULL`);
    await q.query(`
      INSERT INTO home_office_correspondence
             (case_id, kind, direction, corresponded_on, summary, document_id, qa_submission_id, recorded_by, recorded_at)
      SELECT s.case_id, 'qa_letter', 'received', s.outcome_on,
             'QA panel: ' || CASE s.outcome WHEN 'approved' THEN 'approved'
                                            WHEN 'approved_subject_to_changes' THEN 'approved subject to changes'
                                            ELSE 'resubmission asked for' END,
             s.letter_document_id, s.id, s.outcome_recorded_by, COALESCE(s.outcome_recorded_at, s.created_at)
        FROM qa_submission s
       WHERE s.outcome IS NOT NULL AND s.outcome_on IS NOT NULL
       ORDER BY s.outcome_on, s.seq`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE home_office_correspondence`);
  }
}
