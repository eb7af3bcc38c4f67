import type { Queryable } from '../common/sql.js';
import type { ChainRow } from './audit-chain.js';

/** Whether the trail carries its chain (migration AuditChain has run). */
export async function trailHasChain(db: Queryable): Promise<boolean> {
  const rows: unknown[] = await db.query(`
    SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('public.audit_event') AND attname = 'hash' AND NOT attisdropped`);
  return rows.length > 0;
}

/** One snapshot, read only, that the whole check reads; `endChainSnapshot` rolls it back. */
export async function beginChainSnapshot(db: Queryable): Promise<void> {
  await db.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
}

export async function endChainSnapshot(db: Queryable): Promise<void> {
  await db.query(`ROLLBACK`);
}

/**
 * The audit trail as `npm run audit:verify` reads it (src/audit/audit-chain.ts),
 * through the cursor `chain` read in batches by `fetchChainRows`: every
 * column as PostgreSQL's own text output, through built-in casts only,
 * sorted by month and then by place in the month's chain.
 */
export async function openChainCursor(db: Queryable): Promise<void> {
  await db.query(`DECLARE chain CURSOR FOR
  SELECT to_char(date_trunc('month', e.occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
         e.chain_position::text AS chain_position, encode(e.prev_hash, 'hex') AS prev_hash, encode(e.hash, 'hex') AS hash,
         e.seq::text AS seq, e.id::text AS id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
         e.actor_id::text AS actor_id, e.actor_role, e.client_id::text AS client_id, e.action, e.entity_type, e.entity_id,
         e.case_id::text AS case_id, e.partnership_id::text AS partnership_id, e.request_id, e.ip,
         e.changes::text AS changes, e.details::text AS details
    FROM audit_event e
   ORDER BY 1, e.chain_position NULLS LAST, e.seq`);
}

export async function fetchChainRows(db: Queryable, count: number): Promise<ChainRow[]> {
  return db.query(`FETCH ${Math.trunc(count)} FROM chain`);
}
