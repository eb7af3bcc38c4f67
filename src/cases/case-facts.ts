import type { EntityManager } from 'typeorm';
import type { ReviewCase } from './case.entities.js';
import type { CaseFacts } from './stages.js';

/**
 * Reads, in one query, everything the stage preconditions look at. Material
 * that later features bring (final documents, QA outcomes, the anonymisation
 * check, actions, publication) reads as absent until its tables exist.
 */
export async function loadCaseFacts(manager: EntityManager, found: ReviewCase, today: string): Promise<CaseFacts> {
  const [row] = await manager.query(
    `SELECT
       (SELECT count(*)::int FROM panel_member WHERE case_id = $1) AS panel_agencies,
       (SELECT count(*)::int FROM contribution_request WHERE case_id = $1) AS contribution_requests,
       (SELECT count(*)::int FROM contribution_request WHERE case_id = $1 AND status = 'requested') AS contributions_outstanding,
       EXISTS (SELECT 1 FROM family_contact WHERE case_id = $1 AND draft_report_offered) AS family_offered_draft,
       EXISTS (SELECT 1 FROM case_hold WHERE case_id = $1 AND ended_on IS NULL AND reason = 'criminal_proceedings')
         AS criminal_hold_active,
       (SELECT count(*)::int FROM case_subject WHERE case_id = $1 AND pseudonym IS NULL) AS subjects_without_pseudonym`,
    [found.id],
  );
  return {
    today,
    reviewChairAssigned: found.reviewChairId !== null,
    panelAgencies: row.panel_agencies,
    termsOfReferenceAgreed: found.termsOfReferenceAgreedOn !== null,
    contributionRequests: row.contribution_requests,
    contributionsOutstanding: row.contributions_outstanding,
    finalDocumentsUploaded: false,
    familyOfferedDraft: row.family_offered_draft,
    latestQaOutcome: null,
    criminalProceedingsHoldActive: row.criminal_hold_active,
    subjectsWithoutPseudonym: row.subjects_without_pseudonym,
    anonymisationClean: false,
    openActions: 0,
    publishedOn: null,
    closureOverrideReason: null,
  };
}
