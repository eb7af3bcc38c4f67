import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { STAGES, type Stage } from '../cases/stages.js';
import { EARLIEST_YEAR, LATEST_YEAR } from '../common/calendar.js';
import { formatMessage } from '../common/export-format.js';
import { IsCalendarDate } from '../common/validators.js';
import { PageQuery } from '../common/pagination.js';
import { MANNER_OF_DEATH_WORDS, MANNERS_OF_DEATH, RELATIONSHIP_WORDS, RELATIONSHIPS, valuesInWords, type MannerOfDeath, type Relationship } from '../cases/library-facts.js';
import { ThemeView } from '../themes/theme.dto.js';
import { LIBRARY_FORMATS, REPORT_EXPORT_FORMATS, type LibraryFormat, type ReportExportFormat } from './report-csv.js';
import type { AddresseeCountRow, AgencyActionsRow, CaseFigureRow, CompletionRow, DashboardRows, LibraryRow, StageCountRow, ThemeCountRow } from './reports.queries.js';

export class ReportQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only this partnership. One outside your scope gives an empty report, as a list filtered to nothing does.',
  })
  @IsOptional()
  @IsUUID()
  partnershipId?: string;
}

/** A report with overdue milestones in it (the dashboard, the cases export) may judge them as of another day. */
export class OverdueReportQuery extends ReportQuery {
  @ApiPropertyOptional({
    description: 'Judge overdue milestones as of this date (YYYY-MM-DD) instead of today in London. A test clock, not a replay: every other figure is as recorded now.',
    example: '2026-09-01',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

/** A partnership a report covers. */
export interface ReportPartnership {
  id: string;
  name: string;
}

export class CompletionShareView {
  @ApiProperty({ description: 'Reviews whose completion milestone is met (the CSP chair signed them off), discontinued ones left out' }) completed: number;
  @ApiProperty({ description: 'Of those, the ones signed off on or before the statutory due date (never the date adjusted for holds)' })
  withinDeadline: number;
  @ApiProperty({ nullable: true, type: Number, description: 'withinDeadline / completed, between 0 and 1; null when none is completed' })
  share: number | null;
}

const STAGE_COUNTS_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  description: 'Cases in each stage, closed and discontinued ones included; every stage is listed, with 0 where there are none',
  properties: Object.fromEntries(STAGES.map((stage) => [stage, { type: 'integer' }])),
  required: [...STAGES],
};

export class DashboardFigures {
  @ApiProperty(STAGE_COUNTS_SCHEMA) casesByStage: Record<Stage, number>;
  @ApiProperty({ description: 'Open cases (not closed or discontinued) with a hold that has not ended' }) onHold: number;
  @ApiProperty({
    description: 'Reviews discontinued before their sign-off (casesByStage.discontinued), counted apart: they are never completed, and completedWithinDeadline leaves them out',
  })
  discontinued: number;
  @ApiProperty({ description: 'Milestones not met whose statutory due date has passed (as GET /api/milestones?status=overdue counts them)' })
  overdueMilestones: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Median of decidedOn − notifiedOn over decided cases (either outcome); null when none is decided' })
  medianDaysNotificationToDecision: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Median of firstCompletedOn − commissionedOn over commissioned cases with a completion date (the first sign-off: a QA resubmission does not move it). commissionedOn is the decision to commission, or the day of a Home Office direction; null when none is completed',
  })
  medianDaysDecisionToCompletion: number | null;
  @ApiProperty({ description: 'Reviews closed without publication (withheld); they are among the closed in casesByStage, never among the published' })
  withheld: number;
  @ApiProperty({ type: CompletionShareView }) completedWithinDeadline: CompletionShareView;
}

export class PartnershipDashboard extends DashboardFigures {
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty({ example: 'Exeter' }) name: string;
}

export class DashboardView {
  @ApiProperty({ description: 'The day overdue milestones were judged on' }) asOf: string;
  @ApiProperty({ type: [PartnershipDashboard], description: 'Each partnership in your scope, by name' }) partnerships: PartnershipDashboard[];
  @ApiProperty({ type: DashboardFigures, description: 'The same figures over every partnership listed: counts added up, medians and the share computed over all their cases' })
  totals: DashboardFigures;
}

function completionShare(row: Pick<CompletionRow, 'completed' | 'within_deadline'> | undefined): CompletionShareView {
  const completed = row?.completed ?? 0;
  const withinDeadline = row?.within_deadline ?? 0;
  return { completed, withinDeadline, share: completed === 0 ? null : withinDeadline / completed };
}

function noCases(): Record<Stage, number> {
  return Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
}

/** Cases in every stage of the partnerships `keep` accepts, 0 where there are none. */
export function casesByStage(rows: StageCountRow[], keep: (partnershipId: string) => boolean): Record<Stage, number> {
  const counts = noCases();
  for (const row of rows) if (keep(row.partnership_id)) counts[row.stage] += row.cases;
  return counts;
}

