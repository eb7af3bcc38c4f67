import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/uuid-param.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { ContributionPage, ContributionView, CreateContributionRequest, WaiveContributionRequest } from './contribution.dto.js';
import { ContributionsService } from './contributions.service.js';

@ApiTags('contributions')
@ApiBearerAuth()
@Controller()
export class ContributionsController {
  constructor(private readonly contributions: ContributionsService) {}

  @Get('cases/:id/contributions')
  @CaseRoute('contribution.read')
  @ApiOperation({ summary: 'The contribution requests of a case (an agency lead sees their own agency’s).' })
  @ApiOkResponse({ type: ContributionPage })
  list(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Query() query: PageQuery): Promise<Page<ContributionView>> {
    return this.contributions.list(actor, id, query);
  }

  @Post('cases/:id/contributions')
  @CaseRoute('contribution.manage')
  @ApiOperation({ summary: 'Ask an agency for its chronology, IMR or summary by a due date.' })
  @ApiCreatedResponse({ type: ContributionView })
  create(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: CreateContributionRequest): Promise<ContributionView> {
    return this.contributions.create(actor, id, body);
  }

  @Post('contributions/:id/waive')
  @CaseRoute('contribution.manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Waive an outstanding request, with a reason.' })
  @ApiOkResponse({ type: ContributionView })
  waive(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: WaiveContributionRequest): Promise<ContributionView> {
    return this.contributions.waive(actor, id, body.reason);
  }
}
