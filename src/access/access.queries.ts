import { getMetadataArgsStorage, type ObjectLiteral } from 'typeorm';
import { ReviewCase } from '../cases/case.entities.js';
import { namedTerm, whereAll, type Queryable } from '../common/sql.js';
import { isClient, type Principal } from './client-principal.js';
import { FEATURES } from '../features.js';
import type { Actor } from './roles.js';

/**
 * The SQL of the access module: which cases an actor's scope holds, and who
 * a case's people are (docs/domain.md, "Who may see and do what").
 */

/**
 * The rows that put a case in an agency's scope, as the feature modules
 * declare them (docs/domain.md, "Who may see and do what"): through its
 * panel or a contribution request an agency contributes to a case (what lets
 * it submit material, a chronology); owning an action of the case's action
 * plan is enough to take part, so that an agency named only in the action
 * plan reaches the actions it must report progress on. Read at call time:
 * the manifests load modules that use these conditions.
 */
function agencyTerms(caseId: string, agencyId: string, contributesOnly: boolean): string {
  const terms = FEATURES.flatMap((feature) => feature.agencyScope ?? []).filter((term) => term.contributes || !contributesOnly);
  const exists = terms.map(
    (term) => `EXISTS (SELECT 1 FROM ${term.table} scope_row WHERE scope_row.${term.caseColumn} = ${caseId} AND scope_row.${term.agencyColumn} = ${agencyId})`,
  );
  return `(${exists.join('\n        OR ') || 'FALSE'})`;
}

/** An agency contributes to a case: the SQL condition, for any two expressions. */
function contributesCondition(caseId: string, agencyId: string): string {
  return agencyTerms(caseId, agencyId, true);
}

/** An agency takes part in a case: what puts a case in its lead's scope. */
function agencyInvolved(caseId: string, agencyId: string): string {
  return agencyTerms(caseId, agencyId, false);
}

/** Whether an agency contributes to a case: on its panel or asked for a contribution (who may submit a chronology). */
export async function agencyContributes(db: Queryable, caseId: string, agencyId: string): Promise<boolean> {
  const [row]: { contributes: boolean }[] = await db.query(`SELECT ${contributesCondition('$1', '$2')} AS contributes`, [caseId, agencyId]);
  return row.contributes;
}

/** The condition, on a case aliased `c`, that puts it in the actor's scope. */
export function caseScopeCondition(actor: Actor): { condition: string; params: ObjectLiteral } {
  switch (actor.role) {
    case 'sdp_admin':
      return { condition: 'TRUE', params: {} };
    case 'csp_chair':
      return { condition: 'c.partnership_id = :scopePartnershipId', params: { scopePartnershipId: actor.partnershipId } };
    case 'review_chair':
      return { condition: 'c.review_chair_id = :scopeUserId', params: { scopeUserId: actor.userId } };
    case 'agency_lead':
      // An agency is involved in a case through the panel, a contribution request or an action it owns.
      return { condition: agencyInvolved('c.id', ':scopeAgencyId'), params: { scopeAgencyId: actor.agencyId } };
  }
}

/**
 * The condition, on a partnership's rows, that limits a REST client to its
 * partnership (`column` names theirs); a client limited to none reads all.
 */
export function clientPartnershipCondition(client: { partnershipId: string | null }, column: string): { condition: string; params: ObjectLiteral } {
  if (client.partnershipId === null) return { condition: 'TRUE', params: {} };
  return { condition: `${column} = :clientPartnershipId`, params: { clientPartnershipId: client.partnershipId } };
}

/**
 * The cases (aliased `c`) a principal reads: a person's scope
 * (caseScopeCondition), a REST client's partnership or every one
 * (clientPartnershipCondition). Features ask this rather than telling
 * clients from people themselves.
 */
export function principalCaseScope(reader: Principal): { condition: string; params: ObjectLiteral } {
  return isClient(reader) ? clientPartnershipCondition(reader, 'c.partnership_id') : caseScopeCondition(reader);
}

