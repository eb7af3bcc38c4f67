import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CASE_VIEW_POLICY } from '../access/case-permissions.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { AsOfQuery } from './milestone.dto.js';
import { MilestonesService } from './milestones.service.js';
import { renderTimeline } from './timeline.js';

@ApiTags('milestones')
@ApiBearerAuth()
@Controller('cases/:id/timeline.svg')
export class TimelineController {
  constructor(private readonly milestones: MilestonesService) {}

  @Get()
  @CaseRoute('case.read')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'The case’s milestones on a time axis: due against met dates, holds shaded, today marked.' })
  @ApiOkResponse({ description: 'An SVG picture', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  async timeline(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Query() query: AsOfQuery): Promise<string> {
    const entry = await this.milestones.caseEntry(actor, id);
    const today = this.milestones.today(query.asOf);
    return renderTimeline({
      reference: entry.reference,
      pseudonym: entry.pseudonym,
      today,
      startOn: entry.facts.events.notification ?? today,
      milestones: this.milestones.compute(entry, today, actor),
      holds: entry.facts.holds,
      discontinued: entry.facts.discontinued,
      // Whether and when the review was withheld is part of the decision, which an agency lead does not see.
      withheldOn: CASE_VIEW_POLICY[actor.role].decision ? entry.withheldOn : null,
    });
  }
}
