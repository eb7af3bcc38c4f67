import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { noteCaseChanged } from '../common/case-changes.js';
import { FEATURE_MANIFESTS, sensitiveFieldsOf, type FeatureManifest } from '../common/feature-manifest.js';
import { currentRequestContext } from '../common/request-context.js';
import type { ClientActor } from '../access/client-principal.js';
import type { Actor } from '../access/roles.js';
import { insertAuditEvent, type NewAuditEvent } from './audit.queries.js';

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
    private readonly dataSource: DataSource,
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
    await insertAuditEvent(manager, this.toRow(entry));
    if (entry.caseId) noteCaseChanged(manager, entry.caseId);
  }

  /** For events with no change to go with: logins, denials, sensitive reads. */
  async recordNow(entry: AuditEntry): Promise<void> {
    await this.record(this.dataSource.manager, entry);
  }

  private toRow(entry: AuditEntry): NewAuditEvent {
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

// The changes of an event are written by these (field-changes.ts, which imports nothing, so a plugin may use them).
export { changedFields, fieldChanges, type FieldChanges } from './field-changes.js';
