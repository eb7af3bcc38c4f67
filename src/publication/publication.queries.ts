/** The SQL of the publication module, and the functions the public page and REST clients read publications with (docs/architecture.md, "Data access"). */
import { VICTIM_PSEUDONYMS } from '../cases/cases.queries.js';
import { caseRowsAfterSeq, type SeqWindow } from '../common/pagination.js';
import { namedTerm, whereAll, type NamedCondition, type Queryable } from '../common/sql.js';
import type { ProtectedTerm, Publication } from './publication.entities.js';
import type { RecordedDocumentIds } from './published-documents.js';

// ---- the publication of a case ----

/** What case $1's publication says for the closure step: when it was published, and whether the SDP overrode the 12 months. */
export const PUBLICATION_FACTS = `
  SELECT published_on, closure_overridden_at IS NOT NULL AS closure_overridden FROM publication WHERE case_id = $1`;

/** A publication's columns under its properties' names. */
const PUBLICATION_COLUMNS = `id, case_id AS "caseId", published_on AS "publishedOn", url,
         executive_summary_document_id AS "executiveSummaryDocumentId", overview_report_document_id AS "overviewReportDocumentId",
         qa_letter_document_id AS "qaLetterDocumentId", published_by AS "publishedBy", recorded_at AS "recordedAt",
         withdrawn_on AS "withdrawnOn", withdrawal_reason AS "withdrawalReason", withdrawn_by AS "withdrawnBy",
         closure_override_reason AS "closureOverrideReason", closure_overridden_by AS "closureOverriddenBy",
         closure_overridden_at AS "closureOverriddenAt"`;

/** Case $1's publication. */
export const PUBLICATION_OF_CASE = `SELECT ${PUBLICATION_COLUMNS} FROM publication WHERE case_id = $1`;

/**
 * Records case $1's publication on $2 at $3, with the documents that passed the check (the executive summary $4,
 * the overview report $5, the QA letter $6), by $7 at $8.
 */
export const INSERT_PUBLICATION = `
  INSERT INTO publication (case_id, published_on, url, executive_summary_document_id, overview_report_document_id, qa_letter_document_id,
                           published_by, recorded_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  RETURNING ${PUBLICATION_COLUMNS}`;

/** Publication $1 withdrawn on $2 for reason $3 by $4. */
export const RECORD_WITHDRAWAL = 'UPDATE publication SET withdrawn_on = $2, withdrawal_reason = $3, withdrawn_by = $4 WHERE id = $1';

/** The 12 months before publication $1's case may close overridden, for reason $2, by $3 at $4. */
export const RECORD_CLOSURE_OVERRIDE = `
  UPDATE publication SET closure_override_reason = $2, closure_overridden_by = $3, closure_overridden_at = $4 WHERE id = $1`;

export async function publicationFacts(db: Queryable, caseId: string): Promise<{ publishedOn: string | null; closureOverridden: boolean }> {
  const [row] = await db.query(PUBLICATION_FACTS, [caseId]);
  return { publishedOn: row?.published_on ?? null, closureOverridden: row?.closure_overridden ?? false };
}

/** A case's publication, or null before it is published. */
export async function publicationOfCase(db: Queryable, caseId: string): Promise<Publication | null> {
  const [row]: Publication[] = await db.query(PUBLICATION_OF_CASE, [caseId]);
  return row ?? null;
}

export async function insertPublication(
  db: Queryable,
  p: Pick<
    Publication,
    'caseId' | 'publishedOn' | 'url' | 'executiveSummaryDocumentId' | 'overviewReportDocumentId' | 'qaLetterDocumentId' | 'publishedBy' | 'recordedAt'
  >,
): Promise<Publication> {
  const [row]: Publication[] = await db.query(INSERT_PUBLICATION, [
    p.caseId,
    p.publishedOn,
    p.url,
    p.executiveSummaryDocumentId,
    p.overviewReportDocumentId,
    p.qaLetterDocumentId,
    p.publishedBy,
    p.recordedAt,
  ]);
  return row;
}

export async function recordWithdrawal(db: Queryable, publicationId: string, w: Pick<Publication, 'withdrawnOn' | 'withdrawalReason' | 'withdrawnBy'>): Promise<void> {
  await db.query(RECORD_WITHDRAWAL, [publicationId, w.withdrawnOn, w.withdrawalReason, w.withdrawnBy]);
}

