-- takeMigrationLock (recorded, not run)
SELECT pg_advisory_lock($1);

-- releaseMigrationLock (recorded, not run)
SELECT pg_advisory_unlock($1);

-- databaseExists
SELECT 1 FROM pg_database WHERE datname = $1;

-- roleExists
SELECT 1 FROM pg_roles WHERE rolname = $1;

-- createLoginRole (recorded, not run)
CREATE ROLE "dhr_sample_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD 'fictional-password';

-- resetLoginRole (recorded, not run)
ALTER ROLE "dhr_sample_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD 'fictional-password';

-- createDatabaseOwnedBy (empty) (recorded, not run)
CREATE DATABASE "dhr_sample" OWNER "dhr_sample_owner";

-- createDatabaseOwnedBy (from a template) (recorded, not run)
CREATE DATABASE "dhr_sample" TEMPLATE "dhr_template" OWNER "dhr_sample_owner";

-- setDatabaseAccess (recorded, not run)
ALTER DATABASE "dhr_sample" OWNER TO "dhr_sample_owner";

REVOKE ALL ON DATABASE "dhr_sample" FROM PUBLIC;

GRANT CONNECT ON DATABASE "dhr_sample" TO "dhr_sample_app";

-- takeOwnership (recorded, not run)
DO $$
DECLARE o record;
BEGIN
  FOR o IN
    SELECT c.oid::regclass AS name,
           CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                          WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       AND c.relowner <> 'dhr_sample_owner'::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', o.kind, o.name, 'dhr_sample_owner');
  END LOOP;
  FOR o IN
    SELECT p.oid::regprocedure AS name
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND p.proowner <> 'dhr_sample_owner'::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', o.name, 'dhr_sample_owner');
  END LOOP;
END $$;

-- currentRole
SELECT current_user AS role;

-- grantAppPrivileges (recorded, not run)
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

GRANT USAGE ON SCHEMA public TO "dhr_sample_app";

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "dhr_sample_app";

GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "dhr_sample_app";

ALTER DEFAULT PRIVILEGES FOR ROLE "dhr_sample_owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "dhr_sample_app";

ALTER DEFAULT PRIVILEGES FOR ROLE "dhr_sample_owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "dhr_sample_app";

REVOKE ALL ON audit_event FROM "dhr_sample_app";

GRANT SELECT, INSERT ON audit_event TO "dhr_sample_app";

REVOKE ALL ON plan_action_progress FROM "dhr_sample_app";

GRANT SELECT, INSERT ON plan_action_progress TO "dhr_sample_app";

DO $$
DECLARE part regclass;
BEGIN
  FOR part IN
    SELECT t.relid FROM unnest(ARRAY['audit_event', 'plan_action_progress']) AS a(name), pg_partition_tree(format('public.%I', a.name)::regclass) t
     WHERE t.level > 0
  LOOP
    EXECUTE format('REVOKE ALL ON %s FROM %I', part, 'dhr_sample_app');
  END LOOP;
END $$;

-- auditPartitioningAvailable
SELECT 1 WHERE has_function_privilege(to_regprocedure('audit_event_ensure_partitions(timestamptz,timestamptz)'), 'EXECUTE');

-- ensureAuditPartitions
SELECT audit_event_ensure_partitions($1::timestamptz, $1::timestamptz + interval '2 months') AS made;

-- begin (recorded, not run)
BEGIN;

-- commit (recorded, not run)
COMMIT;

-- rollback (recorded, not run)
ROLLBACK;