/**
 * The condition, on a stored milestone aliased `m` (milestones/
 * milestone-state.ts), that puts its case in the actor's scope: the same
 * scope as caseScopeCondition, written so that a CSP chair's reads the
 * milestone's own partnership column. A REST client's is its partnership.
 */
export function milestoneScopeCondition(actor: Principal): { condition: string; params: ObjectLiteral } {
  if (isClient(actor)) return clientPartnershipCondition(actor, 'm.partnership_id');
  if (actor.role === 'sdp_admin') return { condition: 'TRUE', params: {} };
  if (actor.role === 'csp_chair') return { condition: 'm.partnership_id = :scopePartnershipId', params: { scopePartnershipId: actor.partnershipId } };
  const { condition, params } = caseScopeCondition(actor);
  return { condition: `m.case_id IN (SELECT c.id FROM review_case c WHERE ${condition})`, params };
}

/**
 * The condition, on a partnership aliased `p`, that puts it in the actor's
 * reports and dashboards (docs/domain.md, "Reports and REST clients"): every
 * partnership for an SDP admin, their own for a CSP chair, a REST client's
 * own (or every one). Only those two roles and clients with reports:read
 * reach the reports at all (their routes say so); anyone else's condition
 * holds nothing.
 */
export function reportScopeCondition(actor: Principal): { condition: string; params: ObjectLiteral } {
  if (isClient(actor)) return clientPartnershipCondition(actor, 'p.id');
  if (actor.role === 'sdp_admin') return { condition: 'TRUE', params: {} };
  if (actor.role === 'csp_chair') return { condition: 'p.id = :reportPartnershipId', params: { reportPartnershipId: actor.partnershipId } };
  return { condition: 'FALSE', params: {} };
}

/**
 * The condition, on an audit event aliased `e`, that lets the actor read it.
 * Only SDP admins and CSP chairs reach the audit trail at all (its route
 * says so); a CSP chair reads the events about the cases their CSP holds
 * now, whatever partnership an event was filed under when it happened, so
 * that a case's trail moves with it to another partnership (docs/domain.md,
 * "Transfer between partnerships"); events about no case (sign-ins, users,
 * agencies) stay with the SDP.
 */
export function auditScopeCondition(actor: Actor): { condition: string; params: ObjectLiteral } {
  if (actor.role === 'sdp_admin') return { condition: 'TRUE', params: {} };
  if (actor.role === 'csp_chair') {
    // The chair's case scope itself (caseScopeCondition), not a copy of it: the trail is read of the cases they may read.
    const cases = caseScopeCondition(actor);
    return { condition: `e.case_id IN (SELECT c.id FROM review_case c WHERE ${cases.condition})`, params: cases.params };
  }
  return { condition: 'FALSE', params: {} };
}

/** The partnership a case belongs to, read without scope (for the audit trail of a refusal only). */
export const OWNING_PARTNERSHIP = 'SELECT partnership_id FROM review_case WHERE id = $1';

/**
 * A case's people, who are told of what happens to it: every active SDP
 * admin, the chair of the case's CSP and its assigned review chair.
 */
export const CASE_PEOPLE = `
  SELECT c.id AS case_id, u.id AS user_id, u.email
    FROM review_case c
    JOIN app_user u ON u.active AND (u.role = 'sdp_admin'
                                     OR (u.role = 'csp_chair' AND u.partnership_id = c.partnership_id)
                                     OR (u.role = 'review_chair' AND u.id = c.review_chair_id))
   WHERE c.id = ANY($1::uuid[])
   ORDER BY c.id, u.id`;

/**
 * Counts one refusal of a person or REST client in its window, with its
 * reason and what was tried (ids and routes, never names; the first
 * TALLY_ATTEMPTS_KEPT distinct ones). Answers the window's count so far, and
 * whether this is the first time the window has this attempt among those kept.
 */
