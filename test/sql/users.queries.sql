-- lockedUntilFirstUser
LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE;

SELECT 1 FROM app_user LIMIT 1;

-- anyUserExists
SELECT 1 FROM app_user LIMIT 1;

-- findUser (read)
SELECT
u.id, u.email, u.name, u.role, u.partnership_id AS "partnershipId", u.agency_id AS "agencyId",
u.password_hash AS "passwordHash", u.active, u.failed_login_count AS "failedLoginCount", u.locked_at AS "lockedAt",
u.created_at AS "createdAt", u.updated_at AS "updatedAt" FROM app_user u WHERE u.id = $1;

-- findUser (locked)
SELECT
u.id, u.email, u.name, u.role, u.partnership_id AS "partnershipId", u.agency_id AS "agencyId",
u.password_hash AS "passwordHash", u.active, u.failed_login_count AS "failedLoginCount", u.locked_at AS "lockedAt",
u.created_at AS "createdAt", u.updated_at AS "updatedAt" FROM app_user u WHERE u.id = $1 FOR UPDATE;

-- lockUserByEmail
SELECT
u.id, u.email, u.name, u.role, u.partnership_id AS "partnershipId", u.agency_id AS "agencyId",
u.password_hash AS "passwordHash", u.active, u.failed_login_count AS "failedLoginCount", u.locked_at AS "lockedAt",
u.created_at AS "createdAt", u.updated_at AS "updatedAt" FROM app_user u WHERE lower(u.email) = lower($1) FOR UPDATE;

-- emailTaken
SELECT 1 FROM app_user WHERE lower(email) = lower($1) LIMIT 1;

-- listUsers (first page)
SELECT
u.id, u.email, u.name, u.role, u.partnership_id AS "partnershipId", u.agency_id AS "agencyId",
u.password_hash AS "passwordHash", u.active, u.failed_login_count AS "failedLoginCount", u.locked_at AS "lockedAt",
u.created_at AS "createdAt", u.updated_at AS "updatedAt" FROM app_user u  ORDER BY lower(u.email) LIMIT $1;

-- listUsers (every filter, after a key)
SELECT
u.id, u.email, u.name, u.role, u.partnership_id AS "partnershipId", u.agency_id AS "agencyId",
u.password_hash AS "passwordHash", u.active, u.failed_login_count AS "failedLoginCount", u.locked_at AS "lockedAt",
u.created_at AS "createdAt", u.updated_at AS "updatedAt" FROM app_user u WHERE (u.role = $1) AND (u.partnership_id = $2) AND (u.active = $3) AND (lower(u.email) > $4) ORDER BY lower(u.email) LIMIT $5;

-- lockOtherActiveAdmins
SELECT u.id FROM app_user u WHERE u.role = 'sdp_admin' AND u.active AND u.id <> $1 FOR UPDATE;

-- insertUser
INSERT INTO app_user AS u (email, name, role, partnership_id, agency_id, password_hash, active, failed_login_count, locked_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, true, 0, NULL, $7)
RETURNING
u.id, u.email, u.name, u.role, u.partnership_id AS "partnershipId", u.agency_id AS "agencyId",
u.password_hash AS "passwordHash", u.active, u.failed_login_count AS "failedLoginCount", u.locked_at AS "lockedAt",
u.created_at AS "createdAt", u.updated_at AS "updatedAt";

-- updateUser
UPDATE app_user
   SET role = $2, partnership_id = $3, agency_id = $4,
       name = coalesce($5, name), active = coalesce($6, active), password_hash = coalesce($7, password_hash),
       failed_login_count = CASE WHEN $8 THEN 0 ELSE failed_login_count END,
       locked_at = CASE WHEN $8 THEN NULL ELSE locked_at END,
       updated_at = $9
 WHERE id = $1;

-- setSignInFailures (counted)
UPDATE app_user SET failed_login_count = $2, locked_at = coalesce($3, locked_at) WHERE id = $1;

-- setSignInFailures (locking)
UPDATE app_user SET failed_login_count = $2, locked_at = coalesce($3, locked_at) WHERE id = $1;

-- unlockUser
UPDATE app_user SET locked_at = NULL, failed_login_count = 0 WHERE id = $1;

-- requireActiveReviewChair
SELECT 1 FROM app_user WHERE id = $1 AND role = 'review_chair' AND active;
