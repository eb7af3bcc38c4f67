-- beginDumpSnapshot (recorded, not run)
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;

-- endDumpSnapshot (recorded, not run)
COMMIT;

-- abandonDumpSnapshot (recorded, not run)
ROLLBACK;

-- appliedMigrations
SELECT name FROM typeorm_migration ORDER BY id;

-- backupTables
SELECT c.relname AS name
  FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
 ORDER BY c.relname;

-- sequencePositions
SELECT sequencename AS name, last_value::text AS last_value, start_value::text AS start_value
  FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename;

-- openDumpCursor
DECLARE dump CURSOR FOR SELECT row_to_json(t)::text AS row FROM "partnership" t;

-- fetchDumpRows
DECLARE dump CURSOR FOR SELECT row_to_json(t)::text AS row FROM "partnership" t;

FETCH 1000 FROM dump;

-- closeDumpCursor
DECLARE dump CURSOR FOR SELECT row_to_json(t)::text AS row FROM "partnership" t;

CLOSE dump;

-- schemaTableCount
SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p');

-- dropSchema (recorded, not run)
DROP SCHEMA public CASCADE;

CREATE SCHEMA public;

-- storedColumns
SELECT a.attname AS name
  FROM pg_attribute a
 WHERE a.attrelid = format('public.%I', $1::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
 ORDER BY a.attnum;

-- foreignKeys
SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
  FROM pg_constraint c
 WHERE c.connamespace = 'public'::regnamespace AND c.contype = 'f' AND c.conparentid = 0
 ORDER BY c.conrelid::regclass::text, c.conname;

-- dropForeignKey (recorded, not run)
ALTER TABLE case_agency DROP CONSTRAINT "fk_case_agency_case";

-- addForeignKey (recorded, not run)
ALTER TABLE case_agency ADD CONSTRAINT "fk_case_agency_case" FOREIGN KEY (case_id) REFERENCES review_case(id);

-- setTriggers (off)
DO $$
DECLARE part regclass;
BEGIN
  -- pg_partition_tree lists nothing for a table that is not partitioned.
  FOR part IN SELECT 'public."audit_event"'::regclass
              UNION SELECT relid FROM pg_partition_tree('public."audit_event"'::regclass) LOOP
    EXECUTE format('ALTER TABLE %s DISABLE TRIGGER USER', part);
  END LOOP;
END $$;

-- setTriggers (on)
DO $$
DECLARE part regclass;
BEGIN
  -- pg_partition_tree lists nothing for a table that is not partitioned.
  FOR part IN SELECT 'public."audit_event"'::regclass
              UNION SELECT relid FROM pg_partition_tree('public."audit_event"'::regclass) LOOP
    EXECUTE format('ALTER TABLE %s ENABLE TRIGGER USER', part);
  END LOOP;
END $$;

-- deleteRows (recorded, not run)
DELETE FROM "partnership";

-- insertRows (recorded, not run)
INSERT INTO "partnership" ("id", "name") OVERRIDING SYSTEM VALUE
SELECT "id", "name" FROM json_populate_recordset(NULL::"partnership", $1::json);

-- countRows
SELECT count(*) AS n FROM "partnership";

-- resetSequence (recorded, not run)
SELECT setval(format('public.%I', $1::text)::regclass, $2::bigint, $3::boolean);

-- auditDefaultSpan
SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM audit_event_default;

-- ensureAuditMonths
SELECT audit_event_ensure_partitions($1, $2) AS made;

-- announcePrincipalsReplaced
SELECT pg_notify('dhr_principal_changed', 'all');
