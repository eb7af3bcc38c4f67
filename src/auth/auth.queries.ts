/**
 * The SQL of the auth module: sessions, spent refresh tokens, the sign-in
 * limits and unlock links (docs/security.md, "Sign-in limits and trusted
 * proxies"). The account row itself is the users module's (users.queries.ts).
 */
import type { Role } from '../access/roles.js';
import type { Queryable } from '../common/sql.js';
import type { AuthSession } from './auth-session.entity.js';
import { PRINCIPAL_CHANNEL } from './principal-cache.js';

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

export async function liveSessionActor(db: Queryable, sessionId: string, userId: string, now: Date): Promise<LiveSessionActorRow | null> {
  const [row]: LiveSessionActorRow[] = await db.query(LIVE_SESSION_ACTOR, [sessionId, userId, now]);
  return row ?? null;
}

/** A session row under its entity's property names. */
const SESSION_COLUMNS = `
  id, user_id AS "userId", refresh_token_hash AS "refreshTokenHash", created_at AS "createdAt", refreshed_at AS "refreshedAt",
  expires_at AS "expiresAt", revoked_at AS "revokedAt", revoked_reason AS "revokedReason", ip`;

/** Session $1. */
export const SESSION = `SELECT ${SESSION_COLUMNS} FROM auth_session WHERE id = $1`;

export async function findSession(db: Queryable, sessionId: string): Promise<AuthSession | null> {
  const [session]: AuthSession[] = await db.query(SESSION, [sessionId]);
  return session ?? null;
}

/** A new sign-in. $1 id, $2 user, $3 refresh token hash, $4 now, $5 expiry, $6 client address. */
export const INSERT_SESSION = `
  INSERT INTO auth_session (id, user_id, refresh_token_hash, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5, $6)`;

export async function insertSession(
  db: Queryable,
  session: Pick<AuthSession, 'id' | 'userId' | 'refreshTokenHash' | 'createdAt' | 'expiresAt' | 'ip'>,
): Promise<void> {
  await db.query(INSERT_SESSION, [session.id, session.userId, session.refreshTokenHash, session.createdAt, session.expiresAt, session.ip]);
}

/**
 * Swaps session $1's refresh token by compare-and-swap: only while its hash
 * is still $2, it is live on $4 and within its absolute limit ($6 hours from
 * sign-in). The new hash is $3; the refresh lifetime slides forward to $5,
 * but never past the absolute limit. Answers the session's user, or no row.
 */
export const ROTATE_REFRESH_TOKEN = `
  UPDATE auth_session
     SET refresh_token_hash = $3, refreshed_at = $4, expires_at = LEAST($5::timestamptz, created_at + make_interval(hours => $6))
   WHERE id = $1 AND refresh_token_hash = $2 AND revoked_at IS NULL AND expires_at > $4
     AND created_at + make_interval(hours => $6) > $4
  RETURNING user_id`;

export interface RefreshTokenSwap {
  sessionId: string;
  presentedHash: string;
  newHash: string;
  now: Date;
  slidExpiry: Date;
  maxHours: number;
}

/** The session's user when the token was swapped; null when the presented one was not its live token. */
export async function rotateRefreshToken(db: Queryable, swap: RefreshTokenSwap): Promise<string | null> {
  const { sessionId, presentedHash, newHash, now, slidExpiry, maxHours } = swap;
  // An UPDATE … RETURNING answers [rows, how many].
  const [[row]]: [{ user_id: string }[], number] = await db.query(ROTATE_REFRESH_TOKEN, [sessionId, presentedHash, newHash, now, slidExpiry, maxHours]);
  return row?.user_id ?? null;
}

/** Ends session $1 for reason $2 at $3, unless it has already ended. */
export const REVOKE_SESSION = 'UPDATE auth_session SET revoked_at = $3, revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL';

export async function revokeSession(db: Queryable, sessionId: string, reason: string, now: Date): Promise<void> {
  await db.query(REVOKE_SESSION, [sessionId, reason, now]);
}

