/**
 * The dashboard's figures (docs/domain.md, "Reports and REST clients") and
 * the learning report's (docs/domain.md, "Learning"), each on a small set of
 * fictional cases chosen so that every figure can be worked out by hand. The
 * days between the dates are written next to each case.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { STAGES } from '../../src/cases/stages.js';
import { MilestonesService } from '../../src/milestones/milestones.service.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import type { DashboardFigures, DashboardView } from '../../src/reports/report.dto.js';
import { ReportsService } from '../../src/reports/reports.service.js';
import { ThemesService } from '../../src/themes/themes.service.js';
import type { LearningView } from '../../src/reports/report.dto.js';
import {
  insertAction,
  insertActor,
  insertAgency,
  insertCase,
  insertCaseThemes,
  insertHold,
  insertRecommendation,
  partnershipId,
  type NewCase,
} from '../support/factories.js';
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
    expect(Object.keys(east.casesByStage).length).toBeGreaterThan(0);
    expect(Object.values(east.casesByStage).filter((n) => n !== 0)).toEqual([]);
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
    expect(Object.keys(view.totals.casesByStage).length).toBeGreaterThan(0);
    expect(Object.values(view.totals.casesByStage).filter((n) => n !== 0)).toEqual([]);
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

describe('the learning report', () => {
  // A database of its own, so that these reviews stay out of the dashboard's figures above.
  let l: Medium;
  let admin: Actor;
  let chair: Actor;
  const agency = { police: '', health: '', probation: '', housing: '' };

  const learning = (actor: Actor, query: { partnershipId?: string; from?: number; to?: number } = {}): Promise<LearningView> =>
    l.as(actor, () => l.get(ReportsService).learning(actor, query));
  const theme = (view: LearningView, code: string) => view.themes.find((t) => t.code === code)!;
  const byAgency = (view: LearningView) => Object.fromEntries(view.actionsByAgency.map((a) => [a.agencyId, { open: a.open, overdue: a.overdue }]));

  beforeAll(async () => {
    l = await startMedium();
    l.clock.setTo('2026-03-01');
    const db = l.dataSource;
    const exeter = await partnershipId(db, 'exeter');
    const north = await partnershipId(db, 'north-devon-torridge');
    admin = await insertActor(db, { role: 'sdp_admin' });
    chair = await insertActor(db, { role: 'csp_chair', partnershipId: exeter });
    agency.police = await insertAgency(db, { name: 'Bramble Constabulary', sector: 'police' });
    agency.health = await insertAgency(db, { name: 'Coastal NHS Trust', sector: 'health' });
    agency.probation = await insertAgency(db, { name: 'Dartside Probation Service', sector: 'probation' });
    agency.housing = await insertAgency(db, { name: 'Ashcombe Housing', sector: 'housing' });
    const action = (recommendationId: string, caseId: string, ownerAgencyId: string, more: Omit<Parameters<typeof insertAction>[1], 'recommendationId' | 'caseId' | 'ownerAgencyId'>) =>
      insertAction(db, { recommendationId, caseId, ownerAgencyId, createdOn: '2025-06-01', ...more });

    // Exeter, 2024: coercive control as the case's own theme and on two of its recommendations.
    const first = (await insertCase(db, { partnershipId: exeter, stage: 'drafting', notifiedOn: '2024-03-01' })).id;
    await insertCaseThemes(db, first, ['coercive_control', 'stalking']);
    const r1 = await insertRecommendation(db, { caseId: first, themes: ['coercive_control', 'risk_assessment'] });
    await insertRecommendation(db, { caseId: first, themes: ['coercive_control'] });
    await action(r1, first, agency.police, { status: 'not_started', targetOn: '2026-02-28' }); // overdue
    await action(r1, first, agency.police, { status: 'completed', targetOn: '2026-01-01', completedOn: '2025-12-01' });
    await action(r1, first, agency.health, { status: 'in_progress', targetOn: '2026-12-01' });
    await action(r1, first, agency.probation, { status: 'in_progress', targetOn: '2026-03-01' }); // due today: not overdue yet

    // Exeter, 2024: themes only through its recommendation.
    const second = (await insertCase(db, { partnershipId: exeter, stage: 'drafting', notifiedOn: '2024-06-01' })).id;
    const r3 = await insertRecommendation(db, { caseId: second, themes: ['risk_assessment', 'information_sharing'] });
    await action(r3, second, agency.health, { status: 'closed_with_reason', targetOn: '2025-09-01', closedOn: '2025-10-01' });
    await action(r3, second, agency.health, { status: 'in_progress', targetOn: '2026-02-01' }); // overdue
    await action(r3, second, agency.housing, { status: 'completed', targetOn: '2025-09-01', completedOn: '2025-08-01' });

    // North Devon, 2024.
    const northern = (await insertCase(db, { partnershipId: north, stage: 'drafting', notifiedOn: '2024-02-01' })).id;
    await insertCaseThemes(db, northern, ['coercive_control']);
    const r4 = await insertRecommendation(db, { caseId: northern, themes: ['marac'] });
    await action(r4, northern, agency.probation, { status: 'not_started', targetOn: '2026-01-01' }); // overdue

    // Exeter, 2022.
    const older = (await insertCase(db, { partnershipId: exeter, stage: 'published', notifiedOn: '2022-05-01' })).id;
    await insertCaseThemes(db, older, ['economic_abuse']);
    const r5 = await insertRecommendation(db, { caseId: older, themes: ['economic_abuse'] });
    await action(r5, older, agency.police, { status: 'in_progress', targetOn: '2027-01-01' });
  });
  afterAll(() => l.close());

  it('lists every theme in the list’s order, with zeros where no review carries it', async () => {
    const view = await learning(admin);
    const listed = (await l.get(ThemesService).list()).items;
    expect(view.themes.map((t) => [t.code, t.label])).toEqual(listed.map((t) => [t.code, t.label]));
    expect(theme(view, 'suicide')).toMatchObject({ cases: 0, recommendations: 0 });
  });

  it('counts a review once for a theme it carries itself and through its recommendations', async () => {
    const view = await learning(admin);
    // Coercive control: the first review (its own theme and two recommendations') and the northern one (its own).
    expect(theme(view, 'coercive_control')).toMatchObject({ cases: 2, recommendations: 2 });
    expect(theme(view, 'stalking')).toMatchObject({ cases: 1, recommendations: 0 });
    expect(theme(view, 'risk_assessment')).toMatchObject({ cases: 2, recommendations: 2 });
    expect(theme(view, 'information_sharing')).toMatchObject({ cases: 1, recommendations: 1 });
    expect(theme(view, 'marac')).toMatchObject({ cases: 1, recommendations: 1 });
    expect(theme(view, 'economic_abuse')).toMatchObject({ cases: 1, recommendations: 1 });
  });

  it('counts each agency’s open actions, and as overdue those whose target date is before today', async () => {
    const view = await learning(admin);
    expect(view.actionsByAgency.map((a) => a.name)).toEqual(['Ashcombe Housing', 'Bramble Constabulary', 'Coastal NHS Trust', 'Dartside Probation Service']);
    expect(byAgency(view)).toEqual({
      [agency.housing]: { open: 0, overdue: 0 },
      [agency.police]: { open: 2, overdue: 1 },
      [agency.health]: { open: 2, overdue: 1 },
      [agency.probation]: { open: 2, overdue: 1 },
    });
  });

  it('gives a CSP chair their own partnership’s reviews alone, and nothing of another', async () => {
    const own = await learning(chair);
    expect(theme(own, 'coercive_control')).toMatchObject({ cases: 1, recommendations: 2 });
    expect(theme(own, 'marac')).toMatchObject({ cases: 0, recommendations: 0 });
    expect(byAgency(own)[agency.probation]).toEqual({ open: 1, overdue: 0 });
    const other = await learning(chair, { partnershipId: (await partnershipId(l.dataSource, 'north-devon-torridge')) });
    expect(other.themes.length).toBeGreaterThan(0);
    expect(other.themes.filter((t) => t.cases !== 0 || t.recommendations !== 0)).toEqual([]);
    expect(other.actionsByAgency).toEqual([]);
  });

  it('covers the reviews notified in the years asked for', async () => {
    const recent = await learning(admin, { from: 2023 });
    expect(theme(recent, 'economic_abuse')).toMatchObject({ cases: 0, recommendations: 0 });
    expect(byAgency(recent)[agency.police]).toEqual({ open: 1, overdue: 1 });
    const older = await learning(admin, { from: 2022, to: 2022 });
    expect(theme(older, 'economic_abuse')).toMatchObject({ cases: 1, recommendations: 1 });
    expect(theme(older, 'coercive_control')).toMatchObject({ cases: 0 });
    expect(older.actionsByAgency.map((a) => a.agencyId)).toEqual([agency.police]);
  });

  it('refuses a span of years that ends before it starts', async () => {
    await expect(learning(admin, { from: 2025, to: 2024 })).rejects.toMatchObject({ status: 400 });
  });
});
