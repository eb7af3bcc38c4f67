import type { Role } from '../access/roles.js';
import { addMonths } from '../common/calendar.js';

/** The life of a review, from the police notification to closure (DOMAIN.md, "The life of a case"). */
export const STAGES = [
  'notified',
  'commissioned',
  'not_commissioned',
  'panel_established',
  'information_gathering',
  'drafting',
  'csp_sign_off',
  'home_office_qa',
  'approved_for_publication',
  'published',
  'closed',
] as const;
export type Stage = (typeof STAGES)[number];

export function isOpenStage(stage: Stage): boolean {
  return stage !== 'closed';
}

/**
 * What the preconditions read about a case. Loaded in one query
 * (case-facts.ts); facts about material that does not exist yet read as
 * absent, so their steps stay refused until it does.
 */
export interface CaseFacts {
  today: string;
  reviewChairAssigned: boolean;
  panelAgencies: number;
  termsOfReferenceAgreed: boolean;
  contributionRequests: number;
  contributionsOutstanding: number;
  finalDocumentsUploaded: boolean;
  familyOfferedDraft: boolean;
  latestQaOutcome: 'approved' | 'approved_subject_to_changes' | 'resubmit' | null;
  criminalProceedingsHoldActive: boolean;
  subjectsWithoutPseudonym: number;
  anonymisationClean: boolean;
  openActions: number;
  publishedOn: string | null;
  closureOverrideReason: string | null;
}

export interface StepRequest {
  comment?: string;
}

interface Precondition {
  /** The machine-readable code a refused step lists. */
  unmet: string;
  holds: (facts: CaseFacts, request: StepRequest) => boolean;
}

export interface Step {
  from: Stage;
  to: Stage;
  takenBy: readonly Role[];
  preconditions: readonly Precondition[];
  /** Steps that carry more than a comment are taken at their own endpoint. */
  via?: { endpoint: string; unmet: string };
}

const hasComment = (_f: CaseFacts, r: StepRequest) => Boolean(r.comment?.trim());

/** The typed transition table: every forward (and backward) step, who takes it, and what must hold first. */
export const STEPS: readonly Step[] = [
  {
    from: 'notified',
    to: 'commissioned',
    takenBy: ['csp_chair'],
    preconditions: [],
    via: { endpoint: 'POST /api/cases/:id/decision', unmet: 'decision_missing' },
  },
  {
    from: 'notified',
    to: 'not_commissioned',
    takenBy: ['csp_chair'],
    preconditions: [],
    via: { endpoint: 'POST /api/cases/:id/decision', unmet: 'decision_missing' },
  },
  {
    from: 'not_commissioned',
    to: 'commissioned',
    takenBy: ['csp_chair', 'sdp_admin'],
    preconditions: [{ unmet: 'home_office_direction_note_missing', holds: hasComment }],
  },
  {
    from: 'commissioned',
    to: 'panel_established',
    takenBy: ['sdp_admin', 'review_chair'],
    preconditions: [
      { unmet: 'review_chair_missing', holds: (f) => f.reviewChairAssigned },
      { unmet: 'no_panel_agency', holds: (f) => f.panelAgencies > 0 },
      { unmet: 'terms_of_reference_missing', holds: (f) => f.termsOfReferenceAgreed },
    ],
  },
  {
    from: 'panel_established',
    to: 'information_gathering',
    takenBy: ['sdp_admin', 'review_chair'],
    preconditions: [{ unmet: 'no_contribution_request', holds: (f) => f.contributionRequests > 0 }],
  },
  {
    from: 'information_gathering',
    to: 'drafting',
    takenBy: ['sdp_admin', 'review_chair'],
    preconditions: [{ unmet: 'contributions_outstanding', holds: (f) => f.contributionsOutstanding === 0 }],
  },
  {
    from: 'drafting',
    to: 'csp_sign_off',
    takenBy: ['sdp_admin', 'review_chair'],
    preconditions: [{ unmet: 'final_documents_missing', holds: (f) => f.finalDocumentsUploaded }],
  },
  {
    from: 'csp_sign_off',
    to: 'home_office_qa',
    takenBy: ['csp_chair'],
    preconditions: [{ unmet: 'family_draft_not_offered', holds: (f) => f.familyOfferedDraft }],
  },
  {
    from: 'csp_sign_off',
    to: 'drafting',
    takenBy: ['csp_chair'],
    preconditions: [{ unmet: 'comment_missing', holds: hasComment }],
  },
  {
    from: 'home_office_qa',
    to: 'approved_for_publication',
    takenBy: ['sdp_admin'],
    preconditions: [
      {
        unmet: 'qa_approval_missing',
        holds: (f) => f.latestQaOutcome === 'approved' || f.latestQaOutcome === 'approved_subject_to_changes',
      },
    ],
  },
  {
    from: 'home_office_qa',
    to: 'drafting',
    takenBy: ['sdp_admin'],
    preconditions: [{ unmet: 'qa_resubmission_missing', holds: (f) => f.latestQaOutcome === 'resubmit' }],
  },
  {
    from: 'approved_for_publication',
    to: 'published',
    takenBy: ['csp_chair'],
    preconditions: [
      { unmet: 'criminal_proceedings_hold_active', holds: (f) => !f.criminalProceedingsHoldActive },
      { unmet: 'pseudonym_missing', holds: (f) => f.subjectsWithoutPseudonym === 0 },
      { unmet: 'anonymisation_hits', holds: (f) => f.anonymisationClean },
    ],
    via: { endpoint: 'POST /api/cases/:id/publication', unmet: 'publication_details_missing' },
  },
  {
    from: 'published',
    to: 'closed',
    takenBy: ['csp_chair'],
    preconditions: [
      { unmet: 'actions_open', holds: (f) => f.openActions === 0 },
      {
        unmet: 'published_less_than_12_months',
        holds: (f) =>
          f.closureOverrideReason !== null || (f.publishedOn !== null && addMonths(f.publishedOn, 12) <= f.today),
      },
    ],
  },
];

export function findStep(from: Stage, to: Stage): Step | undefined {
  return STEPS.find((s) => s.from === from && s.to === to);
}

/** Every unmet precondition, not just the first: the caller sees all that is left to do. */
export function unmetPreconditions(step: Step, facts: CaseFacts, request: StepRequest): string[] {
  return step.preconditions.filter((p) => !p.holds(facts, request)).map((p) => p.unmet);
}
