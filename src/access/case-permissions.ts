import type { DocumentKind } from '../documents/case-document.entity.js';
import { isClient, type Principal } from './client-principal.js';
import type { Role } from './roles.js';

/**
 * What each role may do inside a case that is already in its scope
 * (docs/domain.md, "Who may see and do what"). Scope itself (which cases) is
 * decided in SQL by AccessService; this table decides the act.
 */
export const CASE_PERMISSIONS = {
  'case.read': ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'],
  /** Opens PATCH /api/cases/:id; which fields each role changes is case.update's and case.record_library_facts'. */
  'case.edit': ['sdp_admin', 'csp_chair', 'review_chair'],
  'case.update': ['sdp_admin', 'review_chair'],
  /** The facts the national library groups reviews by (docs/domain.md, "Facts for the national library"): the CSP chair records them too. */
  'case.record_library_facts': ['sdp_admin', 'csp_chair', 'review_chair'],
  'case.assign_review_chair': ['sdp_admin'],
  /** Which law a case is judged by is the SDP's to correct (docs/domain.md, "Review types and regimes"). */
  'case.change_regime': ['sdp_admin'],
  /** Moving a case to another partnership (docs/domain.md, "Transfer between partnerships") is the SDP's alone. */
  'case.transfer': ['sdp_admin'],
  'case.decide': ['csp_chair'],
  /** Who takes which step is in the stage table (cases/stages.ts); this only opens the route. */
  'case.transition': ['sdp_admin', 'csp_chair', 'review_chair'],
  'case.transitions.read': ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'],
  'hold.manage': ['sdp_admin', 'csp_chair', 'review_chair'],
  /** The statutory milestones speak of the decision, the family and the review; agency leads see only their own requests. */
  'milestone.statutory.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  'panel.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  'panel.manage': ['sdp_admin', 'review_chair'],
  'contribution.read': ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'],
  'contribution.manage': ['sdp_admin', 'review_chair'],
  'family.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  'family.manage': ['sdp_admin', 'review_chair'],
  /** An agency lead submits their own agency's chronology; the SDP admin may upload one for any agency. */
  'chronology.upload': ['sdp_admin', 'agency_lead'],
  'chronology.read': ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'],
  /** Which kinds each role uploads is narrowed by DOCUMENT_KINDS_UPLOADED below; an agency lead reads only their own agency's IMRs. */
  'document.read': ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'],
  'document.upload': ['sdp_admin', 'review_chair', 'agency_lead'],
  /** An agency lead reads only the recommendations under which their agency owns an action, and only those actions. */
  'recommendation.read': ['sdp_admin', 'csp_chair', 'review_chair', 'agency_lead'],
  'recommendation.manage': ['sdp_admin', 'review_chair'],
  /** An agency lead updates only the actions their agency owns; the CSP chair reads progress but makes none. */
  'action.progress': ['sdp_admin', 'review_chair', 'agency_lead'],
  'case_theme.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  'case_theme.manage': ['sdp_admin', 'review_chair'],
  /** Agency leads never see QA submissions; the SDP records them, the chairs read them. */
  'qa.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  'qa.record': ['sdp_admin'],
  /** Protected terms are real names and addresses: the SDP and the CSP chair add them, the review chair reads them. */
  'protected_term.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  'protected_term.manage': ['sdp_admin', 'csp_chair'],
  'publication.check': ['sdp_admin', 'csp_chair', 'review_chair'],
  'publication.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  /** Publishing and withdrawing are the CSP chair's approval gates; only the SDP may override the 12 months before closure. */
  'publication.publish': ['csp_chair'],
  'publication.withdraw': ['csp_chair'],
  'publication.override_closure': ['sdp_admin'],
  /** Linked reviews (docs/domain.md, "Linked reviews"): an agency lead sees none, since the other reviews are the case's story, not its records. */
  'case_link.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  'case_link.manage': ['sdp_admin', 'csp_chair', 'review_chair'],
  /** Closing a review without publishing it is the CSP chair's, as publishing is. */
  'publication.withhold': ['csp_chair'],
  /** The Home Office correspondence (docs/domain.md, "Home Office correspondence"): the review's dealings with the Home Office, never an agency's records. */
  'home_office_correspondence.read': ['sdp_admin', 'csp_chair', 'review_chair'],
  'home_office_correspondence.record': ['sdp_admin', 'csp_chair', 'review_chair'],
} as const satisfies Record<string, readonly Role[]>;

export type CaseAction = keyof typeof CASE_PERMISSIONS;

