/**
 * Assertions the medium tier shares about what a service refused and what it
 * wrote, beside medium-outcomes.ts: the whole problem a refusal answers (to
 * compare two refusals' answers, or read their `errors`), the rows a table
 * holds (so that a refusal is seen to leave nothing half-written), and the
 * audit events written since a point in the trail, whatever their case
 * (medium-outcomes.ts's expectNoRealName checks them for names and secrets).
 */
import { expect } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { problemType, type ProblemBody } from '../../src/common/problem.js';
import type { Db } from './factories.js';
import type { AuditRow } from './medium-outcomes.js';

/** The whole problem a service call was refused with; fails the test when the call succeeds or throws something else. */
export async function problemOf(attempt: Promise<unknown>): Promise<ProblemBody> {
  let outcome: unknown;
  try {
    outcome = await attempt;
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    const body = error.getResponse() as ProblemBody;
    expect(body.status).toBe(error.getStatus());
    return body;
  }
  throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
}

/** Expects the call refused with this status and problem code (`not-found`, `invalid-request`, `email-taken`…). */
export async function expectRefused(attempt: Promise<unknown>, status: number, code: string): Promise<ProblemBody> {
  const body = await problemOf(attempt);
  expect({ status: body.status, type: body.type }).toEqual({ status, type: problemType(code) });
  return body;
}

/** How many rows `table` holds, where `where` (SQL over the table, $1… for `params`) holds. */
export async function countRows(db: Db, table: string, where = 'TRUE', params: unknown[] = []): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return row.n;
}

/** The audit trail's last position: hand it to `auditSince` to read only the events written after it. */
export async function auditMark(db: Db): Promise<string> {
  const [row] = await db.query('SELECT coalesce(max(seq), 0)::text AS seq FROM audit_event');
  return row.seq;
}

/** An audit event as medium-outcomes.ts reads one, with the REST client that did it. */
export interface TrailRow extends AuditRow {
  client_id: string | null;
}

/** The events written after `mark`, oldest first. */
export async function auditSince(db: Db, mark: string): Promise<TrailRow[]> {
  return db.query(
    `SELECT action, actor_id, actor_role, client_id, entity_type, entity_id, case_id, partnership_id, changes, details
       FROM audit_event WHERE seq > $1 ORDER BY seq`,
    [mark],
  );
}
