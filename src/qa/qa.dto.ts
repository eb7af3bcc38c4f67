import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../common/validators.js';
import { QA_OUTCOMES, type QaOutcome } from './qa-outcomes.js';
import type { QaSubmission } from './qa-submission.entity.js';

export class CreateQaSubmissionRequest {
  @ApiProperty({ example: '2026-10-01', description: 'The day the report went to the Home Office: not after today, not before the case’s completion date' })
  @IsCalendarDate()
  submittedOn: string;
}

export class RecordQaOutcomeRequest {
  @ApiProperty({ enum: QA_OUTCOMES, description: '`approved_subject_to_changes` counts as approval' }) @IsIn(QA_OUTCOMES) outcome: QaOutcome;
  @ApiProperty({ example: '2026-11-12', description: 'The date of the Home Office’s outcome: not after today, not before the submission' })
  @IsCalendarDate()
  outcomeOn: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The Home Office letter: a `qa_letter` document of the same case' })
  @IsOptional()
  @IsUUID()
  letterDocumentId?: string;
}

export class QaSubmissionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ description: 'The round of QA: 1 after the first CSP sign-off, 2 after the sign-off that follows a resubmission, and so on' })
  round: number;
  @ApiProperty() submittedOn: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) submittedBy: string | null;
  @ApiProperty({ nullable: true, enum: QA_OUTCOMES, description: 'null until the Home Office answers' }) outcome: QaOutcome | null;
  @ApiProperty({ nullable: true, type: String }) outcomeOn: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) letterDocumentId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) outcomeRecordedAt: string | null;
}

export function toQaSubmissionView(s: QaSubmission): QaSubmissionView {
  return {
    id: s.id,
    caseId: s.caseId,
    round: s.round,
    submittedOn: s.submittedOn,
    submittedBy: s.submittedBy,
    outcome: s.outcome,
    outcomeOn: s.outcomeOn,
    letterDocumentId: s.letterDocumentId,
    createdAt: s.createdAt.toISOString(),
    outcomeRecordedAt: s.outcomeRecordedAt?.toISOString() ?? null,
  };
}

export class QaSubmissionPage {
  @ApiProperty({ type: [QaSubmissionView] }) items: QaSubmissionView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
