import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The vocabularies of the Home Office correspondence (docs/domain.md,
 * "Home Office correspondence"), each the one list the request's validation,
 * the OpenAPI document and the table's check constraint follow.
 */
/** What a letter is: the decision notice, the Home Office's response to it, a direction to hold a review, the QA panel's letter, or another. */
export const CORRESPONDENCE_KINDS = ['decision_notice', 'response', 'direction', 'qa_letter', 'other'] as const;
export type CorrespondenceKind = (typeof CORRESPONDENCE_KINDS)[number];

/** Whether the review sent the letter to the Home Office or received it from them. */
export const CORRESPONDENCE_DIRECTIONS = ['sent', 'received'] as const;
export type CorrespondenceDirection = (typeof CORRESPONDENCE_DIRECTIONS)[number];

/** What the Home Office's response said of the decision: kept for a `response` alone. */
export const RESPONSE_OUTCOMES = ['accepted', 'challenged'] as const;
export type ResponseOutcome = (typeof RESPONSE_OUTCOMES)[number];

/** The kind whose outcome is kept. */
export const KIND_WITH_OUTCOME: CorrespondenceKind = 'response';

/** One letter between the review and the Home Office, recorded on its case. */
@Entity('home_office_correspondence')
export class HomeOfficeLetter {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') kind: CorrespondenceKind;
  @Column('text') direction: CorrespondenceDirection;
  /** The letter's date (`on` in the API). */
  @Column('date', { name: 'corresponded_on' }) correspondedOn: string;
  @Column('text') summary: string;
  @Column('text', { nullable: true }) outcome: ResponseOutcome | null;
  @Column('uuid', { name: 'document_id', nullable: true }) documentId: string | null;
  /** The QA submission whose outcome this letter is, for a letter recorded with it (docs/domain.md, "QA submissions"). */
  @Column('uuid', { name: 'qa_submission_id', nullable: true }) qaSubmissionId: string | null;
  @Column('uuid', { name: 'recorded_by', nullable: true }) recordedBy: string | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}
