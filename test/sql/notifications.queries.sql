-- activeAdmins
SELECT id AS "userId", email FROM app_user WHERE role = 'sdp_admin' AND active ORDER BY id;

-- activeAgencyLeads
SELECT id AS "userId", email FROM app_user WHERE role = 'agency_lead' AND agency_id = $1 AND active ORDER BY id;

-- activePartnershipChairs
SELECT id AS "userId", email FROM app_user WHERE role = 'csp_chair' AND partnership_id = $1 AND active ORDER BY id;

-- insertNotifications
INSERT INTO notification (id, user_id, case_id, alert_id, kind, title, body, awaits_digest, created_at)
SELECT i, u, c, a, k, t, b, d, $9
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::boolean[]) AS x(i, u, c, a, k, t, b, d);

-- queueEmails
INSERT INTO email_outbox (notification_id, to_address, subject, body, next_attempt_at)
SELECT n, t, s, b, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(n, t, s, b);

-- listNotifications (first page)
SELECT
n.id, n.seq, n.user_id AS "userId", n.case_id AS "caseId", n.alert_id AS "alertId", n.kind, n.title, n.body,
n.created_at AS "createdAt", n.read_at AS "readAt", n.awaits_digest AS "awaitsDigest", n.digest_id AS "digestId" FROM notification n WHERE (n.user_id = $1) AND (n.case_id IS NULL OR EXISTS (SELECT 1 FROM review_case c WHERE c.id = n.case_id AND (c.partnership_id = $2))) ORDER BY n.seq DESC LIMIT $3;

-- listNotifications (unread, after a key)
SELECT
n.id, n.seq, n.user_id AS "userId", n.case_id AS "caseId", n.alert_id AS "alertId", n.kind, n.title, n.body,
n.created_at AS "createdAt", n.read_at AS "readAt", n.awaits_digest AS "awaitsDigest", n.digest_id AS "digestId" FROM notification n WHERE (n.user_id = $1) AND (n.case_id IS NULL OR EXISTS (SELECT 1 FROM review_case c WHERE c.id = n.case_id AND (c.partnership_id = $2))) AND (n.read_at IS NULL) AND (n.seq < $3::bigint) ORDER BY n.seq DESC LIMIT $4;

-- listNotifications (read)
SELECT
n.id, n.seq, n.user_id AS "userId", n.case_id AS "caseId", n.alert_id AS "alertId", n.kind, n.title, n.body,
n.created_at AS "createdAt", n.read_at AS "readAt", n.awaits_digest AS "awaitsDigest", n.digest_id AS "digestId" FROM notification n WHERE (n.user_id = $1) AND (n.case_id IS NULL OR EXISTS (SELECT 1 FROM review_case c WHERE c.id = n.case_id AND (c.partnership_id = $2))) AND (n.read_at IS NOT NULL) ORDER BY n.seq DESC LIMIT $3;

-- findOwnNotification
SELECT
n.id, n.seq, n.user_id AS "userId", n.case_id AS "caseId", n.alert_id AS "alertId", n.kind, n.title, n.body,
n.created_at AS "createdAt", n.read_at AS "readAt", n.awaits_digest AS "awaitsDigest", n.digest_id AS "digestId" FROM notification n WHERE n.id = $1 AND n.user_id = $2;

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

-- emailDeliveries
SELECT user_id, email_delivery FROM notification_setting WHERE user_id = ANY($1::uuid[]);

-- saveEmailDelivery
INSERT INTO notification_setting (user_id, email_delivery, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET email_delivery = EXCLUDED.email_delivery, updated_at = EXCLUDED.updated_at;

-- tryDigestLock
SELECT pg_try_advisory_xact_lock($1) AS locked;

-- awaitingDigest
SELECT u.id AS "userId", u.email, u.role, u.partnership_id AS "partnershipId", u.agency_id AS "agencyId"
  FROM app_user u
 WHERE u.active
   AND EXISTS (SELECT 1 FROM notification n WHERE n.user_id = u.id AND n.awaits_digest AND n.digest_id IS NULL)
   AND NOT EXISTS (SELECT 1 FROM notification_digest d WHERE d.user_id = u.id AND d.digest_on = $1)
 ORDER BY u.id;

-- claimDigest
INSERT INTO notification_digest (user_id, digest_on, created_at) VALUES ($1, $2, $3)
ON CONFLICT ON CONSTRAINT notification_digest_once DO NOTHING
RETURNING id;

-- takeIntoDigest
UPDATE notification SET digest_id = $2 WHERE user_id = $1 AND awaits_digest AND digest_id IS NULL;

-- digestLines
SELECT n.title, n.created_at AS "createdAt", (count(*) OVER ())::int AS total FROM notification n WHERE (n.user_id = $1) AND (n.case_id IS NULL OR EXISTS (SELECT 1 FROM review_case c WHERE c.id = n.case_id AND (c.partnership_id = $2))) AND (n.digest_id = $3) ORDER BY n.seq LIMIT $4;

-- settleDigest
UPDATE notification_digest SET notification_id = $2, notices = $3 WHERE id = $1;

-- settleEmail
UPDATE email_outbox
   SET status = $3, attempts = coalesce($4, attempts), sent_at = coalesce($5, sent_at),
       last_error = coalesce($6, last_error), next_attempt_at = coalesce($7, next_attempt_at)
 WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2;
