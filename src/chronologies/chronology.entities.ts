import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** How precise a chronology date is: `05/2024` is a month, `2024` a year; the entry's date is the start of that period. */
export const DATE_PRECISIONS = ['day', 'month', 'year'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

/** One upload of one agency's chronology for a case: a new version each time. */
@Entity('chronology_submission')
export class ChronologySubmission {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'agency_id' }) agencyId: string;
  @Column('integer') version: number;
  @Column('integer', { name: 'row_count' }) rowCount: number;
  @Column('text', { name: 'original_name' }) originalName: string;
  @Column('uuid', { name: 'uploaded_by', nullable: true }) uploadedBy: string | null;
  @Column({ type: 'timestamptz', name: 'uploaded_at', update: false }) uploadedAt: Date;
}

/** One row of a submitted chronology, as the spreadsheet gave it. */
@Entity('chronology_entry')
export class ChronologyEntry {
  @PrimaryColumn('uuid', { name: 'submission_id' }) submissionId: string;
  @PrimaryColumn('integer', { name: 'row_number' }) rowNumber: number;
  @Column('date', { name: 'event_on' }) eventOn: string;
  @Column('text', { name: 'date_precision' }) datePrecision: DatePrecision;
  @Column('boolean', { name: 'date_uncertain' }) dateUncertain: boolean;
  @Column('text', { name: 'date_text' }) dateText: string;
  @Column('time', { name: 'event_time', nullable: true }) eventTime: string | null;
  @Column('text') source: string;
  @Column('text') details: string;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text', { name: 'event_type', nullable: true }) eventType: string | null;
  @Column('text', { name: 'action_taken', nullable: true }) actionTaken: string | null;
  @Column('text', { nullable: true }) comment: string | null;
}
