/**
 * A feature module plugs its facts and milestone events in by declaring a
 * provider, and nothing under src/cases or src/milestones changes
 * (docs/architecture.md, "Adding a feature module"). These tests watch the
 * stage table and the milestones pick up the QA module's providers, and the
 * registries refuse a second owner of an event. A fact that no module
 * provides reads as absent (src/cases/case-facts.spec.ts, which also refuses
 * a fact's second owner).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import type { Actor } from '../../src/access/roles.js';
import { StepsService } from '../../src/cases/steps.service.js';
import { MilestoneSources } from '../../src/milestones/milestone-sources.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import { MilestonesService } from '../../src/milestones/milestones.service.js';
import { insertActor, insertCase, insertFamilyContact, insertQaSubmission, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

async function refusal(attempt: Promise<unknown>): Promise<{ status: number; unmet?: string[] }> {
  try {
    await attempt;
    return { status: 200 };
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    const body = error.getResponse() as { unmet?: string[] };
    return { status: error.getStatus(), unmet: body.unmet };
  }
}

describe('the QA module, plugged in', () => {
  let m: Medium;
  let chair: Actor;
  let admin: Actor;
  let exeter: string;

  beforeAll(async () => {
    m = await startMedium();
    exeter = await partnershipId(m.dataSource, 'exeter');
    chair = await insertActor(m.dataSource, { role: 'review_chair' });
    admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
  });
  afterAll(() => m.close());

  it('lets the step through once the module says the fact holds', async () => {
    const without = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01' });
    const approved = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01' });
    await insertQaSubmission(m.dataSource, { caseId: approved.id, outcome: 'approved_subject_to_changes' });
    const steps = m.get(StepsService);
    expect((await m.as(admin, () => refusal(steps.transition(admin, without.id, { to: 'approved_for_publication' })))).unmet).toEqual(['qa_approval_missing']);
    expect(await m.as(admin, () => steps.transition(admin, approved.id, { to: 'approved_for_publication' }))).toMatchObject({ stage: 'approved_for_publication' });
  });

  it('meets the milestone for one case and across cases alike', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01' });
    await insertQaSubmission(m.dataSource, { caseId: made.id, submittedOn: '2026-09-10' });
    await insertFamilyContact(m.dataSource, { caseId: made.id, contactedOn: '2026-03-10', leafletGiven: true, advocacyOffered: true });
    // Rows written by a factory bypass the services, so the case's stored state is refreshed as a change would.
    await m.get(MilestoneStateService).refresh(m.dataSource.manager, [made.id]);
    const milestones = m.get(MilestonesService);
    const one = await m.as(admin, () => milestones.forCase(admin, made.id, '2026-10-15'));
    expect(one.items.find((x) => x.key === 'home_office_submitted')).toMatchObject({ dueOn: '2026-10-01', metOn: '2026-09-10', status: 'met' });
    expect(one.items.find((x) => x.key === 'family_contacted')).toMatchObject({ metOn: '2026-03-10' });
    const met = await m.as(admin, () => milestones.acrossCases(admin, { status: 'met', asOf: '2026-10-15', limit: 200 }));
    expect(met.items.filter((x) => x.caseId === made.id).map((x) => x.key)).toContain('home_office_submitted');
  });

  it('refuses a second module recording the same milestone event', () => {
    const qa = { events: { qa_submission: 'NULL::date' } };
    expect(() => MilestoneSources.of([qa, { events: { qa_submission: 'c.completed_on' } }])).toThrow('"qa_submission" is recorded by two modules');
    expect(MilestoneSources.of([]).event('qa_submission')).toBe('NULL::date');
  });

  it('refuses the decision like any step: its role, then its endpoint, then what it records', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'notified', reviewChairId: chair.userId });
    const steps = m.get(StepsService);
    const decision = { outcome: 'commission' as const, decidedOn: '2026-03-20', rationale: 'Criteria met' };
    // A review chair may read the case, but the decision is the CSP chair's: the route itself refuses.
    expect((await m.as(chair, () => refusal(steps.decide(chair, made.id, decision)))).status).toBe(403);
    const cspChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
    expect(await m.as(cspChair, () => refusal(steps.transition(cspChair, made.id, { to: 'commissioned' })))).toEqual({
      status: 409,
      unmet: ['decision_missing'],
    });
    const decided = await m.as(cspChair, () => steps.decide(cspChair, made.id, decision));
    expect(decided).toMatchObject({ stage: 'commissioned', commissionedOn: '2026-03-20', decision: { outcome: 'commission', decidedOn: '2026-03-20' } });
    expect(await m.as(cspChair, () => refusal(steps.decide(cspChair, made.id, decision)))).toEqual({
      status: 409,
      unmet: ['decision_already_recorded'],
    });
  });
});