function figuresOf(rows: DashboardRows, figures: CaseFigureRow | undefined, keep: (partnershipId: string) => boolean): DashboardFigures {
  const sum = <T extends { partnership_id: string | null }>(list: T[], value: (row: T) => number) =>
    list.filter((row) => row.partnership_id !== null && keep(row.partnership_id)).reduce((total, row) => total + value(row), 0);
  const completions = rows.completions.filter((row) => row.partnership_id !== null && keep(row.partnership_id));
  const byStage = casesByStage(rows.stages, keep);
  return {
    casesByStage: byStage,
    onHold: figures?.on_hold ?? 0,
    discontinued: byStage.discontinued,
    overdueMilestones: sum(rows.overdue, (row) => row.overdue),
    medianDaysNotificationToDecision: figures?.notification_to_decision ?? null,
    medianDaysDecisionToCompletion: figures?.decision_to_completion ?? null,
    withheld: figures?.withheld ?? 0,
    completedWithinDeadline: completionShare({
      completed: completions.reduce((total, row) => total + row.completed, 0),
      within_deadline: completions.reduce((total, row) => total + row.within_deadline, 0),
    }),
  };
}

/** The dashboard from its rows: every partnership in scope (with zeros where it has no cases), and the totals over them. */
export function toDashboardView(partnerships: ReportPartnership[], rows: DashboardRows, asOf: string): DashboardView {
  const totals = rows.figures.find((row) => row.partnership_id === null);
  return {
    asOf,
    partnerships: partnerships.map((p) => ({
      partnershipId: p.id,
      name: p.name,
      ...figuresOf(
        rows,
        rows.figures.find((row) => row.partnership_id === p.id),
        (id) => id === p.id,
      ),
    })),
    totals: figuresOf(rows, totals, () => true),
  };
}

/** A learning report and the actions export cover the reviews notified in a span of years. */
export class LearningQuery extends ReportQuery {
  @ApiPropertyOptional({ description: 'The first year (of notification) of the reviews covered', example: 2024, minimum: EARLIEST_YEAR, maximum: LATEST_YEAR })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(EARLIEST_YEAR)
  @Max(LATEST_YEAR)
  from?: number;

  @ApiPropertyOptional({ description: 'The last year (of notification) of the reviews covered, not before from', example: 2026, minimum: EARLIEST_YEAR, maximum: LATEST_YEAR })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(EARLIEST_YEAR)
  @Max(LATEST_YEAR)
  to?: number;
}

export class ThemeCountView {
  @ApiProperty({ example: 'coercive_control' }) code: string;
  @ApiProperty({ example: 'Coercive control' }) label: string;
  @ApiProperty({ description: 'Reviews that carry the theme, as their own or through one of their recommendations (each review once)' }) cases: number;
  @ApiProperty({ description: 'Recommendations tagged with the theme' }) recommendations: number;
}

export class AgencyActionsView {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ example: 'Example Constabulary' }) name: string;
  @ApiProperty({ description: 'Its actions neither completed nor closed with a reason' }) open: number;
  @ApiProperty({ description: 'Of those, the ones whose target date has passed (today in London)' }) overdue: number;
}

/** Words for the national recommendations recorded before their addressee was asked for. */
export const ADDRESSEE_NOT_RECORDED = 'Not recorded';

export class AddresseeCountView {
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'Department of Health and Social Care',
    description: 'The department or national body; null for national recommendations recorded before the addressee was asked for',
  })
  addressee: string | null;
  @ApiProperty({ example: 'Department of Health and Social Care', description: `The addressee, or “${ADDRESSEE_NOT_RECORDED}”` }) label: string;
  @ApiProperty({ description: 'National recommendations addressed to it' }) recommendations: number;
  @ApiProperty({ description: 'Reviews that made them (each review once)' }) cases: number;
}

export class LearningView {
  @ApiProperty({ type: [ThemeCountView], description: 'Every learning theme, in the list’s order, zeros included' }) themes: ThemeCountView[];
  @ApiProperty({ type: [AgencyActionsView], description: 'Each agency owning an action of the reviews covered, by name' })
  actionsByAgency: AgencyActionsView[];
  @ApiProperty({
    type: [AddresseeCountView],
    description: 'The national recommendations of the reviews covered, by addressee (one whatever its letter case): the most recommended first, those not recorded last',
  })
  nationalRecommendations: AddresseeCountView[];
}

export function toThemeCountView({ code, label, cases, recommendations }: ThemeCountRow): ThemeCountView {
  return { code, label, cases, recommendations };
}

