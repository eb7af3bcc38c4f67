import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AnyRole } from '../access/access.decorators.js';
import type { Page } from '../common/pagination.js';
import { LearningTheme } from './learning-theme.entity.js';

export class ThemeView {
  @ApiProperty({ example: 'coercive_control' }) code: string;
  @ApiProperty({ example: 'Coercive control' }) label: string;
}

export class ThemePage {
  @ApiProperty({ type: [ThemeView] }) items: ThemeView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

@ApiTags('administration')
@ApiBearerAuth()
@Controller('themes')
export class ThemesController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The controlled list of learning themes, seeded by migration. */
  @Get()
  @AnyRole()
  @ApiOkResponse({ type: ThemePage })
  async list(): Promise<Page<ThemeView>> {
    const rows = await this.dataSource.getRepository(LearningTheme).find({ order: { position: 'ASC' } });
    return { items: rows.map(({ code, label }) => ({ code, label })), nextCursor: null };
  }
}
