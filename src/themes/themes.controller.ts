import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import type { Page } from '../common/pagination.js';
import { SetCaseThemesRequest, ThemePage, ThemeView } from './theme.dto.js';
import { CaseThemesService } from './case-themes.service.js';
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

@ApiTags('learning')
@ApiBearerAuth()
@Controller('cases/:id/themes')
export class CaseThemesController {
  constructor(private readonly themes: CaseThemesService) {}

  @Get()
  @CaseRoute('case_theme.read')
  @ApiOperation({ summary: 'The learning themes of a case (SDP admin, its CSP chair, its review chair).' })
  @ApiOkResponse({ type: ThemePage })
  list(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string): Promise<Page<ThemeView>> {
    return this.themes.list(actor, id);
  }

  @Put()
  @CaseRoute('case_theme.manage')
  @ApiOperation({ summary: 'Set the learning themes of a case, all at once (SDP admin, assigned review chair). An unknown code is a 400 that names it.' })
  @ApiOkResponse({ type: ThemePage })
  set(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: SetCaseThemesRequest): Promise<Page<ThemeView>> {
    return this.themes.set(actor, id, body.themes);
  }
}
