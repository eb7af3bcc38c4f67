import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { MultiLineText, SingleLineText } from '../common/validators.js';
import { trimmed } from '../common/transforms.js';
import { LINK_KINDS, type LinkKind } from './case-link.entity.js';
import type { LinkRow } from './case-links.queries.js';

/** The longest external reference a link keeps: one line, such as "SAR 2026/14 (Torbay Safeguarding Adults Board)". */
export const EXTERNAL_REFERENCE_MAX = 200;
/** The longest note a link keeps. */
export const LINK_NOTE_MAX = 2000;

/** A link to add: its kind and exactly one of another case's id and an external reference (docs/domain.md, "Linked reviews"). */
export class AddLinkRequest {
  @ApiProperty({ enum: LINK_KINDS }) @IsIn(LINK_KINDS) kind: LinkKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'Another case of this system. Send this or externalReference, not both. A case you cannot see answers 404, as an unknown id.' })
  @IsOptional()
  @IsUUID()
  linkedCaseId?: string;

  @ApiPropertyOptional({ maxLength: EXTERNAL_REFERENCE_MAX, description: 'A review outside this system (a SAR, a CSPR…), on one line. Send this or linkedCaseId, not both.' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @SingleLineText()
  @MinLength(1, { message: 'externalReference must not be empty' })
  @MaxLength(EXTERNAL_REFERENCE_MAX)
  externalReference?: string;

  @ApiPropertyOptional({ maxLength: LINK_NOTE_MAX, description: 'Why the reviews are linked' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MultiLineText()
  @MaxLength(LINK_NOTE_MAX)
  note?: string;
}

/** The other case of a link, when the reader may see it. */
export class LinkedCaseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'DHR-2026-001' }) reference: string;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty() partnershipName: string;
}

/** The other case of a link, when the reader may not see it: its partnership's name alone. */
export class LinkedCaseOutOfScopeView {
  @ApiProperty() partnershipName: string;
}

@ApiExtraModels(LinkedCaseView, LinkedCaseOutOfScopeView)
export class CaseLinkView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: LINK_KINDS }) kind: LinkKind;
  @ApiProperty({
    nullable: true,
    oneOf: [{ $ref: getSchemaPath(LinkedCaseView) }, { $ref: getSchemaPath(LinkedCaseOutOfScopeView) }],
    description:
      'The other case of the link: its id, reference and partnership for a reader who may see it, its partnership’s name alone for one who may not; null for a link to an external reference',
  })
  linkedCase: LinkedCaseView | LinkedCaseOutOfScopeView | null;
  @ApiProperty({ nullable: true, type: String }) externalReference: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null when none was written, and for a reader who may not see the other case (the note was written about both)' })
  note: string | null;
}

export class CaseLinkPage {
  @ApiProperty({ type: [CaseLinkView] }) items: CaseLinkView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/**
 * A link as one reader sees it: the other case whole when `seesOther` (the
 * access module's answer), its partnership's name alone otherwise, and the
 * note only with the other case.
 */
export function toCaseLinkView(row: LinkRow, seesOther: boolean): CaseLinkView {
  return {
    id: row.id,
    kind: row.kind,
    linkedCase: linkedCaseView(row, seesOther),
    externalReference: row.externalReference,
    note: row.otherCaseId === null || seesOther ? row.note : null,
  };
}

function linkedCaseView(row: LinkRow, seesOther: boolean): LinkedCaseView | LinkedCaseOutOfScopeView | null {
  if (row.otherCaseId === null) return null;
  const partnershipName = row.otherPartnershipName ?? '';
  if (!seesOther) return { partnershipName };
  return { id: row.otherCaseId, reference: row.otherReference ?? '', partnershipId: row.otherPartnershipId ?? '', partnershipName };
}
