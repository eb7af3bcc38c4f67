/**
 * The statutory and item milestones (docs/architecture.md, "Milestones"):
 * a case's own as its reader may see them (MilestonesService), and the
 * daily sweep that tells a case's people, once per milestone and state,
 * when one falls due or becomes overdue (SweepService).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ClientActor, Principal } from '../../src/access/client-principal.js';
import type { Actor } from '../../src/access/roles.js';
import { MilestonesService } from '../../src/milestones/milestones.service.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import { SweepService } from '../../src/milestones/sweep.service.js';
import {
  insertActor,
  insertAgency,
  insertCase,
  insertContributionRequest,
  insertPanelMember,
  partnershipId,
} from '../support/factories.js';
import { auditMark, auditSince, countRows, expectRefused } from '../support/medium-refusals.js';
import { expectNoRealName } from '../support/medium-outcomes.js';
import { startMedium, type Medium } from '../support/medium.js';

let m: Medium;
let milestones: MilestonesService;
let admin: Actor;
let exeterChair: Actor;
let exeter: string;
let north: string;

beforeAll(async () => {
  m = await startMedium();
  m.clock.setTo('2026-03-01');
  milestones = m.get(MilestonesService);
  exeter = await partnershipId(m.dataSource, 'exeter');
  north = await partnershipId(m.dataSource, 'north-devon-torridge');
  admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
  exeterChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
});
afterAll(() => m.close());

const statusOf = async (actor: Actor, caseId: string, asOf: string) =>
  Object.fromEntries((await milestones.forCase(actor, caseId, asOf)).items.map((x) => [x.key, [x.dueOn, x.status]]));

describe('a case’s milestones', () => {
  it('are due a month after the notification, due soon in the last fortnight, overdue the day after', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, notifiedOn: '2026-02-20' });
    expect(await statusOf(admin, made.id, '2026-03-05')).toMatchObject({ decision: ['2026-03-20', 'pending'] });
    expect(await statusOf(admin, made.id, '2026-03-06')).toMatchObject({ decision: ['2026-03-20', 'due_soon'] });
    expect(await statusOf(exeterChair, made.id, '2026-03-21')).toMatchObject({
      decision: ['2026-03-20', 'overdue'],
      home_office_notified: ['2026-03-20', 'overdue'],
    });
  });

  it('show an agency lead only their own agency’s requests, none of the statutory ones', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'information_gathering' });
    const [own, other] = [await insertAgency(m.dataSource), await insertAgency(m.dataSource)];
    await insertPanelMember(m.dataSource, { caseId: made.id, agencyId: own });
    const mine = await insertContributionRequest(m.dataSource, { caseId: made.id, agencyId: own, dueOn: '2026-05-01' });
    await insertContributionRequest(m.dataSource, { caseId: made.id, agencyId: other, dueOn: '2026-05-01' });
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: own });
    expect(Object.keys(await statusOf(lead, made.id, '2026-03-01'))).toEqual([`contribution:${mine}`]);
    expect(Object.keys(await statusOf(admin, made.id, '2026-03-01'))).toEqual(expect.arrayContaining(['decision', `contribution:${mine}`]));
  });

  it('answer 404 for a case out of scope, as for a missing one', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: north });
    await expectRefused(milestones.forCase(exeterChair, made.id), 404, 'not-found');
    await expectRefused(milestones.forCase(admin, '00000000-0000-4000-8000-000000000000'), 404, 'not-found');
  });
});

describe('milestones across cases', () => {
  it('list the overdue milestones of the reader’s own partnership alone', async () => {
    const ownCase = await insertCase(m.dataSource, { partnershipId: exeter, notifiedOn: '2026-01-05' });
    const otherCase = await insertCase(m.dataSource, { partnershipId: north, notifiedOn: '2026-01-05' });
    await m.get(MilestoneStateService).refresh(m.dataSource.manager, [ownCase.id, otherCase.id]);
    const listed = async (actor: Principal) =>
      (await milestones.acrossCases(actor, { status: 'overdue', asOf: '2026-03-01', limit: 200 })).items.filter((x) =>
        [ownCase.id, otherCase.id].includes(x.caseId),
      );
    expect((await listed(exeterChair)).map((x) => [x.reference, x.key])).toEqual([
      [ownCase.reference, 'decision'],
      [ownCase.reference, 'home_office_notified'],
    ]);
    expect(new Set((await listed(admin)).map((x) => x.caseId))).toEqual(new Set([ownCase.id, otherCase.id]));
    const client: ClientActor = { kind: 'client', clientId: '00000000-0000-4000-8000-00000000c11e', name: 'North board', scopes: ['milestones:read'], partnershipId: north };
    expect(new Set((await listed(client)).map((x) => x.caseId))).toEqual(new Set([otherCase.id]));
  });
});

describe('the daily sweep', () => {
  it('tells the case’s people once per milestone and state, naming no one, and audits each run', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, notifiedOn: '2026-02-02' });
    const sweep = m.get(SweepService);
    const mark = await auditMark(m.dataSource);
    const first = await sweep.run('2026-02-20'); // due 2 March: due soon
    expect(first).toMatchObject({ today: '2026-02-20', skipped: false });
    const alerts = () => m.dataSource.query('SELECT milestone_key, state FROM milestone_alert WHERE case_id = $1 ORDER BY milestone_key, state', [made.id]);
    expect(await alerts()).toEqual([
      { milestone_key: 'decision', state: 'due_soon' },
      { milestone_key: 'home_office_notified', state: 'due_soon' },
    ]);
    // the case's people: the SDP admin and Exeter's chair, each told of both
    const told = await m.dataSource.query('SELECT user_id, title, body FROM notification WHERE case_id = $1', [made.id]);
    expect(told.map((n: { user_id: string }) => n.user_id).sort()).toEqual([admin.userId, admin.userId, exeterChair.userId, exeterChair.userId].sort());
    expectNoRealName(told);

    await sweep.run('2026-02-21');
    expect(await countRows(m.dataSource, 'milestone_alert', 'case_id = $1', [made.id])).toBe(2);
    expect(await countRows(m.dataSource, 'notification', 'case_id = $1', [made.id])).toBe(4);
    await sweep.run('2026-03-03');
    expect((await alerts()).map((a: { state: string }) => a.state)).toEqual(['due_soon', 'overdue', 'due_soon', 'overdue']);
    expect(await countRows(m.dataSource, 'notification', 'case_id = $1', [made.id])).toBe(8);

    const runs = (await auditSince(m.dataSource, mark)).filter((e) => e.action === 'milestones.swept');
    expect(runs.map((e) => [e.actor_id, e.details?.today])).toEqual([
      [null, '2026-02-20'],
      [null, '2026-02-21'],
      [null, '2026-03-03'],
    ]);
  });

  it('leaves a decided case’s decision milestone alone', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'not_commissioned', notifiedOn: '2026-02-02', homeOfficeNotifiedOn: '2026-02-10' });
    await m.get(SweepService).run('2026-03-10');
    expect(await countRows(m.dataSource, 'milestone_alert', 'case_id = $1', [made.id])).toBe(0);
  });
});
