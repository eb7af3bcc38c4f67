import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An agency sitting on a review's panel. */
@Entity('panel_member')
export class PanelMember {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId: string;
  @PrimaryColumn('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('uuid', { name: 'added_by', nullable: true }) addedBy: string | null;
  @Column('timestamptz', { name: 'added_at' }) addedAt: Date;
}
