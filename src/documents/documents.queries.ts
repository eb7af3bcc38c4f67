/**
 * The SQL of the documents module: its statements, and the functions that
 * run them, other modules' reads of its documents among them
 * (docs/architecture.md, "Data access").
 */
import { agencyRowsCondition } from '../access/agency-rows.js';
import type { Actor } from '../access/roles.js';
import { andAll, type Queryable } from '../common/sql.js';
import type { CaseDocument, DocumentKind } from './case-document.entity.js';

/** Whether case $1 has a final overview report, executive summary and action plan. */
export const DOCUMENT_FACTS = `
  SELECT count(DISTINCT kind) = 3 AS final_uploaded
    FROM case_document
   WHERE case_id = $1 AND final AND kind IN ('overview_report', 'executive_summary', 'action_plan')`;

export async function finalDocumentsUploaded(db: Queryable, caseId: string): Promise<boolean> {
  const [row]: { final_uploaded: boolean }[] = await db.query(DOCUMENT_FACTS, [caseId]);
  return row.final_uploaded;
}

/** A case_document row (aliased `d`) as a CaseDocument. */
const DOCUMENT_COLUMNS = `d.id, d.case_id AS "caseId", d.kind, d.agency_id AS "agencyId", d.version, d.final, d.original_name AS "originalName",
         d.content_type AS "contentType", d.size_bytes AS "sizeBytes", d.sha256, d.storage_key AS "storageKey",
         d.uploaded_by AS "uploadedBy", d.uploaded_at AS "uploadedAt"`;

/** Document $1, or no row. */
export const DOCUMENT = `
  SELECT ${DOCUMENT_COLUMNS}
    FROM case_document d
   WHERE d.id = $1`;

export async function findDocument(db: Queryable, id: string): Promise<CaseDocument | null> {
  const [row]: CaseDocument[] = await db.query(DOCUMENT, [id]);
  return row ?? null;
}

/** Case $1's documents by kind, agency and version; the conditions after `?` narrow them to what an agency lead reads. */
const documentListSql = (narrowed: string) => `
  SELECT ${DOCUMENT_COLUMNS}
    FROM case_document d
   WHERE d.case_id = $1 AND ${narrowed}
   ORDER BY d.kind, d.agency_id, d.version`;

/** A case's documents the reader may read: all of them, or an agency lead's own agency's IMRs. */
export async function caseDocuments(db: Queryable, caseId: string, reader: Actor): Promise<CaseDocument[]> {
  const ownAgency = agencyRowsCondition(reader, 'd.agency_id');
  const narrowed = andAll([ownAgency && { sql: `d.kind = 'imr'`, params: [] }, ownAgency], 2);
  return db.query(documentListSql(narrowed.sql), [caseId, ...narrowed.params]);
}

/** The next version number of one kind (and agency) in case $1. */
export const NEXT_VERSION = `
  SELECT coalesce(max(version), 0) + 1 AS version
    FROM case_document
   WHERE case_id = $1 AND kind = $2 AND agency_id IS NOT DISTINCT FROM $3`;

export async function nextDocumentVersion(db: Queryable, caseId: string, kind: DocumentKind, agencyId: string | null): Promise<number> {
  const [row]: { version: number }[] = await db.query(NEXT_VERSION, [caseId, kind, agencyId]);
  return row.version;
}

/** Clears the final mark of one kind (and agency) in case $1, before another version takes it. */
export const CLEAR_FINAL = `
  UPDATE case_document SET final = false
   WHERE case_id = $1 AND kind = $2 AND agency_id IS NOT DISTINCT FROM $3 AND final`;

export async function clearFinal(db: Queryable, caseId: string, kind: DocumentKind, agencyId: string | null): Promise<void> {
  await db.query(CLEAR_FINAL, [caseId, kind, agencyId]);
}

/** Marks document $1 final: after CLEAR_FINAL of its kind, so that it is the one final version (the QA letter an approving outcome names). */
export const MARK_FINAL = 'UPDATE case_document SET final = true WHERE id = $1';

export async function markFinal(db: Queryable, documentId: string): Promise<void> {
  await db.query(MARK_FINAL, [documentId]);
}

export const INSERT_DOCUMENT = `
  INSERT INTO case_document AS d (case_id, kind, agency_id, version, final, original_name, content_type, size_bytes, sha256,
                                  storage_key, uploaded_by, uploaded_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
  RETURNING ${DOCUMENT_COLUMNS}`;

export async function insertDocument(db: Queryable, d: Omit<CaseDocument, 'id'>): Promise<CaseDocument> {
  const [row]: CaseDocument[] = await db.query(INSERT_DOCUMENT, [
    d.caseId,
    d.kind,
    d.agencyId,
    d.version,
    d.final,
    d.originalName,
    d.contentType,
    d.sizeBytes,
    d.sha256,
    d.storageKey,
    d.uploadedBy,
    d.uploadedAt,
  ]);
  return row;
}

