import type { Role } from '../access/roles.js';
import { addMonths } from '../common/calendar.js';
import { PUBLICATION_ENDPOINT } from '../publication/publication-endpoint.js';
import { asksForResubmission, isQaApproval } from '../qa/qa-outcomes.js';
import type { DecisionOutcome, ReviewCase } from './case.entities.js';
import type { CaseFacts } from './case-facts.js';

/** The life of a review, from the police notification to closure (docs/domain.md, "The life of a case"). */
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

/** What the person taking a step sends with it. */
export interface StepRequest {
  comment?: string;
  /** The CSP chair's decision, sent to POST /api/cases/:id/decision. */
  decision?: { outcome: DecisionOutcome; decidedOn: string; rationale: string };
}

/** What a precondition and a step's effects may read besides the case's facts. */
export interface StepContext {
  today: string;
  request: StepRequest;
}

interface Precondition {
  /** The machine-readable code a refused step lists. */
  unmet: string;
  holds: (facts: CaseFacts, context: StepContext) => boolean;
}

/** The case fields a step may set besides its stage. */
export type StepEffects = Partial<Pick<ReviewCase, 'decisionOutcome' | 'decidedOn' | 'decisionRationale' | 'commissionedOn' | 'completedOn'>>;

export interface Step {
  from: Stage;
  to: Stage;
  takenBy: readonly Role[];
  preconditions: readonly Precondition[];
  /** What the step records on the case besides the stage (docs/domain.md, "The step table"). */
  effects?: (context: StepContext) => StepEffects;
  /** Steps that carry more than a comment are taken at their own endpoint only. */
  via?: { endpoint: string; unmet: string };
}

export const DECISION_ENDPOINT = 'POST /api/cases/:id/decision';

const hasComment = (_f: CaseFacts, c: StepContext) => Boolean(c.request.comment?.trim());

const decided = (outcome: DecisionOutcome): Precondition => ({
  unmet: 'decision_missing',
  holds: (_f, c) => c.request.decision?.outcome === outcome && Boolean(c.request.decision.rationale?.trim()),
});

/** The decision is kept with the case; a review commissioned by it is commissioned on the day decided. */
const recordDecision = ({ request }: StepContext): StepEffects => {
  const { outcome, decidedOn, rationale } = request.decision!;
  return {
    decisionOutcome: outcome,
    decidedOn,
    decisionRationale: rationale,
    commissionedOn: outcome === 'commission' ? decidedOn : null,
  };
};

/** The CSP chair's decision, recorded at its own endpoint: the step out of notified it names. */
const decisionStep = (to: Stage, outcome: DecisionOutcome): Step => ({
  from: 'notified',
  to,
  takenBy: ['csp_chair'],
  preconditions: [decided(outcome)],
  effects: recordDecision,
  via: { endpoint: DECISION_ENDPOINT, unmet: 'decision_missing' },
});

/** The typed transition table: every forward (and backward) step, who takes it, what must hold first, and what it records. */
export const STEPS: readonly Step[] = [
  decisionStep('commissioned', 'commission'),
  decisionStep('not_commissioned', 'no_review'),
  {
    from: 'not_commissioned',
    to: 'commissioned',
    takenBy: ['csp_chair', 'sdp_admin'],
    preconditions: [{ unmet: 'home_office_direction_note_missing', holds: hasComment }],
    // A Home Office direction commissions the review on the day of this step; deadlines from commissioning start then.
    effects: ({ today }) => ({ commissionedOn: today }),
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
    // The CSP chair's sign-off is the review's completion date; each sign-off sets it again.
    effects: ({ today }) => ({ completedOn: today }),
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
        holds: (f) => isQaApproval(f.latestQaOutcome),
      },
    ],
  },
  {
    from: 'home_office_qa',
    to: 'drafting',
    takenBy: ['sdp_admin'],
    preconditions: [{ unmet: 'qa_resubmission_missing', holds: (f) => asksForResubmission(f.latestQaOutcome) }],
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
    via: { endpoint: PUBLICATION_ENDPOINT, unmet: 'publication_details_missing' },
  },
  {
    from: 'published',
    to: 'closed',
    takenBy: ['csp_chair'],
    preconditions: [
      { unmet: 'actions_open', holds: (f) => f.openActions === 0 },
      {
        unmet: 'published_less_than_12_months',
        holds: (f, c) => f.closureOverridden || (f.publishedOn !== null && addMonths(f.publishedOn, 12) <= c.today),
      },
    ],
  },
];

export function findStep(from: Stage, to: Stage): Step | undefined {
  return STEPS.find((s) => s.from === from && s.to === to);
}

/** Every unmet precondition, not just the first: the caller sees all that is left to do. */
export function unmetPreconditions(step: Step, facts: CaseFacts, context: StepContext): string[] {
  return step.preconditions.filter((p) => !p.holds(facts, context)).map((p) => p.unmet);
}
