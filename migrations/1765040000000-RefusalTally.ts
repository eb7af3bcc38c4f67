import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The refusals of each signed-in person or REST client, counted per
 * ten-minute window: the audit trail records the first refusal of a window at
 * once and one summary of the window once it has ended, instead of a row a
 * refusal; the count also lets the access guard hold back someone who keeps
 * being refused.
 */
export class RefusalTally1765040000000 implements MigrationInterface {
  name = 'RefusalTally1765040000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE refusal_tally (
        who text NOT NULL,
        window_start timestamptz NOT NULL,
        actor_id uuid,
        actor_role text,
        client_id uuid,
        count integer NOT NULL,
        reasons jsonb NOT NULL,
        attempted jsonb NOT NULL,
        summarised boolean NOT NULL DEFAULT false,
        PRIMARY KEY (who, window_start)
      )`);
    await q.query(`CREATE INDEX refusal_tally_open_idx ON refusal_tally (window_start) WHERE NOT summarised`);
    await q.query(`CREATE INDEX refusal_tally_window_idx ON refusal_tally (window_start)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refusal_tally`);
  }
}
