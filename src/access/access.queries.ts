import type { ObjectLiteral } from 'typeorm';
import { agencyLimit } from './case-permissions.js';
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
function agencyContributes(caseId: string, agencyId: string): string {
  return agencyTerms(caseId, agencyId, true);
}

/** An agency takes part in a case: what puts a case in its lead's scope. */
function agencyInvolved(caseId: string, agencyId: string): string {
  return agencyTerms(caseId, agencyId, false);
}

/** Whether agency $2 contributes to case $1: on its panel or asked for a contribution (who may submit a chronology). */
export function agencyContributesQuery(): string {
  return `SELECT ${agencyContributes('$1', '$2')} AS contributes`;
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
 * The condition, a whereAll term, that narrows a query over agency rows
 * (`column` names their agency) to what the actor may see: an agency lead
 * their own agency's rows; nothing for anyone else, who sees every agency's.
 */
export function agencyRowsCondition(actor: Actor, column: string): { sql: string; params: unknown[] } | undefined {
  const agency = agencyLimit(actor);
  return agency ? { sql: `${column} = ?`, params: [agency] } : undefined;
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
 * says so); a CSP chair reads the events about their own CSP's cases, while
 * events about no case (sign-ins, users, agencies) stay with the SDP.
 */
export function auditScopeCondition(actor: Actor): { condition: string; params: ObjectLiteral } {
  if (actor.role === 'sdp_admin') return { condition: 'TRUE', params: {} };
  if (actor.role === 'csp_chair') {
    return { condition: 'e.case_id IS NOT NULL AND e.partnership_id = :auditPartnershipId', params: { auditPartnershipId: actor.partnershipId } };
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
