import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail becomes a hash chain, one per calendar month in UTC
 * (docs/architecture.md, "The audit trail's hash chain"): every event stores
 * its place in its month's chain (`chain_position`, 1, 2, ...), the hash of
 * the event before it (`prev_hash`; the first event of a month has the
 * month's genesis value) and its own `hash`, SHA-256 over a canonical
 * encoding of its columns and `prev_hash`.
 *
 * - `audit_event_link_hash(...)` is that hash; `npm run audit:verify`
 *   (src/audit/audit-chain.ts) computes the same bytes without it.
 * - `audit_event_chain()` is a BEFORE INSERT trigger on the trail (cloned onto
 *   every partition, present and future, the DEFAULT one included), so every
 *   insert is chained, whoever makes it and whatever chain values it brings.
 *   It takes a transaction-level advisory lock on the event's month, then
 *   chains from the month's last event: inserts into one month wait for one
 *   another from that moment until they commit, and the chain has one order.
 * - The events already written are chained here, month by month in `seq`
 *   order, as the owner with the append-only triggers off for that time.
 */

/** The encoding's fields, in order; the same list is in src/audit/audit-chain.ts. */
const LINK_FIELDS = `
  to_char(month, 'YYYY-MM'), chain_position::text, encode(prev_hash, 'hex'), seq::text, id::text,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor_id::text, actor_role, client_id::text,
  action, entity_type, entity_id, case_id::text, partnership_id::text, request_id, ip, changes::text, details::text`;

const LINK_ARGUMENTS = `month date, chain_position bigint, prev_hash bytea, seq bigint, id uuid, occurred_at timestamptz,
  actor_id uuid, actor_role text, client_id uuid, action text, entity_type text, entity_id text, case_id uuid,
  partnership_id uuid, request_id text, ip text, changes jsonb, details jsonb`;

const LINK_SIGNATURE = `date, bigint, bytea, bigint, uuid, timestamptz, uuid, text, uuid, text, text, text, uuid, uuid, text, text, jsonb, jsonb`;

/** The arguments of audit_event_link_hash from a row `r` (NEW in the trigger), its month, position and predecessor given. */
const linkCall = (r: string, month: string, position: string, prev: string) =>
  `audit_event_link_hash(${month}, ${position}, ${prev}, ${r}.seq, ${r}.id, ${r}.occurred_at, ${r}.actor_id, ${r}.actor_role,
     ${r}.client_id, ${r}.action, ${r}.entity_type, ${r}.entity_id, ${r}.case_id, ${r}.partnership_id, ${r}.request_id, ${r}.ip,
     ${r}.changes, ${r}.details)`;

/** Every partition of the trail (and the trail itself), its user triggers off or on. */
const setTrailTriggers = (enabled: boolean) => `
  DO $$
  DECLARE part regclass;
  BEGIN
    FOR part IN SELECT relid FROM pg_partition_tree('audit_event') LOOP
      EXECUTE format('ALTER TABLE %s ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER USER', part);
    END LOOP;
  END $$`;

export class AuditChain1765020000000 implements MigrationInterface {
  name = 'AuditChain1765020000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event ADD COLUMN chain_position bigint, ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea`);
    await q.query(`CREATE INDEX audit_event_chain_idx ON audit_event (chain_position)`);

    await q.query(`
      CREATE FUNCTION audit_event_chain_genesis(month date) RETURNS bytea
      LANGUAGE sql IMMUTABLE AS $$ SELECT sha256(convert_to('dhr-audit-chain-v1 genesis ' || to_char(month, 'YYYY-MM'), 'UTF8')) $$`);
    await q.query(`
      CREATE FUNCTION audit_event_link_hash(${LINK_ARGUMENTS}) RETURNS bytea
      LANGUAGE sql STABLE AS $$
        SELECT sha256(convert_to('dhr-audit-chain-v1' || string_agg(CASE WHEN f IS NULL THEN '~' ELSE octet_length(f)::text || ':' || f END, '' ORDER BY n), 'UTF8'))
          FROM unnest(ARRAY[${LINK_FIELDS}]) WITH ORDINALITY AS u(f, n)
      $$`);
    await q.query(`
      CREATE FUNCTION audit_event_chain() RETURNS trigger
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        chain_month date := date_trunc('month', NEW.occurred_at AT TIME ZONE 'UTC')::date;
        last_position bigint;
        last_hash bytea;
      BEGIN
        -- Under a snapshot older than the lock, the month's last event could be one this transaction cannot see.
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION 'audit events are chained in READ COMMITTED transactions only' USING ERRCODE = '25001';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('audit_event_chain'), (extract(year FROM chain_month) * 12 + extract(month FROM chain_month))::int);
        SELECT e.chain_position, e.hash INTO last_position, last_hash
          FROM audit_event e
         WHERE e.occurred_at >= chain_month::timestamp AT TIME ZONE 'UTC'
           AND e.occurred_at < (chain_month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
           AND e.chain_position IS NOT NULL
         ORDER BY e.chain_position DESC
         LIMIT 1;
        NEW.chain_position := coalesce(last_position, 0) + 1;
        NEW.prev_hash := CASE WHEN last_position IS NULL THEN audit_event_chain_genesis(chain_month) ELSE last_hash END;
        NEW.hash := ${linkCall('NEW', 'chain_month', 'NEW.chain_position', 'NEW.prev_hash')};
        RETURN NEW;
      END $$`);

    await q.query(setTrailTriggers(false));
    await q.query(`
      DO $$
      DECLARE
        r record;
        event_month date;
        chained_month date;
        pos bigint;
        prev bytea;
      BEGIN
        FOR r IN SELECT * FROM audit_event ORDER BY date_trunc('month', occurred_at AT TIME ZONE 'UTC'), seq LOOP
          event_month := date_trunc('month', r.occurred_at AT TIME ZONE 'UTC')::date;
          IF chained_month IS DISTINCT FROM event_month THEN
            chained_month := event_month;
            pos := 0;
            prev := audit_event_chain_genesis(event_month);
          END IF;
          pos := pos + 1;
          UPDATE audit_event SET chain_position = pos, prev_hash = prev, hash = ${linkCall('r', 'event_month', 'pos', 'prev')}
           WHERE seq = r.seq AND occurred_at = r.occurred_at
          RETURNING hash INTO prev;
        END LOOP;
      END $$`);
    await q.query(setTrailTriggers(true));

    await q.query(`CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_event_chain ON audit_event`);
    await q.query(`DROP FUNCTION audit_event_chain()`);
    await q.query(`DROP FUNCTION audit_event_link_hash(${LINK_SIGNATURE})`);
    await q.query(`DROP FUNCTION audit_event_chain_genesis(date)`);
    await q.query(`DROP INDEX audit_event_chain_idx`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN chain_position, DROP COLUMN prev_hash, DROP COLUMN hash`);
  }
}
