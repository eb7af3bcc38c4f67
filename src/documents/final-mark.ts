import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import type { DocumentKind } from './case-document.entity.js';
import { clearFinal, markFinal } from './documents.queries.js';

/** Why a final mark moves: the upload of a new final version (its own `document.uploaded` event says so), or a QA outcome. */
export type FinalMarkCause = { upload: true } | { byQaSubmission: string };

export interface FinalMarkMove {
  caseId: string;
  partnershipId: string | null;
  kind: DocumentKind;
  agencyId: string | null;
  /** The document that becomes the one final version of its kind, or null: no version of the kind stays final. */
  documentId: string | null;
  cause: FinalMarkCause;
}

/**
 * The one way a document’s final mark moves (docs/domain.md, "QA
 * submissions"): every final version of the kind (of the
 * case, or of the agency) stops being final, then the named document, if
 * any, becomes the final one. An upload is audited by its own
 * `document.uploaded` event; a move made by a QA outcome is audited here,
 * `document.final_cleared` for each version that stops being final and
 * `document.made_final` for the one that becomes final, each naming the
 * submission.
 */
export async function moveFinalMark(tx: EntityManager, audit: AuditService, move: FinalMarkMove): Promise<void> {
  const cleared = (await clearFinal(tx, move.caseId, move.kind, move.agencyId)).filter((id) => id !== move.documentId);
  if (move.documentId) await markFinal(tx, move.documentId);
  if ('upload' in move.cause) return;
  const event = (action: string, documentId: string, final: boolean) =>
    audit.record(tx, {
      action,
      entityType: 'case_document',
      entityId: documentId,
      caseId: move.caseId,
      partnershipId: move.partnershipId,
      details: { kind: move.kind, final, ...move.cause },
    });
  for (const id of cleared) await event('document.final_cleared', id, false);
  if (move.documentId) await event('document.made_final', move.documentId, true);
}
