import { caseScopeCondition } from '../access/access.queries.js';
import type { Actor } from '../access/roles.js';
import { namedTerm, whereAll, type Queryable } from '../common/sql.js';
import type { EmailDelivery, Notification } from './notification.entity.js';

/** The SQL of the notifications module: the only writer of notifications and the e-mail outbox. */

/** Someone told: their user id and address. */
export interface Recipient {
  userId: string;
  email: string;
}

/** The active SDP administrators, who are told of what concerns the service rather than a case. */
export const ACTIVE_ADMINS = `SELECT id AS "userId", email FROM app_user WHERE role = 'sdp_admin' AND active ORDER BY id`;

export function activeAdmins(db: Queryable): Promise<Recipient[]> {
  return db.query(ACTIVE_ADMINS);
}

/** The active leads of agency $1, who are told of what their agency is asked to do in a case. */
export const ACTIVE_AGENCY_LEADS = `SELECT id AS "userId", email FROM app_user WHERE role = 'agency_lead' AND agency_id = $1 AND active ORDER BY id`;

export function activeAgencyLeads(db: Queryable, agencyId: string): Promise<Recipient[]> {
  return db.query(ACTIVE_AGENCY_LEADS, [agencyId]);
}

/** The active CSP chairs of partnership $1, who are told when a case leaves it (docs/domain.md, "Transfer between partnerships"). */
export const ACTIVE_PARTNERSHIP_CHAIRS = `SELECT id AS "userId", email FROM app_user WHERE role = 'csp_chair' AND partnership_id = $1 AND active ORDER BY id`;

export function activePartnershipChairs(db: Queryable, partnershipId: string): Promise<Recipient[]> {
  return db.query(ACTIVE_PARTNERSHIP_CHAIRS, [partnershipId]);
}

/** Notifications, one per element of the arrays $1 (ids) … $7 (bodies) and $8 (whether each waits for the digest), all made at $9. */
export const INSERT_NOTIFICATIONS = `
  INSERT INTO notification (id, user_id, case_id, alert_id, kind, title, body, awaits_digest, created_at)
  SELECT i, u, c, a, k, t, b, d, $9
    FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::boolean[]) AS x(i, u, c, a, k, t, b, d)`;

/** A notification to write. */
export type NewNotification = Pick<Notification, 'id' | 'userId' | 'caseId' | 'alertId' | 'kind' | 'title' | 'body' | 'awaitsDigest'>;

export async function insertNotifications(db: Queryable, notifications: NewNotification[], now: Date): Promise<void> {
  const column = <K extends keyof NewNotification>(key: K) => notifications.map((n) => n[key]);
  await db.query(INSERT_NOTIFICATIONS, [
    column('id'),
    column('userId'),
    column('caseId'),
    column('alertId'),
    column('kind'),
    column('title'),
    column('body'),
    column('awaitsDigest'),
    now,
  ]);
}

/** E-mails into the outbox, one per element of the arrays $1 (notification ids) … $4 (bodies), due at $5. */
export const QUEUE_EMAILS = `
  INSERT INTO email_outbox (notification_id, to_address, subject, body, next_attempt_at)
  SELECT n, t, s, b, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(n, t, s, b)`;

/** An e-mail to queue, tied to its notification. */
export interface NewEmail {
  notificationId: string;
  to: string;
  subject: string;
  body: string;
}

export async function queueEmails(db: Queryable, emails: NewEmail[], now: Date): Promise<void> {
  await db.query(QUEUE_EMAILS, [emails.map((e) => e.notificationId), emails.map((e) => e.to), emails.map((e) => e.subject), emails.map((e) => e.body), now]);
}

/** A notification row under its entity's property names. */
const NOTIFICATION_COLUMNS = `
  n.id, n.seq, n.user_id AS "userId", n.case_id AS "caseId", n.alert_id AS "alertId", n.kind, n.title, n.body,
  n.created_at AS "createdAt", n.read_at AS "readAt", n.awaits_digest AS "awaitsDigest", n.digest_id AS "digestId"`;

export interface NotificationFilter {
  /** true: only those not read yet; false: only those read. */
  unread?: boolean;
  /** The seq of the last one seen (newest first). */
  beforeSeq?: string;
}

/** The person's own notifications (`n`) that they may still see: about no case, or about a case in their current scope (caseScopeCondition). */
function ownInScope(actor: Actor) {
  const inScope = namedTerm(caseScopeCondition(actor));
  return [
    { sql: 'n.user_id = ?', params: [actor.userId] },
    { sql: `n.case_id IS NULL OR EXISTS (SELECT 1 FROM review_case c WHERE c.id = n.case_id AND (${inScope.sql}))`, params: inScope.params },
  ];
}

