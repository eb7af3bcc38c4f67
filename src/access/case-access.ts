import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ReviewCase } from '../cases/case.entities.js';
import { agencyLimit, CASE_VIEW_POLICY, permits, type CaseAction, type CaseViewPolicy } from './case-permissions.js';
import type { Actor } from './roles.js';

/**
 * One actor's access to one case, as AccessService.requireCase found it in
 * their scope. Everything a feature asks about who may see or do what inside
 * the case is answered here (docs/architecture.md, "Access").
 */
export class CaseAccess {
  constructor(
    readonly actor: Actor,
    readonly found: ReviewCase,
  ) {}

  get caseId(): string {
    return this.found.id;
  }

  get partnershipId(): string {
    return this.found.partnershipId;
  }

  /** Whether the actor's role may do this act in the case. */
  can(action: CaseAction): boolean {
    return permits(this.actor.role, action);
  }

  /** Which parts of the case the actor's role sees. */
  get view(): CaseViewPolicy {
    return CASE_VIEW_POLICY[this.actor.role];
  }

  /** The agency the actor is limited to inside the case, or null for all agencies. */
  get agency(): string | null {
    return agencyLimit(this.actor);
  }

  /** Narrows a query over agency rows (`column` names their agency) to what the actor may see. */
  narrowToAgency<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, column: string): SelectQueryBuilder<T> {
    return narrowToAgency(query, this.actor, column);
  }
}

/** The same narrowing, for queries across cases. */
export function narrowToAgency<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, actor: Actor, column: string): SelectQueryBuilder<T> {
  const agency = agencyLimit(actor);
  return agency ? query.andWhere(`${column} = :limitAgencyId`, { limitAgencyId: agency }) : query;
}
