import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { ReviewCase } from '../cases/case.entities.js';
import { forbidden, notFound } from '../common/problem.js';
import { permits, type CaseAction } from './case-permissions.js';
import type { Actor } from './roles.js';

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
      return {
        condition: `(EXISTS (SELECT 1 FROM panel_member pm WHERE pm.case_id = c.id AND pm.agency_id = :scopeAgencyId)
                  OR EXISTS (SELECT 1 FROM contribution_request cr WHERE cr.case_id = c.id AND cr.agency_id = :scopeAgencyId))`,
        params: { scopeAgencyId: actor.agencyId },
      };
  }
}

/**
 * Who may touch which case: the one place that decides it. Every case
 * feature asks here first; a case out of scope answers exactly as a missing
 * one, and both are written to the audit trail as denied.
 */
@Injectable()
export class AccessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
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
   * The case, if it is in the actor's scope and their role may do `action`
   * in it: 404 when out of scope or missing, 403 when in scope but not allowed.
   * Inside a transaction, pass its manager and `lock` to hold the case row.
   * When the caller reached the case through a child object (a contribution
   * request, say), `notFoundAs` names that object, so that a child in a case
   * out of scope answers exactly as a missing child.
   */
  async requireCase(
    actor: Actor,
    caseId: string,
    action: CaseAction,
    options: { manager?: EntityManager; lock?: boolean; notFoundAs?: string } = {},
  ): Promise<ReviewCase> {
    const manager = options.manager ?? this.dataSource.manager;
    const query = manager.getRepository(ReviewCase).createQueryBuilder('c').where('c.id = :caseId', { caseId });
    if (options.lock) query.setLock('pessimistic_write');
    const found = await this.scopeCases(query, actor).getOne();
    if (!found) {
      await this.recordDenial(caseId, await this.owningPartnership(caseId), action, 'not_found_or_out_of_scope');
      throw notFound(options.notFoundAs ?? 'case');
    }
    if (!permits(actor.role, action)) {
      await this.recordDenial(caseId, found.partnershipId, action, 'role_not_allowed');
      throw forbidden(`A ${actor.role} may not do this in a case (${action}).`);
    }
    return found;
  }

  /** Refuses an act the role may not take in a case already in scope (e.g. a step of the stage table). */
  async requireRole(actor: Actor, allowed: readonly string[], found: ReviewCase, what: string): Promise<void> {
    if (allowed.includes(actor.role)) return;
    await this.recordDenial(found.id, found.partnershipId, what, 'role_not_allowed');
    throw forbidden(`A ${actor.role} may not ${what}.`);
  }

  /**
   * The CSP a case belongs to, read without scope, only for the audit trail:
   * an attempt on a case from outside its scope is then visible to that
   * CSP's chair. The caller's answer is the same 404 either way.
   */
  private async owningPartnership(caseId: string): Promise<string | null> {
    const [row] = await this.dataSource.query('SELECT partnership_id FROM review_case WHERE id = $1', [caseId]);
    return row?.partnership_id ?? null;
  }

  private async recordDenial(caseId: string, partnershipId: string | null, action: string, reason: string): Promise<void> {
    // Written outside any transaction of the caller's, so the refusal is kept even as the request fails.
    await this.audit.recordNow({
      action: 'access.denied',
      entityType: 'case',
      entityId: caseId,
      caseId: partnershipId ? caseId : undefined,
      partnershipId,
      details: { reason, attempted: action },
    });
  }
}
