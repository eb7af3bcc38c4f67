import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../access/roles.js';
import type { CalendarDate } from '../common/calendar.js';
import { PageQuery } from '../common/pagination.js';
import { trimmed } from '../common/transforms.js';
import { IsCalendarDate, IsOmittable, MultiLineText, SingleLineText } from '../common/validators.js';
import { ThemeCodes } from '../themes/theme.dto.js';
import {
  ACTION_STATUSES,
  RECOMMENDATION_SCOPES,
  type ActionStatus,
  type PlanAction,
  type PlanActionProgress,
  type Recommendation,
  type RecommendationScope,
} from './action-plan.entities.js';
import { isOverdue, ragOf, RAG_STATUSES, type Rag } from './rag.js';

/** The longest addressee a national recommendation keeps: one line, such as "Department of Health and Social Care". */
export const ADDRESSEE_MAX = 200;

export class CreateRecommendationRequest {
  @ApiProperty({ enum: RECOMMENDATION_SCOPES }) @IsIn(RECOMMENDATION_SCOPES) scope: RecommendationScope;
  @ApiProperty({ description: 'The recommendation as the report words it; treat as sensitive' })
  @Transform(trimmed)
  @IsString()
  @MultiLineText()
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(10000)
  text: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The agency a single_agency recommendation is addressed to; required for that scope and refused for the others' })
  @IsOmittable()
  @IsUUID()
  agencyId?: string;
  @ApiPropertyOptional({
    maxLength: ADDRESSEE_MAX,
    example: 'Department of Health and Social Care',
    description: 'The government department or national body a national recommendation is addressed to, on one line; required for that scope and refused for the others',
  })
  @IsOmittable()
  @Transform(trimmed)
  @IsString()
  @SingleLineText()
  @MinLength(1, { message: 'addressee must not be empty' })
  @MaxLength(ADDRESSEE_MAX)
  addressee?: string;
  @ApiPropertyOptional({ type: [String], example: ['coercive_control', 'information_sharing'], description: 'Learning theme codes (GET /api/themes); none when left out' })
  @IsOmittable()
  @ThemeCodes()
  themes?: string[];
}

export class CreateActionRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() ownerAgencyId: string;
  @ApiProperty({ description: 'What the agency will do; treat as sensitive' })
  @Transform(trimmed)
  @IsString()
  @MultiLineText()
  @MinLength(1, { message: 'description must not be empty' })
  @MaxLength(10000)
  description: string;
  @ApiProperty({ example: '2026-12-31', description: 'May lie in the past: an action set after its target is overdue at once' })
  @IsCalendarDate()
  targetOn: string;
}

export class UpdateActionRequest {
  @ApiPropertyOptional({ enum: ACTION_STATUSES, description: 'A completed or closed action is final: it is not reopened' })
  @IsOmittable()
  @IsIn(ACTION_STATUSES)
  status?: ActionStatus;
  @ApiPropertyOptional({ description: 'What was done since the last update; treat as sensitive' })
  @IsOmittable()
  @Transform(trimmed)
  @IsString()
  @MultiLineText()
  @MinLength(1, { message: 'progressNote must not be empty' })
  @MaxLength(10000)
  progressNote?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: 'Required with status completed, and only then; not after today' })
  @IsOmittable()
  @IsCalendarDate()
  completedOn?: string;
  @ApiPropertyOptional({ description: 'Why the action is closed without being completed: required with status closed_with_reason, and only then' })
  @IsOmittable()
  @Transform(trimmed)
  @IsString()
  @MultiLineText()
  @MinLength(1, { message: 'reason must not be empty' })
  @MaxLength(2000)
  reason?: string;
}

