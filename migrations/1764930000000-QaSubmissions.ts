import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Home Office quality assurance: each submission of the report, and later
 * its outcome with the Home Office's letter. `round` is the number of CSP
 * sign-offs the case had when the report was submitted: the submissions of
 * the current round are those made since the latest sign-off.
 */
export class QaSubmissions1764930000000 implements MigrationInterface {
  name = 'QaSubmissions1764930000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE qa_submission (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        case_id uuid NOT NULL REFERENCES review_case(id),
        round integer NOT NULL CHECK (round >= 0),
        submitted_on date NOT NULL,
        submitted_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL,
        outcome text CHECK (outcome IN ('approved', 'approved_subject_to_changes', 'resubmit')),
        outcome_on date,
        letter_document_id uuid REFERENCES case_document(id),
        outcome_recorded_by uuid REFERENCES app_user(id),
        outcome_recorded_at timestamptz,
        CONSTRAINT qa_submission_outcome_dated CHECK ((outcome IS NULL) = (outcome_on IS NULL) AND (outcome IS NULL) = (outcome_recorded_at IS NULL)),
        CONSTRAINT qa_submission_outcome_after_submission CHECK (outcome_on >= submitted_on),
        CONSTRAINT qa_submission_letter_with_outcome CHECK (letter_document_id IS NULL OR outcome IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX qa_submission_case_idx ON qa_submission (case_id, round, seq)`);
    // A case waits for one outcome at a time.
    await q.query(`CREATE UNIQUE INDEX qa_submission_one_awaiting ON qa_submission (case_id) WHERE outcome IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE qa_submission`);
  }
}
