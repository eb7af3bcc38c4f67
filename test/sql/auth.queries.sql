-- liveSessionActor
SELECT u.role, u.partnership_id, u.agency_id, s.expires_at
  FROM auth_session s JOIN app_user u ON u.id = s.user_id
 WHERE s.id = $1::uuid AND u.id = $2::uuid AND u.active
   AND s.revoked_at IS NULL AND s.expires_at > $3;

-- findSession
SELECT
id, user_id AS "userId", refresh_token_hash AS "refreshTokenHash", created_at AS "createdAt", refreshed_at AS "refreshedAt",
expires_at AS "expiresAt", revoked_at AS "revokedAt", revoked_reason AS "revokedReason", ip FROM auth_session WHERE id = $1;

-- insertSession
INSERT INTO auth_session (id, user_id, refresh_token_hash, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5, $6);

-- rotateRefreshToken
UPDATE auth_session
   SET refresh_token_hash = $3, refreshed_at = $4, expires_at = LEAST($5::timestamptz, created_at + make_interval(hours => $6))
 WHERE id = $1 AND refresh_token_hash = $2 AND revoked_at IS NULL AND expires_at > $4
   AND created_at + make_interval(hours => $6) > $4
RETURNING user_id;

-- revokeSession
UPDATE auth_session SET revoked_at = $3, revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL;

-- revokeAllSessions
UPDATE auth_session SET revoked_at = $3, revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL;

-- recordSpentRefreshToken
INSERT INTO auth_refresh_spent (token_hash, session_id, spent_at) VALUES ($1, $2, $3);

-- refreshTokenSpent
SELECT 1 FROM auth_refresh_spent WHERE token_hash = $1 AND session_id = $2;

-- addressLock
SELECT failed_count, locked_until FROM sign_in_address_lock WHERE user_id = $1 AND ip = $2;

-- countAddressFailure
INSERT INTO sign_in_address_lock AS l (user_id, ip, failed_count, locked_until, updated_at)
VALUES ($1, $2, 1, CASE WHEN 1 >= $4 THEN $5::timestamptz END, $3)
ON CONFLICT (user_id, ip) DO UPDATE SET
  failed_count = CASE WHEN l.locked_until IS NOT NULL AND l.locked_until <= $3 THEN 1 ELSE l.failed_count + 1 END,
  locked_until = CASE
    WHEN (CASE WHEN l.locked_until IS NOT NULL AND l.locked_until <= $3 THEN 1 ELSE l.failed_count + 1 END) >= $4 THEN $5::timestamptz
    WHEN l.locked_until IS NOT NULL AND l.locked_until <= $3 THEN NULL
    ELSE l.locked_until END,
  updated_at = $3
RETURNING failed_count, locked_until;

-- clearAddressLock
DELETE FROM sign_in_address_lock WHERE user_id = $1 AND ip = $2;

-- forgetQuietAddresses
DELETE FROM sign_in_address_lock
 WHERE user_id = $1 AND updated_at <= $2 AND (locked_until IS NULL OR locked_until <= $3);

-- serialiseEmailAttempts
SELECT pg_advisory_xact_lock(hashtextextended(encode(sha256(convert_to(lower($1::text), 'UTF8')), 'hex'), 0));

-- slowdown
SELECT failures, last_failed_at FROM sign_in_slowdown
 WHERE email_key = encode(sha256(convert_to(lower($1::text), 'UTF8')), 'hex') AND last_failed_at > $2;

-- countSlowdownFailure
WITH forgotten AS (DELETE FROM sign_in_slowdown WHERE last_failed_at <= $3 AND email_key <> encode(sha256(convert_to(lower($1::text), 'UTF8')), 'hex'))
INSERT INTO sign_in_slowdown AS s (email_key, failures, last_failed_at) VALUES (encode(sha256(convert_to(lower($1::text), 'UTF8')), 'hex'), 1, $2)
ON CONFLICT (email_key) DO UPDATE SET
  failures = CASE WHEN s.last_failed_at <= $3 THEN 1 ELSE s.failures + 1 END,
  last_failed_at = $2;

-- clearSlowdown
DELETE FROM sign_in_slowdown WHERE email_key = encode(sha256(convert_to(lower($1::text), 'UTF8')), 'hex');

-- knownAddress
SELECT 1 FROM auth_session WHERE user_id = $1 AND ip = $2 AND created_at > $3 LIMIT 1;

-- issueUnlockLink
INSERT INTO sign_in_unlock (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, created_at = $3, expires_at = $4;

-- unlockLinkMadeAt
SELECT created_at FROM sign_in_unlock WHERE user_id = $1;

-- spendUnlockLink
DELETE FROM sign_in_unlock WHERE token_hash = $1 RETURNING user_id, expires_at;

-- clearSignInLocks
WITH addresses AS (DELETE FROM sign_in_address_lock WHERE user_id = $1),
     links AS (DELETE FROM sign_in_unlock WHERE user_id = $1)
DELETE FROM sign_in_slowdown WHERE email_key = (SELECT encode(sha256(convert_to(lower(email), 'UTF8')), 'hex') FROM app_user WHERE id = $1);
