import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AnyRole } from '../access/access.decorators.js';
import type { Page } from '../common/pagination.js';
import { Partnership } from './partnership.entity.js';

export class PartnershipView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'exeter' }) code: string;
  @ApiProperty({ example: 'Exeter' }) name: string;
}

export class PartnershipPage {
  @ApiProperty({ type: [PartnershipView] }) items: PartnershipView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

@ApiTags('administration')
@ApiBearerAuth()
@Controller('partnerships')
export class PartnershipsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A handful of rows, seeded by migration: one page, always. */
  @Get()
  @AnyRole()
  @ApiOkResponse({ type: PartnershipPage })
  async list(): Promise<Page<PartnershipView>> {
    const rows = await this.dataSource.getRepository(Partnership).find({ order: { name: 'ASC' } });
    return { items: rows.map(({ id, code, name }) => ({ id, code, name })), nextCursor: null };
  }
}
