/**
 * The stage table at work (docs/architecture.md, "Steps and their effects"):
 * the CSP chair's decision and the steps after it, each refusal in the order
 * StepsService checks them (the step exists, the role may take it, it is
 * taken at its endpoint, its preconditions hold), and what a step writes:
 * the stage and its effects, one history row, one audit event.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { StepsService } from '../../src/cases/steps.service.js';
import { insertActor, insertAgency, insertCase, insertPanelMember, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { FORBIDDEN, INVALID, NOT_FOUND, refusalOf, rowsOfCase, theAuditEvent, unmet } from '../support/medium-outcomes.js';

describe('steps (StepsService)', () => {
  let m: Medium;
  let steps: StepsService;
  let exeter: string;
  let chair: Actor;
  let northChair: Actor;
  let reviewChair: Actor;

  beforeAll(async () => {
    m = await startMedium();
    m.clock.setTo('2026-06-01');
    steps = m.get(StepsService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
    northChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: await partnershipId(m.dataSource, 'north-devon-torridge') });
    reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
  });
  afterAll(() => m.close());

  const stageOf = async (caseId: string) => (await m.dataSource.query('SELECT stage, version FROM review_case WHERE id = $1', [caseId]))[0];
  const commission = { outcome: 'commission', decidedOn: '2026-04-01', rationale: 'The death meets the statutory criteria.' } as const;

  describe('the decision', () => {
    it('commissions a review: the decision and commissioning date kept, one history row, one audit event', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter });
      const view = await m.as(chair, () => steps.decide(chair, made.id, commission));
      expect(view).toMatchObject({ stage: 'commissioned', commissionedOn: '2026-04-01', version: 2 });
      expect(view.decision).toEqual({ outcome: 'commission', decidedOn: '2026-04-01', rationale: commission.rationale });
      const history = await m.dataSource.query('SELECT from_stage, to_stage, actor_id, comment FROM case_transition WHERE case_id = $1 AND from_stage IS NOT NULL', [
        made.id,
      ]);
      expect(history).toEqual([{ from_stage: 'notified', to_stage: 'commissioned', actor_id: chair.userId, comment: null }]);
      const event = await theAuditEvent(m.dataSource, 'case.stage_changed', made.id, chair.userId);
      expect(event.changes).toMatchObject({ stage: { from: 'notified', to: 'commissioned' } });
      expect(JSON.stringify(event)).not.toContain(commission.rationale);
    });

    it('records a decision not to review, with no commissioning date', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter });
      const view = await m.as(chair, () => steps.decide(chair, made.id, { outcome: 'no_review', decidedOn: '2026-04-01', rationale: 'Not a domestic homicide.' }));
      expect(view).toMatchObject({ stage: 'not_commissioned', commissionedOn: null });
    });

    it.each([
      ['a second decision', 'commissioned', commission, unmet('decision_already_recorded')],
      ['a decision before the notification', 'notified', { ...commission, decidedOn: '2026-01-01' }, INVALID],
      ['a decision dated tomorrow', 'notified', { ...commission, decidedOn: '2026-06-02' }, INVALID],
    ] as const)('refuses %s and changes nothing', async (_what, stage, decision, expected) => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage });
      const before = await stageOf(made.id);
      expect(await m.as(chair, () => refusalOf(steps.decide(chair, made.id, decision)))).toEqual(expected);
      expect(await stageOf(made.id)).toEqual(before);
      expect(await rowsOfCase(m.dataSource, 'case_transition', made.id)).toBe(1);
    });

    it('refuses the review chair with 403 and another CSP’s chair with 404', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, reviewChairId: reviewChair.userId });
      expect(await m.as(reviewChair, () => refusalOf(steps.decide(reviewChair, made.id, commission)))).toEqual(FORBIDDEN);
      expect(await m.as(northChair, () => refusalOf(steps.decide(northChair, made.id, commission)))).toEqual(NOT_FOUND);
      expect(await stageOf(made.id)).toEqual({ stage: 'notified', version: 1 });
    });

    it('is taken at its own endpoint only: a transition to commissioned is refused as decision_missing', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter });
      expect(await m.as(chair, () => refusalOf(steps.transition(chair, made.id, { to: 'commissioned' })))).toEqual(unmet('decision_missing'));
      expect(await stageOf(made.id)).toEqual({ stage: 'notified', version: 1 });
    });
  });

  describe('the steps after it', () => {
    it('refuses a step the table does not have', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
      expect(await m.as(chair, () => refusalOf(steps.transition(chair, made.id, { to: 'drafting' })))).toEqual(unmet('step_not_allowed'));
    });

    it('refuses a role the step is not for with 403 before reading its preconditions', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
      expect(await m.as(chair, () => refusalOf(steps.transition(chair, made.id, { to: 'panel_established' })))).toEqual(FORBIDDEN);
    });

    it('lists every unmet precondition at once, and writes nothing', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned', reviewChairId: reviewChair.userId });
      await m.dataSource.query('UPDATE review_case SET review_chair_id = NULL WHERE id = $1', [made.id]);
      const admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
      expect(await m.as(admin, () => refusalOf(steps.transition(admin, made.id, { to: 'panel_established' })))).toEqual(
        unmet('review_chair_missing', 'no_panel_agency', 'terms_of_reference_missing'),
      );
      expect(await stageOf(made.id)).toEqual({ stage: 'commissioned', version: 1 });
      expect(await rowsOfCase(m.dataSource, 'case_transition', made.id)).toBe(1);
    });

    it('establishes the panel once its preconditions hold, keeping the comment in the history', async () => {
      const made = await insertCase(m.dataSource, {
        partnershipId: exeter,
        stage: 'commissioned',
        reviewChairId: reviewChair.userId,
        termsOfReferenceAgreedOn: '2026-04-20',
      });
      await insertPanelMember(m.dataSource, { caseId: made.id, agencyId: await insertAgency(m.dataSource) });
      const view = await m.as(reviewChair, () => steps.transition(reviewChair, made.id, { to: 'panel_established', comment: 'Panel met on 1 May.' }));
      expect(view).toMatchObject({ stage: 'panel_established', version: 2 });
      const event = await theAuditEvent(m.dataSource, 'case.stage_changed', made.id, reviewChair.userId);
      expect(event.details).toEqual({ commented: true });

      const history = await m.as(reviewChair, () => steps.history(reviewChair, made.id, {}));
      expect(history.items.map((t) => [t.from, t.to, t.comment])).toEqual([
        [null, 'notified', null],
        ['commissioned', 'panel_established', 'Panel met on 1 May.'],
      ]);
    });

    it('hides the steps’ comments from an agency lead reading the history', async () => {
      const agency = await insertAgency(m.dataSource);
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned', reviewChairId: reviewChair.userId, termsOfReferenceAgreedOn: '2026-04-20' });
      await insertPanelMember(m.dataSource, { caseId: made.id, agencyId: agency });
      await m.as(reviewChair, () => steps.transition(reviewChair, made.id, { to: 'panel_established', comment: 'Panel met on 1 May.' }));
      const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency });
      const history = await m.as(lead, () => steps.history(lead, made.id, {}));
      expect(history.items.map((t) => t.comment)).toEqual([null, null]);
    });
  });
});
