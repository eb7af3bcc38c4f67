import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { ReviewCase } from '../cases/case.entities.js';
import { forbidden, notFound } from '../common/problem.js';
import { CASE_PEOPLE, caseScopeCondition, OWNING_PARTNERSHIP } from './access.queries.js';
import { CaseAccess } from './case-access.js';
import { Refusals } from './refusals.js';
import { CASE_PERMISSIONS, type CaseAction } from './case-permissions.js';
import type { Actor, Role } from './roles.js';


/** Someone told of what happens to a case. */
export interface CasePerson {
  userId: string;
  email: string;
}

/**
 * Who may touch which case: the one place that decides it. Every case
 * feature asks here first; a case out of scope answers exactly as a missing
 * one, and both are counted as refusals of the actor (Refusals).
 */
@Injectable()
export class AccessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly refusals: Refusals,
  ) {}

  /** Narrows a query over cases (aliased `c`) to the actor's scope. */
  scopeCases<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, actor: Actor): SelectQueryBuilder<T> {
    const { condition, params } = caseScopeCondition(actor);
    return query.andWhere(condition, params);
  }

  /** The subset of these case ids the actor may read, in one query. */
  async readableCaseIds(actor: Actor, caseIds: string[]): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    const query = this.dataSource
      .getRepository(ReviewCase)
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .where('c.id IN (:...caseIds)', { caseIds });
    const rows: { id: string }[] = await this.scopeCases(query, actor).getRawMany();
    return new Set(rows.map((r) => r.id));
  }

  /**
   * The actor's access to a case in their scope, if their role may do
   * `action` in it: 404 when out of scope or missing, 403 when in scope but
   * not allowed. Inside a transaction, pass its manager and `lock` to hold
   * the case row. When the caller reached the case through a child object (a
   * contribution request, say), `notFoundAs` names that object, so that a
   * child in a case out of scope answers exactly as a missing child.
   */
  async requireCase(
    actor: Actor,
    caseId: string,
    action: CaseAction,
    options: { manager?: EntityManager; lock?: boolean; notFoundAs?: string } = {},
  ): Promise<CaseAccess> {
    const manager = options.manager ?? this.dataSource.manager;
    const found = await this.caseInScope(manager, actor, caseId, options.lock ?? false);
    if (!found) {
      await this.recordDenial(caseId, await this.owningPartnership(caseId), action, 'not_found_or_out_of_scope');
      throw notFound(options.notFoundAs ?? 'case');
    }
    const access = new CaseAccess(actor, found);
    if (!access.can(action)) {
      await this.recordDenial(caseId, found.partnershipId, action, 'role_not_allowed');
      throw forbidden(`A ${actor.role} may not do this in a case (${action}).`);
    }
    return access;
  }

  /**
   * Takes the row lock of a case this request has already read in scope
   * (requireCase, before work done with no lock held, such as reading an
   * upload), for the write that follows in `manager`'s transaction. The case
   * is not read again: the lock only confirms it is still in the actor's
   * scope, and one that left it meanwhile answers 404 as requireCase would.
   */
  async lockInScope(manager: EntityManager, access: CaseAccess, action: CaseAction): Promise<void> {
    if (await this.caseInScope(manager, access.actor, access.caseId, true, '1')) return;
    await this.recordDenial(access.caseId, access.partnershipId, action, 'not_found_or_out_of_scope');
    throw notFound('case');
  }

  /**
   * The case, if it is in the actor's scope (locked FOR UPDATE when asked):
   * one raw statement over the entity's columns, read straight into a
   * ReviewCase, since every case route starts here.
   */
  private async caseInScope(manager: EntityManager, actor: Actor, caseId: string, lock: boolean, columns = this.caseColumns()): Promise<ReviewCase | null> {
    const { condition, params } = caseScopeCondition(actor);
    const sql = `SELECT ${columns} FROM review_case c WHERE c.id = :caseId AND (${condition})${lock ? ' FOR UPDATE' : ''}`;
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, { ...params, caseId });
    const [row] = await manager.query(query, values);
    return row ? Object.assign(new ReviewCase(), row) : null;
  }

  private columns: string | undefined;

  /** ReviewCase's columns, each under its property's name: `c.partnership_id AS "partnershipId"`. */
  private caseColumns(): string {
    this.columns ??= this.dataSource
      .getMetadata(ReviewCase)
      .columns.map((column) => `c."${column.databaseName}" AS "${column.propertyName}"`)
      .join(', ');
    return this.columns;
  }

  /** Refuses an act the role may not take in a case already in scope (e.g. a step of the stage table). */
  async requireRole(access: CaseAccess, allowed: readonly Role[], what: string): Promise<void> {
    if (allowed.includes(access.actor.role)) return;
    await this.recordDenial(access.caseId, access.partnershipId, what, 'role_not_allowed');
    throw forbidden(`A ${access.actor.role} may not ${what}.`);
  }

  /**
   * A row of one agency inside a case the actor can see: an actor limited to
   * another agency (CaseAccess.agency) cannot see it, so it answers 404,
   * exactly as a missing `notFoundAs`, and the attempt is audited. A row that
   * several agencies' leads may see (a recommendation, seen by each agency
   * that owns one of its actions) names them all.
   */
  async requireAgencyRow(access: CaseAccess, agencyIds: string | readonly string[], what: string, notFoundAs: string): Promise<void> {
    const owners: readonly string[] = typeof agencyIds === 'string' ? [agencyIds] : agencyIds;
    if (access.agency === null || owners.includes(access.agency)) return;
    await this.recordDenial(access.caseId, access.partnershipId, what, 'other_agency');
    throw notFound(notFoundAs);
  }

  /**
   * The one recipe for an act on an agency's row inside a case (an action, a
   * contribution request, a recommendation through the actions under it):
   * the case in scope and readable as `act.read` (locked, inside `manager`'s
   * transaction), then the row among the actor's agency's (`act.agencies`,
   * read once the case is locked: 404 as a missing `act.row` otherwise), and
   * only then the role's right to `act.act` (403, "may not `act.doing`"). In
   * that order, so that a row an actor cannot see never answers 403.
   */
  async requireAct(
    manager: EntityManager,
    actor: Actor,
    caseId: string,
    act: { read: CaseAction; act: CaseAction; row: string; doing: string; agencies: () => Promise<string | readonly string[]> | string },
  ): Promise<CaseAccess> {
    const access = await this.requireCase(actor, caseId, act.read, { manager, lock: true, notFoundAs: act.row });
    await this.requireAgencyRow(access, await act.agencies(), act.act, act.row);
    await this.requireRole(access, CASE_PERMISSIONS[act.act], act.doing);
    return access;
  }

  /** Each case's people: who is told of what happens to it (docs/domain.md, "The daily sweep and notifications"). */
  async casePeople(manager: EntityManager, caseIds: string[]): Promise<Map<string, CasePerson[]>> {
    const people = new Map<string, CasePerson[]>();
    if (caseIds.length === 0) return people;
    const rows: { case_id: string; user_id: string; email: string }[] = await manager.query(CASE_PEOPLE, [caseIds]);
    for (const row of rows) {
      const list = people.get(row.case_id) ?? [];
      list.push({ userId: row.user_id, email: row.email });
      people.set(row.case_id, list);
    }
    return people;
  }

  /**
   * The CSP a case belongs to, read without scope, only for the audit trail:
   * an attempt on a case from outside its scope is then visible to that
   * CSP's chair. The caller's answer is the same 404 either way.
   */
  private async owningPartnership(caseId: string): Promise<string | null> {
    const [row] = await this.dataSource.query(OWNING_PARTNERSHIP, [caseId]);
    return row?.partnership_id ?? null;
  }

  private async recordDenial(caseId: string, partnershipId: string | null, action: string, reason: string): Promise<void> {
    // Written outside any transaction of the caller's, so the refusal is kept even as the request fails.
    await this.refusals.record({
      reason,
      attempted: `${action} case ${caseId}`,
      event: {
        action: 'access.denied',
        entityType: 'case',
        entityId: caseId,
        caseId: partnershipId ? caseId : undefined,
        partnershipId,
        details: { reason, attempted: action },
      },
    });
  }
}
