import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CurrentActor } from '../access/current-actor.decorator.js';
import { Roles } from '../access/access.decorators.js';
import type { Actor } from '../access/roles.js';
import { pageBySeq, type Page } from '../common/pagination.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventView, AuditPage, AuditQuery } from './audit.dto.js';

function toView(event: AuditEvent): AuditEventView {
  return {
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorId: event.actorId,
    actorRole: event.actorRole,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    caseId: event.caseId,
    partnershipId: event.partnershipId,
    requestId: event.requestId,
    ip: event.ip,
    changes: event.changes,
    details: event.details,
  };
}

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @Roles('sdp_admin', 'csp_chair')
  @ApiOperation({ summary: 'The audit trail, newest first. A CSP chair sees the events of their own CSP’s cases.' })
  @ApiOkResponse({ type: AuditPage })
  async list(@Query() query: AuditQuery, @CurrentActor() actor: Actor): Promise<Page<AuditEventView>> {
    const q = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e');
    if (actor.role === 'csp_chair') {
      q.andWhere('e.case_id IS NOT NULL AND e.partnership_id = :own', { own: actor.partnershipId });
    }
    if (query.caseId) q.andWhere('e.case_id = :caseId', { caseId: query.caseId });
    if (query.actorId) q.andWhere('e.actor_id = :actorId', { actorId: query.actorId });
    if (query.action) q.andWhere('e.action = :action', { action: query.action });
    if (query.from) q.andWhere('e.occurred_at >= :from', { from: query.from });
    if (query.to) q.andWhere('e.occurred_at < :to', { to: query.to });
    return pageBySeq(q, query, toView, 'DESC');
  }
}
