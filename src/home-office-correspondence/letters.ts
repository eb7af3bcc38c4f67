import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { fieldChanges } from '../audit/field-changes.js';
import type { QaOutcome } from '../qa/qa-outcomes.js';
import type { HomeOfficeLetter } from './home-office-correspondence.entity.js';
import { insertLetter, type NewLetter } from './home-office-correspondence.queries.js';

/**
 * Writing a letter to the case's Home Office correspondence, the one way it
 * is written (docs/domain.md, "Home Office correspondence"): by the module's
 * own route and by the QA module when it records an outcome. Kept apart from
 * the service, importing no Nest provider, so that the QA service calls it
 * with its own transaction and audit service and no import cycle forms (the
 * audit service is handed over, as to a stage-entry plugin:
 * docs/architecture.md, "Steps and their effects").
 */

/** Stores the letter and audits it on the case's trail, in the caller's transaction; the summary is masked there. */
export async function storeLetter(
  tx: EntityManager,
  audit: Pick<AuditService, 'record'>,
  letter: NewLetter,
  partnershipId: string,
): Promise<HomeOfficeLetter> {
  const stored = await insertLetter(tx, letter);
  await audit.record(tx, {
    action: 'home_office_correspondence.recorded',
    entityType: 'home_office_correspondence',
    entityId: stored.id,
    caseId: stored.caseId,
    partnershipId,
    changes: fieldChanges(null, {
      kind: stored.kind,
      direction: stored.direction,
      on: stored.correspondedOn,
      summary: stored.summary,
      outcome: stored.outcome,
      documentId: stored.documentId,
      qaSubmissionId: stored.qaSubmissionId,
    }),
  });
  return stored;
}

/**
 * The summary of the QA panel's letter, in words of its outcome. The
 * migration that made the correspondence wrote the outcomes recorded before
 * it with the same words (migrations/1765070000000-HomeOfficeCorrespondence.ts).
 */
export const QA_LETTER_SUMMARIES: Record<QaOutcome, string> = {
  approved: 'QA panel: approved',
  approved_subject_to_changes: 'QA panel: approved subject to changes',
  resubmit: 'QA panel: resubmission asked for',
};

/** A QA outcome as the QA module records it: the letter it brings. */
export interface QaOutcomeLetter {
  caseId: string;
  partnershipId: string;
  qaSubmissionId: string;
  outcome: QaOutcome;
  outcomeOn: string;
  letterDocumentId: string | null;
  recordedBy: string | null;
  recordedAt: Date;
}

/**
 * The QA panel's letter, written with its outcome in the QA module's
 * transaction (docs/domain.md, "QA submissions"): received on the outcome's
 * day, its summary the outcome in words, its document the letter uploaded,
 * if one was named. QA's own rules have judged its date already.
 */
export function recordQaLetter(tx: EntityManager, audit: Pick<AuditService, 'record'>, qa: QaOutcomeLetter): Promise<HomeOfficeLetter> {
  return storeLetter(
    tx,
    audit,
    {
      caseId: qa.caseId,
      kind: 'qa_letter',
      direction: 'received',
      correspondedOn: qa.outcomeOn,
      summary: QA_LETTER_SUMMARIES[qa.outcome],
      outcome: null,
      documentId: qa.letterDocumentId,
      qaSubmissionId: qa.qaSubmissionId,
      recordedBy: qa.recordedBy,
      recordedAt: qa.recordedAt,
    },
    qa.partnershipId,
  );
}
