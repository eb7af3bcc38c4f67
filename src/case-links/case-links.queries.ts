import type { SeqWindow } from '../common/pagination.js';
import type { Queryable } from '../common/sql.js';
import type { CaseLink, LinkKind } from './case-link.entity.js';

/**
 * The SQL of the linked reviews (docs/architecture.md, "Data access"). A link
 * is stored once and read from either of its cases: "the other case" is the
 * one of the pair that is not the case read from ($1). The reads join the
 * other case's reference and partnership (docs/architecture.md, "One folder
 * per domain concept", for why this module reads them): what the reader may
 * see of it is decided afterwards, by the access module.
 */

/** A link as seen from case $1, with the other case (when it is one of ours), its reference and its partnership's name. */
const LINK_SEEN_FROM = `
  SELECT l.id, CAST(l.seq AS text) AS seq, l.kind, l.external_reference AS "externalReference", l.note,
         other.id AS "otherCaseId", other.reference AS "otherReference",
         other.partnership_id AS "otherPartnershipId", p.name AS "otherPartnershipName"
    FROM case_link l
    LEFT JOIN review_case other ON other.id = CASE WHEN l.case_id = $1 THEN l.linked_case_id ELSE l.case_id END
    LEFT JOIN partnership p ON p.id = other.partnership_id`;

/** Case $1's links, either way round, after seq $2, oldest first, $3 of them. */
export const LINKS_PAGE = `${LINK_SEEN_FROM}
   WHERE (l.case_id = $1 OR l.linked_case_id = $1) AND l.seq > $2
   ORDER BY l.seq
   LIMIT $3`;

/** Link $2 as seen from case $1, if it is one of case $1's. */
export const LINK_OF_CASE = `${LINK_SEEN_FROM}
   WHERE l.id = $2 AND (l.case_id = $1 OR l.linked_case_id = $1)`;

/**
 * Links case $1 to case $2 or to external reference $3, as kind $4 with note
 * $5, by $6 at $7. Nothing is inserted (no row answered) when the pair of
 * cases is linked already, either way round, or the case already names the
 * reference: the unique indexes decide, so two requests at once store one.
 */
export const INSERT_LINK = `
  INSERT INTO case_link (case_id, linked_case_id, external_reference, kind, note, created_by, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT DO NOTHING
  RETURNING id`;

/**
 * Removes link $2 if it is one of case $1's (either way round), for both
 * cases at once: the removed link (a SELECT over the DELETE, so that the
 * rows come back as a SELECT's do).
 */
export const DELETE_LINK = `
  WITH removed AS (
    DELETE FROM case_link WHERE id = $2 AND (case_id = $1 OR linked_case_id = $1)
    RETURNING id, case_id, linked_case_id, external_reference, kind, note)
  SELECT id, case_id AS "caseId", linked_case_id AS "linkedCaseId", external_reference AS "externalReference", kind, note FROM removed`;

/** A link as read from one of its cases. */
export interface LinkRow {
  id: string;
  seq: string;
  kind: LinkKind;
  externalReference: string | null;
  note: string | null;
  /** The other case of the pair; null for a link to an external reference. */
  otherCaseId: string | null;
  otherReference: string | null;
  otherPartnershipId: string | null;
  otherPartnershipName: string | null;
}

/** A new link, before it is stored. */
export type NewLink = Pick<CaseLink, 'caseId' | 'linkedCaseId' | 'externalReference' | 'kind' | 'note' | 'createdBy' | 'createdAt'>;

/** A removed link, for the audit trail of both its cases. */
export type RemovedLink = Pick<CaseLink, 'id' | 'caseId' | 'linkedCaseId' | 'externalReference' | 'kind' | 'note'>;

export function linksPage(db: Queryable, caseId: string, window: SeqWindow): Promise<LinkRow[]> {
  return db.query(LINKS_PAGE, [caseId, window.afterSeq, window.rows]);
}

export async function linkOfCase(db: Queryable, caseId: string, linkId: string): Promise<LinkRow | null> {
  const [row]: LinkRow[] = await db.query(LINK_OF_CASE, [caseId, linkId]);
  return row ?? null;
}

/** The new link's id, or null when the link exists already (either way round, or the same external reference). */
export async function insertLink(db: Queryable, link: NewLink): Promise<string | null> {
  const [row]: { id: string }[] = await db.query(INSERT_LINK, [
    link.caseId,
    link.linkedCaseId,
    link.externalReference,
    link.kind,
    link.note,
    link.createdBy,
    link.createdAt,
  ]);
  return row?.id ?? null;
}

/** The removed link, or null when case $1 has no such link. */
export async function deleteLink(db: Queryable, caseId: string, linkId: string): Promise<RemovedLink | null> {
  const [row]: RemovedLink[] = await db.query(DELETE_LINK, [caseId, linkId]);
  return row ?? null;
}
