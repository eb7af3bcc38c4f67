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

/** Forgets the counts of account $1's addresses not heard from since $2, once unlocked at $3. */
export const FORGET_QUIET_ADDRESSES = `
  DELETE FROM sign_in_address_lock
   WHERE user_id = $1 AND updated_at <= $2 AND (locked_until IS NULL OR locked_until <= $3)`;

/**
 * The key refused sign-ins are counted under: a hash of the e-mail address as
 * typed, ignoring case, whether or not an account has it (so the slowdown
 * tells a stranger nothing), and so that no address a stranger typed is kept.
 */
const emailKey = (email: string) => `encode(sha256(convert_to(lower(${email}), 'UTF8')), 'hex')`;

/** Takes sign-ins with e-mail $1 one after another until the transaction ends, whether or not an account has it. */
export const SERIALISE_EMAIL_ATTEMPTS = `SELECT pg_advisory_xact_lock(hashtextextended(${emailKey('$1::text')}, 0))`;

/** The refusals in a row with e-mail $1, unless the last was at or before $2 (forgotten). */
export const SLOWDOWN = `
  SELECT failures, last_failed_at FROM sign_in_slowdown
   WHERE email_key = ${emailKey('$1::text')} AND last_failed_at > $2`;

export interface SlowdownRow {
  failures: number;
  last_failed_at: Date;
}

/**
 * Counts a refused sign-in with e-mail $1 at $2; the count starts again after
 * a quiet spell (the last refusal at or before $3), and other e-mails' quiet
 * counts are forgotten on the way.
 */
export const COUNT_SLOWDOWN_FAILURE = `
  WITH forgotten AS (DELETE FROM sign_in_slowdown WHERE last_failed_at <= $3 AND email_key <> ${emailKey('$1::text')})
  INSERT INTO sign_in_slowdown AS s (email_key, failures, last_failed_at) VALUES (${emailKey('$1::text')}, 1, $2)
  ON CONFLICT (email_key) DO UPDATE SET
    failures = CASE WHEN s.last_failed_at <= $3 THEN 1 ELSE s.failures + 1 END,
    last_failed_at = $2`;

/** Ends the slowdown of e-mail $1 (after a sign-in with it). */
export const CLEAR_SLOWDOWN = `DELETE FROM sign_in_slowdown WHERE email_key = ${emailKey('$1::text')}`;

/** A row when account $1 signed in from address $2 after $3 (its sessions remember where from). */
export const KNOWN_ADDRESS = 'SELECT 1 FROM auth_session WHERE user_id = $1 AND ip = $2 AND created_at > $3 LIMIT 1';

/** Gives account $1 a new unlock link, the old one stopping: $2 the token's hash, $3 now, $4 when it expires. */
export const ISSUE_UNLOCK_LINK = `
  INSERT INTO sign_in_unlock (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, created_at = $3, expires_at = $4`;

/** When account $1's live link was made, if it has one. */
export const UNLOCK_LINK_MADE = 'SELECT created_at FROM sign_in_unlock WHERE user_id = $1';

/** Spends the link whose token hashes to $1, expired or not: its account and expiry, or no row. */
export const SPEND_UNLOCK_LINK = 'DELETE FROM sign_in_unlock WHERE token_hash = $1 RETURNING user_id, expires_at';

export interface SpentUnlockLinkRow {
  user_id: string;
  expires_at: Date;
}

/**
 * Ends every lock, count and unlock link of account $1: its addresses'
 * counts, the slowdown of its e-mail, its link (when an admin reactivates it,
 * or its link is used).
 */
export const CLEAR_SIGN_IN_LOCKS = `
  WITH addresses AS (DELETE FROM sign_in_address_lock WHERE user_id = $1),
       links AS (DELETE FROM sign_in_unlock WHERE user_id = $1)
  DELETE FROM sign_in_slowdown WHERE email_key = (SELECT ${emailKey('email')} FROM app_user WHERE id = $1)`;
