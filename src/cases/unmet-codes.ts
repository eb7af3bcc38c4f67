import { STEPS } from './stages.js';

/**
 * The codes a refusal (409) lists in `unmet` besides the stage table's own:
 * refusals of a step by the state of the case or of the object acted on.
 * A service that refuses with a new code adds it here, or the OpenAPI test
 * (test/openapi.e2e-spec.ts), which reads every `unmet` literal in src/,
 * fails.
 */
export const REFUSAL_CODES = [
  // steps and holds (src/cases)
  'decision_already_recorded',
  'stage_changed',
  'step_not_allowed',
  'case_closed',
  'hold_overlaps',
  'hold_already_ended',
  // contributions and chronologies
  'contribution_not_outstanding',
  'agency_not_involved',
  // action plans
  'action_done',
  'action_status_not_allowed',
  // Home Office QA
  'case_not_in_home_office_qa',
  'qa_outcome_pending',
  'qa_already_approved',
  'qa_outcome_already_recorded',
  // publication, its check and its protected terms
  'final_documents_unreadable',
  'publication_already_withdrawn',
  'withdrawal_too_early',
  'case_not_published',
  'closure_already_overridden',
  'protected_term_exists',
  // REST clients
  'client_revoked',
] as const;

/** Every code `unmet` can hold: the stage table's preconditions and `via` codes, and the refusals above. */
export const UNMET_CODES: readonly string[] = [
  ...new Set([
    ...STEPS.flatMap((step) => [...step.preconditions.map((p) => p.unmet), ...(step.via ? [step.via.unmet] : [])]),
    ...REFUSAL_CODES,
  ]),
].sort();
