/** The SQL of the contributions module. */
import type { Queryable } from '../common/sql.js';
import type { ContributionKind } from './contribution-request.entity.js';

/** How many requests a case has, and how many are still outstanding, for case $1. */
export const CONTRIBUTION_FACTS = `
  SELECT count(*)::int AS requests, count(*) FILTER (WHERE status = 'requested')::int AS outstanding
    FROM contribution_request WHERE case_id = $1`;

/**
 * Every contribution request as a milestone of its own, in the columns
 * milestone-sources.ts asks of item milestones: due on the date set on the
 * request, met when it is submitted or waived.
 */
export const CONTRIBUTION_MILESTONES = `
  SELECT r.case_id, 'contribution:' || r.id AS key,
         CASE r.kind WHEN 'imr' THEN 'IMR' WHEN 'chronology' THEN 'Chronology' ELSE 'Summary' END || ' from ' || a.name AS title,
         'Due date set on the contribution request' AS basis,
         (r.created_at AT TIME ZONE 'Europe/London')::date AS start_on,
         r.due_on,
         CASE WHEN r.status <> 'requested' THEN (r.resolved_at AT TIME ZONE 'Europe/London')::date END AS met_on,
         r.agency_id, r.seq AS ordinal
    FROM contribution_request r JOIN agency a ON a.id = r.agency_id`;

const MARK_SUBMITTED = `
  UPDATE contribution_request SET status = 'submitted', resolved_at = $4
   WHERE case_id = $1 AND agency_id = $2 AND kind = $3 AND status = 'requested'
  RETURNING id`;

/**
 * Marks agency's open request of this kind in a case submitted, inside the
 * caller's transaction; the ids of the requests it met (none when nothing was
 * outstanding).
 */
export async function markContributionSubmitted(
  db: Queryable,
  request: { caseId: string; agencyId: string; kind: ContributionKind },
  at: Date,
): Promise<string[]> {
  const [rows] = (await db.query(MARK_SUBMITTED, [request.caseId, request.agencyId, request.kind, at])) as [{ id: string }[], number];
  return rows.map((row) => row.id);
}
