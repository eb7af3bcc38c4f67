import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCalendarDate, IsOmittable, MultiLineText, SingleLineText } from '../common/validators.js';
import { CONTACT_METHODS, CONTACT_PARTIES, FAMILY_PARTY, type ContactMethod, type ContactParty, type FamilyContact } from './family-contact.entity.js';

const PARTY = {
  enum: CONTACT_PARTIES,
  description:
    'Whom the contact was with. Only a contact with the victim’s family (victim_family) meets family_contacted and the “draft offered to the family” precondition',
};
const DECLINED = { description: 'The person declined to take part in the review. A contact with the victim’s family still counts: they were contacted, and offered the draft' };

export class CreateFamilyContactRequest {
  @ApiProperty({ example: '2026-06-03' }) @IsCalendarDate() contactedOn: string;
  @ApiProperty({ enum: CONTACT_METHODS }) @IsIn(CONTACT_METHODS) method: ContactMethod;
  @ApiPropertyOptional({ ...PARTY, default: FAMILY_PARTY }) @IsOmittable() @IsIn(CONTACT_PARTIES) party?: ContactParty;
  @ApiPropertyOptional({ ...DECLINED, default: false }) @IsOmittable() @IsBoolean() declined?: boolean;
  @ApiProperty({ description: 'The Home Office leaflet for families was given' }) @IsBoolean() leafletGiven: boolean;
  @ApiProperty({ description: 'Specialist advocacy was offered' }) @IsBoolean() advocacyOffered: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @SingleLineText() @MaxLength(200) advocacyProvider?: string;
  @ApiProperty({ description: 'The family was offered the chance to read the draft report' }) @IsBoolean() draftReportOffered: boolean;
  @ApiPropertyOptional({ description: 'Free text; treat as sensitive' }) @IsOptional() @IsString() @MultiLineText() @MaxLength(10000) notes?: string;
}

export class FamilyContactView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() contactedOn: string;
  @ApiProperty({ enum: CONTACT_METHODS }) method: ContactMethod;
  @ApiProperty(PARTY) party: ContactParty;
  @ApiProperty(DECLINED) declined: boolean;
  @ApiProperty() leafletGiven: boolean;
  @ApiProperty() advocacyOffered: boolean;
  @ApiProperty({ nullable: true, type: String }) advocacyProvider: string | null;
  @ApiProperty() draftReportOffered: boolean;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty() createdAt: string;
}

export function toFamilyContactView(c: FamilyContact): FamilyContactView {
  return {
    id: c.id,
    contactedOn: c.contactedOn,
    method: c.method,
    party: c.party,
    declined: c.declined,
    leafletGiven: c.leafletGiven,
    advocacyOffered: c.advocacyOffered,
    advocacyProvider: c.advocacyProvider,
    draftReportOffered: c.draftReportOffered,
    notes: c.notes,
    createdAt: c.createdAt.toISOString(),
  };
}

export class FamilyContactPage {
  @ApiProperty({ type: [FamilyContactView] }) items: FamilyContactView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
