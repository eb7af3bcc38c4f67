import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A term the published report must not contain, added by hand to those the subjects' names and addresses give. */
@Entity('protected_term')
export class ProtectedTerm {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') term: string;
  @Column('uuid', { name: 'added_by', nullable: true }) addedBy: string | null;
  @Column('timestamptz', { name: 'added_at' }) addedAt: Date;
}

/** Where and when a case's report was published; its withdrawal; the SDP's override of the 12 months before closure. */
@Entity('publication')
export class Publication {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('date', { name: 'published_on' }) publishedOn: string;
  @Column('text') url: string;
  /** The final executive summary that passed the anonymisation check: the file the public page serves. */
  @Column('uuid', { name: 'executive_summary_document_id', nullable: true }) executiveSummaryDocumentId: string | null;
  /** The final overview report that passed the check, likewise (published-documents.ts). */
  @Column('uuid', { name: 'overview_report_document_id', nullable: true }) overviewReportDocumentId: string | null;
  /** The final QA letter that passed the check, or null when the case had none: it is not required. */
  @Column('uuid', { name: 'qa_letter_document_id', nullable: true }) qaLetterDocumentId: string | null;
  @Column('uuid', { name: 'published_by', nullable: true }) publishedBy: string | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
  @Column('date', { name: 'withdrawn_on', nullable: true }) withdrawnOn: string | null;
  @Column('text', { name: 'withdrawal_reason', nullable: true }) withdrawalReason: string | null;
  @Column('uuid', { name: 'withdrawn_by', nullable: true }) withdrawnBy: string | null;
  @Column('text', { name: 'closure_override_reason', nullable: true }) closureOverrideReason: string | null;
  @Column('uuid', { name: 'closure_overridden_by', nullable: true }) closureOverriddenBy: string | null;
  @Column('timestamptz', { name: 'closure_overridden_at', nullable: true }) closureOverriddenAt: Date | null;
}
