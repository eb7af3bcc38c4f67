import { SIGN_OFFS } from '../cases/cases.queries.js';

/** The SQL of the QA module. */

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
 * The date of the first submission since the latest CSP sign-off, for a
 * case aliased `c`: what meets `home_office_submitted`. A new sign-off
 * starts a new round, whose milestone is unmet until the report is
 * submitted again.
 */
export const FIRST_SUBMISSION_AFTER_SIGN_OFF = `(SELECT min(qs.submitted_on) FROM qa_submission qs
  WHERE qs.case_id = c.id AND qs.round = ${SIGN_OFFS})`;

/** Case $1's latest submission in round $2 (the current one). */
export const LATEST_IN_ROUND = `
  SELECT id, outcome FROM qa_submission WHERE case_id = $1 AND round = $2 ORDER BY seq DESC LIMIT 1`;
