import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { ProtectedTermsService } from './protected-terms.service.js';
import {
  AddProtectedTermRequest,
  ProtectedTermPage,
  ProtectedTermView,
  PublicationCheckView,
  PublicationView,
  PublishRequest,
  ReasonRequest,
  WithholdingRequest,
} from './publication.dto.js';
import { CaseView } from '../cases/case.dto.js';
import { PublicationService } from './publication.service.js';
import { UuidParam } from '../common/uuid-param.js';

@ApiTags('publication')
@ApiBearerAuth()
@Controller('cases/:id')
export class PublicationController {
  constructor(
    private readonly publication: PublicationService,
    private readonly terms: ProtectedTermsService,
  ) {}

  @Get('protected-terms')
  @CaseRoute('protected_term.read')
  @ApiOperation({ summary: 'The terms added by hand to those the anonymisation check protects (audited: they are real names and addresses).' })
  @ApiOkResponse({ type: ProtectedTermPage })
  listTerms(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Query() query: PageQuery): Promise<Page<ProtectedTermView>> {
    return this.terms.list(actor, id, query);
  }

  @Post('protected-terms')
  @CaseRoute('protected_term.manage')
  @ApiOperation({ summary: 'Add a term the published report must not contain (SDP admin or the CSP chair).' })
  @ApiCreatedResponse({ type: ProtectedTermView })
  addTerm(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: AddProtectedTermRequest): Promise<ProtectedTermView> {
    return this.terms.add(actor, id, body);
  }

  @Delete('protected-terms/:termId')
  @CaseRoute('protected_term.manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an added term (SDP admin or the CSP chair).' })
  @ApiNoContentResponse()
  removeTerm(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Param('termId', UuidParam) termId: string): Promise<void> {
    return this.terms.remove(actor, id, termId);
  }

  @Get('publication-check')
  @CaseRoute('publication.check')
  @ApiOperation({
    summary:
      'What stands between the report and its publication, computed afresh: QA approval, open holds whose reason blocks publication (criminal proceedings, an inquest), pseudonyms, the final reports, and every protected term found in them.',
  })
  @ApiOkResponse({ type: PublicationCheckView })
  check(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string): Promise<PublicationCheckView> {
    return this.publication.check(actor, id);
  }

  @Post('publication')
  @CaseRoute('publication.publish')
  @ApiOperation({
    summary:
      'Publish (CSP chair): the approved_for_publication → published step, recording the date and address. 409 with `unmet` and `nameHits` while the check is not clean.',
  })
  @ApiCreatedResponse({ type: PublicationView })
  publish(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: PublishRequest): Promise<PublicationView> {
    return this.publication.publish(actor, id, body);
  }

  @Get('publication')
  @CaseRoute('publication.read')
  @ApiOperation({ summary: 'Where and when the report was published, its withdrawal and any closure override; 404 before publication.' })
  @ApiOkResponse({ type: PublicationView })
  read(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string): Promise<PublicationView> {
    return this.publication.read(actor, id);
  }

  @Post('publication/withdrawal')
  @CaseRoute('publication.withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw the published report (CSP chair), 12 months after publication at the earliest.' })
  @ApiOkResponse({ type: PublicationView })
  withdraw(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: ReasonRequest): Promise<PublicationView> {
    return this.publication.withdraw(actor, id, body.reason);
  }

  @Post('withholding')
  @CaseRoute('publication.withhold')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Withhold the review from publication (CSP chair): the approved_for_publication → closed step, recording the decision’s date and reason. No 12-month wait; open actions still block it (409 `unmet`).',
  })
  @ApiOkResponse({ type: CaseView })
  withhold(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: WithholdingRequest): Promise<CaseView> {
    return this.publication.withhold(actor, id, body);
  }

  @Post('closure-override')
  @CaseRoute('publication.override_closure')
  @HttpCode(200)
  @ApiOperation({ summary: 'Let a published case close before 12 months have passed (SDP admin), with a reason.' })
  @ApiOkResponse({ type: PublicationView })
  overrideClosure(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: ReasonRequest): Promise<PublicationView> {
    return this.publication.overrideClosure(actor, id, body.reason);
  }
}