/** Document $1's case and kind. */
export const DOCUMENT_REF = 'SELECT id, case_id, kind FROM case_document WHERE id = $1';

/** A document as another module refers to it: its case and kind, or nothing when there is no such document. */
export async function documentRef(db: Queryable, documentId: string): Promise<{ id: string; caseId: string; kind: DocumentKind } | null> {
  const [row] = await db.query(DOCUMENT_REF, [documentId]);
  return row ? { id: row.id, caseId: row.case_id, kind: row.kind } : null;
}

/** A final document to be read whole: what the DocumentStore keeps it under, and its type. */
export interface FinalDocument {
  id: string;
  kind: DocumentKind;
  contentType: string;
  storageKey: string;
  /** The uploaded file's name, which may name someone: shown only with the case's protected terms masked. */
  originalName: string;
}

/** The final case-wide versions in case $1 of the kinds $2 (text[]), in the order the kinds are given. */
export const FINAL_DOCUMENTS = `
  SELECT id, kind, content_type, storage_key, original_name FROM case_document
   WHERE case_id = $1 AND final AND agency_id IS NULL AND kind = ANY($2::text[])
   ORDER BY array_position($2::text[], kind)`;

/** The final versions of these kinds in a case (at most one per kind), in the order the kinds are given. */
export async function finalDocuments(db: Queryable, caseId: string, kinds: readonly DocumentKind[]): Promise<FinalDocument[]> {
  const rows: { id: string; kind: DocumentKind; content_type: string; storage_key: string; original_name: string }[] = await db.query(FINAL_DOCUMENTS, [
    caseId,
    kinds,
  ]);
  return rows.map((r) => ({ id: r.id, kind: r.kind, contentType: r.content_type, storageKey: r.storage_key, originalName: r.original_name }));
}

/** A document as it is stored: enough to serve its bytes (the public page serves a published review's documents). */
export interface StoredDocument {
  id: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
}

/** How document $1 is stored. */
export const STORED_DOCUMENT = 'SELECT id, content_type, size_bytes, sha256, storage_key FROM case_document WHERE id = $1';

export async function storedDocument(db: Queryable, documentId: string): Promise<StoredDocument | null> {
  const [row]: { id: string; content_type: string; size_bytes: string; sha256: string; storage_key: string }[] = await db.query(STORED_DOCUMENT, [documentId]);
  return row ? { id: row.id, contentType: row.content_type, sizeBytes: Number(row.size_bytes), sha256: row.sha256, storageKey: row.storage_key } : null;
}

/** Marks document $1's stored file missing since $2, unless it is already marked; the row when this call marked it. */
export const MARK_FILE_MISSING = `
  WITH marked AS (
    UPDATE case_document SET file_missing_since = $2
     WHERE id = $1 AND file_missing_since IS NULL
    RETURNING id)
  SELECT count(*)::int AS marked FROM marked`;

/** Marks a document's file missing: true the first time only, so that whoever finds it first tells the administrators. */
export async function markFileMissing(db: Queryable, documentId: string, since: Date): Promise<boolean> {
  const [row]: { marked: number }[] = await db.query(MARK_FILE_MISSING, [documentId, since]);
  return row.marked > 0;
}

/** What `npm run storage:verify` compares with the store: every document's key, size and hash, by key. */
export const STORED_FILES = `
  SELECT id, storage_key, size_bytes, sha256 FROM case_document
   WHERE storage_key > $1
   ORDER BY storage_key
   LIMIT $2`;

export interface StoredFileRow {
  documentId: string;
  storageKey: string;
  sizeBytes: number;
  sha256: string;
}

/** A batch of documents' stored files, in key order after `afterKey`. */
export async function storedFiles(db: Queryable, afterKey: string, limit: number): Promise<StoredFileRow[]> {
  const rows: { id: string; storage_key: string; size_bytes: string; sha256: string }[] = await db.query(STORED_FILES, [afterKey, limit]);
  return rows.map((r) => ({ documentId: r.id, storageKey: r.storage_key, sizeBytes: Number(r.size_bytes), sha256: r.sha256 }));
}

/** How documents $1 (uuid[]) are stored. */
export const STORED_DOCUMENTS = 'SELECT id, content_type, size_bytes, sha256, storage_key FROM case_document WHERE id = ANY($1::uuid[])';

/** How each of these documents is stored, by id: the public list and feed give each published document's type and size. */
export async function storedDocuments(db: Queryable, ids: readonly string[]): Promise<Map<string, StoredDocument>> {
  if (ids.length === 0) return new Map();
  const rows: { id: string; content_type: string; size_bytes: string; sha256: string; storage_key: string }[] = await db.query(STORED_DOCUMENTS, [ids]);
  return new Map(
    rows.map((r) => [r.id, { id: r.id, contentType: r.content_type, sizeBytes: Number(r.size_bytes), sha256: r.sha256, storageKey: r.storage_key }]),
  );
}
