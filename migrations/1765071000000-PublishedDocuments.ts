import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A publication records every document it published (docs/domain.md,
 * "Publication"): beside the executive summary, the overview report and the
 * QA panel's letter, each the final version that passed the anonymisation
 * check. A publication recorded before these columns existed gets the case's
 * final overview report if it was uploaded before the publication was
 * recorded (a later one never passed the check), and no QA letter: the
 * check did not read letters then. "Before" is read from the audit trail's
 * order (the document's `document.uploaded` event has a lower `seq` than
 * the publication's `publication.recorded` event), which one sequence
 * gives whatever the instances' clocks say; a row whose two events are not
 * both in the trail falls back to the clocks (`uploaded_at <=
 * recorded_at`).
 *
 * A case approved before the upgrade and not yet published gets the final
 * QA letter an approval now gives (docs/domain.md, "QA submissions"): when
 * the latest submission of its current round approves and names a letter,
 * that letter becomes the case's one final `qa_letter`, unless a final
 * `qa_letter` was uploaded after the outcome was recorded (a replacement,
 * which stays).
 */
/**
 * The cases not published whose current round's latest submission approves
 * naming a letter, with no final QA letter uploaded after that outcome was
 * recorded: `approval (case_id, letter_document_id)`.
 */
const APPROVALS_TO_MARK = `
  WITH latest AS (
    SELECT DISTINCT ON (s.case_id) s.case_id, s.outcome, s.letter_document_id, s.outcome_recorded_at
      FROM qa_submission s
     WHERE s.round = (SELECT count(*) FROM case_transition t
                       WHERE t.case_id = s.case_id AND t.from_stage = 'csp_sign_off' AND t.to_stage = 'home_office_qa')
     ORDER BY s.case_id, s.seq DESC
  ), approval AS (
    SELECT l.case_id, l.letter_document_id FROM latest l
     WHERE l.outcome IN ('approved', 'approved_subject_to_changes') AND l.letter_document_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM publication p WHERE p.case_id = l.case_id)
       AND NOT EXISTS (SELECT 1 FROM case_document r
                        WHERE r.case_id = l.case_id AND r.kind = 'qa_letter' AND r.agency_id IS NULL AND r.final
                          AND r.id <> l.letter_document_id AND r.uploaded_at > l.outcome_recorded_at)
  )`;

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
         AND coalesce(
               (SELECT max(u.seq) FROM audit_event u WHERE u.action = 'document.uploaded' AND u.entity_id = d.id::text)
                 < (SELECT min(r.seq) FROM audit_event r WHERE r.action = 'publication.recorded' AND r.entity_id = p.id::text),
               d.uploaded_at <= p.recorded_at)`);
    // Cleared first, then marked: one final version of a kind at every moment (case_document_one_final).
    await q.query(`
      ${APPROVALS_TO_MARK}
      UPDATE case_document d SET final = false
        FROM approval a
       WHERE d.case_id = a.case_id AND d.kind = 'qa_letter' AND d.agency_id IS NULL AND d.final AND d.id <> a.letter_document_id`);
    await q.query(`
      ${APPROVALS_TO_MARK}
      UPDATE case_document d SET final = true
        FROM approval a
       WHERE d.id = a.letter_document_id AND NOT d.final`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication DROP COLUMN qa_letter_document_id, DROP COLUMN overview_report_document_id`);
  }
}
