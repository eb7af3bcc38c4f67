import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every instance keeps the live sessions and REST clients it has checked in
 * memory (auth/principal-cache.ts) and must forget one the moment it stops
 * being live or what it holds changes. These triggers announce each such
 * change on the channel `dhr_principal_changed` with pg_notify, which
 * PostgreSQL delivers to every listening connection when the transaction
 * commits (and never when it rolls back). Being triggers, no code path that
 * ends a session or changes a person or a client can forget to announce it.
 *
 * Payloads: `session:<id>`, `user:<id>`, `client:<id>`; `all` when a table
 * is truncated. A refresh that only moves a session's expiry later, and a
 * client's last use, are not announced: neither makes a cached entry wrong.
 */
export class PrincipalChangeNotices1764990000000 implements MigrationInterface {
  name = 'PrincipalChangeNotices1764990000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_principal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('dhr_principal_changed', 'all');
          RETURN NULL;
        END IF;
        PERFORM pg_notify('dhr_principal_changed', TG_ARGV[0] || ':' || (CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END ->> TG_ARGV[1]));
        IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) ->> TG_ARGV[1]) IS DISTINCT FROM (to_jsonb(NEW) ->> TG_ARGV[1]) THEN
          PERFORM pg_notify('dhr_principal_changed', TG_ARGV[0] || ':' || (to_jsonb(OLD) ->> TG_ARGV[1]));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER auth_session_changed AFTER UPDATE ON auth_session FOR EACH ROW
        WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR NEW.expires_at < OLD.expires_at
              OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.id IS DISTINCT FROM NEW.id)
        EXECUTE FUNCTION notify_principal_changed('session', 'id')`);
    await q.query(`CREATE TRIGGER auth_session_removed AFTER DELETE ON auth_session FOR EACH ROW EXECUTE FUNCTION notify_principal_changed('session', 'id')`);
    await q.query(`
      CREATE TRIGGER app_user_changed AFTER UPDATE ON app_user FOR EACH ROW
        WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.partnership_id IS DISTINCT FROM NEW.partnership_id
              OR OLD.agency_id IS DISTINCT FROM NEW.agency_id OR OLD.active IS DISTINCT FROM NEW.active
              OR OLD.password_hash IS DISTINCT FROM NEW.password_hash OR OLD.id IS DISTINCT FROM NEW.id)
        EXECUTE FUNCTION notify_principal_changed('user', 'id')`);
    await q.query(`CREATE TRIGGER app_user_removed AFTER DELETE ON app_user FOR EACH ROW EXECUTE FUNCTION notify_principal_changed('user', 'id')`);
    await q.query(`
      CREATE TRIGGER api_client_changed AFTER UPDATE ON api_client FOR EACH ROW
        WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.secret_generation IS DISTINCT FROM NEW.secret_generation
              OR OLD.expires_on IS DISTINCT FROM NEW.expires_on OR OLD.partnership_id IS DISTINCT FROM NEW.partnership_id
              OR OLD.name IS DISTINCT FROM NEW.name OR OLD.id IS DISTINCT FROM NEW.id)
        EXECUTE FUNCTION notify_principal_changed('client', 'id')`);
    await q.query(`CREATE TRIGGER api_client_removed AFTER DELETE ON api_client FOR EACH ROW EXECUTE FUNCTION notify_principal_changed('client', 'id')`);
    await q.query(`
      CREATE TRIGGER api_client_scope_changed AFTER INSERT OR UPDATE OR DELETE ON api_client_scope FOR EACH ROW
        EXECUTE FUNCTION notify_principal_changed('client', 'client_id')`);
    for (const table of ['auth_session', 'app_user', 'api_client', 'api_client_scope']) {
      await q.query(`CREATE TRIGGER ${table}_truncated AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_principal_changed()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ['auth_session', 'app_user', 'api_client', 'api_client_scope']) await q.query(`DROP TRIGGER ${table}_truncated ON ${table}`);
    await q.query(`DROP TRIGGER api_client_scope_changed ON api_client_scope`);
    await q.query(`DROP TRIGGER api_client_removed ON api_client`);
    await q.query(`DROP TRIGGER api_client_changed ON api_client`);
    await q.query(`DROP TRIGGER app_user_removed ON app_user`);
    await q.query(`DROP TRIGGER app_user_changed ON app_user`);
    await q.query(`DROP TRIGGER auth_session_removed ON auth_session`);
    await q.query(`DROP TRIGGER auth_session_changed ON auth_session`);
    await q.query(`DROP FUNCTION notify_principal_changed()`);
  }
}
