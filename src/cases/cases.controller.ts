import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, CaseRoute, Roles } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { etagHeader } from '../common/openapi.js';
import { PageQuery, type Page } from '../common/pagination.js';
import {
  CasePage,
  CaseQuery,
  CaseView,
  CaseListItem,
  CreateCaseRequest,
  DecisionRequest,
  EndHoldRequest,
  HoldView,
  NextStepList,
  StartHoldRequest,
  TransitionPage,
  TransitionRequest,
  TransitionView,
  UpdateCaseRequest,
  TransferRequest,
} from './case.dto.js';
import { CasesService } from './cases.service.js';
import { HoldsService } from './holds.service.js';
import { StepsService } from './steps.service.js';
import { TransferService } from './transfer.service.js';
import { UuidParam } from '../common/uuid-param.js';

const CASE_ETAG = etagHeader('The case version, "<n>": If-Match for the next PATCH');

function withETag(res: Response, view: CaseView): CaseView {
  res.setHeader('ETag', `"${view.version}"`);
  return view;
}

@ApiTags('cases')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'No such case, or it is outside your scope (the same answer)' })
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly steps: StepsService,
    private readonly holds: HoldsService,
    private readonly transfers: TransferService,
  ) {}

  @Post()
  @Roles('sdp_admin', 'csp_chair')
  @ApiOperation({ summary: 'Record a police notification: a new case in stage notified. A CSP chair records for their own CSP.' })
  @ApiCreatedResponse({ type: CaseView, headers: { ETag: CASE_ETAG } })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateCaseRequest, @Res({ passthrough: true }) res: Response): Promise<CaseView> {
    return withETag(res, await this.cases.create(actor, body));
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'The cases in your scope, newest first. Subjects appear by pseudonym only.' })
  @ApiOkResponse({ type: CasePage })
  list(@CurrentActor() actor: Actor, @Query() query: CaseQuery): Promise<Page<CaseListItem>> {
    return this.cases.list(actor, query);
  }

  @Get(':id')
  @CaseRoute('case.read')
  @ApiOperation({ summary: 'The case detail, with an ETag for PATCH. Reading it is audited.' })
  @ApiOkResponse({ type: CaseView, headers: { ETag: CASE_ETAG } })
  async get(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<CaseView> {
    return withETag(res, await this.cases.get(actor, id));
  }

  @Patch(':id')
  @CaseRoute('case.edit')
  @ApiOperation({
    summary:
      'Edit a case (SDP admin or its review chair); its facts for the national library (mannerOfDeath, relationship, policeForceArea) also its CSP chair. If-Match is required; the stage is never set here.',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag from GET /api/cases/:id' })
  @ApiOkResponse({ type: CaseView, headers: { ETag: CASE_ETAG } })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', CaseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateCaseRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseView> {
    return withETag(res, await this.cases.update(actor, id, ifMatch, body));
  }

  @Post(':id/decision')
  @CaseRoute('case.decide')
  @HttpCode(200)
  @ApiOperation({ summary: 'The CSP chair’s decision whether to hold a review: notified → commissioned | not_commissioned.' })
  @ApiOkResponse({ type: CaseView, headers: { ETag: CASE_ETAG } })
  @ApiConflictResponse({ description: 'The decision was already recorded (unmet: decision_already_recorded)' })
  async decide(
    @CurrentActor() actor: Actor,
    @Param('id', CaseIdPipe) id: string,
    @Body() body: DecisionRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseView> {
    return withETag(res, await this.steps.decide(actor, id, body));
  }

  @Post(':id/transitions')
  @CaseRoute('case.transition')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the case to another stage. Refused with 409 and every unmet precondition as a code.' })
  @ApiOkResponse({ type: CaseView, headers: { ETag: CASE_ETAG } })
  @ApiConflictResponse({ description: '{ unmet: ["review_chair_missing", …] }' })
  async transition(
    @CurrentActor() actor: Actor,
    @Param('id', CaseIdPipe) id: string,
    @Body() body: TransitionRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseView> {
    return withETag(res, await this.steps.transition(actor, id, body));
  }

  @Get(':id/next-steps')
  @CaseRoute('case.read')
  @ApiOperation({
    summary:
      'The steps your role may take from the case’s stage, each with what the case still lacks, in codes and in words, and where it is taken. Nothing is changed; a role that takes no step from here gets an empty list.',
  })
  @ApiOkResponse({ type: NextStepList })
  nextSteps(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string): Promise<NextStepList> {
    return this.steps.nextSteps(actor, id);
  }

  @Get(':id/transitions')
  @CaseRoute('case.transitions.read')
  @ApiOperation({ summary: 'The stage history, oldest first.' })
  @ApiOkResponse({ type: TransitionPage })
  history(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Query() query: PageQuery): Promise<Page<TransitionView>> {
    return this.steps.history(actor, id, query);
  }

  @Post(':id/holds')
  @CaseRoute('hold.manage')
  @ApiOperation({
    summary: 'Put the case on hold for parallel proceedings.',
    description:
      'A case may be on several holds at once, of different reasons: a trial, an inquest and an IOPC investigation often run together. ' +
      'A second open hold of the same reason is refused (409, unmet hold_already_open), as is one starting before an earlier hold of its reason ended (hold_overlaps_same_reason). ' +
      'A day covered by several holds counts once in the milestones. An open criminal_proceedings or inquest hold blocks publication (criminal_proceedings_hold_active, inquest_hold_active).',
  })
  @ApiCreatedResponse({ type: HoldView })
  @ApiConflictResponse({ description: 'The case has ended (closed or discontinued), or already has an open hold of this reason (unmet: case_closed, hold_already_open, hold_overlaps_same_reason)' })
  startHold(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: StartHoldRequest): Promise<HoldView> {
    return this.holds.start(actor, id, body);
  }

  @Post(':id/holds/:holdId/end')
  @CaseRoute('hold.manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'End a hold: the case resumes on endedOn.' })
  @ApiOkResponse({ type: HoldView })
  endHold(
    @CurrentActor() actor: Actor,
    @Param('id', CaseIdPipe) id: string,
    @Param('holdId', UuidParam) holdId: string,
    @Body() body: EndHoldRequest,
  ): Promise<HoldView> {
    return this.holds.end(actor, id, holdId, body);
  }

  @Post(':id/transfer')
  @CaseRoute('case.transfer')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Move the case to another partnership (SDP admin), with a reason. The reference, the review chair and the panel stay; scope follows at once, and both partnerships’ chairs are told. If-Match is optional.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from GET /api/cases/:id: refused with 412 if the case has changed since' })
  @ApiOkResponse({ type: CaseView, headers: { ETag: CASE_ETAG } })
  @ApiConflictResponse({ description: 'The case is already in that partnership (unmet: already_in_partnership)' })
  async transfer(
    @CurrentActor() actor: Actor,
    @Param('id', CaseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: TransferRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseView> {
    return withETag(res, await this.transfers.transfer(actor, id, ifMatch, body));
  }
}