export function permits(role: Role, action: CaseAction): boolean {
  return (CASE_PERMISSIONS[action] as readonly Role[]).includes(role);
}

/**
 * The parts of a case a role sees wherever the case appears: its detail,
 * its history, lists and notifications (docs/domain.md, "What an agency lead
 * sees of a case"). The case's views read this, and nothing else decides it.
 */
export interface CaseViewPolicy {
  /** Subjects' real names, dates of birth and addresses. */
  subjectIdentities: boolean;
  /** The decision and its rationale. */
  decision: boolean;
  /** Hold reasons and notes. */
  holdDetails: boolean;
  /** The comments written with each step of the stage history. */
  transitionComments: boolean;
  /** Where the police notification came from: free text about the death, part of the case's story. */
  notificationSource: boolean;
  /**
   * The dates that meet the statutory milestones: commissioning (the
   * decision's date), the Home Office notification, the CSP chair's sign-off
   * (completion) and the statutory copy.
   */
  milestoneDates: boolean;
  /**
   * The facts the national library groups reviews by: how the person died,
   * who the perpetrator was to them, the police force area. Not identifying,
   * but part of the case's story (docs/domain.md, "Facts for the national library").
   */
  libraryFacts: boolean;
}

const WHOLE_CASE: CaseViewPolicy = {
  subjectIdentities: true,
  decision: true,
  holdDetails: true,
  transitionComments: true,
  notificationSource: true,
  milestoneDates: true,
  libraryFacts: true,
};

export const CASE_VIEW_POLICY: Record<Role, CaseViewPolicy> = {
  sdp_admin: WHOLE_CASE,
  csp_chair: WHOLE_CASE,
  review_chair: WHOLE_CASE,
  // An agency lead holds some of the case's records, not its story: they search their own records for the subjects,
  // but the decision, the holds' reasons and notes, the steps' comments, the notification source, the statutory
  // milestones and the library facts (how the person died, who the perpetrator was to them) stay hidden.
  agency_lead: {
    subjectIdentities: true,
    decision: false,
    holdDetails: false,
    transitionComments: false,
    notificationSource: false,
    milestoneDates: false,
    libraryFacts: false,
  },
};

/**
 * The agency whose rows alone an actor may see inside a case (their own
 * contribution requests, submissions and actions), or null for every agency.
 */
export function agencyLimit(actor: { role: Role; agencyId: string | null }): string | null {
  return actor.role === 'agency_lead' ? actor.agencyId : null;
}

/** The agency a principal is limited to inside cases, or null: a REST client reads its partnership's cases whole. */
export function readerAgencyLimit(reader: Principal): string | null {
  return isClient(reader) ? null : agencyLimit(reader);
}

/** Whether a principal reads the statutory milestones: a REST client let in by milestones:read does; a person as their role allows. */
export function readsStatutoryMilestones(reader: Principal): boolean {
  return isClient(reader) || permits(reader.role, 'milestone.statutory.read');
}

/**
 * The kinds of document a role uploads, where it is not every kind
 * (docs/domain.md, "The material"): a review chair the review's own
 * documents (IMRs come from agencies, QA letters from the SDP), an agency
 * lead their own agency's IMR (mayActForAgency). The SDP admin uploads any.
 */
export const DOCUMENT_KINDS_UPLOADED: Partial<Record<Role, readonly DocumentKind[]>> = {
  review_chair: ['terms_of_reference', 'overview_report', 'executive_summary', 'action_plan', 'other'],
  agency_lead: ['imr'],
};

/** Whether the role uploads a document of this kind (besides 'document.upload', which opens the route). */
export function mayUploadDocument(role: Role, kind: DocumentKind): boolean {
  return DOCUMENT_KINDS_UPLOADED[role]?.includes(kind) ?? true;
}

/**
 * Whether the actor may write a row of this agency (an IMR, a chronology):
 * an actor limited to an agency (agencyLimit) only of their own, anyone else
 * of any. `agencyId` undefined is "not named", which is their own.
 */
export function mayActForAgency(actor: { role: Role; agencyId: string | null }, agencyId: string | undefined): boolean {
  const own = agencyLimit(actor);
  return own === null || agencyId === undefined || agencyId === own;
}

/** Whether the actor may record a new case for this partnership: an SDP admin for any, a CSP chair for their own. */
export function mayRecordCaseFor(actor: { role: Role; partnershipId: string | null }, partnershipId: string): boolean {
  return actor.role === 'sdp_admin' || (actor.role === 'csp_chair' && actor.partnershipId === partnershipId);
}
