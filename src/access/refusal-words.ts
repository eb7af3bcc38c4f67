import type { Stage } from '../cases/stages.js';
import type { DocumentKind } from '../documents/case-document.entity.js';
import type { CaseAction } from './case-permissions.js';
import type { Role } from './roles.js';

/**
 * The words a refusal (403) is given in: who was refused, and what they
 * tried, so that its `detail` reads "An agency lead may not record the
 * decision." (docs/architecture.md, "Messages a caseworker reads"). Every
 * role, case action, document kind, stage and route closed to some role has its
 * words here; refusal-words.spec.ts fails when one is missing.
 */

/** Who was refused, with the article that goes with them. */
export const ROLE_WORDS: Record<Role, string> = {
  sdp_admin: 'an SDP administrator',
  csp_chair: 'a CSP chair',
  review_chair: 'a review chair',
  agency_lead: 'an agency lead',
};

/** A REST client refused a route its scopes do not open. */
export const CLIENT_WORDS = 'a REST client';

/** What each act inside a case is, as the sentence "… may not <act>" ends. */
export const CASE_ACTION_WORDS: Record<CaseAction, string> = {
  'case.read': 'open this case',
  'case.edit': 'edit the case',
  'case.update': 'change the case’s details',
  'case.record_library_facts': 'record the case’s facts for the national library',
  'case.assign_review_chair': 'assign the review chair',
  'case.change_regime': 'change the regime the case is judged by',
  'case.transfer': 'move the case to another partnership',
  'case.decide': 'record the decision',
  'case.transition': 'move the case to another stage',
  'case.transitions.read': 'read the case’s stage history',
  'hold.manage': 'put the case on hold or end a hold',
  'milestone.statutory.read': 'see the case’s statutory milestones',
  'panel.read': 'see the review panel',
  'panel.manage': 'change the review panel',
  'contribution.read': 'see the contribution requests',
  'contribution.manage': 'request or waive contributions from agencies',
  'family.read': 'see the family contacts',
  'family.manage': 'record a family contact',
  'chronology.upload': 'upload a chronology',
  'chronology.read': 'read the chronologies',
  'document.read': 'read the case’s documents',
  'document.upload': 'upload a document',
  'recommendation.read': 'read the recommendations',
  'recommendation.manage': 'add or change recommendations',
  'action.progress': 'record progress on an action',
  'case_theme.read': 'see the case’s learning themes',
  'case_theme.manage': 'set the case’s learning themes',
  'qa.read': 'read the quality assurance submissions',
  'qa.record': 'record a quality assurance submission',
  'protected_term.read': 'see the protected terms',
  'protected_term.manage': 'add or remove protected terms',
  'publication.check': 'check the report before publication',
  'publication.read': 'see the publication',
  'publication.publish': 'publish the report',
  'publication.withdraw': 'withdraw the published report',
  'publication.override_closure': 'override the twelve months before closure',
  'case_link.read': 'see the linked reviews',
  'case_link.manage': 'link or unlink reviews',
  'publication.withhold': 'close the review without publishing it',
  'home_office_correspondence.read': 'see the correspondence with the Home Office',
  'home_office_correspondence.record': 'record correspondence with the Home Office',
};

/** Each kind of document, as "… may not upload <kind>" ends. */
export const DOCUMENT_KIND_WORDS: Record<DocumentKind, string> = {
  imr: 'an IMR',
  terms_of_reference: 'the terms of reference',
  overview_report: 'an overview report',
  executive_summary: 'an executive summary',
  action_plan: 'an action plan',
  qa_letter: 'a Home Office QA letter',
  other: 'another kind of document',
};

/** Each stage of a case, as "… may not move the case from <stage> to <stage>" names it. */
export const STAGE_WORDS: Record<Stage, string> = {
  notified: 'notified',
  commissioned: 'commissioned',
  not_commissioned: 'not commissioned',
  panel_established: 'panel established',
  information_gathering: 'information gathering',
  drafting: 'drafting',
  csp_sign_off: 'CSP sign-off',
  home_office_qa: 'Home Office QA',
  approved_for_publication: 'approved for publication',
  published: 'published',
  closed: 'closed',
  discontinued: 'discontinued',
};

/** A step of the stage table, as "… may not <step>" ends. */
export function stepWords(from: Stage, to: Stage): string {
  return `move the case from ${STAGE_WORDS[from]} to ${STAGE_WORDS[to]}`;
}

/**
 * What each route closed to some role does (its access declaration names
 * the roles it is open to), by method and path as the router knows it.
 */
export const ROUTE_WORDS: Record<string, string> = {
  'POST /api/agencies': 'add an agency',
  'PATCH /api/agencies/:id': 'change an agency',
  'GET /api/audit': 'read the audit trail',
  'POST /api/cases': 'record a police notification',
  'GET /api/clients': 'list the REST clients',
  'POST /api/clients': 'register a REST client',
  'POST /api/clients/:id/revoke': 'revoke a REST client',
  'POST /api/clients/:id/rotate': 'give a REST client a new secret',
  'GET /api/publications': 'list the publications',
  'GET /api/reports/actions.csv': 'export the actions as CSV',
  'GET /api/reports/cases.csv': 'export the cases as CSV',
  'GET /api/reports/charts/completion.svg': 'see the completion chart',
  'GET /api/reports/charts/stages.svg': 'see the chart of cases by stage',
  'GET /api/reports/dashboard': 'see the dashboard',
  'GET /api/reports/learning': 'read the summary of learning',
  'GET /api/reports/library': 'read the library of published reviews',
  'GET /api/users': 'list the users',
  'POST /api/users': 'add a user',
  'GET /api/users/:id': 'see a user’s account',
  'PATCH /api/users/:id': 'change a user’s account',
};

/** A route's act in words; a route not in ROUTE_WORDS is named by its method and path. */
export function routeWords(method: string, path: string): string {
  return ROUTE_WORDS[`${method} ${path}`] ?? `call ${method} ${path}`;
}

/** "An agency lead may not record the decision.", and why when it is not the role alone ("…: its scopes do not open it."). */
export function mayNot(who: Role | 'client', act: string, why?: string): string {
  const words = who === 'client' ? CLIENT_WORDS : ROLE_WORDS[who];
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} may not ${act}${why ? `: ${why}` : ''}.`;
}
