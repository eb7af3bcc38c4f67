import { daysBetween } from '../common/calendar.js';
import type { StoredMilestoneRow } from './milestones.queries.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { IsCalendarDate } from '../common/validators.js';
import { MILESTONE_STATUSES, type MilestoneStatus } from './engine.js';

export class AsOfQuery {
  @ApiPropertyOptional({
    description:
      'Evaluate due dates and statuses as of this date (YYYY-MM-DD) instead of today in London. A test clock, not a replay: events recorded since still count.',
    example: '2026-09-01',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class MilestoneQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MILESTONE_STATUSES }) @IsOptional() @IsIn(MILESTONE_STATUSES) status?: MilestoneStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() partnershipId?: string;
  @ApiPropertyOptional({
    description:
      'Evaluate due dates and statuses as of this date (YYYY-MM-DD) instead of today in London. A test clock, not a replay: events recorded since still count.',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class MilestoneView {
  @ApiProperty({ example: 'review_completed', description: 'Statutory keys, or contribution:<id>' }) key: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'The guidance or practice the deadline comes from' }) basis: string;
  @ApiProperty({ nullable: true, type: String, description: 'The statutory due date; a hold never moves it' }) dueOn: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'dueOn plus the days on hold' }) adjustedDueOn: string | null;
  @ApiProperty({ nullable: true, type: String }) metOn: string | null;
  @ApiProperty({ enum: MILESTONE_STATUSES }) status: MilestoneStatus;
  @ApiProperty() daysOnHold: number;
  @ApiProperty() onHold: boolean;
}

export class MilestonePage {
  @ApiProperty({ type: [MilestoneView] }) items: MilestoneView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CaseMilestoneView extends MilestoneView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ example: 'DHR-2026-001' }) reference: string;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
}

export class CaseMilestonePage {
  @ApiProperty({ type: [CaseMilestoneView] }) items: CaseMilestoneView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** A stored milestone (milestone-state.ts) as the cross-case list shows it. */
export function toCaseMilestoneView(row: StoredMilestoneRow): CaseMilestoneView {
  return {
    key: row.key,
    title: row.title,
    basis: row.basis,
    dueOn: row.due_on,
    adjustedDueOn: row.adjusted_due_on,
    metOn: row.met_on,
    status: row.status,
    daysOnHold: row.due_on && row.adjusted_due_on ? daysBetween(row.due_on, row.adjusted_due_on) : 0,
    onHold: row.on_hold,
    caseId: row.case_id,
    reference: row.reference,
    partnershipId: row.partnership_id,
  };
}