export async function recordClosureOverride(
  db: Queryable,
  publicationId: string,
  o: Pick<Publication, 'closureOverrideReason' | 'closureOverriddenBy' | 'closureOverriddenAt'>,
): Promise<void> {
  await db.query(RECORD_CLOSURE_OVERRIDE, [publicationId, o.closureOverrideReason, o.closureOverriddenBy, o.closureOverriddenAt]);
}

// ---- the terms added by hand to a case's protected terms ----

/** The terms added to case $1, oldest first. */
export const ADDED_TERMS = 'SELECT term FROM protected_term WHERE case_id = $1 ORDER BY seq';

/** Whether case $1 already has the term $2, told apart regardless of case. */
export const TERM_EXISTS = 'SELECT EXISTS (SELECT 1 FROM protected_term WHERE case_id = $1 AND lower(term) = lower($2)) AS present';

/** A protected term's columns under its properties' names. */
const TERM_COLUMNS = `id, CAST(seq AS text) AS seq, case_id AS "caseId", term, added_by AS "addedBy", added_at AS "addedAt"`;

/** Case $1's added terms after seq $2, oldest first, $3 of them. */
export const TERMS_PAGE = caseRowsAfterSeq('protected_term', TERM_COLUMNS);

/** Adds the term $2 to case $1, by $3 at $4. */
export const INSERT_TERM = `
  INSERT INTO protected_term (case_id, term, added_by, added_at) VALUES ($1, $2, $3, $4)
  RETURNING ${TERM_COLUMNS}`;

/** Term $2 of case $1. */
export const TERM_OF_CASE = `SELECT ${TERM_COLUMNS} FROM protected_term WHERE case_id = $1 AND id = $2`;

/** Removes term $1. */
export const DELETE_TERM = 'DELETE FROM protected_term WHERE id = $1';

export async function addedTerms(db: Queryable, caseId: string): Promise<string[]> {
  const rows: { term: string }[] = await db.query(ADDED_TERMS, [caseId]);
  return rows.map((row) => row.term);
}

export async function termExists(db: Queryable, caseId: string, term: string): Promise<boolean> {
  const [row]: { present: boolean }[] = await db.query(TERM_EXISTS, [caseId, term]);
  return row.present;
}

export function protectedTermsPage(db: Queryable, caseId: string, window: SeqWindow): Promise<ProtectedTerm[]> {
  return db.query(TERMS_PAGE, [caseId, window.afterSeq, window.rows]);
}

export async function insertProtectedTerm(db: Queryable, t: Pick<ProtectedTerm, 'caseId' | 'term' | 'addedBy' | 'addedAt'>): Promise<ProtectedTerm> {
  const [row]: ProtectedTerm[] = await db.query(INSERT_TERM, [t.caseId, t.term, t.addedBy, t.addedAt]);
  return row;
}

/** A term of this case, or null (none has this id, or it is another case's). */
export async function protectedTermOfCase(db: Queryable, caseId: string, termId: string): Promise<ProtectedTerm | null> {
  const [row]: ProtectedTerm[] = await db.query(TERM_OF_CASE, [caseId, termId]);
  return row ?? null;
}

export async function deleteProtectedTerm(db: Queryable, termId: string): Promise<void> {
  await db.query(DELETE_TERM, [termId]);
}

// ---- published reviews: the public page and REST clients ----

/**
 * A publication as the public page and REST clients read it: the case by
 * reference, CSP and the victims' pseudonyms, never a real name.
 */
export interface PublishedReviewRow extends RecordedDocumentIds {
  publication_id: string;
  case_id: string;
  reference: string;
  review_type: string;
  partnership_id: string;
  partnership_code: string;
  partnership_name: string;
  year_of_death: number | null;
  published_on: string;
  url: string;
  recorded_at: Date;
  withdrawn_on: string | null;
  victims: string[];
}

const PUBLISHED_REVIEW_COLUMNS = `
  p.id AS publication_id, c.id AS case_id, c.reference, c.review_type,
  pt.id AS partnership_id, pt.code AS partnership_code, pt.name AS partnership_name,
  extract(year FROM c.date_of_death)::int AS year_of_death,
  p.published_on::text AS published_on, p.url, p.recorded_at, p.withdrawn_on::text AS withdrawn_on,
  p.executive_summary_document_id, p.overview_report_document_id, p.qa_letter_document_id, ${VICTIM_PSEUDONYMS} AS victims`;

