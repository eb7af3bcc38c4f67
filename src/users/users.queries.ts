import type { Role } from '../access/roles.js';
import { badRequest } from '../common/problem.js';
import { whereAll, type Queryable } from '../common/sql.js';
import type { User } from './user.entity.js';

/**
 * The SQL of the users module, and what other modules read and write of the
 * users: the auth module's sign-in counts and locks on the account row go
 * through the functions here.
 */

/** A user row under its entity's property names. */
const USER_COLUMNS = `
  u.id, u.email, u.name, u.role, u.partnership_id AS "partnershipId", u.agency_id AS "agencyId",
  u.password_hash AS "passwordHash", u.active, u.failed_login_count AS "failedLoginCount", u.locked_at AS "lockedAt",
  u.created_at AS "createdAt", u.updated_at AS "updatedAt"`;

/**
 * Taken before looking for the first user, for the rest of the transaction:
 * two servers starting at once with BOOTSTRAP_ADMIN_* set cannot both find
 * the table empty and both create an administrator. Reads go on; writes wait.
 */
export const LOCK_USERS_FOR_BOOTSTRAP = 'LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE';
/** A row when there is any user at all. */
export const ANY_USER = 'SELECT 1 FROM app_user LIMIT 1';

/** Whether anyone can sign in yet: none can before the first user (README, "First start"). */
export async function anyUserExists(db: Queryable): Promise<boolean> {
  const rows: unknown[] = await db.query(ANY_USER);
  return rows.length > 0;
}

/** Whether there is no user yet, the table locked against a second bootstrap until the transaction ends. */
export async function lockedUntilFirstUser(db: Queryable): Promise<boolean> {
  await db.query(LOCK_USERS_FOR_BOOTSTRAP);
  const rows: unknown[] = await db.query(ANY_USER);
  return rows.length === 0;
}

/** User $1. */
export const USER = `SELECT ${USER_COLUMNS} FROM app_user u WHERE u.id = $1`;
/** User $1, the row locked for the rest of the transaction. */
export const LOCK_USER = `${USER} FOR UPDATE`;