export class ActionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ACTION_STATUSES }) @IsOptional() @IsIn(ACTION_STATUSES) status?: ActionStatus;
  @ApiPropertyOptional({ description: 'true: only overdue actions (not done, target date passed); false: only those that are not' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
  @ApiPropertyOptional({ format: 'uuid', description: 'The owning agency' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() caseId?: string;
}

export class ProgressView {
  @ApiProperty({ enum: ACTION_STATUSES }) statusFrom: ActionStatus;
  @ApiProperty({ enum: ACTION_STATUSES }) statusTo: ActionStatus;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ enum: ROLES, nullable: true }) actorRole: Role | null;
  @ApiProperty() occurredAt: string;
}

/** An action as every list shows it: its own fields, and its RAG status and whether it is overdue as of today. */
export class ActionSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) ownerAgencyId: string;
  @ApiProperty() description: string;
  @ApiProperty() targetOn: string;
  @ApiProperty({ enum: ACTION_STATUSES }) status: ActionStatus;
  @ApiProperty({ nullable: true, type: String }) completedOn: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The day it was closed with a reason' }) closedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) closedReason: string | null;
  @ApiProperty({ description: 'The day it was set: the start of its time' }) createdOn: string;
  @ApiProperty({ enum: RAG_STATUSES, nullable: true, description: 'Derived; null once completed or closed' }) rag: Rag | null;
  @ApiProperty({ description: 'Derived: not done, and the target date has passed' }) overdue: boolean;
  @ApiProperty({ description: 'Send it as If-Match to PATCH /api/actions/:id to refuse a change made meanwhile (412)' }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ActionView extends ActionSummary {
  @ApiProperty({ type: [ProgressView], description: 'Every update, oldest first' }) progress: ProgressView[];
}

/** An action in the list across cases: named by its case's reference, never by anyone's name. */
export class ActionListItem extends ActionSummary {
  @ApiProperty({ example: 'DHR-2026-001' }) reference: string;
}

export class ActionPage {
  @ApiProperty({ type: [ActionListItem] }) items: ActionListItem[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class RecommendationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: RECOMMENDATION_SCOPES }) scope: RecommendationScope;
  @ApiProperty() text: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) agencyId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The department or national body a national recommendation is addressed to; null for the other scopes, and for a national one recorded before it was asked for',
  })
  addressee: string | null;
  @ApiProperty({ type: [String], description: 'Learning theme codes' }) themes: string[];
  @ApiProperty({ type: [ActionView], description: 'Its actions, in the order they were set; an agency lead sees only their agency’s' })
  actions: ActionView[];
  @ApiProperty() createdAt: string;
}

export class RecommendationPage {
  @ApiProperty({ type: [RecommendationView] }) items: RecommendationView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export function toProgressView(p: PlanActionProgress): ProgressView {
  return {
    statusFrom: p.statusFrom,
    statusTo: p.statusTo,
    note: p.note,
    actorId: p.actorId,
    actorRole: p.actorRole,
    occurredAt: p.occurredAt.toISOString(),
  };
}

export function toActionSummary(a: PlanAction, today: CalendarDate): ActionSummary {
  return {
    id: a.id,
    recommendationId: a.recommendationId,
    caseId: a.caseId,
    ownerAgencyId: a.ownerAgencyId,
    description: a.description,
    targetOn: a.targetOn,
    status: a.status,
    completedOn: a.completedOn,
    closedOn: a.closedOn,
    closedReason: a.closedReason,
    createdOn: a.createdOn,
    rag: ragOf(a, today),
    overdue: isOverdue(a, today),
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

export function toActionView(a: PlanAction, progress: PlanActionProgress[], today: CalendarDate): ActionView {
  return { ...toActionSummary(a, today), progress: progress.map(toProgressView) };
}

export function toRecommendationView(r: Recommendation, themes: string[], actions: ActionView[]): RecommendationView {
  return {
    id: r.id,
    caseId: r.caseId,
    scope: r.scope,
    text: r.text,
    agencyId: r.agencyId,
    addressee: r.addressee,
    themes,
    actions,
    createdAt: r.createdAt.toISOString(),
  };
}
