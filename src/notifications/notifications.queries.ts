/** The SQL of the notifications module: the only writer of notifications and the e-mail outbox. */

export const INSERT_NOTIFICATIONS = `
  INSERT INTO notification (id, user_id, case_id, alert_id, kind, title, body, created_at)
  SELECT i, u, c, a, k, t, b, $8
    FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[]) AS x(i, u, c, a, k, t, b)`;

/** The active SDP administrators, who are told of what concerns the service rather than a case. */
export const ACTIVE_ADMINS = `SELECT id AS "userId", email FROM app_user WHERE role = 'sdp_admin' AND active ORDER BY id`;

/** The active leads of agency $1, who are told of what their agency is asked to do in a case. */
export const ACTIVE_AGENCY_LEADS = `SELECT id AS "userId", email FROM app_user WHERE role = 'agency_lead' AND agency_id = $1 AND active ORDER BY id`;

export const QUEUE_EMAILS = `
  INSERT INTO email_outbox (notification_id, to_address, subject, body, next_attempt_at)
  SELECT n, t, s, b, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(n, t, s, b)`;

/** Claims up to $3 due e-mails for a lease until $2; several instances each claim different rows. */
export const CLAIM_DUE_EMAILS = `
  WITH due AS (
    SELECT o.id FROM email_outbox o
     WHERE o.status = 'pending' AND o.next_attempt_at <= $1
     ORDER BY o.next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
  UPDATE email_outbox o SET next_attempt_at = $2
    FROM due, notification n, app_user u
   WHERE o.id = due.id AND n.id = o.notification_id AND u.id = n.user_id
  RETURNING o.id, o.to_address, o.subject, o.body, o.attempts, u.active AS recipient_active`;

/** Writes a send's outcome only while this run still holds the row's lease (next_attempt_at = $2). */
export const SETTLE_EMAIL = `
  UPDATE email_outbox
     SET status = $3, attempts = coalesce($4, attempts), sent_at = coalesce($5, sent_at),
         last_error = coalesce($6, last_error), next_attempt_at = coalesce($7, next_attempt_at)
   WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2`;

/**
 * Marks notification $1 read at $2 unless it already is, and answers its id
 * only if this statement marked it: of two requests marking it at once, the
 * second waits for the first's row lock, then finds it read and marks nothing.
 */
export const MARK_READ = `UPDATE notification SET read_at = $2 WHERE id = $1 AND read_at IS NULL RETURNING id`;
