import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import type { ChronologySubmission } from './chronology.entities.js';

export class UploadChronologyRequest {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The chronology: a CSV (UTF-8) or an Excel workbook (.xlsx, first worksheet)' })
  file?: unknown;
  @ApiPropertyOptional({ format: 'uuid', description: 'Required of an SDP admin; an agency lead submits for their own agency' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

export class ChronologySubmissionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() version: number;
  @ApiProperty() rowCount: number;
  @ApiProperty({ description: 'The name of the file as uploaded; treat as sensitive' }) originalName: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) uploadedBy: string | null;
  @ApiProperty() uploadedAt: string;
}

export function toChronologySubmissionView(s: ChronologySubmission): ChronologySubmissionView {
  return {
    id: s.id,
    agencyId: s.agencyId,
    version: s.version,
    rowCount: s.rowCount,
    originalName: s.originalName,
    uploadedBy: s.uploadedBy,
    uploadedAt: s.uploadedAt.toISOString(),
  };
}

export class ChronologySubmissionList {
  @ApiProperty({ type: [ChronologySubmissionView] }) items: ChronologySubmissionView[];
}