/**
 * Up to `limit` of the person's own notifications, newest first: those about
 * no case, and those whose case is in their current scope (caseScopeCondition).
 */
export function listNotifications(db: Queryable, actor: Actor, filter: NotificationFilter, limit: number): Promise<Notification[]> {
  const { sql, params } = whereAll([
    ...ownInScope(actor),
    filter.unread === true && { sql: 'n.read_at IS NULL', params: [] },
    filter.unread === false && { sql: 'n.read_at IS NOT NULL', params: [] },
    filter.beforeSeq !== undefined && { sql: 'n.seq < ?::bigint', params: [filter.beforeSeq] },
  ]);
  return db.query(`SELECT ${NOTIFICATION_COLUMNS} FROM notification n ${sql} ORDER BY n.seq DESC LIMIT $${params.length + 1}`, [...params, limit]);
}

/** Notification $1 if it is user $2's. */
export const OWN_NOTIFICATION = `SELECT ${NOTIFICATION_COLUMNS} FROM notification n WHERE n.id = $1 AND n.user_id = $2`;

export async function findOwnNotification(db: Queryable, id: string, userId: string): Promise<Notification | null> {
  const [notification]: Notification[] = await db.query(OWN_NOTIFICATION, [id, userId]);
  return notification ?? null;
}

/**
 * Marks notification $1 read at $2 unless it already is, and answers its id
 * only if this statement marked it: of two requests marking it at once, the
 * second waits for the first's row lock, then finds it read and marks nothing.
 */
export const MARK_READ = `UPDATE notification SET read_at = $2 WHERE id = $1 AND read_at IS NULL RETURNING id`;

/** Whether this call marked it read (false: another request at the same moment did first). */
export async function markNotificationRead(db: Queryable, id: string, readAt: Date): Promise<boolean> {
  // An UPDATE … RETURNING answers [rows, how many].
  const [marked]: [{ id: string }[], number] = await db.query(MARK_READ, [id, readAt]);
  return marked.length > 0;
}

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

/** An e-mail claimed for sending. */
export interface ClaimedEmail {
  id: string;
  to_address: string;
  subject: string;
  body: string;
  attempts: number;
  recipient_active: boolean;
}

export async function claimDueEmails(db: Queryable, now: Date, lease: Date, batch: number): Promise<ClaimedEmail[]> {
  // An UPDATE … RETURNING answers [rows, how many].
  const [rows]: [ClaimedEmail[], number] = await db.query(CLAIM_DUE_EMAILS, [now, lease, batch]);
  return rows;
}

/** Writes a send's outcome only while this run still holds the row's lease (next_attempt_at = $2). */
export const SETTLE_EMAIL = `
  UPDATE email_outbox
     SET status = $3, attempts = coalesce($4, attempts), sent_at = coalesce($5, sent_at),
         last_error = coalesce($6, last_error), next_attempt_at = coalesce($7, next_attempt_at)
   WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2`;

/** How a send went: its status, and what changed (left out: kept). */
export interface EmailOutcome {
  status: string;
  attempts?: number;
  sentAt?: Date;
  lastError?: string;
  nextAttemptAt?: Date;
}

export async function settleEmail(db: Queryable, id: string, lease: Date, outcome: EmailOutcome): Promise<void> {
  await db.query(SETTLE_EMAIL, [
    id,
    lease,
    outcome.status,
    outcome.attempts ?? null,
    outcome.sentAt ?? null,
    outcome.lastError ?? null,
    outcome.nextAttemptAt ?? null,
  ]);
}

// ---- each person's e-mail setting ----

/** The e-mail settings of the people $1 (uuid[]) who have one; anyone else has the default. */
export const EMAIL_DELIVERIES_OF = `SELECT user_id, email_delivery FROM notification_setting WHERE user_id = ANY($1::uuid[])`;

/** How each of these people is e-mailed, for those who chose; the others have DEFAULT_EMAIL_DELIVERY. */
export async function emailDeliveries(db: Queryable, userIds: string[]): Promise<Map<string, EmailDelivery>> {
  if (userIds.length === 0) return new Map();
  const rows: { user_id: string; email_delivery: EmailDelivery }[] = await db.query(EMAIL_DELIVERIES_OF, [[...new Set(userIds)]]);
  return new Map(rows.map((row) => [row.user_id, row.email_delivery]));
}

