import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What a review is linked to (docs/domain.md, "Linked reviews"). */
export const LINK_KINDS = ['joint_dhr', 'sar', 'cspr', 'mental_health_review', 'other'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/**
 * A link between a case and another review: another case of this system
 * (`linkedCaseId`) or one named by an external reference, never both. Stored
 * once, from the case it was added on (`caseId`), and shown on both cases.
 */
@Entity('case_link')
export class CaseLink {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'linked_case_id', nullable: true }) linkedCaseId: string | null;
  @Column('text', { name: 'external_reference', nullable: true }) externalReference: string | null;
  @Column('text') kind: LinkKind;
  @Column('text', { nullable: true }) note: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
