/**
 * What a medium spec asserts about a service call: the problem it was
 * refused with, the audit events a change wrote, and the rows a refusal
 * left (none). The refusals are ProblemExceptions (src/common/problem.ts);
 * the audit trail is read straight from `audit_event`.
 */
import { expect } from '@jest/globals';
import { ProblemException } from '../../src/common/problem.js';
import { PERPETRATOR_NAME, VICTIM_NAME, type Db } from './factories.js';

/** A refusal as the API would answer it: its status, its problem code (`urn:dhr:problem:<code>`), its unmet codes if any. */
export interface Refusal {
  status: number;
  code: string;
  unmet?: string[];
}

/** The ProblemException `attempt` was refused with; anything else (success, another error) fails the test. */
export async function refusalOf(attempt: Promise<unknown>): Promise<Refusal> {
  const body = (await problemOf(attempt)) as { type: string; status: number; unmet?: string[] };
  const refusal: Refusal = { status: body.status, code: body.type.replace('urn:dhr:problem:', '') };
  if (body.unmet) refusal.unmet = body.unmet;
  return refusal;
}

/** The whole problem body `attempt` was refused with, for a refusal that lists more than its codes (`errors`). */
export async function problemOf(attempt: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await attempt.then(
    () => new Error('expected a refusal, but the call succeeded'),
    (e: unknown) => e,
  );
  if (!(error instanceof ProblemException)) throw error;
  return error.getResponse() as Record<string, unknown>;
}

/** The 404 a missing object, or one out of the caller's scope, answers. */
export const NOT_FOUND: Refusal = { status: 404, code: 'not-found' };
export const FORBIDDEN: Refusal = { status: 403, code: 'forbidden' };
export const INVALID: Refusal = { status: 400, code: 'invalid-request' };
/** A step or act refused for what the case holds: 409 with its unmet codes. */
export const unmet = (...codes: string[]): Refusal => ({ status: 409, code: 'step-refused', unmet: codes });

export interface AuditRow {
  action: string;
  actor_id: string | null;
  actor_role: string | null;
  entity_type: string | null;
  entity_id: string | null;
  case_id: string | null;
  partnership_id: string | null;
  changes: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
}

/** The audit events of one action (and case, when given), oldest first. */
export function auditEvents(db: Db, action: string, caseId?: string): Promise<AuditRow[]> {
  return db.query(
    `SELECT action, actor_id, actor_role, entity_type, entity_id, case_id, partnership_id, changes, details
       FROM audit_event WHERE action = $1 AND ($2::uuid IS NULL OR case_id = $2) ORDER BY seq`,
    [action, caseId ?? null],
  );
}

/**
 * The one audit event of `action` in this case: it exists once, names its
 * actor and case, and holds no real name of the factories' subjects (the
 * audit trail masks what could name a person, docs/architecture.md "Audit").
 */
export async function theAuditEvent(db: Db, action: string, caseId: string, actorId: string): Promise<AuditRow> {
  const events = await auditEvents(db, action, caseId);
  expect(events).toHaveLength(1);
  const [event] = events;
  expect(event).toMatchObject({ action, case_id: caseId, actor_id: actorId });
  expectNoRealName(event);
  return event;
}

/** Fails when any real name of the factories' subjects (or one given) appears anywhere in `value`. */
export function expectNoRealName(value: unknown, names: string[] = [VICTIM_NAME, PERPETRATOR_NAME]): void {
  const text = JSON.stringify(value);
  for (const name of names) expect(text).not.toContain(name);
}

/** How many rows of `table` belong to a case: what a refusal must leave unchanged. */
export async function rowsOfCase(db: Db, table: string, caseId: string): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE case_id = $1`, [caseId]);
  return row.n;
}
