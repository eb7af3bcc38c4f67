import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { HomeOfficeLetterPage, HomeOfficeLetterView, RecordLetterRequest } from './home-office-correspondence.dto.js';
import { HomeOfficeCorrespondenceService } from './home-office-correspondence.service.js';

@ApiTags('Home Office correspondence')
@ApiBearerAuth()
@Controller('cases/:id/home-office-correspondence')
export class HomeOfficeCorrespondenceController {
  constructor(private readonly correspondence: HomeOfficeCorrespondenceService) {}

  @Get()
  @CaseRoute('home_office_correspondence.read')
  @ApiOperation({
    summary:
      'The letters between the review and the Home Office, oldest date first (SDP admin, the CSP chair, the review chair; never an agency lead). The QA panel’s letters, recorded with each QA outcome, are among them. Reading them is audited.',
  })
  @ApiOkResponse({ type: HomeOfficeLetterPage })
  list(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Query() query: PageQuery): Promise<Page<HomeOfficeLetterView>> {
    return this.correspondence.list(actor, id, query);
  }

  @Post()
  @CaseRoute('home_office_correspondence.record')
  @ApiOperation({
    summary:
      'Record a letter sent to or received from the Home Office (SDP admin, the CSP chair, the review chair). A decision notice sent sets the case’s homeOfficeNotifiedOn when it is not set yet, which meets home_office_notified.',
  })
  @ApiCreatedResponse({ type: HomeOfficeLetterView })
  record(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: RecordLetterRequest): Promise<HomeOfficeLetterView> {
    return this.correspondence.record(actor, id, body);
  }
}
