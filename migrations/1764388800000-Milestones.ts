import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statutory milestones: the dates they run from and to, the alerts the daily
 * sweep raises (once per milestone and state), the notifications they become,
 * and the e-mail outbox.
 */
export class Milestones1764388800000 implements MigrationInterface {
  name = 'Milestones1764388800000';

  public async up(q: QueryRunner): Promise<void> {
    // Regimes are a table of rules in code (src/milestones/regimes.ts), so that a
    // new regime is one entry there; the API validates the value against it.
    await q.query(`ALTER TABLE review_case DROP CONSTRAINT review_case_regime_check`);
    await q.query(`ALTER TABLE review_case ADD COLUMN commissioned_on date, ADD COLUMN statutory_copy_sent_on date`);
    // Commissioned by the decision, or later by a Home Office direction (the day of that step).
    await q.query(`
      UPDATE review_case c SET commissioned_on = coalesce(
        CASE WHEN c.decision_outcome = 'commission' THEN c.decided_on END,
        (SELECT min((t.occurred_at AT TIME ZONE 'Europe/London')::date) FROM case_transition t
          WHERE t.case_id = c.id AND t.from_stage = 'not_commissioned' AND t.to_stage = 'commissioned'))`);

    await q.query(`
      CREATE TABLE milestone_alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES review_case(id),
        milestone_key text NOT NULL,
        state text NOT NULL CHECK (state IN ('due_soon','overdue')),
        due_on date NOT NULL,
        raised_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT milestone_alert_once UNIQUE (case_id, milestone_key, state)
      )`);

    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        user_id uuid NOT NULL REFERENCES app_user(id),
        case_id uuid REFERENCES review_case(id),
        alert_id uuid REFERENCES milestone_alert(id),
        kind text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        UNIQUE (alert_id, user_id)
      )`);
    await q.query(`CREATE INDEX notification_user_idx ON notification (user_id, seq)`);

    await q.query(`
      CREATE TABLE email_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notification_id uuid NOT NULL REFERENCES notification(id),
        to_address text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE email_outbox`);
    await q.query(`DROP TABLE notification`);
    await q.query(`DROP TABLE milestone_alert`);
    await q.query(`ALTER TABLE review_case DROP COLUMN commissioned_on, DROP COLUMN statutory_copy_sent_on`);
    await q.query(`ALTER TABLE review_case ADD CONSTRAINT review_case_regime_check CHECK (regime IN ('dhr-2016','dardr-2024'))`);
  }
}
