import type { EntityManager, QueryRunner } from 'typeorm';

/**
 * The cases changed inside each open transaction. Every change to a case is
 * audited in its transaction with the case's id (audit/audit.service.ts), and
 * that is where the case is noted here; what is derived from a case's facts
 * (its stored milestones) is recomputed from this list just before the
 * transaction commits (milestones/milestone-state.service.ts).
 */
const changed = new WeakMap<QueryRunner, Set<string>>();

export function noteCaseChanged(manager: EntityManager, caseId: string): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return;
  const cases = changed.get(runner) ?? new Set<string>();
  cases.add(caseId);
  changed.set(runner, cases);
}

/** The cases changed in this transaction so far; the list is emptied. */
export function takeChangedCases(runner: QueryRunner): string[] {
  const cases = changed.get(runner);
  changed.delete(runner);
  return cases ? [...cases] : [];
}
