import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/roles.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { AuditEventView, AuditQuery, toAuditEventView } from './audit.dto.js';
import { listAuditEvents } from './audit.queries.js';

/** Reading the audit trail; writing it is AuditService's alone. */
@Injectable()
export class AuditTrailService {
  constructor(private readonly dataSource: DataSource) {}

  /** The events the actor may read (auditScopeCondition), newest first. */
  async list(actor: Actor, query: AuditQuery): Promise<Page<AuditEventView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 1);
    const { caseId, actorId, clientId, action, from, to } = query;
    const given = (value: string | undefined) => value || undefined;
    const filter = { caseId: given(caseId), actorId: given(actorId), clientId: given(clientId), action: given(action), from: given(from), to: given(to) };
    const rows = await listAuditEvents(this.dataSource, actor, { ...filter, beforeSeq: after && String(after[0]) }, limit + 1);
    return toPage(rows, limit, toAuditEventView, (row) => [Number(row.seq)]);
  }
}
