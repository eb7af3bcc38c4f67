import { describe, expect, it } from '@jest/globals';
import { ABSENT_FACTS, type CaseFacts } from './case-facts.js';
import type { ReviewCase } from './case.entities.js';
import { FINAL_STAGES, findStep, isOpenStage, STAGES, STEPS, unmetPreconditions, type Stage, type StepRequest } from './stages.js';

const TODAY = '2027-06-01';

const ready: CaseFacts = {
  reviewChairAssigned: true,
  signedOff: false,
  panelAgencies: 2,
  termsOfReferenceAgreed: true,
  contributionRequests: 3,
  contributionsOutstanding: 0,
  contributionsOutstandingFrom: [],
  finalDocumentsUploaded: true,
  familyOfferedDraft: true,
  latestQaOutcome: 'approved',
  openBlockingHolds: [],
  subjectsWithoutPseudonym: 0,
  anonymisationClean: true,
  openActions: 0,
  publishedOn: '2026-05-01',
  closureOverridden: false,
};

const unmet = (from: Stage, to: Stage, facts: Partial<CaseFacts> = {}, comment?: string, request: StepRequest = {}) =>
  unmetPreconditions(findStep(from, to)!, { ...ready, ...facts }, { today: TODAY, request: { comment, ...request } });

const decision = { decision: { outcome: 'commission', decidedOn: '2027-05-01', rationale: 'Criteria met' } } as const;

