import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import type { Page } from '../common/pagination.js';
import { AddPanelAgencyRequest, PanelMemberView, PanelPage } from './panel.dto.js';
import { PanelService } from './panel.service.js';
import { UuidParam } from '../common/uuid-param.js';

@ApiTags('panel')
@ApiBearerAuth()
@Controller('cases/:id/panel')
export class PanelController {
  constructor(private readonly panel: PanelService) {}

  @Get()
  @CaseRoute('panel.read')
  @ApiOkResponse({ type: PanelPage })
  list(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string): Promise<Page<PanelMemberView>> {
    return this.panel.list(actor, id);
  }

  @Post()
  @CaseRoute('panel.manage')
  @ApiCreatedResponse({ type: PanelMemberView })
  add(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: AddPanelAgencyRequest): Promise<PanelMemberView> {
    return this.panel.add(actor, id, body.agencyId);
  }

  @Delete(':agencyId')
  @CaseRoute('panel.manage')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', CaseIdPipe) id: string,
    @Param('agencyId', UuidParam) agencyId: string,
  ): Promise<void> {
    await this.panel.remove(actor, id, agencyId);
  }
}
