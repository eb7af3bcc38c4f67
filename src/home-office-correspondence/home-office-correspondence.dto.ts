import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { trimmed } from '../common/transforms.js';
import { IsCalendarDate, MultiLineText } from '../common/validators.js';
import {
  CORRESPONDENCE_DIRECTIONS,
  CORRESPONDENCE_KINDS,
  RESPONSE_OUTCOMES,
  type CorrespondenceDirection,
  type CorrespondenceKind,
  type HomeOfficeLetter,
  type ResponseOutcome,
} from './home-office-correspondence.entity.js';

/** The longest summary a letter keeps: a sentence or two of what it says, not the letter itself (which is its document). */
export const LETTER_SUMMARY_MAX = 500;

/** A letter to record (docs/domain.md, "Home Office correspondence"). */
export class RecordLetterRequest {
  @ApiProperty({ enum: CORRESPONDENCE_KINDS }) @IsIn(CORRESPONDENCE_KINDS) kind: CorrespondenceKind;

  @ApiProperty({ enum: CORRESPONDENCE_DIRECTIONS, description: 'Sent to the Home Office, or received from it' })
  @IsIn(CORRESPONDENCE_DIRECTIONS)
  direction: CorrespondenceDirection;

  @ApiProperty({
    example: '2026-03-09',
    description:
      'The letter’s date: not after today (London), not before the case’s notification. A `decision_notice` `sent` on a case with no `homeOfficeNotifiedOn` sets it to this date.',
  })
  @IsCalendarDate()
  on: string;

  @ApiProperty({ minLength: 1, maxLength: LETTER_SUMMARY_MAX, description: 'What the letter says, in a sentence or two. Free text, masked in the audit trail.' })
  @Transform(trimmed)
  @IsString()
  @MultiLineText()
  @MinLength(1, { message: 'summary must not be empty' })
  @MaxLength(LETTER_SUMMARY_MAX)
  summary: string;

  @ApiPropertyOptional({ enum: RESPONSE_OUTCOMES, description: 'What the Home Office’s response said of the decision: for kind `response` only (400 on any other kind)' })
  @IsOptional()
  @IsIn(RESPONSE_OUTCOMES)
  outcome?: ResponseOutcome;

  @ApiPropertyOptional({ format: 'uuid', description: 'The letter itself: a document of this case, uploaded first (400 when it is not one)' })
  @IsOptional()
  @IsUUID()
  documentId?: string;
}

export class HomeOfficeLetterView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CORRESPONDENCE_KINDS }) kind: CorrespondenceKind;
  @ApiProperty({ enum: CORRESPONDENCE_DIRECTIONS }) direction: CorrespondenceDirection;
  @ApiProperty({ example: '2026-03-09' }) on: string;
  @ApiProperty() summary: string;
  @ApiProperty({ nullable: true, enum: RESPONSE_OUTCOMES, description: 'A response’s outcome; null for every other kind, and for a response that gave none' })
  outcome: ResponseOutcome | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) documentId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'For a QA panel’s letter recorded with a QA outcome: the submission it answers' })
  qaSubmissionId: string | null;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Who recorded it' })
  recordedBy: string | null;
}

export class HomeOfficeLetterPage {
  @ApiProperty({ type: [HomeOfficeLetterView] }) items: HomeOfficeLetterView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export function toHomeOfficeLetterView(letter: HomeOfficeLetter): HomeOfficeLetterView {
  return {
    id: letter.id,
    kind: letter.kind,
    direction: letter.direction,
    on: letter.correspondedOn,
    summary: letter.summary,
    outcome: letter.outcome,
    documentId: letter.documentId,
    qaSubmissionId: letter.qaSubmissionId,
    recordedAt: letter.recordedAt.toISOString(),
    recordedBy: letter.recordedBy,
  };
}