export const TALLY_ATTEMPTS_KEPT = 20;
export const COUNT_REFUSAL = `
  WITH before AS (SELECT attempted FROM refusal_tally WHERE who = $1 AND window_start = $2)
  INSERT INTO refusal_tally AS t (who, window_start, actor_id, actor_role, client_id, count, reasons, attempted)
  VALUES ($1, $2, $3, $4, $5, 1, jsonb_build_object($6::text, 1), jsonb_build_array($7::text))
  ON CONFLICT (who, window_start) DO UPDATE SET
    count = t.count + 1,
    reasons = t.reasons || jsonb_build_object($6::text, coalesce((t.reasons ->> $6::text)::int, 0) + 1),
    attempted = CASE
      WHEN t.attempted ? $7::text OR jsonb_array_length(t.attempted) >= ${TALLY_ATTEMPTS_KEPT} THEN t.attempted
      ELSE t.attempted || jsonb_build_array($7::text)
    END
  RETURNING t.count, t.attempted ? $7::text AND NOT coalesce((SELECT attempted ? $7::text FROM before), false) AS "firstTry"`;

/**
 * Takes every window that ended before $1 and is not yet summarised, marking
 * it summarised: the caller writes its summary in the same transaction, so
 * a window is summarised exactly once even with several instances.
 */
export const TAKE_ENDED_WINDOWS = `
  UPDATE refusal_tally SET summarised = true
  WHERE NOT summarised AND window_start < $1::timestamptz
  RETURNING who, window_start, actor_id, actor_role, client_id, count, reasons, attempted`;

/** Windows of no more use: their summary is in the audit trail. */
export const FORGET_OLD_WINDOWS = `
  DELETE FROM refusal_tally WHERE summarised AND window_start < $1::timestamptz - make_interval(days => 30)`;

// ---- the statements AccessService, Refusals and AnonymousDenials send ----

/** ReviewCase's columns, each under its property's name (`c."partnership_id" AS "partnershipId"`), read from the entity. */
let caseColumns: string | undefined;
function reviewCaseColumns(): string {
  caseColumns ??= getMetadataArgsStorage()
    .columns.filter((column) => column.target === ReviewCase)
    .map((column) => `c."${column.options.name ?? column.propertyName}" AS "${column.propertyName}"`)
    .join(', ');
  return caseColumns;
}

/** `columns` of the case if it is in the actor's scope, its row locked FOR UPDATE when `lock`. */
function caseInScopeSql(actor: Actor, caseId: string, columns: string, lock: boolean): { sql: string; params: unknown[] } {
  const where = whereAll([{ sql: 'c.id = ?', params: [caseId] }, namedTerm(caseScopeCondition(actor))]);
  return { sql: `SELECT ${columns} FROM review_case c ${where.sql}${lock ? ' FOR UPDATE' : ''}`, params: where.params };
}

/**
 * The case, if it is in the actor's scope (locked FOR UPDATE when asked):
 * one statement over the entity's columns, read straight into a ReviewCase,
 * since every case route starts here.
 */
export async function findCaseInScope(db: Queryable, actor: Actor, caseId: string, lock: boolean): Promise<ReviewCase | null> {
  const { sql, params } = caseInScopeSql(actor, caseId, reviewCaseColumns(), lock);
  const [row] = await db.query(sql, params);
  return row ? Object.assign(new ReviewCase(), row) : null;
}

/** Locks the case's row if it is still in the actor's scope; whether it is. */
export async function lockCaseInScope(db: Queryable, actor: Actor, caseId: string): Promise<boolean> {
  const { sql, params } = caseInScopeSql(actor, caseId, '1', true);
  const rows: unknown[] = await db.query(sql, params);
  return rows.length > 0;
}

/** Which of these cases are in the actor's scope. */
export async function readableCaseIds(db: Queryable, actor: Actor, caseIds: string[]): Promise<string[]> {
  const where = whereAll([{ sql: 'c.id = ANY(?::uuid[])', params: [caseIds] }, namedTerm(caseScopeCondition(actor))]);
  const rows: { id: string }[] = await db.query(`SELECT c.id FROM review_case c ${where.sql}`, where.params);
  return rows.map((row) => row.id);
}

/** The id of the case with reference $1, read without scope: the scope check follows, on the id (AccessService.caseIdOf). */
export const CASE_ID_BY_REFERENCE = 'SELECT id FROM review_case WHERE reference = $1';