describe('the stage table', () => {
  it('reaches every stage from notified', () => {
    const reached = new Set<Stage>(['notified']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const step of STEPS) {
        if (reached.has(step.from) && !reached.has(step.to)) {
          reached.add(step.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...STAGES].sort());
  });

  it('gives every step someone who may take it, and closes nothing after closed', () => {
    expect(STEPS.every((s) => s.takenBy.length > 0)).toBe(true);
    expect(STEPS.filter((s) => s.from === 'closed')).toEqual([]);
  });

  it('lets the CSP chair alone discontinue a review before its sign-off, with a comment, and never leave discontinued', () => {
    const discontinuing = STEPS.filter((s) => s.to === 'discontinued');
    expect(discontinuing.map((s) => s.from)).toEqual(['commissioned', 'panel_established', 'information_gathering', 'drafting']);
    for (const step of discontinuing) {
      expect(step.takenBy).toEqual(['csp_chair']);
      expect(step.via).toBeUndefined();
      expect(unmet(step.from, 'discontinued')).toEqual(['comment_missing']);
      expect(unmet(step.from, 'discontinued', {}, '  ')).toEqual(['comment_missing']);
      // what the case lacks for other steps does not hold it back
      expect(unmet(step.from, 'discontinued', { ...ABSENT_FACTS }, 'Merged into a joint review.')).toEqual([]);
    }
    expect(findStep('csp_sign_off', 'discontinued')).toBeUndefined();
    expect(findStep('notified', 'discontinued')).toBeUndefined();
    expect(STEPS.filter((s) => s.from === 'discontinued')).toEqual([]);
  });

  it('makes closed and discontinued final, and every other stage open', () => {
    expect(STAGES.filter((stage) => !isOpenStage(stage))).toEqual(['closed', 'discontinued']);
    expect([...FINAL_STAGES]).toEqual(['closed', 'discontinued']);
  });

  it('keeps the approval gates for the CSP chair', () => {
    expect(findStep('csp_sign_off', 'home_office_qa')!.takenBy).toEqual(['csp_chair']);
    expect(findStep('approved_for_publication', 'published')!.takenBy).toEqual(['csp_chair']);
    expect(findStep('notified', 'commissioned')!.takenBy).toEqual(['csp_chair']);
  });

  it('passes each step when everything is in place', () => {
    for (const step of STEPS) {
      const request: StepRequest = {
        comment: 'noted',
        decision: { ...decision.decision, outcome: step.to === 'commissioned' ? 'commission' : 'no_review' },
        withholding: { decidedOn: '2027-05-20', reason: 'On legal advice.' },
      };
      expect(`${step.from}→${step.to}: ${unmetPreconditions(step, ready, { today: TODAY, request }).join(',')}`).toBe(
        `${step.from}→${step.to}: ${step.from === 'home_office_qa' && step.to === 'drafting' ? 'qa_resubmission_missing' : ''}`,
      );
    }
  });

  it('lists every unmet precondition, not only the first', () => {
    expect(unmet('commissioned', 'panel_established', { reviewChairAssigned: false, panelAgencies: 0, termsOfReferenceAgreed: false })).toEqual([
      'review_chair_missing',
      'no_panel_agency',
      'terms_of_reference_missing',
    ]);
  });

  it.each([
    ['not_commissioned', 'commissioned', {}, undefined, ['home_office_direction_note_missing']],
    ['not_commissioned', 'commissioned', {}, '   ', ['home_office_direction_note_missing']],
    ['panel_established', 'information_gathering', { contributionRequests: 0 }, undefined, ['no_contribution_request']],
    ['information_gathering', 'drafting', { contributionsOutstanding: 1 }, undefined, ['contributions_outstanding']],
    ['drafting', 'csp_sign_off', { finalDocumentsUploaded: false }, undefined, ['final_documents_missing']],
    ['csp_sign_off', 'home_office_qa', { familyOfferedDraft: false }, undefined, ['family_draft_not_offered']],
    ['csp_sign_off', 'drafting', {}, undefined, ['comment_missing']],
    ['home_office_qa', 'approved_for_publication', { latestQaOutcome: 'resubmit' }, undefined, ['qa_approval_missing']],
    ['home_office_qa', 'approved_for_publication', { latestQaOutcome: 'approved_subject_to_changes' }, undefined, []],
    ['home_office_qa', 'drafting', { latestQaOutcome: 'resubmit' }, undefined, []],
    [
      'approved_for_publication',
      'published',
      { openBlockingHolds: ['criminal_proceedings'], subjectsWithoutPseudonym: 1, anonymisationClean: false },
      undefined,
      ['criminal_proceedings_hold_active', 'pseudonym_missing', 'anonymisation_hits'],
    ],
    ['approved_for_publication', 'published', { openBlockingHolds: ['inquest'] }, undefined, ['inquest_hold_active']],
    ['approved_for_publication', 'published', { openBlockingHolds: ['criminal_proceedings', 'inquest'] }, undefined, ['criminal_proceedings_hold_active', 'inquest_hold_active']],
    ['published', 'closed', { openActions: 2 }, undefined, ['actions_open']],
    ['published', 'closed', { publishedOn: '2026-06-02' }, undefined, ['published_less_than_12_months']],
    ['published', 'closed', { publishedOn: '2026-06-01' }, undefined, []],
    ['published', 'closed', { publishedOn: '2027-01-01', closureOverridden: true }, undefined, []],
    ['approved_for_publication', 'closed', { openActions: 1, publishedOn: null }, undefined, ['withholding_reason_missing', 'actions_open']],
  ] as const)('%s → %s with %j (comment %p) is refused for %j', (from, to, facts, comment, expected) => {
    expect(unmet(from, to, facts, comment)).toEqual(expected);
  });

  it('takes the decision only with its outcome, date and rationale, and records them with the commissioning date', () => {
    expect(unmet('notified', 'commissioned')).toEqual(['decision_missing']);
    expect(unmet('notified', 'not_commissioned', {}, undefined, decision)).toEqual(['decision_missing']);
    expect(unmet('notified', 'commissioned', {}, undefined, decision)).toEqual([]);
    const effects = findStep('notified', 'commissioned')!.effects!({ today: TODAY, request: decision }, {} as ReviewCase);
    expect(effects).toEqual({ decisionOutcome: 'commission', decidedOn: '2027-05-01', decisionRationale: 'Criteria met', commissionedOn: '2027-05-01' });
    const noReview = { decision: { outcome: 'no_review', decidedOn: '2027-05-02', rationale: 'Not a DHR' } } as const;
    expect(findStep('notified', 'not_commissioned')!.effects!({ today: TODAY, request: noReview }, {} as ReviewCase)).toMatchObject({ commissionedOn: null });
  });

  it('declares what each step records: a Home Office direction commissions, a sign-off completes, a withholding is kept', () => {
    const context = { today: TODAY, request: {} };
    const unsigned = { firstCompletedOn: null } as ReviewCase;
    expect(findStep('not_commissioned', 'commissioned')!.effects!(context, unsigned)).toEqual({ commissionedOn: TODAY });
    expect(findStep('csp_sign_off', 'home_office_qa')!.effects!(context, unsigned)).toEqual({ completedOn: TODAY, firstCompletedOn: TODAY });
    const withheld = { withholding: { decidedOn: '2027-05-20', reason: ' Publication would identify the children. ' } };
    expect(findStep('approved_for_publication', 'closed')!.effects!({ today: TODAY, request: withheld }, unsigned)).toEqual({
      withheldOn: '2027-05-20',
      withholdingReason: 'Publication would identify the children.',
    });
    expect(STEPS.filter((s) => s.effects).map((s) => `${s.from}→${s.to}`)).toEqual([
      'notified→commissioned',
      'notified→not_commissioned',
      'not_commissioned→commissioned',
      'csp_sign_off→home_office_qa',
      'approved_for_publication→closed',
    ]);
  });

  it('keeps the first sign-off as the completion when the review is signed off again after a QA resubmission', () => {
    const resubmitted = { firstCompletedOn: '2027-01-10' } as ReviewCase;
    expect(findStep('csp_sign_off', 'home_office_qa')!.effects!({ today: TODAY, request: {} }, resubmitted)).toEqual({
      completedOn: TODAY,
      firstCompletedOn: '2027-01-10',
    });
  });

  it('closes a withheld review with its reason, open actions blocking, and no 12-month wait', () => {
    const reason = { withholding: { decidedOn: '2027-05-20', reason: 'On legal advice.' } };
    expect(unmet('approved_for_publication', 'closed', { publishedOn: null }, undefined, reason)).toEqual([]);
    expect(unmet('approved_for_publication', 'closed', {}, undefined, { withholding: { decidedOn: '2027-05-20', reason: '   ' } })).toEqual([
      'withholding_reason_missing',
    ]);
  });

  it('reads facts no module provides as absent, which refuses the steps that need them', () => {
    expect(unmetPreconditions(findStep('drafting', 'csp_sign_off')!, ABSENT_FACTS, { today: TODAY, request: {} })).toEqual(['final_documents_missing']);
    expect(unmetPreconditions(findStep('home_office_qa', 'approved_for_publication')!, ABSENT_FACTS, { today: TODAY, request: {} })).toEqual([
      'qa_approval_missing',
    ]);
  });

  it('sends decision and publication to their own endpoints', () => {
    expect(findStep('notified', 'commissioned')!.via?.unmet).toBe('decision_missing');
    expect(findStep('approved_for_publication', 'published')!.via?.unmet).toBe('publication_details_missing');
    expect(findStep('approved_for_publication', 'closed')!.via).toMatchObject({ endpoint: 'POST /api/cases/:id/withholding', unmet: 'withholding_details_missing' });
    expect(findStep('notified', 'drafting')).toBeUndefined();
  });
});
