import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail becomes a table partitioned by month on `occurred_at`
 * (calendar months in UTC), so that an operator can detach, archive and drop
 * an old month without touching the rest (docs/architecture.md, "The audit
 * trail's monthly partitions").
 *
 * - `audit_event_seal_partition(part)` gives one partition triggers of its
 *   own that refuse UPDATE, DELETE and TRUNCATE, and takes every privilege
 *   on it from everyone but its owner. PostgreSQL drops the triggers a
 *   partition inherited from the parent when it is detached; these stay, so
 *   a detached month is as read-only as it was inside the trail.
 * - `audit_event_ensure_partitions(from_ts, to_ts)` makes every missing month
 *   from the month of `from_ts` to the month of `to_ts` (both included) and
 *   returns how many it made. Rows the DEFAULT partition caught for such a
 *   month are moved into it on the way (the new month is filled beside the
 *   trail, then attached). The server calls it as the owner role on every
 *   start, for this month and the next two.
 * - `audit_event_default` catches an event dated in a month nobody made, so
 *   an insert never fails for want of a partition.
 *
 * The existing rows are copied into the new table (the sequence keeps its
 * name and its value), then the old table is dropped: on a large trail the
 * migration costs one copy of the table and one build of each index.
 */
/** The audit trail's columns, in the order both tables have them. */
const COLUMNS = `seq, id, occurred_at, actor_id, actor_role, action, entity_type, entity_id, case_id,
                 partnership_id, request_id, ip, changes, details, client_id`;

/** The listing's and filters' indexes, by the name part between `audit_event_` and `_idx`. */
const INDEXES: Record<string, string> = {
  case: '(case_id, seq)',
  actor: '(actor_id, seq)',
  action: '(action, seq)',
  partnership: '(partnership_id, seq)',
  client: '(client_id, seq) WHERE client_id IS NOT NULL',
  occurred: '(occurred_at)',
};

/** The current trail steps aside as `to`, taking its indexes' and sequence's names out of the way. */
async function stepAside(q: QueryRunner, to: string): Promise<void> {
  await q.query(`ALTER TABLE audit_event RENAME TO ${to}`);
  await q.query(`ALTER SEQUENCE audit_event_seq_seq RENAME TO ${to}_seq_seq`);
  for (const index of Object.keys(INDEXES)) await q.query(`DROP INDEX audit_event_${index}_idx`);
  await q.query(`ALTER TABLE ${to} RENAME CONSTRAINT audit_event_pkey TO ${to}_pkey`);
}

/** Every row of the table that stepped aside into the new trail, the numbering going on where it stood; then the old table goes. */
async function moveRows(q: QueryRunner, from: string): Promise<void> {
  await q.query(`INSERT INTO audit_event (${COLUMNS}) OVERRIDING SYSTEM VALUE SELECT ${COLUMNS} FROM ${from}`);
  await q.query(`SELECT setval('audit_event_seq_seq', s.last_value, s.is_called) FROM ${from}_seq_seq s`);
  await q.query(`DROP TABLE ${from}`);
}

/** The indexes, and the triggers that keep the trail append-only, on the (new) parent table. */
async function indexAndSeal(q: QueryRunner): Promise<void> {
  for (const [index, columns] of Object.entries(INDEXES)) await q.query(`CREATE INDEX audit_event_${index}_idx ON audit_event ${columns}`);
  await q.query(`
    CREATE TRIGGER audit_event_no_update_or_delete
      BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()`);
  await q.query(`
    CREATE TRIGGER audit_event_no_truncate
      BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()`);
}

export class AuditPartitions1764980000000 implements MigrationInterface {
  name = 'AuditPartitions1764980000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_event_seal_partition(part regclass) RETURNS void
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        grantee oid;
      BEGIN
        EXECUTE format('CREATE OR REPLACE TRIGGER audit_event_partition_no_update_or_delete
                          BEFORE UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()', part);
        EXECUTE format('CREATE OR REPLACE TRIGGER audit_event_partition_no_truncate
                          BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()', part);
        -- The trail is read and appended to through its parent table only.
        FOR grantee IN
          SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = part AND a.grantee <> c.relowner
        LOOP
          EXECUTE format('REVOKE ALL ON %s FROM %s', part, CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END);
        END LOOP;
      END $$`);
    await q.query(`
      CREATE FUNCTION audit_event_ensure_partitions(from_ts timestamptz, to_ts timestamptz) RETURNS int
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        month timestamp := date_trunc('month', from_ts AT TIME ZONE 'UTC');
        last_month timestamp := date_trunc('month', to_ts AT TIME ZONE 'UTC');
        lower_bound text;
        upper_bound text;
        part text;
        caught boolean;
        made int := 0;
      BEGIN
        -- Two callers at once (a start, the scale seed) make each month once.
        PERFORM pg_advisory_xact_lock(hashtext('audit_event_ensure_partitions'));
        WHILE month <= last_month LOOP
          part := 'audit_event_' || to_char(month, 'YYYY_MM');
          lower_bound := to_char(month, 'YYYY-MM-DD') || ' 00:00:00+00';
          upper_bound := to_char(month + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00';
          -- A month that exists, attached or detached and archived, is left as it is.
          IF to_regclass(format('public.%I', part)) IS NULL THEN
            caught := false;
            IF to_regclass('public.audit_event_default') IS NOT NULL THEN
              EXECUTE 'SELECT EXISTS (SELECT 1 FROM audit_event_default WHERE occurred_at >= $1 AND occurred_at < $2)'
                 INTO caught USING lower_bound::timestamptz, upper_bound::timestamptz;
            END IF;
            IF caught THEN
              -- The safety net caught events of this month: they move into it.
              EXECUTE format('CREATE TABLE %I (LIKE audit_event INCLUDING DEFAULTS)', part);
              EXECUTE 'ALTER TABLE audit_event_default DISABLE TRIGGER USER';
              EXECUTE format('WITH moved AS (DELETE FROM audit_event_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *)
                              INSERT INTO %I SELECT * FROM moved', lower_bound, upper_bound, part);
              EXECUTE 'ALTER TABLE audit_event_default ENABLE TRIGGER USER';
              EXECUTE format('ALTER TABLE audit_event ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lower_bound, upper_bound);
            ELSE
              EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)', part, lower_bound, upper_bound);
            END IF;
            PERFORM audit_event_seal_partition(format('public.%I', part)::regclass);
            made := made + 1;
          END IF;
          month := month + interval '1 month';
        END LOOP;
        RETURN made;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION audit_event_seal_partition(regclass) FROM PUBLIC`);
    await q.query(`REVOKE ALL ON FUNCTION audit_event_ensure_partitions(timestamptz, timestamptz) FROM PUBLIC`);

    await stepAside(q, 'audit_event_unpartitioned');
    await q.query(`ALTER TABLE audit_event_unpartitioned RENAME CONSTRAINT audit_event_id_key TO audit_event_unpartitioned_id_key`);

    await q.query(`
      CREATE TABLE audit_event (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid,
        actor_role text,
        action text NOT NULL,
        entity_type text,
        entity_id text,
        case_id uuid,
        partnership_id uuid,
        request_id text,
        ip text,
        changes jsonb,
        details jsonb,
        client_id uuid REFERENCES api_client(id),
        PRIMARY KEY (seq, occurred_at)
      ) PARTITION BY RANGE (occurred_at)`);
    await q.query(`
      SELECT audit_event_ensure_partitions(coalesce(min(occurred_at), now()), greatest(max(occurred_at), now() + interval '2 months'))
        FROM audit_event_unpartitioned`);
    await q.query(`CREATE TABLE audit_event_default PARTITION OF audit_event DEFAULT`);
    await q.query(`SELECT audit_event_seal_partition('audit_event_default')`);

    await moveRows(q, 'audit_event_unpartitioned');
    // Partitioned indexes: each partition, present and future, gets its own. The triggers on the parent
    // as before (each partition gets a clone, and has its own from audit_event_seal_partition).
    await indexAndSeal(q);
  }

  public async down(q: QueryRunner): Promise<void> {
    await stepAside(q, 'audit_event_partitioned');
    await q.query(`
      CREATE TABLE audit_event (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid,
        actor_role text,
        action text NOT NULL,
        entity_type text,
        entity_id text,
        case_id uuid,
        partnership_id uuid,
        request_id text,
        ip text,
        changes jsonb,
        details jsonb,
        client_id uuid REFERENCES api_client(id)
      )`);
    await moveRows(q, 'audit_event_partitioned');
    await indexAndSeal(q);
    await q.query(`DROP FUNCTION audit_event_ensure_partitions(timestamptz, timestamptz)`);
    await q.query(`DROP FUNCTION audit_event_seal_partition(regclass)`);
  }
}