export async function caseIdByReference(db: Queryable, reference: string): Promise<string | null> {
  const [row]: { id: string }[] = await db.query(CASE_ID_BY_REFERENCE, [reference]);
  return row?.id ?? null;
}

export async function owningPartnership(db: Queryable, caseId: string): Promise<string | null> {
  const [row]: { partnership_id: string }[] = await db.query(OWNING_PARTNERSHIP, [caseId]);
  return row?.partnership_id ?? null;
}

/** One of a case's people. */
export interface CasePersonRow {
  case_id: string;
  user_id: string;
  email: string;
}

export function casePeople(db: Queryable, caseIds: string[]): Promise<CasePersonRow[]> {
  return db.query(CASE_PEOPLE, [caseIds]);
}

/** A refusal to count in its person's or client's window. */
export interface CountedRefusal {
  who: string;
  windowStart: Date;
  actorId: string | null;
  actorRole: string | null;
  clientId: string | null;
  reason: string;
  attempted: string;
}

/** The window's count so far, and whether this is the first try of its attempt in the window. */
export async function countRefusal(db: Queryable, refusal: CountedRefusal): Promise<{ count: number; firstTry: boolean }> {
  const { who, windowStart, actorId, actorRole, clientId, reason, attempted } = refusal;
  const [row]: { count: number; firstTry: boolean }[] = await db.query(COUNT_REFUSAL, [who, windowStart, actorId, actorRole, clientId, reason, attempted]);
  return row;
}

/** A window of refusals that has ended, as TAKE_ENDED_WINDOWS answers it. */
export interface EndedWindow {
  who: string;
  window_start: Date;
  actor_id: string | null;
  actor_role: string | null;
  client_id: string | null;
  count: number;
  reasons: Record<string, number>;
  attempted: string[];
}

export async function takeEndedWindows(db: Queryable, before: Date): Promise<EndedWindow[]> {
  // An UPDATE … RETURNING answers [rows, how many].
  const [ended]: [EndedWindow[], number] = await db.query(TAKE_ENDED_WINDOWS, [before]);
  return ended;
}

export async function forgetOldWindows(db: Queryable, before: Date): Promise<void> {
  await db.query(FORGET_OLD_WINDOWS, [before]);
}

/** Counts one anonymous refusal; answers the count so far in this address's, reason's and minute's row. $1 address, $2 reason, $3 now. */
export const COUNT_ANONYMOUS_DENIAL = `
  INSERT INTO anonymous_denial (ip, reason, minute, count) VALUES ($1, $2, date_trunc('minute', $3::timestamptz), 1)
  ON CONFLICT (ip, reason, minute) DO UPDATE SET count = anonymous_denial.count + 1
  RETURNING count, minute`;

export async function countAnonymousDenial(db: Queryable, ip: string, reason: string, now: Date): Promise<{ count: number; minute: Date }> {
  const [row]: { count: number; minute: Date }[] = await db.query(COUNT_ANONYMOUS_DENIAL, [ip, reason, now]);
  return row;
}

/** Anonymous counts older than this are of no more use: the audit row of their minute stays. */
const FORGET_DENIALS_AFTER_DAYS = 30;
export const FORGET_OLD_ANONYMOUS_DENIALS = `
  DELETE FROM anonymous_denial WHERE minute < $1::timestamptz - make_interval(days => ${FORGET_DENIALS_AFTER_DAYS})`;

export async function forgetOldAnonymousDenials(db: Queryable, now: Date): Promise<void> {
  await db.query(FORGET_OLD_ANONYMOUS_DENIALS, [now]);
}

/** The table the rate limits' counters live in (access/rate-limits.ts), created by the RateLimits migration, never by the library. */
export const RATE_LIMIT_TABLE = 'rate_limit';

/** Forgets the counters that expired before $1 (milliseconds since the epoch, as the library stores them). */
export const FORGET_EXPIRED_RATE_COUNTS = `DELETE FROM ${RATE_LIMIT_TABLE} WHERE expire < $1`;

export async function forgetExpiredRateCounts(db: Queryable, beforeMs: number): Promise<void> {
  await db.query(FORGET_EXPIRED_RATE_COUNTS, [beforeMs]);
}
