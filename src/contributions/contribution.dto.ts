import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { IsCalendarDate, MultiLineText } from '../common/validators.js';
import {
  CONTRIBUTION_KINDS,
  CONTRIBUTION_STATUSES,
  type ContributionKind,
  type ContributionRequest,
  type ContributionStatus,
} from './contribution-request.entity.js';
import { trimmed } from '../common/transforms.js';

export class CreateContributionRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() agencyId: string;
  @ApiProperty({ enum: CONTRIBUTION_KINDS }) @IsIn(CONTRIBUTION_KINDS) kind: ContributionKind;
  @ApiProperty({ example: '2026-07-31' }) @IsCalendarDate() dueOn: string;
}

export class WaiveContributionRequest {
  @ApiProperty()
  @Transform(trimmed)
  @IsString()
  @MultiLineText()
  @MinLength(1, { message: 'reason must not be empty' })
  @MaxLength(2000)
  reason: string;
}

export class ContributionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ enum: CONTRIBUTION_KINDS }) kind: ContributionKind;
  @ApiProperty() dueOn: string;
  @ApiProperty({ enum: CONTRIBUTION_STATUSES }) status: ContributionStatus;
  @ApiProperty({ nullable: true, type: String }) waivedReason: string | null;
  @ApiProperty() createdAt: string;
}

export function toContributionView(r: ContributionRequest): ContributionView {
  return {
    id: r.id,
    caseId: r.caseId,
    agencyId: r.agencyId,
    kind: r.kind,
    dueOn: r.dueOn,
    status: r.status,
    waivedReason: r.waivedReason,
    createdAt: r.createdAt.toISOString(),
  };
}

export class ContributionPage {
  @ApiProperty({ type: [ContributionView] }) items: ContributionView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
