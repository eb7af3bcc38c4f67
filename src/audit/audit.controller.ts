import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../access/current-actor.decorator.js';
import { Roles } from '../access/access.decorators.js';
import type { Actor } from '../access/roles.js';
import type { Page } from '../common/pagination.js';
import { AuditTrailService } from './audit-trail.service.js';
import { AuditEventView, AuditPage, AuditQuery } from './audit.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get()
  @Roles('sdp_admin', 'csp_chair')
  @ApiOperation({ summary: 'The audit trail, newest first. A CSP chair sees the events of their own CSP’s cases.' })
  @ApiOkResponse({ type: AuditPage })
  list(@Query() query: AuditQuery, @CurrentActor() actor: Actor): Promise<Page<AuditEventView>> {
    return this.trail.list(actor, query);
  }
}