/** Ends every live session of user $1, for reason $2 at $3: their tokens stop working on the next request. */
export const REVOKE_ALL_SESSIONS = 'UPDATE auth_session SET revoked_at = $3, revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL';

export async function revokeAllSessions(db: Queryable, userId: string, reason: string, now: Date): Promise<void> {
  await db.query(REVOKE_ALL_SESSIONS, [userId, reason, now]);
}

/** Remembers a refresh token once it is swapped for a new pair. $1 token hash, $2 session id, $3 when. */
export const RECORD_SPENT_REFRESH_TOKEN = 'INSERT INTO auth_refresh_spent (token_hash, session_id, spent_at) VALUES ($1, $2, $3)';

export async function recordSpentRefreshToken(db: Queryable, tokenHash: string, sessionId: string, now: Date): Promise<void> {
  await db.query(RECORD_SPENT_REFRESH_TOKEN, [tokenHash, sessionId, now]);
}

/** A row when the presented token was already swapped in that session. $1 token hash, $2 session id. */
export const FIND_SPENT_REFRESH_TOKEN = 'SELECT 1 FROM auth_refresh_spent WHERE token_hash = $1 AND session_id = $2';

export async function refreshTokenSpent(db: Queryable, tokenHash: string, sessionId: string): Promise<boolean> {
  const rows: unknown[] = await db.query(FIND_SPENT_REFRESH_TOKEN, [tokenHash, sessionId]);
  return rows.length > 0;
}

/** The account's lock for one client address, if any. $1 user id, $2 address. */
export const ADDRESS_LOCK = 'SELECT failed_count, locked_until FROM sign_in_address_lock WHERE user_id = $1 AND ip = $2';

export interface AddressLockRow {
  failed_count: number;
  locked_until: Date | null;
}

