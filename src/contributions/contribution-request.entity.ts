import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CONTRIBUTION_KINDS = ['chronology', 'imr', 'summary'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];
/** `closed`: the review that asked for it was discontinued, and the agency is no longer asked (docs/domain.md, "Discontinued reviews"). */
export const CONTRIBUTION_STATUSES = ['requested', 'submitted', 'waived', 'closed'] as const;
export type ContributionStatus = (typeof CONTRIBUTION_STATUSES)[number];

/** A request to one agency for its chronology, IMR or summary, by a due date. */
@Entity('contribution_request')
export class ContributionRequest {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('text') kind: ContributionKind;
  @Column('date', { name: 'due_on' }) dueOn: string;
  @Column('text') status: ContributionStatus;
  @Column('text', { name: 'waived_reason', nullable: true }) waivedReason: string | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt: Date | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', update: false }) createdAt: Date;
}
