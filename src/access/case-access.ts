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
}
