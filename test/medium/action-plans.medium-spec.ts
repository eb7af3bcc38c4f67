/**
 * The action plan's part in the rest of the case: the fact `openActions`,
 * which keeps a published case from closing while any action is still to be
 * done (docs/domain.md, "Action plans"), and an agency's involvement in a
 * case through the actions it owns.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { AccessService } from '../../src/access/access.service.js';
import type { Actor } from '../../src/access/roles.js';
import { ActionFacts } from '../../src/actions/actions.plugins.js';
import { ActionsService } from '../../src/actions/actions.service.js';
import type { ReviewCase } from '../../src/cases/case.entities.js';
import { StepsService } from '../../src/cases/steps.service.js';
import { insertAction, insertActor, insertAgency, insertCase, insertRecommendation, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

async function unmetOf(attempt: Promise<unknown>): Promise<string[]> {
  try {
    await attempt;
    return [];
  } catch (error) {
    if (!(error instanceof HttpException) || error.getStatus() !== 409) throw error;
    return (error.getResponse() as { unmet: string[] }).unmet;
  }
}

describe('the action plan and the rest of the case', () => {
  let m: Medium;
  let exeter: string;
  let agency: string;
  let chair: Actor;
  let admin: Actor;

  beforeAll(async () => {
    m = await startMedium();
    m.clock.setTo('2026-06-01');
    exeter = await partnershipId(m.dataSource, 'exeter');
    agency = await insertAgency(m.dataSource, { name: 'Example Housing Association', sector: 'housing' });
    chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
    admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
  });
  afterAll(() => m.close());

  const openActions = async (caseId: string) => (await m.get(ActionFacts).load(m.dataSource.manager, { id: caseId } as ReviewCase)).openActions;

  it('counts the actions neither completed nor closed with a reason', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'published' });
    expect(await openActions(made.id)).toBe(0);
    const recommendation = await insertRecommendation(m.dataSource, { caseId: made.id });
    for (const status of ['not_started', 'in_progress', 'completed', 'closed_with_reason'] as const) {
      await insertAction(m.dataSource, { recommendationId: recommendation, caseId: made.id, ownerAgencyId: agency, status });
    }
    expect(await openActions(made.id)).toBe(2);
  });

  it('keeps a published case from closing until every action is completed or closed with a reason', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'published' });
    const recommendation = await insertRecommendation(m.dataSource, { caseId: made.id, scope: 'single_agency', agencyId: agency });
    const first = await insertAction(m.dataSource, { recommendationId: recommendation, caseId: made.id, ownerAgencyId: agency });
    const second = await insertAction(m.dataSource, { recommendationId: recommendation, caseId: made.id, ownerAgencyId: agency, status: 'in_progress' });
    const steps = m.get(StepsService);
    const close = () => m.as(chair, () => steps.transition(chair, made.id, { to: 'closed' }));
    // publication is another module's: its fact reads as absent here, so only actions_open is this test's to watch
    expect(await unmetOf(close())).toContain('actions_open');

    const actions = m.get(ActionsService);
    await m.as(admin, () => actions.updateAction(admin, first, undefined, { status: 'completed', completedOn: '2026-05-30' }));
    expect(await unmetOf(close())).toContain('actions_open');
    await m.as(admin, () => actions.updateAction(admin, second, undefined, { status: 'closed_with_reason', reason: 'Replaced by a county-wide plan.' }));
    expect(await unmetOf(close())).not.toContain('actions_open');
    expect(await openActions(made.id)).toBe(0);
  });

  it('brings a case into the scope of an agency lead whose agency owns one of its actions, and of no other', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting' });
    const owner = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency });
    const other = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: await insertAgency(m.dataSource) });
    const access = m.get(AccessService);
    expect(await access.readableCaseIds(owner, [made.id])).toEqual(new Set());
    const recommendation = await insertRecommendation(m.dataSource, { caseId: made.id });
    await insertAction(m.dataSource, { recommendationId: recommendation, caseId: made.id, ownerAgencyId: agency });
    expect(await access.readableCaseIds(owner, [made.id])).toEqual(new Set([made.id]));
    expect(await access.readableCaseIds(other, [made.id])).toEqual(new Set());
  });

  it('refuses an action whose case is not its recommendation’s', async () => {
    const one = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting' });
    const another = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting' });
    const recommendation = await insertRecommendation(m.dataSource, { caseId: one.id });
    await expect(insertAction(m.dataSource, { recommendationId: recommendation, caseId: another.id, ownerAgencyId: agency })).rejects.toThrow(/foreign key/);
  });
});
