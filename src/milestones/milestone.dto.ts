import { daysBetween } from '../common/calendar.js';
import type { StoredMilestoneRow } from './milestones.queries.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { IsCalendarDate } from '../common/validators.js';
import { MILESTONE_STATUSES, type MilestoneStatus } from './engine.js';
import { completionMonths, inForceFrom, REGIME_TABLE, REGIMES, type Regime, type RegimeSettings } from './regimes.js';

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

/** Who met a milestone (milestone-sources.ts, MetBy): a party and a day, never a person's name. */
export class MetByView {
  @ApiProperty({ example: 'victim_family', description: 'Whom the contact that met it was with: a family contact’s party (only victim_family meets family_contacted)' })
  party: string;
  @ApiProperty({ example: 'the victim’s family', description: 'The party in words' }) words: string;
  @ApiProperty({ format: 'date', example: '2026-04-02', description: 'The day of that contact: metOn' }) on: string;
  @ApiProperty({ description: 'They declined to take part in the review: the milestone is met all the same, since they were contacted' }) declined: boolean;
}

/** A milestone in its case's own list: what every list shows, and who met it. */
export class MilestoneDetailView extends MilestoneView {
  @ApiProperty({
    type: MetByView,
    nullable: true,
    description: 'Who met it, where a contact with someone meets it (family_contacted: the party contacted, on which day, and whether they declined); null for the others and while unmet',
  })
  metBy: MetByView | null;
}

export class MilestonePage {
  @ApiProperty({ type: [MilestoneDetailView] }) items: MilestoneDetailView[];
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

export class RegimeView {
  @ApiProperty({ enum: REGIMES }) code: Regime;
  @ApiProperty({ example: 'Domestic Homicide Review, 2016 statutory guidance' }) name: string;
  @ApiProperty({ nullable: true, type: String, format: 'date', example: '2011-04-13', description: 'The day it became law; null while it is a draft' })
  inForceFrom: string | null;
  @ApiProperty({ description: 'Not law yet: no new case gets it, and its own milestones say so in their basis' }) draft: boolean;
  @ApiProperty({ example: 6, description: 'Months from commissioning to the CSP chair’s sign-off' }) completionMonths: number;
}

export class RegimeList {
  @ApiProperty({ type: [RegimeView] }) items: RegimeView[];
}

/** Every regime as the configuration has it today (docs/domain.md, "Review types and regimes"). */
export function toRegimeList(settings: RegimeSettings): RegimeList {
  return {
    items: REGIMES.map((code) => {
      const from = inForceFrom(code, settings);
      return { code, name: REGIME_TABLE[code].name, inForceFrom: from, draft: from === null, completionMonths: completionMonths(code) };
    }),
  };
}
