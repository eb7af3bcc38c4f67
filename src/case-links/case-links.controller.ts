import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { AddLinkRequest, CaseLinkPage, CaseLinkView } from './case-links.dto.js';
import { CaseLinksService } from './case-links.service.js';

@ApiTags('linked reviews')
@ApiBearerAuth()
@Controller('cases/:id/links')
export class CaseLinksController {
  constructor(private readonly links: CaseLinksService) {}

  @Get()
  @CaseRoute('case_link.read')
  @ApiOperation({
    summary:
      'The reviews linked to this case, whichever case each link was added on (SDP admin, the CSP chair, the review chair). A linked case the reader may not see shows only its partnership’s name.',
  })
  @ApiOkResponse({ type: CaseLinkPage })
  list(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Query() query: PageQuery): Promise<Page<CaseLinkView>> {
    return this.links.list(actor, id, query);
  }

  @Post()
  @CaseRoute('case_link.manage')
  @ApiOperation({
    summary:
      'Link another review: another case of this system (one you may see, else 404) or an external reference, exactly one (SDP admin, the CSP chair, the review chair). 409 `link_exists` when the two are linked already, either way round.',
  })
  @ApiCreatedResponse({ type: CaseLinkView })
  add(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: AddLinkRequest): Promise<CaseLinkView> {
    return this.links.add(actor, id, body);
  }

  @Delete(':linkId')
  @CaseRoute('case_link.manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a link, from both its cases (SDP admin, the CSP chair, the review chair of either case).' })
  @ApiNoContentResponse()
  remove(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Param('linkId', UuidParam) linkId: string): Promise<void> {
    return this.links.remove(actor, id, linkId);
  }
}