export async function addressLock(db: Queryable, userId: string, ip: string): Promise<AddressLockRow | null> {
  const [row]: AddressLockRow[] = await db.query(ADDRESS_LOCK, [userId, ip]);
  return row ?? null;
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

export async function countAddressFailure(db: Queryable, userId: string, ip: string, now: Date, limit: number, lockUntil: Date): Promise<AddressLockRow> {
  const [row]: AddressLockRow[] = await db.query(COUNT_ADDRESS_FAILURE, [userId, ip, now, limit, lockUntil]);
  return row;
}

/** Forgets an address's count after a right password from it. $1 user id, $2 address. */
export const CLEAR_ADDRESS_LOCK = 'DELETE FROM sign_in_address_lock WHERE user_id = $1 AND ip = $2';

export async function clearAddressLock(db: Queryable, userId: string, ip: string): Promise<void> {
  await db.query(CLEAR_ADDRESS_LOCK, [userId, ip]);
}

/** Forgets the counts of account $1's addresses not heard from since $2, once unlocked at $3. */
export const FORGET_QUIET_ADDRESSES = `
  DELETE FROM sign_in_address_lock
   WHERE user_id = $1 AND updated_at <= $2 AND (locked_until IS NULL OR locked_until <= $3)`;

export async function forgetQuietAddresses(db: Queryable, userId: string, quietSince: Date, now: Date): Promise<void> {
  await db.query(FORGET_QUIET_ADDRESSES, [userId, quietSince, now]);
}

/**
 * The key refused sign-ins are counted under: a hash of the e-mail address as
 * typed, ignoring case, whether or not an account has it (so the slowdown
 * tells a stranger nothing), and so that no address a stranger typed is kept.
 */
const emailKey = (email: string) => `encode(sha256(convert_to(lower(${email}), 'UTF8')), 'hex')`;

/** Takes sign-ins with e-mail $1 one after another until the transaction ends, whether or not an account has it. */
export const SERIALISE_EMAIL_ATTEMPTS = `SELECT pg_advisory_xact_lock(hashtextextended(${emailKey('$1::text')}, 0))`;

export async function serialiseEmailAttempts(db: Queryable, email: string): Promise<void> {
  await db.query(SERIALISE_EMAIL_ATTEMPTS, [email]);
}

/** The refusals in a row with e-mail $1, unless the last was at or before $2 (forgotten). */
export const SLOWDOWN = `
  SELECT failures, last_failed_at FROM sign_in_slowdown
   WHERE email_key = ${emailKey('$1::text')} AND last_failed_at > $2`;

export interface SlowdownRow {
  failures: number;
  last_failed_at: Date;
}

export async function slowdown(db: Queryable, email: string, forgottenBefore: Date): Promise<SlowdownRow | null> {
  const [row]: SlowdownRow[] = await db.query(SLOWDOWN, [email, forgottenBefore]);
  return row ?? null;
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

export async function countSlowdownFailure(db: Queryable, email: string, now: Date, forgottenBefore: Date): Promise<void> {
  await db.query(COUNT_SLOWDOWN_FAILURE, [email, now, forgottenBefore]);
}

/** Ends the slowdown of e-mail $1 (after a sign-in with it). */
export const CLEAR_SLOWDOWN = `DELETE FROM sign_in_slowdown WHERE email_key = ${emailKey('$1::text')}`;

export async function clearSlowdown(db: Queryable, email: string): Promise<void> {
  await db.query(CLEAR_SLOWDOWN, [email]);
}

/** A row when account $1 signed in from address $2 after $3 (its sessions remember where from). */
export const KNOWN_ADDRESS = 'SELECT 1 FROM auth_session WHERE user_id = $1 AND ip = $2 AND created_at > $3 LIMIT 1';

export async function knownAddress(db: Queryable, userId: string, ip: string, since: Date): Promise<boolean> {
  const rows: unknown[] = await db.query(KNOWN_ADDRESS, [userId, ip, since]);
  return rows.length > 0;
}

/** Gives account $1 a new unlock link, the old one stopping: $2 the token's hash, $3 now, $4 when it expires. */
export const ISSUE_UNLOCK_LINK = `
  INSERT INTO sign_in_unlock (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, created_at = $3, expires_at = $4`;

export async function issueUnlockLink(db: Queryable, userId: string, tokenHash: string, now: Date, expiresAt: Date): Promise<void> {
  await db.query(ISSUE_UNLOCK_LINK, [userId, tokenHash, now, expiresAt]);
}

/** When account $1's live link was made, if it has one. */
export const UNLOCK_LINK_MADE = 'SELECT created_at FROM sign_in_unlock WHERE user_id = $1';

export async function unlockLinkMadeAt(db: Queryable, userId: string): Promise<Date | null> {
  const [row]: { created_at: Date }[] = await db.query(UNLOCK_LINK_MADE, [userId]);
  return row?.created_at ?? null;
}

/** Spends the link whose token hashes to $1, expired or not: its account and expiry, or no row. */
export const SPEND_UNLOCK_LINK = 'DELETE FROM sign_in_unlock WHERE token_hash = $1 RETURNING user_id, expires_at';

export interface SpentUnlockLinkRow {
  user_id: string;
  expires_at: Date;
}

export async function spendUnlockLink(db: Queryable, tokenHash: string): Promise<SpentUnlockLinkRow | null> {
  // A DELETE … RETURNING answers [rows, how many].
  const [[link]]: [SpentUnlockLinkRow[], number] = await db.query(SPEND_UNLOCK_LINK, [tokenHash]);
  return link ?? null;
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

/** Lifts every sign-in limit of a user (their addresses' locks, their e-mail's slowdown) and spends their unlock link. */
export async function clearSignInLocks(db: Queryable, userId: string): Promise<void> {
  await db.query(CLEAR_SIGN_IN_LOCKS, [userId]);
}

/**
 * What PrincipalChanges sends on its own listening connection (a plain pg
 * client, outside the pool: principal-changes.service.ts): it listens for the
 * changes the triggers announce, and makes a round trip before memory is used.
 */
export const LISTEN_FOR_PRINCIPAL_CHANGES = `LISTEN ${PRINCIPAL_CHANNEL}`;
export const LISTENER_ROUND_TRIP = 'SELECT 1';
