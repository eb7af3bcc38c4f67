/**
 * The dashboard's figures (docs/domain.md, "Reports and REST clients") on a
 * small set of fictional cases whose dates were chosen so that every figure
 * can be worked out by hand. The days between the dates are written next to
 * each case.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { STAGES } from '../../src/cases/stages.js';
import { MilestonesService } from '../../src/milestones/milestones.service.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import type { DashboardFigures, DashboardView } from '../../src/reports/report.dto.js';
import { ReportsService } from '../../src/reports/reports.service.js';
import { insertActor, insertCase, insertHold, partnershipId, type NewCase } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

let m: Medium;
let admin: Actor;
let exeterChair: Actor;
const csp: Record<'exeter' | 'north' | 'south' | 'east', string> = { exeter: '', north: '', south: '', east: '' };
const made: string[] = [];

async function review(c: NewCase): Promise<string> {
  const { id } = await insertCase(m.dataSource, c);
  made.push(id);
  return id;
}

function commissioned(notifiedOn: string, decidedOn: string): Pick<NewCase, 'notifiedOn' | 'decision'> {
  return { notifiedOn, decision: { outcome: 'commission', decidedOn } };
}

const dashboard = (actor: Actor, query: { partnershipId?: string; asOf?: string } = {}): Promise<DashboardView> =>
  m.as(actor, () => m.get(ReportsService).dashboard(actor, query));

const of = (view: DashboardView, partnership: string): DashboardFigures => {
  const found = view.partnerships.find((p) => p.partnershipId === partnership);
  if (!found) throw new Error(`partnership ${partnership} is not in the dashboard`);
  return found;
};

beforeAll(async () => {
  m = await startMedium();
  m.clock.setTo('2026-03-01');
  const db = m.dataSource;
  csp.exeter = await partnershipId(db, 'exeter');
  csp.north = await partnershipId(db, 'north-devon-torridge');
  csp.south = await partnershipId(db, 'south-devon-dartmoor');
  csp.east = await partnershipId(db, 'east-mid-devon');
  admin = await insertActor(db, { role: 'sdp_admin' });
  exeterChair = await insertActor(db, { role: 'csp_chair', partnershipId: csp.exeter });

  // Exeter. Notification → decision: 10, 20, 40 days. Decision → completion: 141, 222 days.
  // Completed 1 June 2025, due 11 July 2025: on time. Closed cases still count in the stages.
  await review({ partnershipId: csp.exeter, stage: 'closed', ...commissioned('2025-01-01', '2025-01-11'), completedOn: '2025-06-01' });
  // Completed 1 October 2025, due 21 August 2025: late.
  await review({ partnershipId: csp.exeter, stage: 'home_office_qa', ...commissioned('2025-02-01', '2025-02-21'), completedOn: '2025-10-01' });
  await review({ partnershipId: csp.exeter, stage: 'not_commissioned', notifiedOn: '2025-03-01', decision: { outcome: 'no_review', decidedOn: '2025-04-10' } });
  const waiting = await review({ partnershipId: csp.exeter, stage: 'notified', notifiedOn: '2026-01-05' });
  await insertHold(db, { caseId: waiting, reason: 'criminal_proceedings', startedOn: '2026-02-01' });

  // North Devon. Notification → decision: 30, 35, 14 days.
  await review({ partnershipId: csp.north, stage: 'drafting', ...commissioned('2025-01-01', '2025-01-31') });
  // Commissioned 5 June 2025, due 5 December 2025; a 45-day hold moves the adjusted date to 19 January 2026.
  // Completed 10 January 2026 (219 days): late against the statutory date, which is what counts.
  const held = await review({ partnershipId: csp.north, stage: 'home_office_qa', ...commissioned('2025-05-01', '2025-06-05'), completedOn: '2026-01-10' });
  await insertHold(db, { caseId: held, startedOn: '2025-07-01', endedOn: '2025-08-15' });
  // Not commissioned on 15 January 2025, then directed by the Home Office on 1 March 2025: due 1 September 2025,
  // completed 1 August 2025, on time; 153 days from the direction (198 from the decision not to review).
  await review({
    partnershipId: csp.north,
    stage: 'home_office_qa',
    notifiedOn: '2025-01-01',
    decision: { outcome: 'no_review', decidedOn: '2025-01-15' },
    commissionedOn: '2025-03-01',
    completedOn: '2025-08-01',
  });

  // South Devon and Dartmoor: one case awaiting the decision, due 5 February 2026; the Home Office was told in time.
  await review({ partnershipId: csp.south, stage: 'notified', notifiedOn: '2026-01-05', homeOfficeNotifiedOn: '2026-01-20' });

  // East and Mid Devon: no case at all.
  await m.get(MilestoneStateService).refresh(m.dataSource.manager, made);
});
afterAll(() => m.close());

describe('the dashboard', () => {
  it('lists every partnership in scope by name, with every stage counted, closed cases included', async () => {
    const view = await dashboard(admin);
    expect(view.partnerships.map((p) => p.partnershipId)).toEqual([csp.east, csp.exeter, csp.north, csp.south]);
    expect(Object.keys(of(view, csp.east).casesByStage)).toEqual([...STAGES]);
    expect(of(view, csp.exeter).casesByStage).toMatchObject({ closed: 1, home_office_qa: 1, not_commissioned: 1, notified: 1, drafting: 0 });
    expect(of(view, csp.north).casesByStage).toMatchObject({ drafting: 1, home_office_qa: 2 });
    expect(view.totals.casesByStage).toMatchObject({ notified: 2, home_office_qa: 3, closed: 1, drafting: 1, not_commissioned: 1 });
    expect(Object.values(view.totals.casesByStage).reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('counts the cases with a hold that has not ended', async () => {
    const view = await dashboard(admin);
    expect(of(view, csp.exeter).onHold).toBe(1);
    expect(of(view, csp.north).onHold).toBe(0);
    expect(view.totals.onHold).toBe(1);
  });

  it('takes the median days from notification to decision over decided cases of either outcome', async () => {
    const view = await dashboard(admin);
    expect(of(view, csp.exeter).medianDaysNotificationToDecision).toBe(20); // 10, 20, 40
    expect(of(view, csp.north).medianDaysNotificationToDecision).toBe(30); // 14, 30, 35
    // Over all six decided cases, not an average of medians: 10, 14, 20, 30, 35, 40 → (20 + 30) / 2.
    expect(view.totals.medianDaysNotificationToDecision).toBe(25);
  });

  it('interpolates the median from decision to completion, counting a directed review from the direction', async () => {
    const view = await dashboard(admin);
    expect(of(view, csp.exeter).medianDaysDecisionToCompletion).toBe(181.5); // 141, 222
    expect(of(view, csp.north).medianDaysDecisionToCompletion).toBe(186); // 153, 219: the direction, not the decision (198)
    expect(view.totals.medianDaysDecisionToCompletion).toBe(186); // 141, 153, 219, 222
  });

  it('shares the completed reviews met by their statutory due date, whatever the holds', async () => {
    const view = await dashboard(admin);
    expect(of(view, csp.exeter).completedWithinDeadline).toEqual({ completed: 2, withinDeadline: 1, share: 0.5 });
    expect(of(view, csp.north).completedWithinDeadline).toEqual({ completed: 2, withinDeadline: 1, share: 0.5 });
    expect(view.totals.completedWithinDeadline).toEqual({ completed: 4, withinDeadline: 2, share: 0.5 });
  });

  it('has nulls, not zeros, where there is nothing to take a median or a share of', async () => {
    const east = of(await dashboard(admin), csp.east);
    expect(east).toMatchObject({
      onHold: 0,
      overdueMilestones: 0,
      medianDaysNotificationToDecision: null,
      medianDaysDecisionToCompletion: null,
      completedWithinDeadline: { completed: 0, withinDeadline: 0, share: null },
    });
    expect(Object.values(east.casesByStage).every((n) => n === 0)).toBe(true);
    const south = of(await dashboard(admin), csp.south);
    expect(south.medianDaysNotificationToDecision).toBeNull();
    expect(south.completedWithinDeadline.share).toBeNull();
  });

  it('counts a milestone overdue the day after its statutory due date, as of asOf', async () => {
    expect(of(await dashboard(admin, { asOf: '2026-02-05' }), csp.south).overdueMilestones).toBe(0);
    expect(of(await dashboard(admin, { asOf: '2026-02-06' }), csp.south).overdueMilestones).toBe(1);
  });

  it('counts overdue milestones exactly as the cross-case milestone list does', async () => {
    const view = await dashboard(admin, { asOf: '2026-03-01' });
    let total = 0;
    for (const p of view.partnerships) {
      const listed = await m.get(MilestonesService).acrossCases(admin, { status: 'overdue', partnershipId: p.partnershipId, asOf: '2026-03-01', limit: 200 });
      expect(p.overdueMilestones).toBe(listed.items.length);
      total += listed.items.length;
    }
    expect(total).toBeGreaterThan(0);
    expect(view.totals.overdueMilestones).toBe(total);
  });
});

describe('the dashboard’s scope', () => {
  it('gives a CSP chair their own partnership alone, and totals over it alone', async () => {
    const view = await dashboard(exeterChair);
    expect(view.partnerships.map((p) => p.partnershipId)).toEqual([csp.exeter]);
    expect(view.totals.medianDaysNotificationToDecision).toBe(20);
    expect(view.totals.completedWithinDeadline.completed).toBe(2);
  });

  it('is empty for a CSP chair who asks for another partnership', async () => {
    const view = await dashboard(exeterChair, { partnershipId: csp.north });
    expect(view.partnerships).toEqual([]);
    expect(view.totals).toMatchObject({ onHold: 0, overdueMilestones: 0, medianDaysNotificationToDecision: null });
    expect(Object.values(view.totals.casesByStage).every((n) => n === 0)).toBe(true);
  });

  it('narrows an SDP admin’s dashboard to the partnership asked for', async () => {
    const view = await dashboard(admin, { partnershipId: csp.north });
    expect(view.partnerships.map((p) => p.name)).toEqual(['North Devon and Torridge']);
    expect(view.totals.medianDaysNotificationToDecision).toBe(30);
  });

  it('audits each reading with its reader and what was asked, naming no case', async () => {
    await dashboard(exeterChair, { partnershipId: csp.exeter });
    const [event] = await m.dataSource.query(
      `SELECT actor_id, actor_role, action, entity_type, entity_id, case_id, partnership_id, details
         FROM audit_event WHERE action = 'report.read' AND actor_id = $1 ORDER BY seq DESC LIMIT 1`,
      [exeterChair.userId],
    );
    expect(event).toMatchObject({
      actor_role: 'csp_chair',
      entity_type: 'report',
      entity_id: 'dashboard',
      case_id: null,
      partnership_id: csp.exeter,
      details: { report: 'dashboard', partnershipId: csp.exeter },
    });
  });
});

describe('the completion chart', () => {
  it('draws each year of completion with the share within the deadline', async () => {
    const svg = await m.as(admin, () => m.get(ReportsService).completionChart(admin, {}));
    // 2025: Exeter on time and late, North's directed review on time; 2026: North's held review, late.
    expect(svg).toContain('2025: 67% (2 of 3)');
    expect(svg).toContain('2026: 0% (0 of 1)');
    expect(svg).toContain('All 4 partnerships');
  });
});
