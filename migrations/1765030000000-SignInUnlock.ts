import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in limits that a stranger cannot turn against an account's owner
 * (docs/security.md, "Sign-in limits and trusted proxies"):
 *
 * - `sign_in_slowdown`: refused sign-ins per e-mail address typed, known to
 *   the service or not (keyed by a hash of the address, so the table holds no
 *   address a stranger typed), from which the growing wait comes;
 * - `app_user.locked_at` replaces the fifteen-minute lock for everyone
 *   (`locked_until`): a lock that no wait lifts, only the owner's unlock link
 *   or an administrator; `failed_login_count` now counts wrong passwords in a
 *   row from anywhere, and the hourly record `sign_in_failure` goes;
 * - `sign_in_unlock`: each locked account's one live unlock link, as the
 *   SHA-256 of its token;
 * - an index to find the addresses an account signed in from (its sessions).
 */
export class SignInUnlock1765030000000 implements MigrationInterface {
  name = 'SignInUnlock1765030000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_slowdown (
        email_key text PRIMARY KEY,
        failures integer NOT NULL CHECK (failures > 0),
        last_failed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sign_in_slowdown_last_failed_idx ON sign_in_slowdown (last_failed_at)`);
    await q.query(`
      CREATE TABLE sign_in_unlock (
        user_id uuid PRIMARY KEY REFERENCES app_user(id),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`ALTER TABLE app_user ADD COLUMN locked_at timestamptz`);
    await q.query(`ALTER TABLE app_user DROP COLUMN locked_until`);
    await q.query(`UPDATE app_user SET failed_login_count = 0 WHERE failed_login_count <> 0`);
    await q.query(`DROP TABLE sign_in_failure`);
    await q.query(`CREATE INDEX auth_session_user_ip_idx ON auth_session (user_id, ip, created_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX auth_session_user_ip_idx`);
    await q.query(`
      CREATE TABLE sign_in_failure (
        user_id uuid NOT NULL REFERENCES app_user(id),
        failed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sign_in_failure_user_idx ON sign_in_failure (user_id, failed_at)`);
    await q.query(`UPDATE app_user SET failed_login_count = 0 WHERE failed_login_count <> 0`);
    await q.query(`ALTER TABLE app_user ADD COLUMN locked_until timestamptz`);
    await q.query(`ALTER TABLE app_user DROP COLUMN locked_at`);
    await q.query(`DROP TABLE sign_in_unlock`);
    await q.query(`DROP TABLE sign_in_slowdown`);
  }
}
