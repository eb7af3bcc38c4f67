import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DOCUMENT_KINDS = ['imr', 'terms_of_reference', 'overview_report', 'executive_summary', 'action_plan', 'qa_letter', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** One version of one document of a case: its metadata; the file itself is in the DocumentStore under `storageKey`. */
@Entity('case_document')
export class CaseDocument {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') kind: DocumentKind;
  @Column('uuid', { name: 'agency_id', nullable: true }) agencyId: string | null;
  @Column('integer') version: number;
  @Column('boolean') final: boolean;
  @Column('text', { name: 'original_name' }) originalName: string;
  @Column('text', { name: 'content_type' }) contentType: string;
  @Column('bigint', { name: 'size_bytes' }) sizeBytes: string;
  @Column('text') sha256: string;
  @Column('text', { name: 'storage_key' }) storageKey: string;
  @Column('uuid', { name: 'uploaded_by', nullable: true }) uploadedBy: string | null;
  @Column('timestamptz', { name: 'uploaded_at' }) uploadedAt: Date;
  /** When its stored file was first found missing, or null (docs/domain.md, "A document whose file is missing"). */
  @Column('timestamptz', { name: 'file_missing_since', nullable: true, select: false }) fileMissingSince?: Date | null;
}
