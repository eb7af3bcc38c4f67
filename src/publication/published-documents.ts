import type { DocumentKind } from '../documents/case-document.entity.js';

/**
 * The documents a published review shows (docs/domain.md, "Publication" and
 * "The public page"), in the order the public page lists them. Each is the
 * case's final version of its kind: the anonymisation check searches it, the
 * publication records which version it was, and the public page serves that
 * version under its `name` (`GET /api/public/reviews/:reference/<name>`),
 * called `title` where a reader sees it (the feed's links).
 *
 * `required`: publication waits for a final version (`final_documents_missing`).
 * The QA panel's letter is not required: a review approved before letters were
 * recorded is published with the other two.
 */
export const PUBLISHED_DOCUMENTS = [
  { kind: 'executive_summary', name: 'executive-summary', title: 'Executive summary', required: true },
  { kind: 'overview_report', name: 'overview-report', title: 'Overview report', required: true },
  { kind: 'qa_letter', name: 'qa-letter', title: 'The Home Office QA panel’s letter', required: false },
] as const satisfies readonly { kind: DocumentKind; name: string; title: string; required: boolean }[];

export type PublishedKind = (typeof PUBLISHED_DOCUMENTS)[number]['kind'];
export type PublicDocumentName = (typeof PUBLISHED_DOCUMENTS)[number]['name'];

/** The kinds searched by the anonymisation check and recorded at publication. */
export const PUBLISHED_KINDS: readonly PublishedKind[] = PUBLISHED_DOCUMENTS.map((d) => d.kind);
/** The kinds publication waits for. */
export const REQUIRED_KINDS: readonly PublishedKind[] = PUBLISHED_DOCUMENTS.filter((d) => d.required).map((d) => d.kind);
/** The names the public page serves them under. */
export const PUBLIC_DOCUMENT_NAMES: readonly PublicDocumentName[] = PUBLISHED_DOCUMENTS.map((d) => d.name);

/** A publication's record of which document of each kind was published: `publication.<kind>_document_id`, null for none. */
export type RecordedDocumentIds = Record<`${PublishedKind}_document_id`, string | null>;

/** One document a publication recorded: its name on the public page, its kind and its id. */
export interface RecordedDocument {
  name: PublicDocumentName;
  kind: PublishedKind;
  documentId: string;
}

/** The documents a publication recorded, in the public page's order; a kind it recorded none of is left out. */
export function recordedDocuments(row: RecordedDocumentIds): RecordedDocument[] {
  return PUBLISHED_DOCUMENTS.flatMap(({ name, kind }) => {
    const documentId = row[`${kind}_document_id`];
    return documentId ? [{ name, kind, documentId }] : [];
  });
}
