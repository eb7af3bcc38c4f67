import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How each person is e-mailed (docs/architecture.md, "Notifications"): each
 * notice at once, or a daily digest (the default, for anyone without a
 * setting). A notification e-mailed by the digest waits for it
 * (`awaits_digest`) until the day's digest takes it (`digest_id`); a digest
 * is one per person per day (`notification_digest_once`), so a second run
 * the same day sends nothing.
 */
export class NotificationDigests1765050000000 implements MigrationInterface {
  name = 'NotificationDigests1765050000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_setting (
        user_id uuid PRIMARY KEY REFERENCES app_user(id),
        email_delivery text NOT NULL CHECK (email_delivery IN ('immediate','daily_digest')),
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE notification_digest (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        digest_on date NOT NULL,
        notification_id uuid REFERENCES notification(id),
        notices integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        CONSTRAINT notification_digest_once UNIQUE (user_id, digest_on)
      )`);
    await q.query(`
      ALTER TABLE notification
        ADD COLUMN awaits_digest boolean NOT NULL DEFAULT false,
        ADD COLUMN digest_id uuid REFERENCES notification_digest(id)`);
    await q.query(`CREATE INDEX notification_digest_due_idx ON notification (user_id, seq) WHERE awaits_digest AND digest_id IS NULL`);
    await q.query(`CREATE INDEX notification_digest_idx ON notification (digest_id) WHERE digest_id IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP COLUMN digest_id, DROP COLUMN awaits_digest`);
    await q.query(`DROP TABLE notification_digest`);
    await q.query(`DROP TABLE notification_setting`);
  }
}
