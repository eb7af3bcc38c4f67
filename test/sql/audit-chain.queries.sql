-- trailHasChain
SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('public.audit_event') AND attname = 'hash' AND NOT attisdropped;

-- beginChainSnapshot (recorded, not run)
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;

-- endChainSnapshot (recorded, not run)
ROLLBACK;

-- openChainCursor
DECLARE chain CURSOR FOR
SELECT to_char(date_trunc('month', e.occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
       e.chain_position::text AS chain_position, encode(e.prev_hash, 'hex') AS prev_hash, encode(e.hash, 'hex') AS hash,
       e.seq::text AS seq, e.id::text AS id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
       e.actor_id::text AS actor_id, e.actor_role, e.client_id::text AS client_id, e.action, e.entity_type, e.entity_id,
       e.case_id::text AS case_id, e.partnership_id::text AS partnership_id, e.request_id, e.ip,
       e.changes::text AS changes, e.details::text AS details
  FROM audit_event e
 ORDER BY 1, e.chain_position NULLS LAST, e.seq;

-- fetchChainRows
DECLARE chain CURSOR FOR
SELECT to_char(date_trunc('month', e.occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
       e.chain_position::text AS chain_position, encode(e.prev_hash, 'hex') AS prev_hash, encode(e.hash, 'hex') AS hash,
       e.seq::text AS seq, e.id::text AS id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
       e.actor_id::text AS actor_id, e.actor_role, e.client_id::text AS client_id, e.action, e.entity_type, e.entity_id,
       e.case_id::text AS case_id, e.partnership_id::text AS partnership_id, e.request_id, e.ip,
       e.changes::text AS changes, e.details::text AS details
  FROM audit_event e
 ORDER BY 1, e.chain_position NULLS LAST, e.seq;

FETCH 500 FROM chain;
