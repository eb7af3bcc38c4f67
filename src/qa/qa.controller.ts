import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/uuid-param.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { CreateQaSubmissionRequest, QaSubmissionPage, QaSubmissionView, RecordQaOutcomeRequest } from './qa.dto.js';
import { QaService } from './qa.service.js';

@ApiTags('Home Office QA')
@ApiBearerAuth()
@Controller()
export class QaController {
  constructor(private readonly qa: QaService) {}

  @Get('cases/:id/qa-submissions')
  @CaseRoute('qa.read')
  @ApiOperation({ summary: 'Every submission to the Home Office QA board, oldest first, with its round (not for agency leads).' })
  @ApiOkResponse({ type: QaSubmissionPage })
  list(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Query() query: PageQuery): Promise<Page<QaSubmissionView>> {
    return this.qa.list(actor, id, query);
  }

  @Post('cases/:id/qa-submissions')
  @CaseRoute('qa.record')
  @ApiOperation({
    summary: 'Record that the report went to the Home Office (SDP admin; the case is in home_office_qa and no earlier submission awaits its outcome).',
  })
  @ApiCreatedResponse({ type: QaSubmissionView })
  submit(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Body() body: CreateQaSubmissionRequest): Promise<QaSubmissionView> {
    return this.qa.submit(actor, id, body);
  }

  @Patch('qa-submissions/:id')
  @CaseRoute('qa.record')
  @ApiOperation({ summary: 'Record the Home Office’s outcome of a submission, once, with its letter (SDP admin).' })
  @ApiOkResponse({ type: QaSubmissionView })
  recordOutcome(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Body() body: RecordQaOutcomeRequest): Promise<QaSubmissionView> {
    return this.qa.recordOutcome(actor, id, body);
  }
}
