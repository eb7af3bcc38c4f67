import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { QaOutcome } from './qa-outcomes.js';

/** A submission of the report to the Home Office's QA board, and its outcome once the letter comes back. */
@Entity('qa_submission')
export class QaSubmission {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  /** The number of CSP sign-offs the case had when it was submitted (docs/domain.md, "QA submissions"). */
  @Column('integer') round: number;
  @Column('date', { name: 'submitted_on' }) submittedOn: string;
  @Column('uuid', { name: 'submitted_by', nullable: true }) submittedBy: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', update: false }) createdAt: Date;
  @Column('text', { nullable: true }) outcome: QaOutcome | null;
  @Column('date', { name: 'outcome_on', nullable: true }) outcomeOn: string | null;
  @Column('uuid', { name: 'letter_document_id', nullable: true }) letterDocumentId: string | null;
  @Column('uuid', { name: 'outcome_recorded_by', nullable: true }) outcomeRecordedBy: string | null;
  @Column('timestamptz', { name: 'outcome_recorded_at', nullable: true }) outcomeRecordedAt: Date | null;
}
