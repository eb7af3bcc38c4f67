import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { formatMessage } from '../common/export-format.js';
import { PageQuery } from '../common/pagination.js';
import { asOneLine } from '../common/text-rules.js';
import { IsCalendarDate } from '../common/validators.js';
import { CHRONOLOGY_FORMATS, type ChronologyRepresentation } from './chronology-export.js';
import { DATE_PRECISIONS, type ChronologySubmission, type DatePrecision } from './chronology.entities.js';

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
    // A row stored before file names were held to the one-line rule may still hold what the rule refuses.
    originalName: asOneLine(s.originalName),
    uploadedBy: s.uploadedBy,
    uploadedAt: s.uploadedAt.toISOString(),
  };
}

export class ChronologySubmissionList {
  @ApiProperty({ type: [ChronologySubmissionView] }) items: ChronologySubmissionView[];
}

export class CombinedChronologyQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ example: '2024-01-01', description: 'Entries dated on or after' }) @IsOptional() @IsCalendarDate() from?: string;
  @ApiPropertyOptional({ example: '2024-12-31', description: 'Entries dated on or before' }) @IsOptional() @IsCalendarDate() to?: string;
  @ApiPropertyOptional({ enum: CHRONOLOGY_FORMATS, description: 'The page as JSON, or the whole of it as CSV or XLSX; wins over the Accept header' })
  @IsOptional()
  @IsIn(CHRONOLOGY_FORMATS, { message: formatMessage(CHRONOLOGY_FORMATS) })
  format?: ChronologyRepresentation;
}

/** One row of the combined chronology: what happened, when, and which agency's version it comes from. */
export class CombinedEntryView {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty() version: number;
  @ApiProperty({ description: 'The row in the agency’s file (the header is row 1)' }) rowNumber: number;
  @ApiProperty({ description: 'The start of the period the date names' }) eventOn: string;
  @ApiProperty({ enum: DATE_PRECISIONS }) datePrecision: DatePrecision;
  @ApiProperty() dateUncertain: boolean;
  @ApiProperty({ description: 'The date as entered' }) dateText: string;
  @ApiProperty({ nullable: true, type: String, example: '14:05' }) eventTime: string | null;
  @ApiProperty() source: string;
  @ApiProperty() details: string;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ nullable: true, type: String }) eventType: string | null;
  @ApiProperty({ nullable: true, type: String }) actionTaken: string | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
}

export class CombinedChronologyPage {
  @ApiProperty({ type: [CombinedEntryView] }) items: CombinedEntryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** The version an entry comes from: its agency and version number. */
export interface VersionOf {
  agency_id: string;
  agency_name: string;
  version: number;
}

/** An entry as the combined chronology's queries give it (VERSION_ROWS). */
export interface EntryRow {
  row_number: number;
  event_on_text: string;
  event_time_text: string;
  date_precision: DatePrecision;
  date_uncertain: boolean;
  date_text: string;
  source: string;
  details: string;
  subject: string | null;
  event_type: string | null;
  action_taken: string | null;
  comment: string | null;
}

/** A row of COMBINED_PAGE: an entry with its version. */
export type CombinedRow = EntryRow & VersionOf;

export function toCombinedEntryView(r: EntryRow, v: VersionOf): CombinedEntryView {
  return {
    agencyId: v.agency_id,
    agencyName: v.agency_name,
    version: v.version,
    rowNumber: r.row_number,
    eventOn: r.event_on_text,
    datePrecision: r.date_precision,
    dateUncertain: r.date_uncertain,
    dateText: r.date_text,
    eventTime: r.event_time_text || null,
    source: r.source,
    details: r.details,
    subject: r.subject,
    eventType: r.event_type,
    actionTaken: r.action_taken,
    comment: r.comment,
  };
}

export function combinedRowKey(r: CombinedRow): string[] {
  return [r.event_on_text, r.event_time_text, r.agency_name, r.agency_id, String(r.row_number)];
}
