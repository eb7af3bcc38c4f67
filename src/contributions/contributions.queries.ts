/**
 * The SQL of the contributions module: its statements, and the functions
 * that run them (docs/architecture.md, "Data access").
 */
import { agencyRowsCondition } from '../access/agency-rows.js';
import type { Actor } from '../access/roles.js';
import type { SeqWindow } from '../common/pagination.js';
import { andAll, type Queryable } from '../common/sql.js';
import type { ContributionKind, ContributionRequest } from './contribution-request.entity.js';

/**
 * How many requests a case has, how many are still outstanding, and those in
 * words by agency and kind ("the chronology of Example Constabulary", in the
 * agencies' order), for case $1.
 */
export const CONTRIBUTION_FACTS = `
  SELECT count(*)::int AS requests, count(*) FILTER (WHERE r.status = 'requested')::int AS outstanding,
         coalesce(array_agg(CASE r.kind WHEN 'imr' THEN 'the IMR' WHEN 'chronology' THEN 'the chronology' ELSE 'the summary' END || ' of ' || a.name
                            ORDER BY a.name, r.kind) FILTER (WHERE r.status = 'requested'), '{}') AS "outstandingFrom"
    FROM contribution_request r JOIN agency a ON a.id = r.agency_id
   WHERE r.case_id = $1`;

export async function contributionCounts(db: Queryable, caseId: string): Promise<{ requests: number; outstanding: number; outstandingFrom: string[] }> {
  const [row]: { requests: number; outstanding: number; outstandingFrom: string[] }[] = await db.query(CONTRIBUTION_FACTS, [caseId]);
  return row;
}

/**
 * Every contribution request as a milestone of its own, in the columns
 * milestone-sources.ts asks of item milestones: due on the date set on the
 * request, met when it is submitted or waived. A request closed with a
 * discontinued review was never met: the engine finds it not applicable.
 */
export const CONTRIBUTION_MILESTONES = `
  SELECT r.case_id, 'contribution:' || r.id AS key,
         CASE r.kind WHEN 'imr' THEN 'IMR' WHEN 'chronology' THEN 'Chronology' ELSE 'Summary' END || ' from ' || a.name AS title,
         'Due date set on the contribution request' AS basis,
         (r.created_at AT TIME ZONE 'Europe/London')::date AS start_on,
         r.due_on,
         CASE WHEN r.status IN ('submitted', 'waived') THEN (r.resolved_at AT TIME ZONE 'Europe/London')::date END AS met_on,
         r.agency_id, r.seq AS ordinal
    FROM contribution_request r JOIN agency a ON a.id = r.agency_id`;

/** Meets agency $2's open request of kind $3 in case $1, resolved at $4. */
export const MARK_SUBMITTED = `
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

/** A contribution_request row (aliased `r`) as a ContributionRequest. */
const REQUEST_COLUMNS = `r.id, r.seq, r.case_id AS "caseId", r.agency_id AS "agencyId", r.kind, r.due_on AS "dueOn", r.status,
         r.waived_reason AS "waivedReason", r.resolved_at AS "resolvedAt", r.created_by AS "createdBy", r.created_at AS "createdAt"`;

/** Request $1, or no row. */
export const CONTRIBUTION_REQUEST = `
  SELECT ${REQUEST_COLUMNS}
    FROM contribution_request r
   WHERE r.id = $1`;

export async function findContributionRequest(db: Queryable, id: string): Promise<ContributionRequest | null> {
  const [row]: ContributionRequest[] = await db.query(CONTRIBUTION_REQUEST, [id]);
  return row ?? null;
}

/** A page of case $1's requests in the order they were made, after seq $2, $3 rows; the conditions after `?` narrow them to an agency lead's own. */
const requestPageSql = (narrowed: string) => `
  SELECT ${REQUEST_COLUMNS}
    FROM contribution_request r
   WHERE r.case_id = $1 AND r.seq > $2 AND ${narrowed}
   ORDER BY r.seq
   LIMIT $3`;

export async function contributionRequestPage(db: Queryable, caseId: string, reader: Actor, window: SeqWindow): Promise<ContributionRequest[]> {
  const narrowed = andAll([agencyRowsCondition(reader, 'r.agency_id')], 4);
  return db.query(requestPageSql(narrowed.sql), [caseId, window.afterSeq, window.rows, ...narrowed.params]);
}

export const INSERT_CONTRIBUTION_REQUEST = `
  INSERT INTO contribution_request AS r (case_id, agency_id, kind, due_on, status, waived_reason, created_by, created_at)
  VALUES ($1, $2, $3, $4, 'requested', NULL, $5, $6)
  RETURNING ${REQUEST_COLUMNS}`;

/** A new request, outstanding. */
export async function insertContributionRequest(
  db: Queryable,
  r: { caseId: string; agencyId: string; kind: ContributionKind; dueOn: string; createdBy: string | null; createdAt: Date },
): Promise<ContributionRequest> {
  const [row]: ContributionRequest[] = await db.query(INSERT_CONTRIBUTION_REQUEST, [r.caseId, r.agencyId, r.kind, r.dueOn, r.createdBy, r.createdAt]);
  return row;
}

/** Waives request $1 with the reason $2, resolved at $3. */
export const WAIVE_CONTRIBUTION_REQUEST = `
  UPDATE contribution_request SET status = 'waived', waived_reason = $2, resolved_at = $3 WHERE id = $1`;

export async function waiveContributionRequest(db: Queryable, id: string, reason: string, at: Date): Promise<void> {
  await db.query(WAIVE_CONTRIBUTION_REQUEST, [id, reason, at]);
}

/**
 * Closes case $1's outstanding requests at $2, when the review is
 * discontinued: the agencies are no longer asked. Answers each with its
 * agency and kind, for the audit trail.
 */
export const CLOSE_OUTSTANDING = `
  UPDATE contribution_request SET status = 'closed', resolved_at = $2
   WHERE case_id = $1 AND status = 'requested'
  RETURNING id, agency_id AS "agencyId", kind`;

export async function closeOutstandingContributions(
  db: Queryable,
  caseId: string,
  at: Date,
): Promise<{ id: string; agencyId: string; kind: ContributionKind }[]> {
  const [rows] = (await db.query(CLOSE_OUTSTANDING, [caseId, at])) as [{ id: string; agencyId: string; kind: ContributionKind }[], number];
  return rows;
}
