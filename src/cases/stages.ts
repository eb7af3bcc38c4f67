import type { Role } from '../access/roles.js';
import { addMonths } from '../common/calendar.js';
import { PUBLICATION_ENDPOINT, WITHHOLDING_ENDPOINT } from '../publication/publication-endpoint.js';
import { asksForResubmission, isQaApproval } from '../qa/qa-outcomes.js';
import { HOLD_REASON_BLOCKS, HOLD_REASONS, type DecisionOutcome, type ReviewCase } from './case.entities.js';
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
  'discontinued',
] as const;
export type Stage = (typeof STAGES)[number];

/**
 * The stages a case ends in: `closed`, and `discontinued`, where a review
 * stopped before its sign-off ends (docs/domain.md, "Discontinued reviews").
 * A case at one takes no further step and cannot be put on hold.
 */
export const FINAL_STAGES: readonly Stage[] = ['closed', 'discontinued'];

export function isOpenStage(stage: Stage): boolean {
  return !FINAL_STAGES.includes(stage);
}

/** What the person taking a step sends with it. */
export interface StepRequest {
  comment?: string;
  /** The CSP chair's decision, sent to POST /api/cases/:id/decision. */
  decision?: { outcome: DecisionOutcome; decidedOn: string; rationale: string };
  /** The decision not to publish, sent to POST /api/cases/:id/withholding. */
  withholding?: { decidedOn: string; reason?: string };
}

/** What a precondition and a step's effects may read besides the case's facts. */
export interface StepContext {
  today: string;
  request: StepRequest;
}

/** What is missing, in words: fixed, or read from the case's facts (a count, the agencies still to answer). Never a person's name. */
export type UnmetWords = string | ((facts: CaseFacts) => string);

interface Precondition {
  /** The machine-readable code a refused step lists. */
  unmet: string;
  /** The same, in words, for the next steps a case can take (GET /api/cases/:id/next-steps). */
  says: UnmetWords;
  holds: (facts: CaseFacts, context: StepContext) => boolean;
  /**
   * Met by what the request sends with the step (its comment, the decision),
   * not by the case: the next steps name it as what to send, not as missing.
   */
  sent?: SentWithStep;
}

/** What a request may send with a step besides the case's facts: a comment, the decision, the withholding's date and reason. */
export type SentWithStep = 'comment' | 'decision' | 'withholding';

/** The case fields a step may set besides its stage. */
export type StepEffects = Partial<
  Pick<ReviewCase, 'decisionOutcome' | 'decidedOn' | 'decisionRationale' | 'commissionedOn' | 'completedOn' | 'firstCompletedOn' | 'withheldOn' | 'withholdingReason'>
>;

export interface Step {
  from: Stage;
  to: Stage;
  takenBy: readonly Role[];
  preconditions: readonly Precondition[];
  /** What the step records on the case besides the stage (docs/domain.md, "The step table"), read against the case as it stood. */
  effects?: (context: StepContext, found: ReviewCase) => StepEffects;
  /** Steps that carry more than a comment are taken at their own endpoint only. */
  via?: { endpoint: string; unmet: string; says: string };
}

export const DECISION_ENDPOINT = 'POST /api/cases/:id/decision';
/** Where every step without a `via` of its own is taken. */
export const TRANSITIONS_ENDPOINT = 'POST /api/cases/:id/transitions';

const hasComment = (_f: CaseFacts, c: StepContext) => Boolean(c.request.comment?.trim());

/** Open actions of the action plan block closure, however the review ends (published or withheld). */
const NO_OPEN_ACTIONS: Precondition = {
  unmet: 'actions_open',
  says: (f) => `${counted(f.openActions, 'action of the action plan is', 'actions of the action plan are')} still open.`,
  holds: (f) => f.openActions === 0,
};

/** A withholding states its reason (the request's, not blank). */
const WITHHOLDING_REASONED: Precondition = {
  unmet: 'withholding_reason_missing',
  says: 'Withholding the review from publication needs the reason for the decision.',
  holds: (_f, c) => Boolean(c.request.withholding?.reason?.trim()),
  sent: 'withholding',
};

/** The decision not to publish is kept with the case, with its date and reason. */
const recordWithholding = ({ request }: StepContext): StepEffects => ({
  withheldOn: request.withholding!.decidedOn,
  withholdingReason: (request.withholding!.reason ?? '').trim(),
});
/** A step that needs a comment saying why: a draft sent back, a review discontinued. One code, one meaning, whichever step asks. */
const COMMENT_SAYING_WHY: Precondition = {
  unmet: 'comment_missing',
  says: 'The step needs a comment saying why (why the draft goes back, or why the review is discontinued).',
  holds: hasComment,
  sent: 'comment',
};

