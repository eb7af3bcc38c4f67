import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { SECTORS, type Sector } from '../agencies/agency.entity.js';

export class AddPanelAgencyRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() agencyId: string;
}

export class PanelMemberView {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SECTORS }) sector: Sector;
  @ApiProperty() addedAt: string;
}

export class PanelPage {
  @ApiProperty({ type: [PanelMemberView] }) items: PanelMemberView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** A panel member as PANEL_OF_CASE reads it. */
export interface PanelRow {
  agency_id: string;
  name: string;
  sector: Sector;
  added_at: Date;
}

export function toPanelMemberView(r: PanelRow): PanelMemberView {
  return { agencyId: r.agency_id, name: r.name, sector: r.sector, addedAt: r.added_at.toISOString() };
}
