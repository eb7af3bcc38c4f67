import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { asCaseReference } from '../cases/case-reference.js';
import { badRequest, forbidden, notFound } from '../common/problem.js';
import { caseIdByReference, casePeople, findCaseInScope, lockCaseInScope, owningPartnership, readableCaseIds } from './access.queries.js';
import { CaseAccess } from './case-access.js';
import { Refusals } from './refusals.js';
import { CASE_ACTION_WORDS, mayNot } from './refusal-words.js';
import { CASE_PERMISSIONS, type CaseAction } from './case-permissions.js';
import type { Actor, Role } from './roles.js';

/** Someone told of what happens to a case. */
export interface CasePerson {
  userId: string;
  email: string;
}

/** A case id as ParseUUIDPipe reads one: any version, any letter case. */
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

/** The answer to a path's case id that is neither an id nor a reference. */
export const NOT_A_CASE_ID = 'id must be a case id (a UUID) or a reference such as DHR-2026-001';

/**
 * Who may touch which case: the one place that decides it. Every case
 * feature asks here first; a case out of scope answers exactly as a missing
 * one, and both are counted as refusals of the actor (Refusals).
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly refusals: Refusals,
  ) {}

  /** The subset of these case ids the actor may read, in one query. */
  async readableCaseIds(actor: Actor, caseIds: string[]): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    return new Set(await readableCaseIds(this.dataSource, actor, caseIds));
  }

  /**
   * The case id a path names, by its id or by its reference (in any letter
   * case), for CaseIdPipe: a reference is read to its case's id, without
   * scope, and the route's own requireCase then decides scope on that id, so
   * a case out of scope answers 404 and is audited under its id exactly as
   * when named by id. A reference no case has answers the same 404, counted
   * and audited as a refusal of the actor; text that is neither answers 400
   * (docs/domain.md, "A case by its reference").
   */
  async caseIdOf(idOrReference: string): Promise<string> {
    if (UUID.test(idOrReference)) return idOrReference;
    const reference = asCaseReference(idOrReference);
    if (reference === null) throw badRequest(NOT_A_CASE_ID, [{ field: 'id', message: NOT_A_CASE_ID }]);
    const id = await caseIdByReference(this.dataSource, reference);
    if (id !== null) return id;
    const reason = 'not_found_or_out_of_scope';
    await this.refusals.record({
      reason,
      attempted: `case reference ${reference}`,
      event: { action: 'access.denied', entityType: 'case', details: { reason, attempted: 'case.by_reference', reference } },
    });
    throw notFound('case');
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
    const found = await findCaseInScope(manager, actor, caseId, options.lock ?? false);
    if (!found) {
      await this.recordDenial(caseId, await this.owningPartnership(caseId), action, 'not_found_or_out_of_scope');
      throw notFound(options.notFoundAs ?? 'case');
    }
    const access = new CaseAccess(actor, found);
    if (!access.can(action)) {
      await this.recordDenial(caseId, found.partnershipId, action, 'role_not_allowed');
      throw forbidden(mayNot(actor.role, CASE_ACTION_WORDS[action]));
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
    if (await lockCaseInScope(manager, access.actor, access.caseId)) return;
    await this.recordDenial(access.caseId, access.partnershipId, action, 'not_found_or_out_of_scope');
    throw notFound('case');
  }

  /**
   * Refuses an act the role may not take in a case already in scope (e.g. a
   * step of the stage table); `what` is the act in words, as "… may not
   * <what>" ends (refusal-words.ts).
   */
  async requireRole(access: CaseAccess, allowed: readonly Role[], what: string): Promise<void> {
    if (allowed.includes(access.actor.role)) return;
    await this.recordDenial(access.caseId, access.partnershipId, what, 'role_not_allowed');
    throw forbidden(mayNot(access.actor.role, what));
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
    for (const row of await casePeople(manager, caseIds)) {
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
  private owningPartnership(caseId: string): Promise<string | null> {
    return owningPartnership(this.dataSource, caseId);
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