/**
 * Before the CSP sign-off a review may be discontinued (merged into a joint
 * review, or no longer meeting the criteria): the CSP chair ends it with a
 * comment saying why (docs/domain.md, "Discontinued reviews").
 */
const discontinueStep = (from: Stage): Step => ({
  from,
  to: 'discontinued',
  takenBy: ['csp_chair'],
  // Only drafting can follow a sign-off (a review the Home Office's QA sent back): that review is no longer discontinued.
  preconditions: from === 'drafting' ? [NOT_SIGNED_OFF, COMMENT_SAYING_WHY] : [COMMENT_SAYING_WHY],
});

const NOT_SIGNED_OFF: Precondition = {
  unmet: 'review_signed_off',
  says: 'The CSP chair has signed the review off: a review may be discontinued only before its sign-off.',
  holds: (f) => !f.signedOff,
};

const DECISION_MISSING = 'The CSP chair’s decision, with its rationale, has not been recorded.';

const decided = (outcome: DecisionOutcome): Precondition => ({
  unmet: 'decision_missing',
  says: DECISION_MISSING,
  holds: (_f, c) => c.request.decision?.outcome === outcome && Boolean(c.request.decision.rationale?.trim()),
  sent: 'decision',
});

/** "1 agency" / "2 agencies": a count in words. */
export function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The contributions still outstanding, by agency and kind (agency names only, never a person's). */
function outstandingContributions(f: CaseFacts): string {
  const count = counted(f.contributionsOutstanding, 'contribution requested of an agency is', 'contributions requested of agencies are');
  return `${count} still outstanding${f.contributionsOutstandingFrom.length > 0 ? `: ${f.contributionsOutstandingFrom.join(', ')}` : ''}.`;
}

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
  via: { endpoint: DECISION_ENDPOINT, unmet: 'decision_missing', says: DECISION_MISSING },
});

/** One precondition per reason whose open hold blocks publication (HOLD_REASON_BLOCKS), in the order of the reasons. */
function holdsBlockingPublication(): Precondition[] {
  return HOLD_REASONS.flatMap((reason) => {
    const block = HOLD_REASON_BLOCKS[reason];
    return block ? [{ unmet: block.unmet, says: block.says, holds: (f: CaseFacts) => !f.openBlockingHolds.includes(reason) }] : [];
  });
}

