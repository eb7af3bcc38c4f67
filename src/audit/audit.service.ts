import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { casePartnershipOf } from '../cases/cases.queries.js';
import { noteCaseChanged } from '../common/case-changes.js';
import { FEATURE_MANIFESTS, sensitiveFieldsOf, type FeatureManifest } from '../common/feature-manifest.js';
import { currentRequestContext } from '../common/request-context.js';
import type { ClientActor } from '../access/client-principal.js';
import type { Actor } from '../access/roles.js';
import { AuditEvent } from './audit-event.entity.js';

/** What happened, as a caller of the audit trail describes it. */
export interface AuditEntry {
  action: string;
  entityType?: string;
  entityId?: string;
  caseId?: string;
  /** Left out (or null) for an event about a case: the case's own partnership is recorded. */
  partnershipId?: string | null;
  /** For writes: `{ field: { from, to } }`, sensitive values already masked. */
  changes?: Record<string, unknown>;
  details?: Record<string, unknown>;
  /** Overrides the request's actor, e.g. a login before any token exists. */
  actor?: Pick<Actor, 'userId' | 'role'> | null;
  /** Overrides the request's REST client, e.g. a token issued before the client holds one. */
  client?: Pick<ClientActor, 'clientId'> | null;
}

/** The actor role an event done by a REST client is recorded with (no person's role). */
export const CLIENT_ACTOR_ROLE = 'api_client';

export const MASKED = '[redacted]';

function maskValue(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'object' && !Array.isArray(value) && ('from' in value || 'to' in value)) {
    const change = value as { from?: unknown; to?: unknown };
    return { from: change.from == null ? null : MASKED, to: change.to == null ? null : MASKED };
  }
  return MASKED;
}

/**
 * Masks the sensitive fields wherever they appear, in nested changes and
 * lists too: the fields whose values can name a person (subjects'
 * identities, every free-text field) and secrets. Each feature module
 * declares its own in its manifest (docs/architecture.md, "Adding a feature
 * module"); the audit trail records that they changed, never what to.
 */
export function maskSensitive(value: unknown, sensitive: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => maskSensitive(item, sensitive));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, sensitive.has(key) ? maskValue(inner) : maskSensitive(inner, sensitive)]),
  );
}

/**
 * The one way anything is written to the audit trail. Actor, request id and
 * IP come from the request context, so callers say only what happened.
 */
@Injectable()
export class AuditService {
  /** Every event passes through here, so no caller can forget a sensitive field. */
  private readonly sensitive: ReadonlySet<string>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(FEATURE_MANIFESTS) features: readonly FeatureManifest[],
  ) {
    this.sensitive = sensitiveFieldsOf(features);
  }

  /**
   * Writes the event inside the caller's transaction: it lands with the
   * change or not at all. An event about a case also notes the case as
   * changed in this transaction (common/case-changes.ts).
   */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const insert = manager.createQueryBuilder().insert().into(AuditEvent);
    const row = this.toRow(entry) as QueryDeepPartialEntity<AuditEvent>;
    if (entry.caseId && entry.partnershipId == null) {
      // An event about a case is filed under the case's partnership, in the same statement: its CSP chair reads it.
      insert.values({ ...row, partnershipId: () => casePartnershipOf('auditCaseId') }).setParameter('auditCaseId', entry.caseId);
    } else {
      insert.values(row);
    }
    await insert.execute();
    if (entry.caseId) noteCaseChanged(manager, entry.caseId);
  }

  /** For events with no change to go with: logins, denials, sensitive reads. */
  async recordNow(entry: AuditEntry): Promise<void> {
    await this.record(this.dataSource.manager, entry);
  }

  private toRow(entry: AuditEntry): Partial<AuditEvent> {
    const context = currentRequestContext();
    const actor = entry.actor === undefined ? context.actor : entry.actor;
    // An entry that names its actor (a person, or nobody) is not the request's client's.
    const client = entry.client !== undefined ? entry.client : entry.actor === undefined ? (context.client ?? null) : null;
    return {
      actorId: actor?.userId ?? null,
      actorRole: actor?.role ?? (client ? CLIENT_ACTOR_ROLE : null),
      clientId: client?.clientId ?? null,
      action: entry.action,
      entityType: entry.entityType ?? null,
      entityId: entry.entityId ?? null,
      caseId: entry.caseId ?? null,
      partnershipId: entry.partnershipId ?? null,
      requestId: context.requestId,
      ip: context.ip,
      changes: entry.changes ? (maskSensitive(entry.changes, this.sensitive) as Record<string, unknown>) : null,
      details: entry.details ? (maskSensitive(entry.details, this.sensitive) as Record<string, unknown>) : null,
    };
  }
}

/** An audit event's changes: each field's value before and after, null for none. */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/**
 * Every field of `after` as `{ field: { from, to } }`, `from` read from
 * `before` (null for a new record, or a field it lacks): how each audit
 * event spells out what it set, the unchanged fields too. Sensitive values
 * are masked when the event is written (maskSensitive).
 */
export function fieldChanges(before: object | null, after: object): FieldChanges {
  const was: Record<string, unknown> = { ...before };
  return Object.fromEntries(Object.entries(after).map(([field, to]) => [field, { from: was[field] ?? null, to: to ?? null }]));
}

/** The fields that changed between two snapshots, as fieldChanges writes them: an edit's event leaves the rest out. */
export function changedFields<T extends object>(before: Partial<T> | null, after: Partial<T>): FieldChanges {
  return Object.fromEntries(Object.entries(fieldChanges(before, after)).filter(([, { from, to }]) => JSON.stringify(from) !== JSON.stringify(to)));
}
