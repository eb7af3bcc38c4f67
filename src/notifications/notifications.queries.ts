/** The SQL of the notifications module: the only writer of notifications and the e-mail outbox. */

export const INSERT_NOTIFICATIONS = `
  INSERT INTO notification (id, user_id, case_id, alert_id, kind, title, body, created_at)
  SELECT i, u, c, a, k, t, b, $8
    FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[]) AS x(i, u, c, a, k, t, b)`;

export const QUEUE_EMAILS = `
  INSERT INTO email_outbox (notification_id, to_address, subject, body, next_attempt_at)
  SELECT n, t, s, b, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(n, t, s, b)`;
