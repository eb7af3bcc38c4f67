/**
 * The rounds of Home Office QA (docs/domain.md, "QA submissions"): each CSP
 * sign-off opens a round, and only the current round's submissions give the
 * latest outcome, even when every date of both rounds is the same day; the
 * first submission of all, in any round, meets `home_office_submitted`
 * ("Completion is the first sign-off").
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReviewCase } from '../../src/cases/case.entities.js';
import { CaseFactsService } from '../../src/cases/case-facts.js';
import { MilestonesService } from '../../src/milestones/milestones.service.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import { insertActor, insertCase, insertQaSubmission, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

describe('QA rounds', () => {
  let m: Medium;
  let exeter: string;

  beforeAll(async () => {
    m = await startMedium();
    exeter = await partnershipId(m.dataSource, 'exeter');
  });
  afterAll(() => m.close());

  /** A sign-off in the stage history, as the CSP chair's step writes it. */
  const signOff = (caseId: string) =>
    m.dataSource.query(
      `INSERT INTO case_transition (case_id, from_stage, to_stage, occurred_at) VALUES ($1, 'csp_sign_off', 'home_office_qa', '2026-09-01T12:00:00Z')`,
      [caseId],
    );
  const latestOutcome = async (caseId: string) => {
    const found = await m.dataSource.getRepository<ReviewCase>('ReviewCase').findOneByOrFail({ id: caseId });
    return (await m.get(CaseFactsService).load(m.dataSource.manager, found)).latestQaOutcome;
  };
  const submittedOn = async (caseId: string) => {
    await m.get(MilestoneStateService).refresh(m.dataSource.manager, [caseId]);
    const admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    const page = await m.as(admin, () => m.get(MilestonesService).forCase(admin, caseId, '2026-09-20'));
    return page.items.find((x) => x.key === 'home_office_submitted')!.metOn;
  };

  it('reads the latest outcome of the current round only', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01' });
    await signOff(made.id);
    expect(await latestOutcome(made.id)).toBeNull();
    await insertQaSubmission(m.dataSource, { caseId: made.id, submittedOn: '2026-09-01', outcome: 'resubmit' });
    expect(await latestOutcome(made.id)).toBe('resubmit');
    await insertQaSubmission(m.dataSource, { caseId: made.id, submittedOn: '2026-09-01' });
    expect(await latestOutcome(made.id)).toBeNull();
    await m.dataSource.query(`UPDATE qa_submission SET outcome = 'approved', outcome_on = '2026-09-01', outcome_recorded_at = now() WHERE case_id = $1 AND outcome IS NULL`, [made.id]);
    expect(await latestOutcome(made.id)).toBe('approved');
    // a new sign-off, on the same day: the approval belonged to the round before
    await signOff(made.id);
    expect(await latestOutcome(made.id)).toBeNull();
  });

  it('meets home_office_submitted with the first submission of all: a later round does not move it', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01' });
    await signOff(made.id);
    expect(await submittedOn(made.id)).toBeNull();
    await insertQaSubmission(m.dataSource, { caseId: made.id, submittedOn: '2026-09-03', outcome: 'resubmit' });
    await insertQaSubmission(m.dataSource, { caseId: made.id, submittedOn: '2026-09-05', outcome: 'resubmit' });
    expect(await submittedOn(made.id)).toBe('2026-09-03');
    await signOff(made.id);
    expect(await submittedOn(made.id)).toBe('2026-09-03');
    await insertQaSubmission(m.dataSource, { caseId: made.id, submittedOn: '2026-09-08' });
    expect(await submittedOn(made.id)).toBe('2026-09-03');
  });
});
