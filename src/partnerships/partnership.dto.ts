import { ApiProperty } from '@nestjs/swagger';
import type { Partnership } from './partnership.entity.js';

export class PartnershipView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'exeter' }) code: string;
  @ApiProperty({ example: 'Exeter' }) name: string;
}

export function toPartnershipView({ id, code, name }: Partnership): PartnershipView {
  return { id, code, name };
}

export class PartnershipPage {
  @ApiProperty({ type: [PartnershipView] }) items: PartnershipView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
