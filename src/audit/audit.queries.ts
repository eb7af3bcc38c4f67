import { auditScopeCondition } from '../access/access.queries.js';
import type { Actor } from '../access/roles.js';
import { casePartnershipOf } from '../cases/cases.queries.js';
import { namedTerm, whereAll, type Queryable } from '../common/sql.js';
import type { AuditEvent } from './audit-event.entity.js';

/**
 * The SQL of the audit trail: AuditService's one insert, and the trail as
 * its readers list it. The chain's own reads are in audit-chain.queries.ts.
 */

/** What a caller writes of an event: the database sets its seq, id, time and place in the chain. */
export type NewAuditEvent = Omit<AuditEvent, 'seq' | 'id' | 'occurredAt' | 'chainPosition' | 'prevHash' | 'hash'>;

/** The partnership of case `$7`, as the cases module defines it. */
const CASE_PARTNERSHIP = casePartnershipOf('$7::uuid');

/**
 * One event. $1 actor id … $12 details (jsonb). An event about a case that
 * names no partnership ($8 null) is filed under the case's, in the same
 * statement: its CSP chair reads it.
 */
export const INSERT_AUDIT_EVENT = `
  INSERT INTO audit_event (actor_id, actor_role, client_id, action, entity_type, entity_id, case_id, partnership_id, request_id, ip, changes, details)
  VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8::uuid, ${CASE_PARTNERSHIP}), $9, $10, $11::jsonb, $12::jsonb)`;

export async function insertAuditEvent(db: Queryable, event: NewAuditEvent): Promise<void> {
  const json = (value: Record<string, unknown> | null) => (value === null ? null : JSON.stringify(value));
  await db.query(INSERT_AUDIT_EVENT, [
    event.actorId,
    event.actorRole,
    event.clientId,
    event.action,
    event.entityType,
    event.entityId,
    event.caseId,
    event.partnershipId,
    event.requestId,
    event.ip,
    json(event.changes),
    json(event.details),
  ]);
}

/** An event under its entity's property names (not its chain columns: the verifier alone reads those). */
const EVENT_COLUMNS = `
  e.seq, e.id, e.occurred_at AS "occurredAt", e.actor_id AS "actorId", e.actor_role AS "actorRole", e.client_id AS "clientId",
  e.action, e.entity_type AS "entityType", e.entity_id AS "entityId", e.case_id AS "caseId", e.partnership_id AS "partnershipId",
  e.request_id AS "requestId", e.ip, e.changes, e.details`;

export interface AuditFilter {
  caseId?: string;
  actorId?: string;
  clientId?: string;
  action?: string;
  /** Inclusive lower bound on when it happened: a date or an instant. */
  from?: string;
  /** Exclusive upper bound. */
  to?: string;
  /** The seq of the last event seen (newest first). */
  beforeSeq?: string;
}

/** Up to `limit` events the reader may read (auditScopeCondition) that match the filter, newest first. */
export function listAuditEvents(db: Queryable, reader: Actor, filter: AuditFilter, limit: number): Promise<AuditEvent[]> {
  const { sql, params } = whereAll([
    namedTerm(auditScopeCondition(reader)),
    filter.caseId !== undefined && { sql: 'e.case_id = ?', params: [filter.caseId] },
    filter.actorId !== undefined && { sql: 'e.actor_id = ?', params: [filter.actorId] },
    filter.clientId !== undefined && { sql: 'e.client_id = ?', params: [filter.clientId] },
    filter.action !== undefined && { sql: 'e.action = ?', params: [filter.action] },
    filter.from !== undefined && { sql: 'e.occurred_at >= ?', params: [filter.from] },
    filter.to !== undefined && { sql: 'e.occurred_at < ?', params: [filter.to] },
    filter.beforeSeq !== undefined && { sql: 'e.seq < ?::bigint', params: [filter.beforeSeq] },
  ]);
  return db.query(`SELECT ${EVENT_COLUMNS} FROM audit_event e ${sql} ORDER BY e.seq DESC LIMIT $${params.length + 1}`, [...params, limit]);
}
