import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Remembers the hash of every refresh token that has been swapped for a new
 * pair, so that only a replayed token (not a guessed one) revokes a session.
 */
export class SpentRefreshTokens1764475200000 implements MigrationInterface {
  name = 'SpentRefreshTokens1764475200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth_refresh_spent (
        token_hash text PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES auth_session(id),
        spent_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX auth_refresh_spent_session_idx ON auth_refresh_spent (session_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth_refresh_spent`);
  }
}
