/**
 * The stored milestone state (docs/architecture.md, "Milestones"): it is
 * written in the transaction of every change to a case, refreshed by the
 * daily sweep, and `verify` finds any row that differs from the engine.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import type { Actor } from '../../src/access/roles.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { CasesService } from '../../src/cases/cases.service.js';
import { HoldsService } from '../../src/cases/holds.service.js';
import { STEPS } from '../../src/cases/stages.js';
import { StepsService } from '../../src/cases/steps.service.js';
import { addDays, londonDate } from '../../src/common/calendar.js';
import { ContributionsService } from '../../src/contributions/contributions.service.js';
import { FamilyContactsService } from '../../src/family-contacts/family-contacts.service.js';
import { caseBatches } from '../../src/milestones/milestone-state.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import { SweepService } from '../../src/milestones/sweep.service.js';
import { PanelService } from '../../src/panel/panel.service.js';
import { insertActor, insertAgency, insertCase, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

interface StoredRow {
  key: string;
  due_on: string | null;
  adjusted_due_on: string | null;
  met_on: string | null;
  on_hold: boolean;
  applicable: boolean;
}

let m: Medium;
let admin: Actor;
let chair: Actor;
let exeter: string;
let agencies: string[];

const today = () => londonDate(m.clock.now());

async function stored(caseId: string): Promise<Record<string, StoredRow>> {
  const rows: StoredRow[] = await m.dataSource.query(
    `SELECT key, due_on::text AS due_on, adjusted_due_on::text AS adjusted_due_on, met_on::text AS met_on, on_hold, applicable
       FROM case_milestone WHERE case_id = $1`,
    [caseId],
  );
  return Object.fromEntries(rows.map((r) => [r.key, r]));
}

function newCase(notifiedOn: string) {
  return m.as(admin, () =>
    m.get(CasesService).create(admin, {
      partnershipId: exeter,
      notifiedOn,
      notificationSource: 'Letter from the police',
      subjects: [{ role: 'victim', fullName: 'Ellen Marsh-Ockley', pseudonym: 'Anna' }],
    }),
  );
}

beforeAll(async () => {
  m = await startMedium();
  m.clock.setTo('2026-03-01');
  exeter = await partnershipId(m.dataSource, 'exeter');
  admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
  chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
  agencies = [await insertAgency(m.dataSource), await insertAgency(m.dataSource)];
});
afterAll(() => m.close());

describe('the stored milestone state', () => {
  it('is written with each change to the case, in the same transaction', async () => {
    const made = await newCase('2026-02-20');
    expect(await stored(made.id)).toMatchObject({
      decision: { due_on: '2026-03-20', met_on: null, applicable: true },
      review_completed: { due_on: null, applicable: true },
    });
    await m.as(chair, () => m.get(StepsService).decide(chair, made.id, { outcome: 'commission', decidedOn: '2026-03-01', rationale: 'Criteria met' }));
    expect(await stored(made.id)).toMatchObject({
      decision: { met_on: '2026-03-01' },
      review_completed: { due_on: '2026-09-01', adjusted_due_on: '2026-09-01', on_hold: false },
    });
    await m.as(admin, () => m.get(HoldsService).start(admin, made.id, { reason: 'inquest', startedOn: '2026-03-01' }));
    expect((await stored(made.id)).review_completed).toMatchObject({ on_hold: true });
  });

  it('is left as it was when the change is rolled back', async () => {
    const made = await newCase('2026-02-21');
    const audit = m.get(AuditService);
    const recordContact = (fail: boolean) =>
      m.as(admin, () =>
        m.dataSource.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, draft_report_offered)
             VALUES ($1, '2026-03-01', 'letter', true, true, false)`,
            [made.id],
          );
          await audit.record(tx, { action: 'family_contact.recorded', caseId: made.id, entityType: 'family_contact' });
          if (fail) throw new Error('the change fails after its audit event');
        }),
      );
    await m.as(chair, () => m.get(StepsService).decide(chair, made.id, { outcome: 'commission', decidedOn: '2026-03-01', rationale: 'Criteria met' }));
    await expect(recordContact(true)).rejects.toThrow('the change fails');
    expect((await stored(made.id)).family_contacted.met_on).toBeNull();
    await recordContact(false);
    expect((await stored(made.id)).family_contacted.met_on).toBe('2026-03-01');
  });

  it('moves adjusted dates of open holds when the daily sweep runs', async () => {
    const made = await newCase('2026-02-22');
    await m.as(chair, () => m.get(StepsService).decide(chair, made.id, { outcome: 'commission', decidedOn: '2026-03-01', rationale: 'Criteria met' }));
    await m.as(admin, () => m.get(HoldsService).start(admin, made.id, { reason: 'iopc', startedOn: '2026-03-01' }));
    m.clock.setTo('2026-03-11');
    await m.get(SweepService).run('2026-03-11');
    expect((await stored(made.id)).review_completed).toMatchObject({ due_on: '2026-09-01', adjusted_due_on: '2026-09-11', on_hold: true });
  });

  it('walks every case once, in batches, past the ninth and the hundredth', async () => {
    const inserted: string[] = [];
    const stageOf = (i: number) => (i % 3 === 0 ? 'closed' : i % 5 === 0 ? 'discontinued' : 'drafting');
    for (let i = 0; i < 12; i += 1) inserted.push((await insertCase(m.dataSource, { partnershipId: exeter, stage: stageOf(i) })).id);
    // Made by a factory, behind the services' back: their stored state is written as a change would write it.
    await m.get(MilestoneStateService).refresh(m.dataSource.manager, inserted);
    const all: { id: string; stage: string }[] = await m.dataSource.query('SELECT id, stage FROM review_case ORDER BY seq');
    const walked: string[] = [];
    for await (const ids of caseBatches(m.dataSource.manager, { size: 4 })) walked.push(...ids);
    expect(walked).toEqual(all.map((c) => c.id));
    const open: string[] = [];
    for await (const ids of caseBatches(m.dataSource.manager, { size: 3, openOnly: true })) open.push(...ids);
    // closed and discontinued cases are final: the sweep passes them by
    expect(all.filter((c) => c.stage === 'discontinued')).toHaveLength(2);
    expect(open).toEqual(all.filter((c) => c.stage !== 'closed' && c.stage !== 'discontinued').map((c) => c.id));
  });

  it('agrees with the engine after a random run of changes, and verify says where it does not', async () => {
    m.clock.setTo('2026-04-01');
    const reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
    let seed = 20261127;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const cases: string[] = [];
    const holds = new Map<string, string>();
    const requests: string[] = [];
    const taken = new Map<string, number>();
    let op = '';
    const attempt = async (change: () => Promise<unknown>) => {
      try {
        await change();
        taken.set(op, (taken.get(op) ?? 0) + 1);
      } catch (error) {
        // A refused change (409, 400, 404) is part of a random run; anything else is a failure.
        if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      }
    };
    for (let step = 0; step < 200; step += 1) {
      const day = today();
      const caseId = cases.length > 0 ? pick(cases) : '';
      op = cases.length < 3 ? 'create' : pick([cases.length < 8 ? 'create' : 'wait', 'decide', 'contact', 'hold', 'unhold', 'request', 'waive', 'panel', 'patch', 'step', 'wait'] as const);
      await m.as(op === 'decide' ? chair : admin, async () => {
        switch (op) {
          case 'create':
            cases.push((await newCase(addDays(day, -Math.floor(random() * 40)))).id);
            break;
          case 'decide':
            await attempt(() =>
              m.get(StepsService).decide(chair, caseId, { outcome: random() < 0.8 ? 'commission' : 'no_review', decidedOn: day, rationale: 'Decided in a test run' }),
            );
            break;
          case 'contact':
            await attempt(() =>
              m.get(FamilyContactsService).record(admin, caseId, {
                contactedOn: day,
                method: 'phone',
                leafletGiven: random() < 0.7,
                advocacyOffered: random() < 0.7,
                draftReportOffered: random() < 0.3,
              }),
            );
            break;
          case 'hold': {
            // a trial and an inquest may hold a case at once: their days overlap
            const reason = pick(['inquest', 'criminal_proceedings'] as const);
            await attempt(async () => holds.set(`${caseId}/${reason}`, (await m.get(HoldsService).start(admin, caseId, { reason, startedOn: day })).id));
            break;
          }
          case 'unhold': {
            const held = holds.get(`${caseId}/${pick(['inquest', 'criminal_proceedings'])}`);
            if (held) await attempt(() => m.get(HoldsService).end(admin, caseId, held, { endedOn: day }));
            break;
          }
          case 'request':
            await attempt(async () =>
              requests.push((await m.get(ContributionsService).create(admin, caseId, { agencyId: pick(agencies), kind: pick(['imr', 'chronology', 'summary'] as const), dueOn: addDays(day, 20) })).id),
            );
            break;
          case 'waive':
            if (requests.length > 0) await attempt(() => m.get(ContributionsService).waive(admin, pick(requests), 'Not needed after all'));
            break;
          case 'panel':
            await attempt(() => m.get(PanelService).add(admin, caseId, pick(agencies)));
            break;
          case 'patch': {
            const current = await m.get(CasesService).get(admin, caseId);
            const patch = pick([{ homeOfficeNotifiedOn: day }, { termsOfReferenceAgreedOn: day }, { reviewChairId: reviewChair.userId }]);
            await attempt(() => m.get(CasesService).update(admin, caseId, `"${current.version}"`, patch));
            break;
          }
          case 'step': {
            const { stage } = await m.get(CasesService).get(admin, caseId);
            const next = STEPS.filter((s) => s.from === stage && !s.via && s.takenBy.includes('sdp_admin'));
            if (next.length > 0) await attempt(() => m.get(StepsService).transition(admin, caseId, { to: pick(next).to, comment: 'Moved in a test run' }));
            break;
          }
          case 'wait':
            m.clock.advanceDays(1 + Math.floor(random() * 5));
            break;
        }
      });
    }
    // The run really changed the cases: every kind of change went through at least once.
    expect([...taken.keys()].sort()).toEqual(['contact', 'decide', 'hold', 'panel', 'patch', 'request', 'step', 'unhold', 'waive']);
    // the run had holds of a case overlapping, whose days the engine counts once
    const [overlaps] = await m.dataSource.query(`
      SELECT count(*)::int AS n FROM case_hold a JOIN case_hold b ON a.case_id = b.case_id AND a.id < b.id
       WHERE a.started_on < coalesce(b.ended_on, 'infinity') AND b.started_on < coalesce(a.ended_on, 'infinity')`);
    expect(overlaps.n).toBeGreaterThan(0);
    const state = m.get(MilestoneStateService);
    const clean = await state.verify();
    expect(clean.differences).toEqual([]);
    expect(clean.casesChecked).toBeGreaterThanOrEqual(cases.length);

    // The check can fail: a moved due date and a lost row are both reported.
    const [victim] = cases;
    await m.dataSource.query(`UPDATE case_milestone SET due_on = due_on + 1 WHERE case_id = $1 AND key = 'decision'`, [victim]);
    await m.dataSource.query(`DELETE FROM case_milestone WHERE case_id = $1 AND key = 'home_office_notified'`, [victim]);
    const broken = await state.verify();
    expect(broken.differences.map((d) => `${d.caseId}/${d.key}: ${d.problem}`).sort()).toEqual(
      [`${victim}/decision: due_on`, `${victim}/home_office_notified: missing`].sort(),
    );
    await state.refresh(m.dataSource.manager, [victim]);
    expect((await state.verify()).differences).toEqual([]);
  });
});
