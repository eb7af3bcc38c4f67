import type { Role } from './roles.js';

/**
 * What each role may do inside a case that is already in its scope
 * (DOMAIN.md, "Who may see and do what"). Scope itself (which cases) is
 * decided in SQL by AccessService; this table decides the act.
 */
export const CASE_PERMISSIONS = {
  'case.read': ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'],
  'case.identify_subjects': ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'],
  'case.update': ['sdp_admin', 'review_chair'],
  'case.assign_review_chair': ['sdp_admin'],
  'case.decide': ['csp_chair'],
  /** Who takes which step is in the stage table (cases/stages.ts); this only opens the route. */
  'case.transition': ['sdp_admin', 'csp_chair', 'review_chair'],
  'case.transitions.read': ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'],
  'hold.manage': ['sdp_admin', 'csp_chair', 'review_chair'],
  'panel.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  'panel.manage': ['sdp_admin', 'review_chair'],
  'contribution.read': ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'],
  'contribution.manage': ['sdp_admin', 'review_chair'],
  'family.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  'family.manage': ['sdp_admin', 'review_chair'],
} as const satisfies Record<string, readonly Role[]>;

export type CaseAction = keyof typeof CASE_PERMISSIONS;

export function permits(role: Role, action: CaseAction): boolean {
  return (CASE_PERMISSIONS[action] as readonly Role[]).includes(role);
}
