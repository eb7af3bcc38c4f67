import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/roles.js';
import { pageBySeq, type Page } from '../common/pagination.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventView, AuditQuery, toAuditEventView } from './audit.dto.js';

/** Reading the audit trail; writing it is AuditService's alone. */
@Injectable()
export class AuditTrailService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The events the actor may read, newest first. A CSP chair sees only events
   * about a case of their own CSP; events about no case (sign-ins, users,
   * agencies) and other CSPs' cases stay with the SDP.
   */
  async list(actor: Actor, query: AuditQuery): Promise<Page<AuditEventView>> {
    const q = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e');
    if (actor.role === 'csp_chair') {
      q.andWhere('e.case_id IS NOT NULL AND e.partnership_id = :own', { own: actor.partnershipId });
    }
    if (query.caseId) q.andWhere('e.case_id = :caseId', { caseId: query.caseId });
    if (query.actorId) q.andWhere('e.actor_id = :actorId', { actorId: query.actorId });
    if (query.action) q.andWhere('e.action = :action', { action: query.action });
    if (query.from) q.andWhere('e.occurred_at >= :from', { from: query.from });
    if (query.to) q.andWhere('e.occurred_at < :to', { to: query.to });
    return pageBySeq(q, query, toAuditEventView, 'DESC');
  }
}
