import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientScopes, Roles } from '../access/access.decorators.js';
import type { Principal } from '../access/client-principal.js';
import { CurrentPrincipal } from '../access/current-actor.decorator.js';
import type { Page } from '../common/pagination.js';
import { PublicationListQuery, PublicationSummaryPage, PublicationSummaryView } from './publication.dto.js';
import { PublicationService } from './publication.service.js';

/** The publications across cases, for the people who read them and for REST clients with publications:read. */
@ApiTags('publication')
@ApiBearerAuth()
@Controller('publications')
export class PublicationsController {
  constructor(private readonly publication: PublicationService) {}

  @Get()
  @Roles('sdp_admin', 'csp_chair', 'review_chair')
  @ClientScopes('publications:read')
  @ApiOperation({
    summary:
      'The published reports of the cases in your scope, newest first, withdrawn ones with their withdrawal date: reference, the victims’ pseudonyms, where and when published.',
  })
  @ApiOkResponse({ type: PublicationSummaryPage })
  list(@CurrentPrincipal() reader: Principal, @Query() query: PublicationListQuery): Promise<Page<PublicationSummaryView>> {
    return this.publication.list(reader, query);
  }
}
