import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CONTACT_METHODS = ['letter', 'phone', 'meeting', 'email', 'via_advocate'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/** A contact with the victim's family: the Home Office leaflet, advocacy, the offer to read the draft. */
@Entity('family_contact')
export class FamilyContact {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('date', { name: 'contacted_on' }) contactedOn: string;
  @Column('text') method: ContactMethod;
  @Column('boolean', { name: 'leaflet_given' }) leafletGiven: boolean;
  @Column('boolean', { name: 'advocacy_offered' }) advocacyOffered: boolean;
  @Column('text', { name: 'advocacy_provider', nullable: true }) advocacyProvider: string | null;
  @Column('boolean', { name: 'draft_report_offered' }) draftReportOffered: boolean;
  @Column('text', { nullable: true }) notes: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', update: false }) createdAt: Date;
}
