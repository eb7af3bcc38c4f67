/**
 * A feature module plugs its facts and milestone events in by declaring a
 * provider, and nothing under src/cases or src/milestones changes
 * (docs/architecture.md, "Adding a feature module"). These tests stand a
 * provider in for such a module and watch the stage table and the
 * milestones pick it up.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../src/access/roles.js';
import type { ReviewCase } from '../../src/cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../../src/cases/case-facts.js';
import { StepsService } from '../../src/cases/steps.service.js';
import { ProvidesMilestones, type MilestoneSource } from '../../src/milestones/milestone-sources.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import { MilestonesService } from '../../src/milestones/milestones.service.js';
import { insertActor, insertCase, insertFamilyContact, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

/** Stands in for a QA module: a case has the Home Office's approval once its summary says so. */
@Injectable()
@ProvidesCaseFacts()
class QaOutcomeFacts implements CaseFactSource {
  readonly provides = ['latestQaOutcome'] as const;
  async load(manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>> {
    const [row] = await manager.query(`SELECT summary LIKE '%QA approved%' AS approved FROM review_case WHERE id = $1`, [found.id]);
    return { latestQaOutcome: row.approved ? 'approved' : null };
  }
}

/** Stands in for a QA module: a submission is recorded as the statutory copy date, for the test's sake. */
@Injectable()
@ProvidesMilestones()
class QaSubmissions implements MilestoneSource {
  readonly events = { qa_submission: 'c.statutory_copy_sent_on' };
}

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

describe('without a module for a fact', () => {
  let m: Medium;
  let chair: Actor;
  let exeter: string;

  beforeAll(async () => {
    m = await startMedium();
    exeter = await partnershipId(m.dataSource, 'exeter');
    chair = await insertActor(m.dataSource, { role: 'review_chair' });
  });
  afterAll(() => m.close());

  it('reads the fact as absent, so the step that needs it stays refused', async () => {
    const admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01', summary: 'QA approved' });
    const steps = m.get(StepsService);
    expect(await m.as(admin, () => refusal(steps.transition(admin, made.id, { to: 'approved_for_publication' })))).toEqual({
      status: 409,
      unmet: ['qa_approval_missing'],
    });
  });

  it('never meets a milestone whose event no module records', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01', statutoryCopySentOn: '2026-09-10' });
    const admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    const page = await m.as(admin, () => m.get(MilestonesService).forCase(admin, made.id, '2026-10-15'));
    expect(page.items.find((x) => x.key === 'home_office_submitted')).toMatchObject({ metOn: null, status: 'overdue' });
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

describe('with a module that provides the fact and records the event', () => {
  let m: Medium;
  let exeter: string;

  beforeAll(async () => {
    m = await startMedium({}, { plugins: [QaOutcomeFacts, QaSubmissions] });
    exeter = await partnershipId(m.dataSource, 'exeter');
  });
  afterAll(() => m.close());

  it('lets the step through once the module says the fact holds', async () => {
    const admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    const without = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01', summary: 'awaiting the letter' });
    const approved = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01', summary: 'QA approved' });
    const steps = m.get(StepsService);
    expect((await m.as(admin, () => refusal(steps.transition(admin, without.id, { to: 'approved_for_publication' })))).unmet).toEqual(['qa_approval_missing']);
    expect(await m.as(admin, () => steps.transition(admin, approved.id, { to: 'approved_for_publication' }))).toMatchObject({ stage: 'approved_for_publication' });
  });

  it('meets the milestone for one case and across cases alike', async () => {
    const admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01', statutoryCopySentOn: '2026-09-10' });
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
});
