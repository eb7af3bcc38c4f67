import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in failures counted per account and client address, so that wrong
 * passwords from one address lock the account for that address only, and
 * every wrong password of the last hour per account, for the ceiling that
 * locks an account for everyone (app_user.locked_until).
 */
export class SignInLocks1764822600000 implements MigrationInterface {
  name = 'SignInLocks1764822600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_address_lock (
        user_id uuid NOT NULL REFERENCES app_user(id),
        ip text NOT NULL,
        failed_count integer NOT NULL CHECK (failed_count >= 0),
        locked_until timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, ip)
      )`);
    await q.query(`
      CREATE TABLE sign_in_failure (
        user_id uuid NOT NULL REFERENCES app_user(id),
        failed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sign_in_failure_user_idx ON sign_in_failure (user_id, failed_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_failure`);
    await q.query(`DROP TABLE sign_in_address_lock`);
  }
}
