import { SIGN_OFFS } from '../cases/cases.queries.js';
import { caseRowsAfterSeq, type SeqWindow } from '../common/pagination.js';
import type { Queryable } from '../common/sql.js';
import { isQaApproval, type QaOutcome } from './qa-outcomes.js';
import type { QaSubmission } from './qa-submission.entity.js';

/** The SQL of the QA module (docs/architecture.md, "Data access"). */

/**
 * The outcome of case $1's latest submission in the current round (made
 * since the latest CSP sign-off), or no row. An outcome of an earlier round
 * never counts: after a resubmission and a new sign-off, the case waits for
 * a new submission.
 */
export const LATEST_OUTCOME = `
  SELECT q.outcome FROM qa_submission q JOIN review_case c ON c.id = q.case_id
   WHERE q.case_id = $1 AND q.round = ${SIGN_OFFS}
   ORDER BY q.seq DESC LIMIT 1`;

/**
 * The date of the first submission of the report, in any round, for a case
 * aliased `c`: what meets `home_office_submitted`, which runs from the first
 * sign-off (docs/domain.md, "Completion is the first sign-off"). A
 * resubmission after a later sign-off does not move it.
 */
export const FIRST_SUBMISSION = `(SELECT min(qs.submitted_on) FROM qa_submission qs WHERE qs.case_id = c.id)`;

/**
 * The day the Home Office approved case $1 in the current round (the
 * outcome of its latest submission, when it approves), or no row.
 */
export const CURRENT_APPROVAL_ON = `
  SELECT q.outcome, q.outcome_on::text AS outcome_on FROM qa_submission q JOIN review_case c ON c.id = q.case_id
   WHERE q.case_id = $1 AND q.round = ${SIGN_OFFS}
   ORDER BY q.seq DESC LIMIT 1`;

/** Case $1's latest submission in round $2 (the current one). */
export const LATEST_IN_ROUND = `
  SELECT id, outcome FROM qa_submission WHERE case_id = $1 AND round = $2 ORDER BY seq DESC LIMIT 1`;

/** A submission's columns under its properties' names. */
const SUBMISSION_COLUMNS = `id, CAST(seq AS text) AS seq, case_id AS "caseId", round, submitted_on AS "submittedOn",
         submitted_by AS "submittedBy", created_at AS "createdAt", outcome, outcome_on AS "outcomeOn",
         letter_document_id AS "letterDocumentId", outcome_recorded_by AS "outcomeRecordedBy",
         outcome_recorded_at AS "outcomeRecordedAt"`;

/** Case $1's submissions after seq $2, oldest first, $3 of them. */
export const SUBMISSIONS_PAGE = caseRowsAfterSeq('qa_submission', SUBMISSION_COLUMNS);

/** Submission $1. */
export const SUBMISSION = `SELECT ${SUBMISSION_COLUMNS} FROM qa_submission WHERE id = $1`;

/** Records a submission of case $1's report in round $2, on $3, by $4, at $5; its outcome comes later. */
export const INSERT_SUBMISSION = `
  INSERT INTO qa_submission (case_id, round, submitted_on, submitted_by, created_at)
  VALUES ($1, $2, $3, $4, $5)
  RETURNING ${SUBMISSION_COLUMNS}`;

/** Submission $1's outcome $2, on $3, with the letter $4, recorded by $5 at $6. */
export const RECORD_OUTCOME = `
  UPDATE qa_submission
     SET outcome = $2, outcome_on = $3, letter_document_id = $4, outcome_recorded_by = $5, outcome_recorded_at = $6
   WHERE id = $1`;

/** The current round's latest outcome of a case, or null (none yet, or no submission). */
export async function latestQaOutcome(db: Queryable, caseId: string): Promise<QaOutcome | null> {
  const [row]: { outcome: QaOutcome | null }[] = await db.query(LATEST_OUTCOME, [caseId]);
  return row?.outcome ?? null;
}

/** When the current round's latest outcome was given, if it approves the report; null otherwise. */
export async function currentQaApprovalOn(db: Queryable, caseId: string): Promise<string | null> {
  const [row]: { outcome: QaOutcome | null; outcome_on: string | null }[] = await db.query(CURRENT_APPROVAL_ON, [caseId]);
  return row && isQaApproval(row.outcome) ? row.outcome_on : null;
}

/** The latest submission of a case in a round, or null when the round has none. */
export async function latestInRound(db: Queryable, caseId: string, round: number): Promise<{ id: string; outcome: QaOutcome | null } | null> {
  const [row] = await db.query(LATEST_IN_ROUND, [caseId, round]);
  return row ?? null;
}

export function qaSubmissionsPage(db: Queryable, caseId: string, window: SeqWindow): Promise<QaSubmission[]> {
  return db.query(SUBMISSIONS_PAGE, [caseId, window.afterSeq, window.rows]);
}

export async function findQaSubmission(db: Queryable, submissionId: string): Promise<QaSubmission | null> {
  const [row] = await db.query(SUBMISSION, [submissionId]);
  return row ?? null;
}

export async function insertQaSubmission(
  db: Queryable,
  submission: Pick<QaSubmission, 'caseId' | 'round' | 'submittedOn' | 'submittedBy' | 'createdAt'>,
): Promise<QaSubmission> {
  const [row] = await db.query(INSERT_SUBMISSION, [submission.caseId, submission.round, submission.submittedOn, submission.submittedBy, submission.createdAt]);
  return row;
}

export type QaOutcomeRecord = Pick<QaSubmission, 'outcome' | 'outcomeOn' | 'letterDocumentId' | 'outcomeRecordedBy' | 'outcomeRecordedAt'>;

export async function recordQaOutcome(db: Queryable, submissionId: string, outcome: QaOutcomeRecord): Promise<void> {
  await db.query(RECORD_OUTCOME, [submissionId, outcome.outcome, outcome.outcomeOn, outcome.letterDocumentId, outcome.outcomeRecordedBy, outcome.outcomeRecordedAt]);
}
