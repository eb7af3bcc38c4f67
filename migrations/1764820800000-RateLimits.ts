import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters kept in the database, so that every instance of the
 * server counts against one budget; and the count of refused anonymous
 * requests per client address, reason and minute, which the append-only
 * audit trail records once per minute instead of once per request.
 *
 * `rate_limit` has the shape rate-limiter-flexible's PostgreSQL store expects
 * (key, points, expire in epoch milliseconds); the application does not let
 * the library create it.
 */
export class RateLimits1764820800000 implements MigrationInterface {
  name = 'RateLimits1764820800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_limit (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
    await q.query(`CREATE INDEX rate_limit_expire_idx ON rate_limit (expire)`);
    await q.query(`
      CREATE TABLE anonymous_denial (
        ip text NOT NULL,
        reason text NOT NULL,
        minute timestamptz NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (ip, reason, minute)
      )`);
    await q.query(`CREATE INDEX anonymous_denial_minute_idx ON anonymous_denial (minute)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE anonymous_denial`);
    await q.query(`DROP TABLE rate_limit`);
  }
}
