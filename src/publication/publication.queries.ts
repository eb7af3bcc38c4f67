/** The SQL of the publication module, and the functions the public page and REST clients read publications with. */
import type { EntityManager, ObjectLiteral } from 'typeorm';
import { VICTIM_PSEUDONYMS } from '../cases/cases.queries.js';

/** What case $1's publication says for the closure step: when it was published, and whether the SDP overrode the 12 months. */
export const PUBLICATION_FACTS = `
  SELECT published_on, closure_overridden_at IS NOT NULL AS closure_overridden FROM publication WHERE case_id = $1`;

/** The terms added to case $1, oldest first. */
export const ADDED_TERMS = 'SELECT term FROM protected_term WHERE case_id = $1 ORDER BY seq';

/** Whether case $1 already has this term, told apart regardless of case. */
export const TERM_EXISTS = 'SELECT EXISTS (SELECT 1 FROM protected_term WHERE case_id = $1 AND lower(term) = lower($2)) AS present';

/**
 * A publication as the public page and REST clients read it: the case by
 * reference, CSP and the victims' pseudonyms, never a real name.
 */
export interface PublishedReviewRow {
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
  executive_summary_document_id: string | null;
  victims: string[];
}

const PUBLISHED_REVIEW_COLUMNS = `
  p.id AS publication_id, c.id AS case_id, c.reference, c.review_type,
  pt.id AS partnership_id, pt.code AS partnership_code, pt.name AS partnership_name,
  extract(year FROM c.date_of_death)::int AS year_of_death,
  p.published_on::text AS published_on, p.url, p.recorded_at, p.withdrawn_on::text AS withdrawn_on,
  p.executive_summary_document_id, ${VICTIM_PSEUDONYMS} AS victims`;

const PUBLICATIONS = 'publication p JOIN review_case c ON c.id = p.case_id JOIN partnership pt ON pt.id = c.partnership_id';

/** What the public page shows: a published review (or one closed since) that is not withdrawn. */
const ON_PUBLIC_PAGE = `p.withdrawn_on IS NULL AND c.stage IN ('published', 'closed')`;

/** Where a page of publications starts: after this (publishedOn, publication id), newest first. */
export type PublicationCursor = [string, string];

/** The next `limit` reviews on the public page after `after`, newest publication first. */
export function publicReviews(manager: EntityManager, after: PublicationCursor | undefined, limit: number): Promise<PublishedReviewRow[]> {
  return manager.query(
    `SELECT ${PUBLISHED_REVIEW_COLUMNS} FROM ${PUBLICATIONS}
      WHERE ${ON_PUBLIC_PAGE} AND ($1::date IS NULL OR (p.published_on, p.id) < ($1::date, $2::uuid))
      ORDER BY p.published_on DESC, p.id DESC
      LIMIT $3`,
    [after?.[0] ?? null, after?.[1] ?? null, limit],
  );
}

/** One review on the public page, by its reference; none when it is not (or no longer) there. */
export async function publicReview(manager: EntityManager, reference: string): Promise<PublishedReviewRow | null> {
  const [row] = await manager.query(`SELECT ${PUBLISHED_REVIEW_COLUMNS} FROM ${PUBLICATIONS} WHERE ${ON_PUBLIC_PAGE} AND c.reference = $1`, [reference]);
  return row ?? null;
}

/**
 * When the public page last changed: the latest publication recorded, or
 * withdrawal (from its day); null when nothing was ever published.
 */
export async function publicPageUpdatedAt(manager: EntityManager): Promise<Date | null> {
  const [row]: { updated_at: Date | null }[] = await manager.query(
    `SELECT greatest(max(p.recorded_at), max(p.withdrawn_on)::timestamptz) AS updated_at FROM ${PUBLICATIONS} WHERE c.stage IN ('published', 'closed')`,
  );
  return row.updated_at;
}

/**
 * The publications of the cases `scope` holds (a condition on the case `c`
 * with its named parameters), withdrawn ones too, newest first after `after`.
 */
export function publicationsInScope(
  manager: EntityManager,
  scope: { condition: string; params: ObjectLiteral },
  filter: { partnershipId?: string },
  after: PublicationCursor | undefined,
  limit: number,
): Promise<PublishedReviewRow[]> {
  const query = manager
    .createQueryBuilder()
    .select(PUBLISHED_REVIEW_COLUMNS)
    .from('publication', 'p')
    .innerJoin('review_case', 'c', 'c.id = p.case_id')
    .innerJoin('partnership', 'pt', 'pt.id = c.partnership_id')
    .where(scope.condition, scope.params);
  if (filter.partnershipId) query.andWhere('c.partnership_id = :filterPartnershipId', { filterPartnershipId: filter.partnershipId });
  if (after) query.andWhere('(p.published_on, p.id) < (CAST(:afterOn AS date), CAST(:afterId AS uuid))', { afterOn: after[0], afterId: after[1] });
  return query.orderBy('p.published_on', 'DESC').addOrderBy('p.id', 'DESC').limit(limit).getRawMany();
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
export function publicReviewsByYearAndPartnership(manager: EntityManager): Promise<PublicReviewGroupRow[]> {
  return manager.query(
    `SELECT c.id AS case_id, extract(year FROM p.published_on)::int AS published_year,
            pt.id AS partnership_id, pt.code AS partnership_code, pt.name AS partnership_name
       FROM ${PUBLICATIONS}
      WHERE ${ON_PUBLIC_PAGE}
      ORDER BY published_year DESC, pt.name, pt.id`,
  );
}
