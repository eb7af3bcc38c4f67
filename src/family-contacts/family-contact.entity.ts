import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CONTACT_METHODS = ['letter', 'phone', 'meeting', 'email', 'via_advocate'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/**
 * Whom a contact was with (docs/domain.md, "Family, friends and others"),
 * each in the words a caseworker reads. Only a contact with the victim's
 * family (FAMILY_PARTY) meets `family_contacted` and the "draft offered to
 * the family" precondition; the others are recorded for the review's own use.
 */
export const CONTACT_PARTY_WORDS = {
  victim_family: 'the victim’s family',
  friend: 'a friend',
  colleague: 'a colleague',
  neighbour: 'a neighbour',
  perpetrator_family: 'the perpetrator’s family',
  other: 'someone else',
} as const;
export type ContactParty = keyof typeof CONTACT_PARTY_WORDS;
export const CONTACT_PARTIES = Object.keys(CONTACT_PARTY_WORDS) as readonly ContactParty[];
/** The party a contact is with when none is given, and the only one whose contact counts for the family's milestone and the draft. */
export const FAMILY_PARTY: ContactParty = 'victim_family';

/** A contact with the victim's family, or a friend, colleague, neighbour…: the Home Office leaflet, advocacy, the offer to read the draft. */
@Entity('family_contact')
export class FamilyContact {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('date', { name: 'contacted_on' }) contactedOn: string;
  @Column('text') method: ContactMethod;
  @Column('text') party: ContactParty;
  /** The person declined to take part in the review. */
  @Column('boolean') declined: boolean;
  @Column('boolean', { name: 'leaflet_given' }) leafletGiven: boolean;
  @Column('boolean', { name: 'advocacy_offered' }) advocacyOffered: boolean;
  @Column('text', { name: 'advocacy_provider', nullable: true }) advocacyProvider: string | null;
  @Column('boolean', { name: 'draft_report_offered' }) draftReportOffered: boolean;
  @Column('text', { nullable: true }) notes: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', update: false }) createdAt: Date;
}
