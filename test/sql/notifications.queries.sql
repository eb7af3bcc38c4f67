-- activeAdmins
SELECT id AS "userId", email FROM app_user WHERE role = 'sdp_admin' AND active ORDER BY id;

-- activeAgencyLeads
SELECT id AS "userId", email FROM app_user WHERE role = 'agency_lead' AND agency_id = $1 AND active ORDER BY id;

-- insertNotifications
INSERT INTO notification (id, user_id, case_id, alert_id, kind, title, body, created_at)
SELECT i, u, c, a, k, t, b, $8
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[]) AS x(i, u, c, a, k, t, b);

-- queueEmails
INSERT INTO email_outbox (notification_id, to_address, subject, body, next_attempt_at)
SELECT n, t, s, b, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(n, t, s, b);

-- listNotifications (first page)
SELECT
n.id, n.seq, n.user_id AS "userId", n.case_id AS "caseId", n.alert_id AS "alertId", n.kind, n.title, n.body,
n.created_at AS "createdAt", n.read_at AS "readAt" FROM notification n WHERE (n.user_id = $1) AND (n.case_id IS NULL OR EXISTS (SELECT 1 FROM review_case c WHERE c.id = n.case_id AND (c.partnership_id = $2))) ORDER BY n.seq DESC LIMIT $3;

-- listNotifications (unread, after a key)
SELECT
n.id, n.seq, n.user_id AS "userId", n.case_id AS "caseId", n.alert_id AS "alertId", n.kind, n.title, n.body,
n.created_at AS "createdAt", n.read_at AS "readAt" FROM notification n WHERE (n.user_id = $1) AND (n.case_id IS NULL OR EXISTS (SELECT 1 FROM review_case c WHERE c.id = n.case_id AND (c.partnership_id = $2))) AND (n.read_at IS NULL) AND (n.seq < $3::bigint) ORDER BY n.seq DESC LIMIT $4;

-- listNotifications (read)
SELECT
n.id, n.seq, n.user_id AS "userId", n.case_id AS "caseId", n.alert_id AS "alertId", n.kind, n.title, n.body,
n.created_at AS "createdAt", n.read_at AS "readAt" FROM notification n WHERE (n.user_id = $1) AND (n.case_id IS NULL OR EXISTS (SELECT 1 FROM review_case c WHERE c.id = n.case_id AND (c.partnership_id = $2))) AND (n.read_at IS NOT NULL) ORDER BY n.seq DESC LIMIT $3;

-- findOwnNotification
SELECT
n.id, n.seq, n.user_id AS "userId", n.case_id AS "caseId", n.alert_id AS "alertId", n.kind, n.title, n.body,
n.created_at AS "createdAt", n.read_at AS "readAt" FROM notification n WHERE n.id = $1 AND n.user_id = $2;

-- markNotificationRead
UPDATE notification SET read_at = $2 WHERE id = $1 AND read_at IS NULL RETURNING id;

-- claimDueEmails
WITH due AS (
  SELECT o.id FROM email_outbox o
   WHERE o.status = 'pending' AND o.next_attempt_at <= $1
   ORDER BY o.next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
UPDATE email_outbox o SET next_attempt_at = $2
  FROM due, notification n, app_user u
 WHERE o.id = due.id AND n.id = o.notification_id AND u.id = n.user_id
RETURNING o.id, o.to_address, o.subject, o.body, o.attempts, u.active AS recipient_active;

-- settleEmail
UPDATE email_outbox
   SET status = $3, attempts = coalesce($4, attempts), sent_at = coalesce($5, sent_at),
       last_error = coalesce($6, last_error), next_attempt_at = coalesce($7, next_attempt_at)
 WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2;
