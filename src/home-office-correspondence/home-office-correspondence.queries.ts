import type { Queryable } from '../common/sql.js';
import type { HomeOfficeLetter } from './home-office-correspondence.entity.js';

/** The SQL of the Home Office correspondence (docs/architecture.md, "Data access"). */

/** A letter's columns under its properties' names; its date and seq as text, for the page's cursor. */
const LETTER_COLUMNS = `id, CAST(seq AS text) AS seq, case_id AS "caseId", kind, direction,
         corresponded_on::text AS "correspondedOn", summary, outcome, document_id AS "documentId",
         qa_submission_id AS "qaSubmissionId", recorded_by AS "recordedBy", recorded_at AS "recordedAt"`;

/**
 * Case $1's letters after the letter dated $2 with seq $3 (none on the first
 * page: $2 null), oldest date first and, on one date, in the order they were
 * recorded; $4 of them.
 */
export const LETTERS_PAGE = `
  SELECT ${LETTER_COLUMNS}
    FROM home_office_correspondence
   WHERE case_id = $1
     AND ($2::date IS NULL OR (corresponded_on, seq) > ($2::date, $3::bigint))
   ORDER BY corresponded_on, seq
   LIMIT $4`;

/**
 * Records a letter of case $1: kind $2, direction $3, dated $4, summary $5,
 * outcome $6, document $7, QA submission $8, by $9 at $10.
 */
export const INSERT_LETTER = `
  INSERT INTO home_office_correspondence
         (case_id, kind, direction, corresponded_on, summary, outcome, document_id, qa_submission_id, recorded_by, recorded_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  RETURNING ${LETTER_COLUMNS}`;

/** Where a page of letters starts: after the letter of this date and seq, or at the first when null. */
export interface LetterWindow {
  after: { on: string; seq: string } | null;
  rows: number;
}

/** A new letter, before it is stored. */
export type NewLetter = Omit<HomeOfficeLetter, 'id' | 'seq'>;

export function lettersPage(db: Queryable, caseId: string, window: LetterWindow): Promise<HomeOfficeLetter[]> {
  return db.query(LETTERS_PAGE, [caseId, window.after?.on ?? null, window.after?.seq ?? '0', window.rows]);
}

export async function insertLetter(db: Queryable, letter: NewLetter): Promise<HomeOfficeLetter> {
  const [row]: HomeOfficeLetter[] = await db.query(INSERT_LETTER, [
    letter.caseId,
    letter.kind,
    letter.direction,
    letter.correspondedOn,
    letter.summary,
    letter.outcome,
    letter.documentId,
    letter.qaSubmissionId,
    letter.recordedBy,
    letter.recordedAt,
  ]);
  return row;
}
