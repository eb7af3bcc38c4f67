import type { EntityManager } from 'typeorm';
import type { DocumentKind } from './case-document.entity.js';

/** The SQL of the documents module, and the functions other modules call to read its documents. */

/** Whether case $1 has a final overview report, executive summary and action plan. */
export const DOCUMENT_FACTS = `
  SELECT count(DISTINCT kind) = 3 AS final_uploaded
    FROM case_document
   WHERE case_id = $1 AND final AND kind IN ('overview_report', 'executive_summary', 'action_plan')`;

/** The next version number of one kind (and agency) in case $1. */
export const NEXT_VERSION = `
  SELECT coalesce(max(version), 0) + 1 AS version
    FROM case_document
   WHERE case_id = $1 AND kind = $2 AND agency_id IS NOT DISTINCT FROM $3`;

/** Clears the final mark of one kind (and agency) in case $1, before another version takes it. */
export const CLEAR_FINAL = `
  UPDATE case_document SET final = false
   WHERE case_id = $1 AND kind = $2 AND agency_id IS NOT DISTINCT FROM $3 AND final`;

/** A document as another module refers to it: its case and kind, or nothing when there is no such document. */
export async function documentRef(manager: EntityManager, documentId: string): Promise<{ id: string; caseId: string; kind: DocumentKind } | null> {
  const [row] = await manager.query('SELECT id, case_id, kind FROM case_document WHERE id = $1', [documentId]);
  return row ? { id: row.id, caseId: row.case_id, kind: row.kind } : null;
}

/** A final document to be read whole: what the DocumentStore keeps it under, and its type. */
export interface FinalDocument {
  id: string;
  kind: DocumentKind;
  contentType: string;
  storageKey: string;
}

/** The final versions of these kinds in a case (at most one per kind), in the order the kinds are given. */
export async function finalDocuments(manager: EntityManager, caseId: string, kinds: readonly DocumentKind[]): Promise<FinalDocument[]> {
  const rows: { id: string; kind: DocumentKind; content_type: string; storage_key: string }[] = await manager.query(
    `SELECT id, kind, content_type, storage_key FROM case_document
      WHERE case_id = $1 AND final AND agency_id IS NULL AND kind = ANY($2::text[])
      ORDER BY array_position($2::text[], kind)`,
    [caseId, kinds],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, contentType: r.content_type, storageKey: r.storage_key }));
}
