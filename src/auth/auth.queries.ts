/**
 * The raw SQL of the auth module. Sessions and users are otherwise read and
 * written through their TypeORM entities.
 */
import type { Role } from '../access/roles.js';

/**
 * The person behind an access token, if its session is live and they are
 * still active, and until when the session lasts unless refreshed.
 * $1 session id, $2 user id, $3 now.
 */
export const LIVE_SESSION_ACTOR = `
  SELECT u.role, u.partnership_id, u.agency_id, s.expires_at
    FROM auth_session s JOIN app_user u ON u.id = s.user_id
   WHERE s.id = $1::uuid AND u.id = $2::uuid AND u.active
     AND s.revoked_at IS NULL AND s.expires_at > $3`;

export interface LiveSessionActorRow {
  role: Role;
  partnership_id: string | null;
  agency_id: string | null;
  expires_at: Date;
}

/** Remembers a refresh token once it is swapped for a new pair. $1 token hash, $2 session id, $3 when. */
export const RECORD_SPENT_REFRESH_TOKEN = 'INSERT INTO auth_refresh_spent (token_hash, session_id, spent_at) VALUES ($1, $2, $3)';

/** A row when the presented token was already swapped in that session. $1 token hash, $2 session id. */
export const FIND_SPENT_REFRESH_TOKEN = 'SELECT 1 FROM auth_refresh_spent WHERE token_hash = $1 AND session_id = $2';

/** The account's lock for one client address, if any. $1 user id, $2 address. */
export const ADDRESS_LOCK = 'SELECT failed_count, locked_until FROM sign_in_address_lock WHERE user_id = $1 AND ip = $2';

export interface AddressLockRow {
  failed_count: number;
  locked_until: Date | null;
}

/**
 * Counts a wrong password from one address: the count starts again once an
 * earlier lock has passed, and reaching $4 attempts locks until $5.
 * $1 user id, $2 address, $3 now, $4 limit, $5 locked until.
 */
export const COUNT_ADDRESS_FAILURE = `
  INSERT INTO sign_in_address_lock AS l (user_id, ip, failed_count, locked_until, updated_at)
  VALUES ($1, $2, 1, CASE WHEN 1 >= $4 THEN $5::timestamptz END, $3)
  ON CONFLICT (user_id, ip) DO UPDATE SET
    failed_count = CASE WHEN l.locked_until IS NOT NULL AND l.locked_until <= $3 THEN 1 ELSE l.failed_count + 1 END,
    locked_until = CASE
      WHEN (CASE WHEN l.locked_until IS NOT NULL AND l.locked_until <= $3 THEN 1 ELSE l.failed_count + 1 END) >= $4 THEN $5::timestamptz
      WHEN l.locked_until IS NOT NULL AND l.locked_until <= $3 THEN NULL
      ELSE l.locked_until END,
    updated_at = $3
  RETURNING failed_count, locked_until`;

/** Forgets an address's count after a right password from it. $1 user id, $2 address. */
export const CLEAR_ADDRESS_LOCK = 'DELETE FROM sign_in_address_lock WHERE user_id = $1 AND ip = $2';

/**
 * Records a wrong password on the account, forgets those older than the
 * window (and the counts of addresses not heard from in it, once unlocked),
 * and answers how many are left in it. $1 user id, $2 now, $3 window start.
 */
export const COUNT_ACCOUNT_FAILURE = `
  WITH recorded AS (INSERT INTO sign_in_failure (user_id, failed_at) VALUES ($1, $2)),
       forgotten AS (DELETE FROM sign_in_failure WHERE user_id = $1 AND failed_at <= $3),
       quiet AS (
         DELETE FROM sign_in_address_lock
          WHERE user_id = $1 AND updated_at <= $3 AND (locked_until IS NULL OR locked_until <= $2))
  SELECT count(*)::int + 1 AS failures FROM sign_in_failure WHERE user_id = $1 AND failed_at > $3`;

/** Ends every lock and count of an account, when an admin reactivates it. $1 user id. */
export const CLEAR_SIGN_IN_LOCKS = `
  WITH addresses AS (DELETE FROM sign_in_address_lock WHERE user_id = $1)
  DELETE FROM sign_in_failure WHERE user_id = $1`;
