import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCalendarDate, MultiLineText, SingleLineText } from '../common/validators.js';
import { CONTACT_METHODS, type ContactMethod, type FamilyContact } from './family-contact.entity.js';

export class CreateFamilyContactRequest {
  @ApiProperty({ example: '2026-06-03' }) @IsCalendarDate() contactedOn: string;
  @ApiProperty({ enum: CONTACT_METHODS }) @IsIn(CONTACT_METHODS) method: ContactMethod;
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
