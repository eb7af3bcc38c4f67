import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CaseRoute, ClientScopes } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import type { Principal } from '../access/client-principal.js';
import { CurrentActor, CurrentPrincipal } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import type { Page } from '../common/pagination.js';
import { AsOfQuery, CaseMilestonePage, CaseMilestoneView, MilestoneDetailView, MilestonePage, MilestoneQuery, RegimeList } from './milestone.dto.js';
import { MilestonesService } from './milestones.service.js';

@ApiTags('milestones')
@ApiBearerAuth()
@Controller()
export class MilestonesController {
  constructor(private readonly milestones: MilestonesService) {}

  @Get('cases/:id/milestones')
  @CaseRoute('case.read')
  @ApiOperation({
    summary: 'The statutory milestones of a case, computed from its data as of today (or asOf); family_contacted says which party was contacted (metBy).',
  })
  @ApiOkResponse({ type: MilestonePage })
  forCase(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string, @Query() query: AsOfQuery): Promise<Page<MilestoneDetailView>> {
    return this.milestones.forCase(actor, id, query.asOf);
  }

  @Get('milestones')
  @AnyRole()
  @ClientScopes('milestones:read')
  @ApiOperation({
    summary:
      'Milestones across every case in your scope, soonest due first; filter by status and partnership. A REST client reads those of its partnership, or of all.',
  })
  @ApiOkResponse({ type: CaseMilestonePage })
  acrossCases(@CurrentPrincipal() reader: Principal, @Query() query: MilestoneQuery): Promise<Page<CaseMilestoneView>> {
    return this.milestones.acrossCases(reader, query);
  }

  @Get('regimes')
  @AnyRole()
  @ApiOperation({
    summary:
      'The regimes a case may be judged by: from when each is law (null while a draft) and its months to complete. A new case gets the newest in force on its notification date.',
  })
  @ApiOkResponse({ type: RegimeList })
  regimes(): RegimeList {
    return this.milestones.regimes();
  }
}
