#!/bin/sh
# The DHR API's two database roles, made by the cluster's superuser:
#   dhr_owner  owns the database and its schema, and runs the migrations
#   dhr_app    the API's connection: owns nothing, no superuser; the API's
#              migration run grants it its table privileges
# The postgres image runs this on the first start of an empty volume. On a
# volume made by an earlier version, run it once by hand:
#   docker compose exec db sh /docker-entrypoint-initdb.d/10-dhr-roles.sh
# Running it again is harmless: it makes what is missing, resets both
# passwords, and hands the owner role what the superuser still owns.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$DHR_OWNER_PASSWORD" -v app_password="$DHR_APP_PASSWORD" <<'SQL'
SET dhr.owner_password = :'owner_password';
SET dhr.app_password = :'app_password';
DO $$
DECLARE o record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dhr_owner') THEN CREATE ROLE dhr_owner; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dhr_app') THEN CREATE ROLE dhr_app; END IF;
  EXECUTE format('ALTER ROLE dhr_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
                 current_setting('dhr.owner_password'));
  EXECUTE format('ALTER ROLE dhr_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
                 current_setting('dhr.app_password'));
  EXECUTE format('ALTER DATABASE %I OWNER TO dhr_owner', current_database());
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO dhr_app', current_database());
  -- Tables and functions an earlier version made as the superuser go to the owner role.
  FOR o IN
    SELECT c.oid::regclass AS name,
           CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                          WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       AND c.relowner <> 'dhr_owner'::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO dhr_owner', o.kind, o.name);
  END LOOP;
  FOR o IN
    SELECT p.oid::regprocedure AS name
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND p.proowner <> 'dhr_owner'::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO dhr_owner', o.name);
  END LOOP;
END $$;
RESET dhr.owner_password;
RESET dhr.app_password;
SQL
