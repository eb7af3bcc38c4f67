/**
 * The Home Office QA board's answers to a submitted report, and what each
 * means for the case (docs/domain.md, "QA submissions").
 */
export const QA_OUTCOMES = ['approved', 'approved_subject_to_changes', 'resubmit'] as const;

export type QaOutcome = (typeof QA_OUTCOMES)[number];

/** Approval, with or without changes asked for: the case may go on to publication. */
export function isQaApproval(outcome: QaOutcome | null): boolean {
  return outcome === 'approved' || outcome === 'approved_subject_to_changes';
}

/** The board asks for the report again: the case goes back to drafting. */
export function asksForResubmission(outcome: QaOutcome | null): boolean {
  return outcome === 'resubmit';
}