const PUBLICATIONS = 'publication p JOIN review_case c ON c.id = p.case_id JOIN partnership pt ON pt.id = c.partnership_id';

/**
 * What the public page shows: a published review (or one closed since) that
 * is not withdrawn, over a publication aliased `p` and its case `c`. The
 * library report lists the same reviews (reports/reports.queries.ts).
 */
export const ON_PUBLIC_PAGE = `p.withdrawn_on IS NULL AND c.stage IN ('published', 'closed')`;

/** Where a page of publications starts: after this (publishedOn, publication id), newest first. */
export type PublicationCursor = [string, string];

/** The next `limit` reviews on the public page after `after`, newest publication first. */
export function publicReviews(db: Queryable, after: PublicationCursor | undefined, limit: number): Promise<PublishedReviewRow[]> {
  return db.query(
    `SELECT ${PUBLISHED_REVIEW_COLUMNS} FROM ${PUBLICATIONS}
      WHERE ${ON_PUBLIC_PAGE} AND ($1::date IS NULL OR (p.published_on, p.id) < ($1::date, $2::uuid))
      ORDER BY p.published_on DESC, p.id DESC
      LIMIT $3`,
    [after?.[0] ?? null, after?.[1] ?? null, limit],
  );
}

/** One review on the public page, by its reference; none when it is not (or no longer) there. */
export async function publicReview(db: Queryable, reference: string): Promise<PublishedReviewRow | null> {
  const [row] = await db.query(`SELECT ${PUBLISHED_REVIEW_COLUMNS} FROM ${PUBLICATIONS} WHERE ${ON_PUBLIC_PAGE} AND c.reference = $1`, [reference]);
  return row ?? null;
}

/**
 * When the public page last changed: the latest publication recorded, or
 * withdrawal (from its day); null when nothing was ever published.
 */
export async function publicPageUpdatedAt(db: Queryable): Promise<Date | null> {
  const [row]: { updated_at: Date | null }[] = await db.query(
    `SELECT greatest(max(p.recorded_at), max(p.withdrawn_on)::timestamptz) AS updated_at FROM ${PUBLICATIONS} WHERE c.stage IN ('published', 'closed')`,
  );
  return row.updated_at;
}

/**
 * The publications of the cases `scope` holds (a condition on the case `c`
 * with its named parameters), withdrawn ones too, newest first after `after`.
 */
export function publicationsInScope(
  db: Queryable,
  scope: NamedCondition,
  filter: { partnershipId?: string },
  after: PublicationCursor | undefined,
  limit: number,
): Promise<PublishedReviewRow[]> {
  const where = whereAll([
    namedTerm(scope),
    filter.partnershipId !== undefined && { sql: 'c.partnership_id = ?', params: [filter.partnershipId] },
    after !== undefined && { sql: '(p.published_on, p.id) < (?::date, ?::uuid)', params: after },
  ]);
  return db.query(
    `SELECT ${PUBLISHED_REVIEW_COLUMNS} FROM ${PUBLICATIONS}
      ${where.sql}
      ORDER BY p.published_on DESC, p.id DESC
      LIMIT $${where.params.length + 1}`,
    [...where.params, limit],
  );
}

/** A review on the public page as the summary of learning groups it: by the year it was published and its CSP. */
export interface PublicReviewGroupRow {
  case_id: string;
  published_year: number;
  partnership_id: string;
  partnership_code: string;
  partnership_name: string;
}

/** Every review on the public page, by year of publication and CSP. */
export function publicReviewsByYearAndPartnership(db: Queryable): Promise<PublicReviewGroupRow[]> {
  return db.query(
    `SELECT c.id AS case_id, extract(year FROM p.published_on)::int AS published_year,
            pt.id AS partnership_id, pt.code AS partnership_code, pt.name AS partnership_name
       FROM ${PUBLICATIONS}
      WHERE ${ON_PUBLIC_PAGE}
      ORDER BY published_year DESC, pt.name, pt.id`,
  );
}