export function toLearningView(rows: { themes: ThemeCountRow[]; agencies: AgencyActionsRow[]; addressees: AddresseeCountRow[] }): LearningView {
  return {
    themes: rows.themes.map(toThemeCountView),
    actionsByAgency: rows.agencies.map((a) => ({ agencyId: a.agency_id, name: a.name, open: a.open, overdue: a.overdue })),
    nationalRecommendations: rows.addressees.map(toAddresseeCountView),
  };
}

export function toAddresseeCountView({ addressee, recommendations, cases }: AddresseeCountRow): AddresseeCountView {
  return { addressee, label: addressee ?? ADDRESSEE_NOT_RECORDED, recommendations, cases };
}

const FORMAT = {
  enum: REPORT_EXPORT_FORMATS,
  description: 'csv (the default) or xlsx, an Excel workbook with the same columns; wins over the Accept header',
};

/** The cases export's query: the cases report's, and the file's format. */
export class CasesExportQuery extends OverdueReportQuery {
  @ApiPropertyOptional(FORMAT)
  @IsOptional()
  @IsIn(REPORT_EXPORT_FORMATS, { message: formatMessage(REPORT_EXPORT_FORMATS) })
  format?: ReportExportFormat;
}

/** The actions export's query: the learning report's, and the file's format. */
export class ActionsExportQuery extends LearningQuery {
  @ApiPropertyOptional(FORMAT)
  @IsOptional()
  @IsIn(REPORT_EXPORT_FORMATS, { message: formatMessage(REPORT_EXPORT_FORMATS) })
  format?: ReportExportFormat;
}

// ---- filtering by the facts the national library groups reviews by ----

/** `?mannerOfDeath=`: only the cases that died so (docs/domain.md, "Facts for the national library"). */
function MannerOfDeathFilter(): PropertyDecorator {
  return (target, property) => {
    ApiPropertyOptional({ enum: MANNERS_OF_DEATH, description: `Only the cases with this manner of death: ${valuesInWords(MANNER_OF_DEATH_WORDS)}` })(target, property);
    IsOptional()(target, property);
    IsIn(MANNERS_OF_DEATH)(target, property);
  };
}

/** The dashboard's query: the overdue report's, and the manner of death of the cases counted. */
export class DashboardQuery extends OverdueReportQuery {
  @MannerOfDeathFilter() mannerOfDeath?: MannerOfDeath;
}

/** The learning report's query: the years covered, and the manner of death of the reviews counted. */
export class LearningReportQuery extends LearningQuery {
  @MannerOfDeathFilter() mannerOfDeath?: MannerOfDeath;
}

// ---- the library ----

/** The library's query: a page (or, as a file, the whole), over the partnerships in scope. */
export class LibraryQuery extends PageQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only this partnership. One outside your scope gives an empty report, as a list filtered to nothing does.',
  })
  @IsOptional()
  @IsUUID()
  partnershipId?: string;

  @ApiPropertyOptional({ enum: LIBRARY_FORMATS, description: 'The page as JSON (the default), or the whole library as CSV or XLSX; wins over the Accept header' })
  @IsOptional()
  @IsIn(LIBRARY_FORMATS, { message: formatMessage(LIBRARY_FORMATS) })
  format?: LibraryFormat;
}

/** A published review as the national library lists it: never a name, a pseudonym, a date of birth or a date of death. */
export class LibraryItemView {
  @ApiProperty({ example: 'DHR-2026-001' }) reference: string;
  @ApiProperty({ example: 'Exeter' }) partnershipName: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The year of the death, never the date; null when the date is not recorded' }) yearOfDeath: number | null;
  @ApiProperty({ enum: MANNERS_OF_DEATH, nullable: true, description: `How the person died: ${valuesInWords(MANNER_OF_DEATH_WORDS)}; null when not recorded` })
  mannerOfDeath: MannerOfDeath | null;
  @ApiProperty({ enum: RELATIONSHIPS, nullable: true, description: `The perpetrator's relationship to the victim: ${valuesInWords(RELATIONSHIP_WORDS)}; null when not recorded` })
  relationship: Relationship | null;
  @ApiProperty({ example: 'Devon and Cornwall' }) policeForceArea: string;
  @ApiProperty({ type: [ThemeView], description: 'The learning themes of the review and of its recommendations, in the list’s order' }) themes: ThemeView[];
  @ApiProperty({ example: '2026-09-01' }) publishedOn: string;
  @ApiProperty({ description: 'Where the review is published' }) url: string;
}

export class LibraryPage {
  @ApiProperty({ type: [LibraryItemView] }) items: LibraryItemView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export function toLibraryItemView(row: LibraryRow): LibraryItemView {
  return {
    reference: row.reference,
    partnershipName: row.partnership_name,
    yearOfDeath: row.year_of_death,
    mannerOfDeath: row.manner_of_death,
    relationship: row.relationship,
    policeForceArea: row.police_force_area,
    themes: row.themes.map(({ code, label }) => ({ code, label })),
    publishedOn: row.published_on,
    url: row.url,
  };
}
