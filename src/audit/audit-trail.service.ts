import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditScopeCondition } from '../access/access.queries.js';
import type { Actor } from '../access/roles.js';
import { pageBySeq, type Page } from '../common/pagination.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventView, AuditQuery, toAuditEventView } from './audit.dto.js';

/** Reading the audit trail; writing it is AuditService's alone. */
@Injectable()
export class AuditTrailService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The events the actor may read (auditScopeCondition), newest first. */
  async list(actor: Actor, query: AuditQuery): Promise<Page<AuditEventView>> {
    const q = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e');
    const { condition, params } = auditScopeCondition(actor);
    q.andWhere(condition, params);
    if (query.caseId) q.andWhere('e.case_id = :caseId', { caseId: query.caseId });
    if (query.actorId) q.andWhere('e.actor_id = :actorId', { actorId: query.actorId });
    if (query.clientId) q.andWhere('e.client_id = :clientId', { clientId: query.clientId });
    if (query.action) q.andWhere('e.action = :action', { action: query.action });
    if (query.from) q.andWhere('e.occurred_at >= :from', { from: query.from });
    if (query.to) q.andWhere('e.occurred_at < :to', { to: query.to });
    return pageBySeq(q, query, toAuditEventView, 'DESC');
  }
}