/** The typed transition table: every forward (and backward) step, who takes it, what must hold first, and what it records. */
export const STEPS: readonly Step[] = [
  decisionStep('commissioned', 'commission'),
  decisionStep('not_commissioned', 'no_review'),
  {
    from: 'not_commissioned',
    to: 'commissioned',
    takenBy: ['csp_chair', 'sdp_admin'],
    preconditions: [{ unmet: 'home_office_direction_note_missing', says: 'A note of the Home Office’s direction to hold the review is needed, as the step’s comment.', holds: hasComment, sent: 'comment' }],
    // A Home Office direction commissions the review on the day of this step; deadlines from commissioning start then.
    effects: ({ today }) => ({ commissionedOn: today }),
  },
  {
    from: 'commissioned',
    to: 'panel_established',
    takenBy: ['sdp_admin', 'review_chair'],
    preconditions: [
      { unmet: 'review_chair_missing', says: 'No review chair has been assigned.', holds: (f) => f.reviewChairAssigned },
      { unmet: 'no_panel_agency', says: 'No agency has been added to the review panel.', holds: (f) => f.panelAgencies > 0 },
      { unmet: 'terms_of_reference_missing', says: 'The terms of reference have not been agreed.', holds: (f) => f.termsOfReferenceAgreed },
    ],
  },
  {
    from: 'panel_established',
    to: 'information_gathering',
    takenBy: ['sdp_admin', 'review_chair'],
    preconditions: [{ unmet: 'no_contribution_request', says: 'No agency has been asked for a contribution (an IMR, a chronology or a summary).', holds: (f) => f.contributionRequests > 0 }],
  },
  {
    from: 'information_gathering',
    to: 'drafting',
    takenBy: ['sdp_admin', 'review_chair'],
    preconditions: [{ unmet: 'contributions_outstanding', says: outstandingContributions, holds: (f) => f.contributionsOutstanding === 0 }],
  },
  {
    from: 'drafting',
    to: 'csp_sign_off',
    takenBy: ['sdp_admin', 'review_chair'],
    preconditions: [{ unmet: 'final_documents_missing', says: 'The final overview report, executive summary and action plan have not all been uploaded.', holds: (f) => f.finalDocumentsUploaded }],
  },
  {
    from: 'csp_sign_off',
    to: 'home_office_qa',
    takenBy: ['csp_chair'],
    preconditions: [{ unmet: 'family_draft_not_offered', says: 'The victim’s family has not been offered the draft report (record it as a family contact with party victim_family).', holds: (f) => f.familyOfferedDraft }],
    // The first sign-off is the review's completion (firstCompletedOn, kept); completedOn is the latest, set by each sign-off.
    effects: ({ today }, found) => ({ completedOn: today, firstCompletedOn: found.firstCompletedOn ?? today }),
  },
  {
    from: 'csp_sign_off',
    to: 'drafting',
    takenBy: ['csp_chair'],
    preconditions: [COMMENT_SAYING_WHY],
  },
  {
    from: 'home_office_qa',
    to: 'approved_for_publication',
    takenBy: ['sdp_admin'],
    preconditions: [
      {
        unmet: 'qa_approval_missing',
        says: 'The Home Office has not approved the review for publication.',
        holds: (f) => isQaApproval(f.latestQaOutcome),
      },
    ],
  },
  {
    from: 'home_office_qa',
    to: 'drafting',
    takenBy: ['sdp_admin'],
    preconditions: [
      {
        unmet: 'qa_resubmission_missing',
        says: 'The Home Office has not asked for the review to be revised and submitted again.',
        holds: (f) => asksForResubmission(f.latestQaOutcome),
      },
    ],
  },
  {
    from: 'approved_for_publication',
    to: 'published',
    takenBy: ['csp_chair'],
    preconditions: [
      ...holdsBlockingPublication(),
      {
        unmet: 'pseudonym_missing',
        says: (f) => `${counted(f.subjectsWithoutPseudonym, 'subject has', 'subjects have')} no pseudonym.`,
        holds: (f) => f.subjectsWithoutPseudonym === 0,
      },
      { unmet: 'anonymisation_hits', says: 'The final reports do not pass the anonymisation check (see the publication check).', holds: (f) => f.anonymisationClean },
    ],
    via: { endpoint: PUBLICATION_ENDPOINT, unmet: 'publication_details_missing', says: 'Publishing records the date and address of the publication: use the publication endpoint.' },
  },
  {
    from: 'published',
    to: 'closed',
    takenBy: ['csp_chair'],
    preconditions: [
      NO_OPEN_ACTIONS,
      {
        unmet: 'published_less_than_12_months',
        says: 'The report was published less than 12 months ago, and the SDP has not overridden the wait.',
        holds: (f, c) => f.closureOverridden || (f.publishedOn !== null && addMonths(f.publishedOn, 12) <= c.today),
      },
    ],
  },
  {
    // Withheld: the review ends without publication (docs/domain.md, "Publication"); no 12-month wait, open actions still block it.
    from: 'approved_for_publication',
    to: 'closed',
    takenBy: ['csp_chair'],
    preconditions: [WITHHOLDING_REASONED, NO_OPEN_ACTIONS],
    effects: recordWithholding,
    via: {
      endpoint: WITHHOLDING_ENDPOINT,
      unmet: 'withholding_details_missing',
      says: 'Closing a review without publishing it records the decision’s date and reason: use the withholding endpoint.',
    },
  },
  discontinueStep('commissioned'),
  discontinueStep('panel_established'),
  discontinueStep('information_gathering'),
  discontinueStep('drafting'),
];

export function findStep(from: Stage, to: Stage): Step | undefined {
  return STEPS.find((s) => s.from === from && s.to === to);
}

/** The steps a role may take from a stage, in the table's order. */
export function stepsFrom(stage: Stage, role: Role): Step[] {
  return STEPS.filter((s) => s.from === stage && s.takenBy.includes(role));
}

/**
 * Every unmet precondition, not just the first: the caller sees all that is
 * left to do. With `of: 'case'`, only those the case must meet, leaving out
 * what the request sends with the step (its comment, the decision): what the
 * next steps list (docs/domain.md, "The next steps a case can take").
 */
export function unmetPreconditions(step: Step, facts: CaseFacts, context: StepContext, of: 'case' | 'case and request' = 'case and request'): string[] {
  return step.preconditions.filter((p) => (of === 'case and request' || !p.sent) && !p.holds(facts, context)).map((p) => p.unmet);
}

/** What the request must send for the step's preconditions to hold (a comment, the decision), besides what the case must meet. */
export function sentWithStep(step: Step): SentWithStep[] {
  return step.preconditions.flatMap((p) => (p.sent ? [p.sent] : []));
}

/** The words of each code of the stage table, read against the case's facts where they count something. */
export function stageTableWords(facts: CaseFacts): Record<string, string> {
  const words: Record<string, string> = {};
  for (const step of STEPS) {
    for (const p of step.preconditions) words[p.unmet] = typeof p.says === 'string' ? p.says : p.says(facts);
    if (step.via) words[step.via.unmet] = step.via.says;
  }
  return words;
}

/** The codes of the stage table's preconditions: what a next step may list as unmet. */
export const PRECONDITION_CODES: readonly string[] = [...new Set(STEPS.flatMap((step) => step.preconditions.map((p) => p.unmet)))].sort();