/** Sets person $1's e-mail delivery to $2, at $3. */
export const SAVE_EMAIL_DELIVERY = `
  INSERT INTO notification_setting (user_id, email_delivery, updated_at) VALUES ($1, $2, $3)
  ON CONFLICT (user_id) DO UPDATE SET email_delivery = EXCLUDED.email_delivery, updated_at = EXCLUDED.updated_at`;

export async function saveEmailDelivery(db: Queryable, userId: string, delivery: EmailDelivery, now: Date): Promise<void> {
  await db.query(SAVE_EMAIL_DELIVERY, [userId, delivery, now]);
}

// ---- the daily digest ----

/** Held until the digest's transaction ends; another instance's attempt answers false at once. */
export const TRY_DIGEST_LOCK = 'SELECT pg_try_advisory_xact_lock($1) AS locked';

/** Whether the digest's lock was taken: false when another instance holds it. */
export async function tryDigestLock(db: Queryable, key: number): Promise<boolean> {
  const [row]: { locked: boolean }[] = await db.query(TRY_DIGEST_LOCK, [key]);
  return row.locked;
}

/** Someone with notifications waiting for their digest, as the access conditions need them. */
export interface DigestRecipient extends Recipient {
  role: Actor['role'];
  partnershipId: string | null;
  agencyId: string | null;
}

/** The active people with notifications waiting for a digest and no digest yet on day $1. */
export const AWAITING_DIGEST = `
  SELECT u.id AS "userId", u.email, u.role, u.partnership_id AS "partnershipId", u.agency_id AS "agencyId"
    FROM app_user u
   WHERE u.active
     AND EXISTS (SELECT 1 FROM notification n WHERE n.user_id = u.id AND n.awaits_digest AND n.digest_id IS NULL)
     AND NOT EXISTS (SELECT 1 FROM notification_digest d WHERE d.user_id = u.id AND d.digest_on = $1)
   ORDER BY u.id`;

export function awaitingDigest(db: Queryable, day: string): Promise<DigestRecipient[]> {
  return db.query(AWAITING_DIGEST, [day]);
}

/** Person $1's digest of day $2, made at $3, unless they have one: answers its id only if this statement made it. */
export const CLAIM_DIGEST = `
  INSERT INTO notification_digest (user_id, digest_on, created_at) VALUES ($1, $2, $3)
  ON CONFLICT ON CONSTRAINT notification_digest_once DO NOTHING
  RETURNING id`;

export async function claimDigest(db: Queryable, userId: string, day: string, now: Date): Promise<string | null> {
  const [row]: { id: string }[] = await db.query(CLAIM_DIGEST, [userId, day, now]);
  return row?.id ?? null;
}

/** Puts every notification of person $1 waiting for a digest into digest $2. */
export const TAKE_INTO_DIGEST = `UPDATE notification SET digest_id = $2 WHERE user_id = $1 AND awaits_digest AND digest_id IS NULL`;

export async function takeIntoDigest(db: Queryable, userId: string, digestId: string): Promise<number> {
  // An UPDATE answers [rows, how many].
  const [, taken]: [unknown[], number] = await db.query(TAKE_INTO_DIGEST, [userId, digestId]);
  return taken;
}

/** A notification as a digest lists it, with how many the digest lists in all. */
export interface DigestLine {
  title: string;
  createdAt: Date;
  total: number;
}

/**
 * The first `limit` notifications of a digest that its person may still see
 * (the same scope as their list), oldest first, each with the digest's total.
 */
export function digestLines(db: Queryable, actor: Actor, digestId: string, limit: number): Promise<DigestLine[]> {
  const { sql, params } = whereAll([...ownInScope(actor), { sql: 'n.digest_id = ?', params: [digestId] }]);
  return db.query(
    `SELECT n.title, n.created_at AS "createdAt", (count(*) OVER ())::int AS total FROM notification n ${sql} ORDER BY n.seq LIMIT $${params.length + 1}`,
    [...params, limit],
  );
}

/** Records digest $1's summary notification $2 and how many notifications it listed ($3). */
export const SETTLE_DIGEST = `UPDATE notification_digest SET notification_id = $2, notices = $3 WHERE id = $1`;

export async function settleDigest(db: Queryable, digestId: string, notificationId: string | null, notices: number): Promise<void> {
  await db.query(SETTLE_DIGEST, [digestId, notificationId, notices]);
}