export async function findUser(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<User | null> {
  const [user]: User[] = await db.query(options.lock ? LOCK_USER : USER, [id]);
  return user ?? null;
}

/** The user with e-mail $1, whatever its case, the row locked for the rest of the transaction (a sign-in, an unlock link). */
export const LOCK_USER_BY_EMAIL = `SELECT ${USER_COLUMNS} FROM app_user u WHERE lower(u.email) = lower($1) FOR UPDATE`;

export async function lockUserByEmail(db: Queryable, email: string): Promise<User | null> {
  const [user]: User[] = await db.query(LOCK_USER_BY_EMAIL, [email]);
  return user ?? null;
}

/** A row when a user has e-mail $1, whatever its case. */
export const EMAIL_TAKEN = 'SELECT 1 FROM app_user WHERE lower(email) = lower($1) LIMIT 1';

export async function emailTaken(db: Queryable, email: string): Promise<boolean> {
  const rows: unknown[] = await db.query(EMAIL_TAKEN, [email]);
  return rows.length > 0;
}

export interface UserFilter {
  role?: Role;
  partnershipId?: string;
  agencyId?: string;
  active?: boolean;
  /** The lower-case e-mail of the last user seen. */
  afterEmail?: string;
}

/** Up to `limit` users matching the filter, by e-mail. */
export function listUsers(db: Queryable, filter: UserFilter, limit: number): Promise<User[]> {
  const { sql, params } = whereAll([
    filter.role !== undefined && { sql: 'u.role = ?', params: [filter.role] },
    filter.partnershipId !== undefined && { sql: 'u.partnership_id = ?', params: [filter.partnershipId] },
    filter.agencyId !== undefined && { sql: 'u.agency_id = ?', params: [filter.agencyId] },
    filter.active !== undefined && { sql: 'u.active = ?', params: [filter.active] },
    filter.afterEmail !== undefined && { sql: 'lower(u.email) > ?', params: [filter.afterEmail] },
  ]);
  return db.query(`SELECT ${USER_COLUMNS} FROM app_user u ${sql} ORDER BY lower(u.email) LIMIT $${params.length + 1}`, [...params, limit]);
}

/** The other active SDP administrators than user $1, their rows locked (so two cannot step down at once). */
export const LOCK_OTHER_ACTIVE_ADMINS = `SELECT u.id FROM app_user u WHERE u.role = 'sdp_admin' AND u.active AND u.id <> $1 FOR UPDATE`;

export async function lockOtherActiveAdmins(db: Queryable, userId: string): Promise<number> {
  const rows: unknown[] = await db.query(LOCK_OTHER_ACTIVE_ADMINS, [userId]);
  return rows.length;
}

/** What a new user is made with. */
export interface NewUser {
  email: string;
  name: string;
  role: Role;
  partnershipId: string | null;
  agencyId: string | null;
  passwordHash: string;
}

/** A new active, unlocked user. $1 e-mail … $6 password hash, $7 now. */
export const INSERT_USER = `
  INSERT INTO app_user AS u (email, name, role, partnership_id, agency_id, password_hash, active, failed_login_count, locked_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, true, 0, NULL, $7)
  RETURNING ${USER_COLUMNS}`;

export async function insertUser(db: Queryable, user: NewUser, now: Date): Promise<User> {
  const [row]: User[] = await db.query(INSERT_USER, [user.email, user.name, user.role, user.partnershipId, user.agencyId, user.passwordHash, now]);
  return row;
}

/** An administrator's change to a user: the membership always, the rest when given; `unlock` lifts a sign-in lock. */
export interface UserChange {
  role: Role;
  partnershipId: string | null;
  agencyId: string | null;
  name?: string;
  active?: boolean;
  passwordHash?: string;
  unlock?: boolean;
}

/**
 * Changes user $1: role $2, partnership $3, agency $4, and the name $5,
 * active $6 and password hash $7 when given (null keeps what it has); $8 true
 * lifts the sign-in lock and its count; $9 now.
 */
export const UPDATE_USER = `
  UPDATE app_user
     SET role = $2, partnership_id = $3, agency_id = $4,
         name = coalesce($5, name), active = coalesce($6, active), password_hash = coalesce($7, password_hash),
         failed_login_count = CASE WHEN $8 THEN 0 ELSE failed_login_count END,
         locked_at = CASE WHEN $8 THEN NULL ELSE locked_at END,
         updated_at = $9
   WHERE id = $1`;

export async function updateUser(db: Queryable, id: string, change: UserChange, now: Date): Promise<void> {
  await db.query(UPDATE_USER, [
    id,
    change.role,
    change.partnershipId,
    change.agencyId,
    change.name ?? null,
    change.active ?? null,
    change.passwordHash ?? null,
    change.unlock ?? false,
    now,
  ]);
}

/**
 * The account's wrong passwords in a row ($2; 0 after a sign-in), and, when
 * $3 is given, the time it locked for everyone.
 */
export const SET_SIGN_IN_FAILURES = `
  UPDATE app_user SET failed_login_count = $2, locked_at = coalesce($3, locked_at) WHERE id = $1`;

export async function setSignInFailures(db: Queryable, userId: string, inARow: number, lockedAt: Date | null = null): Promise<void> {
  await db.query(SET_SIGN_IN_FAILURES, [userId, inARow, lockedAt]);
}

/** Lifts account $1's sign-in lock and forgets its wrong passwords in a row. */
export const UNLOCK_USER = 'UPDATE app_user SET locked_at = NULL, failed_login_count = 0 WHERE id = $1';

export async function unlockUser(db: Queryable, userId: string): Promise<void> {
  await db.query(UNLOCK_USER, [userId]);
}

/** A row when user $1 is an active review chair. */
export const ACTIVE_REVIEW_CHAIR = `SELECT 1 FROM app_user WHERE id = $1 AND role = 'review_chair' AND active`;

/** A body that names a review chair must name an active one: 400 naming the field otherwise. */
export async function requireActiveReviewChair(db: Queryable, userId: string, field = 'reviewChairId'): Promise<void> {
  const rows: unknown[] = await db.query(ACTIVE_REVIEW_CHAIR, [userId]);
  if (rows.length > 0) return;
  throw badRequest(`${field}: no active review chair has this id`, [{ field, message: 'no active review chair has this id' }]);
}
