import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { etagHeader } from '../common/openapi.js';
import { PageQuery, type Page } from '../common/pagination.js';
import {
  ActionListItem,
  ActionPage,
  ActionQuery,
  ActionView,
  CreateActionRequest,
  CreateRecommendationRequest,
  RecommendationPage,
  RecommendationView,
  UpdateActionRequest,
} from './action-plan.dto.js';
import { ActionsService } from './actions.service.js';
import { UuidParam } from '../common/uuid-param.js';

const ACTION_ETAG = etagHeader('The action version, "<n>": If-Match for the next PATCH');

/** The action's version as its ETag, for an If-Match on the next update. */
function withETag(res: Response, view: ActionView): ActionView {
  res.setHeader('ETag', `"${view.version}"`);
  return view;
}

@ApiTags('action plans')
@ApiBearerAuth()
@Controller()
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Get('cases/:id/recommendations')
  @CaseRoute('recommendation.read')
  @ApiOperation({
    summary: 'The recommendations of a case, each with its learning themes and its actions (RAG, overdue, progress history).',
    description: 'An agency lead sees only the recommendations under which their agency owns an action, and only those actions.',
  })
  @ApiOkResponse({ type: RecommendationPage })
  listRecommendations(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Query() query: PageQuery): Promise<Page<RecommendationView>> {
    return this.actions.listRecommendations(actor, id, query);
  }

  @Post('cases/:id/recommendations')
  @CaseRoute('recommendation.manage')
  @ApiOperation({ summary: 'Record a recommendation (SDP admin, assigned review chair). A single_agency one names its agency; an unknown theme is a 400 that names it.' })
  @ApiCreatedResponse({ type: RecommendationView })
  createRecommendation(
    @CurrentActor() actor: Actor,
    @Param('id', CaseIdPipe) id: string,
    @Body() body: CreateRecommendationRequest,
  ): Promise<RecommendationView> {
    return this.actions.createRecommendation(actor, id, body);
  }

  @Post('recommendations/:id/actions')
  @CaseRoute('recommendation.manage')
  @ApiOperation({ summary: 'Set an action under a recommendation: its owning agency, what it will do and its target date. Its leads are told.' })
  @ApiCreatedResponse({ type: ActionView, headers: { ETag: ACTION_ETAG } })
  async addAction(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() body: CreateActionRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ActionView> {
    return withETag(res, await this.actions.addAction(actor, id, body));
  }

  @Patch('actions/:id')
  @CaseRoute('action.progress')
  @ApiOperation({
    summary: 'Record progress on an action: a status, a note, or both (SDP admin, assigned review chair, the owning agency’s lead).',
    description:
      'Each update appends one row to the action’s progress history. `completed` needs `completedOn` (not after today); `closed_with_reason` needs `reason`. A completed or closed action is final (409).',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The action’s version ("<n>"): when sent and stale, the update is refused with 412' })
  @ApiOkResponse({ type: ActionView, headers: { ETag: ACTION_ETAG } })
  async updateAction(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateActionRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ActionView> {
    return withETag(res, await this.actions.updateAction(actor, id, ifMatch, body));
  }

  @Get('actions')
  @AnyRole()
  @ApiOperation({ summary: 'Actions across the cases in scope, soonest target first, with their RAG status and whether overdue (an agency lead: their agency’s only).' })
  @ApiOkResponse({ type: ActionPage })
  listActions(@CurrentActor() actor: Actor, @Query() query: ActionQuery): Promise<Page<ActionListItem>> {
    return this.actions.listActions(actor, query);
  }
}
