import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { SECTORS, type Agency, type Sector } from './agency.entity.js';
import { IsOmittable, NameText } from '../common/validators.js';


export class AgencyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Devon and Cornwall Police' }) name: string;
  @ApiProperty({ enum: SECTORS }) sector: Sector;
  @ApiProperty() active: boolean;
}

export function toAgencyView({ id, name, sector, active }: Agency): AgencyView {
  return { id, name, sector, active };
}

export class CreateAgencyRequest {
  @ApiProperty() @NameText() name: string;
  @ApiProperty({ enum: SECTORS }) @IsIn(SECTORS) sector: Sector;
}

export class UpdateAgencyRequest {
  @ApiPropertyOptional() @IsOmittable() @NameText() name?: string;
  @ApiPropertyOptional({ enum: SECTORS }) @IsOmittable() @IsIn(SECTORS) sector?: Sector;
  @ApiPropertyOptional({ description: 'false retires the agency: it keeps its history but takes no new work' })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}

export class AgencyQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SECTORS }) @IsOptional() @IsIn(SECTORS) sector?: Sector;
}

export class AgencyPage {
  @ApiProperty({ type: [AgencyView] }) items: AgencyView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
