export const ROLES = ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in person a request acts for, as the access guard resolved it. */
export interface Actor {
  userId: string;
  role: Role;
  partnershipId: string | null;
  agencyId: string | null;
  sessionId: string;
}
