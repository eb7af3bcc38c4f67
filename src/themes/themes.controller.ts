import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '../access/access.decorators.js';
import type { Page } from '../common/pagination.js';
import { ThemePage, ThemeView } from './theme.dto.js';
import { ThemesService } from './themes.service.js';

@ApiTags('administration')
@ApiBearerAuth()
@Controller('themes')
export class ThemesController {
  constructor(private readonly themes: ThemesService) {}

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: ThemePage })
  list(): Promise<Page<ThemeView>> {
    return this.themes.list();
  }
}
