import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addDays } from '../common/calendar.js';
import {
  adjustedDueDate,
  computeMilestones,
  daysOnHold,
  holdSpans,
  milestoneStatus,
  type CaseMilestoneFacts,
  type HoldPeriod,
  type MilestoneItem,
  type MilestoneSettings,
} from './engine.js';
import { DRAFT_BASIS, REGIMES, REGIME_TABLE, completionMonths, inForceFrom, inForceOn, isDraft, regimeFor } from './regimes.js';

const settings: MilestoneSettings = { dueSoonDays: 14, familyContactMonths: 1, homeOfficeSubmissionMonths: 1, statutoryCopyMonths: 1, dardrCommencementDate: null };

/** A case as its events stand, written the way a caseworker would say it. */
interface Story {
  regime?: string;
  notifiedOn?: string;
  decidedOn?: string;
  commissionedOn?: string;
  completedOn?: string;
  notCommissioned?: boolean;
  holds?: HoldPeriod[];
  items?: MilestoneItem[];
  discontinued?: boolean;
}

function facts(story: Story = {}): CaseMilestoneFacts {
  return {
    regime: story.regime ?? 'dhr-2016',
    events: {
      notification: story.notifiedOn ?? '2025-01-31',
      decision: story.decidedOn ?? null,
      commissioning: story.commissionedOn ?? null,
      completion: story.completedOn ?? null,
    },
    applies: { always: true, if_commissioned: !(story.notCommissioned && !story.commissionedOn) },
    holds: story.holds ?? [],
    items: story.items ?? [],
    discontinued: story.discontinued ?? false,
  };
}

const byKey = (story: Story, today: string) => Object.fromEntries(computeMilestones(facts(story), settings, today).map((m) => [m.key, m]));

describe('milestoneStatus', () => {
  it.each([
    ['2025-03-01', null, '2025-02-01', 'pending'],
    ['2025-03-01', null, '2025-02-15', 'due_soon'], // 14 days left
    ['2025-03-01', null, '2025-02-14', 'pending'], // 15 days left
    ['2025-03-01', null, '2025-03-01', 'due_soon'], // due today
    ['2025-03-01', null, '2025-03-02', 'overdue'],
    ['2025-03-01', '2025-03-01', '2025-06-01', 'met'], // met on the due date itself
    ['2025-03-01', '2025-02-10', '2025-06-01', 'met'],
    ['2025-03-01', '2025-03-02', '2025-06-01', 'met_late'],
    [null, null, '2025-06-01', 'pending'], // the start event has not happened
  ] as const)('due %s, met %s, today %s → %s', (dueOn, metOn, today, expected) => {
    expect(milestoneStatus(dueOn, metOn, today, 14)).toBe(expected);
  });
});

describe('daysOnHold', () => {
  it('counts ended holds as endedOn − startedOn, inside the window only', () => {
    const holds = [{ startedOn: '2025-02-10', endedOn: '2025-02-20' }];
    expect(daysOnHold(holds, '2025-01-01', '2025-12-31', '2025-06-01')).toBe(10);
    expect(daysOnHold(holds, '2025-02-15', '2025-12-31', '2025-06-01')).toBe(5);
    expect(daysOnHold(holds, '2025-01-01', '2025-02-12', '2025-06-01')).toBe(2);
    expect(daysOnHold(holds, '2025-03-01', '2025-12-31', '2025-06-01')).toBe(0);
  });

  it('counts an open hold up to today, and adds up several holds', () => {
    const holds = [
      { startedOn: '2025-02-01', endedOn: '2025-02-08' },
      { startedOn: '2025-05-20', endedOn: null },
    ];
    expect(daysOnHold(holds, '2025-01-01', '2025-06-01', '2025-06-01')).toBe(7 + 12);
  });
});

describe('days covered by several holds', () => {
  // docs/domain.md, "Holds stop the clock": a trial from 1 May to 1 June, an inquest from 17 May to 16 June.
  const trial = { startedOn: '2026-05-01', endedOn: '2026-06-01' };
  const inquest = { startedOn: '2026-05-17', endedOn: '2026-06-16' };

  it('counts each day once: 31 + 30 days sharing 15 are 46', () => {
    expect(daysOnHold([trial, inquest], '2026-03-20', '2026-12-31', '2026-12-01')).toBe(46);
    expect(daysOnHold([inquest, trial, { startedOn: '2026-05-20', endedOn: '2026-05-25' }], '2026-03-20', '2026-12-31', '2026-12-01')).toBe(46);
    expect(adjustedDueDate([trial, inquest], { startOn: '2026-03-20', dueOn: '2026-09-20', metOn: null }, '2026-12-01')).toBe('2026-11-05');
  });

  it('counts an open hold beside an ended one up to today, once', () => {
    expect(daysOnHold([trial, { startedOn: '2026-05-10', endedOn: null }], '2026-01-01', '2026-12-31', '2026-06-11')).toBe(41);
    // an open hold begun after the day asked about covers nothing yet
    expect(daysOnHold([trial, { startedOn: '2026-07-01', endedOn: null }], '2026-01-01', '2026-12-31', '2026-06-11')).toBe(31);
  });

  it('makes one span of holds that overlap or meet, with the holds that cover it', () => {
    const later = { startedOn: '2026-06-16', endedOn: '2026-06-20' };
    const apart = { startedOn: '2026-08-01', endedOn: '2026-08-02' };
    expect(holdSpans([apart, later, inquest, trial], '2026-12-01')).toEqual([
      { from: '2026-05-01', to: '2026-06-20', holds: [trial, inquest, later] },
      { from: '2026-08-01', to: '2026-08-02', holds: [apart] },
    ]);
  });

  it('counts the union of any holds as the days some hold covers, counted one by one', () => {
    const origin = '2026-01-01';
    const today = addDays(origin, 150);
    const hold = fc
      .tuple(fc.integer({ min: 0, max: 160 }), fc.option(fc.integer({ min: 0, max: 60 })))
      .map(([start, length]) => ({ startedOn: addDays(origin, start), endedOn: length === null ? null : addDays(origin, start + length) }));
    const window = fc.tuple(fc.integer({ min: -10, max: 230 }), fc.integer({ min: 0, max: 240 }));
    fc.assert(
      fc.property(fc.array(hold, { maxLength: 12 }), window, (holds, [from, length]) => {
        const start = addDays(origin, from);
        const end = addDays(origin, from + length);
        let counted = 0;
        for (let d = start; d < end; d = addDays(d, 1)) {
          if (holds.some((h) => h.startedOn <= d && d < (h.endedOn ?? today))) counted++;
        }
        expect(daysOnHold(holds, start, end, today)).toBe(counted);
      }),
      { numRuns: 300 },
    );
  });
});

describe('computeMilestones', () => {
  it('clamps +1 month to the end of a shorter month', () => {
    const m = byKey({}, '2025-02-01');
    expect(m.decision.dueOn).toBe('2025-02-28');
    expect(m.home_office_notified.dueOn).toBe('2025-02-28');
    expect(byKey({ notifiedOn: '2028-01-31' }, '2028-02-01').decision.dueOn).toBe('2028-02-29');
  });

  it('leaves commissioning milestones without a due date until the decision, then counts six months', () => {
    const before = byKey({}, '2025-02-01');
    expect(before.review_completed).toMatchObject({ dueOn: null, status: 'pending' });
    const after = byKey({ decidedOn: '2025-08-31', commissionedOn: '2025-08-31' }, '2025-09-01');
    expect(after.review_completed.dueOn).toBe('2026-02-28');
    expect(after.family_contacted.dueOn).toBe('2025-09-30');
    expect(after.decision).toMatchObject({ metOn: '2025-08-31', status: 'met_late' });
  });

  it('marks a decision on time as met, and the commissioning milestones of a case not commissioned as not applicable', () => {
    const m = byKey({ decidedOn: '2025-02-20', notCommissioned: true }, '2025-12-01');
    expect(m.decision.status).toBe('met');
    expect(m.family_contacted.status).toBe('not_applicable');
    expect(m.review_completed.status).toBe('not_applicable');
    expect(m.home_office_submitted.status).toBe('not_applicable');
    expect(m.home_office_notified.status).toBe('overdue');
  });

  it('gives dardr-2024 twelve months and the statutory copy milestone', () => {
    const m = byKey({ regime: 'dardr-2024', decidedOn: '2025-03-15', commissionedOn: '2025-03-15', completedOn: '2026-01-10' }, '2026-01-20');
    expect(m.review_completed).toMatchObject({ dueOn: '2026-03-15', metOn: '2026-01-10', status: 'met' });
    expect(m.statutory_copy_sent).toMatchObject({ dueOn: '2026-02-10', status: 'pending' });
    expect(byKey({}, '2025-02-01').statutory_copy_sent).toBeUndefined();
  });

  it('reports hold days and an adjusted due date without moving the statutory one', () => {
    const m = byKey(
      { decidedOn: '2025-02-15', commissionedOn: '2025-02-15', holds: [{ startedOn: '2025-04-01', endedOn: '2025-05-01' }] },
      '2025-09-01',
    );
    expect(m.review_completed).toMatchObject({ dueOn: '2025-08-15', adjustedDueOn: '2025-09-14', daysOnHold: 30, status: 'overdue', onHold: false });
  });

  it('says a milestone is on hold while a hold is active and it is still open', () => {
    const m = byKey({ decidedOn: '2025-02-15', commissionedOn: '2025-02-15', holds: [{ startedOn: '2025-04-01', endedOn: null }] }, '2025-04-11');
    expect(m.review_completed).toMatchObject({ onHold: true, daysOnHold: 10 });
    expect(m.decision.onHold).toBe(false);
  });

  it('computes each module item milestone like any other, after the statutory ones', () => {
    const m = byKey(
      {
        items: [
          { key: 'contribution:a', title: 'Chronology from Example Constabulary', basis: 'Request', startOn: '2025-03-01', dueOn: '2025-04-01', metOn: null, agencyId: null },
          { key: 'contribution:b', title: 'IMR from Example Trust', basis: 'Request', startOn: '2025-03-01', dueOn: '2025-04-01', metOn: '2025-03-25', agencyId: null },
        ],
      },
      '2025-04-02',
    );
    expect(m['contribution:a']).toMatchObject({ title: 'Chronology from Example Constabulary', dueOn: '2025-04-01', status: 'overdue' });
    expect(m['contribution:b']).toMatchObject({ title: 'IMR from Example Trust', status: 'met' });
  });

  it('keeps a discontinued review’s met milestones as they were, and makes every one not met not applicable, items included', () => {
    const story: Story = {
      decidedOn: '2025-02-15',
      commissionedOn: '2025-02-15',
      holds: [{ startedOn: '2025-04-01', endedOn: null }],
      items: [
        { key: 'contribution:a', title: 'Chronology from Example Constabulary', basis: 'Request', startOn: '2025-03-01', dueOn: '2025-04-01', metOn: null, agencyId: null },
        { key: 'contribution:b', title: 'IMR from Example Trust', basis: 'Request', startOn: '2025-03-01', dueOn: '2025-04-01', metOn: '2025-04-10', agencyId: null },
      ],
    };
    const going = byKey(story, '2025-12-01');
    expect([going.review_completed.status, going.home_office_notified.status, going['contribution:a'].status]).toEqual(['overdue', 'overdue', 'overdue']);
    const ended = byKey({ ...story, discontinued: true }, '2025-12-01');
    expect(ended.decision).toEqual(going.decision);
    expect(ended.decision.status).toBe('met');
    expect(ended['contribution:b']).toEqual(going['contribution:b']);
    expect(ended['contribution:b'].status).toBe('met_late');
    for (const key of ['home_office_notified', 'family_contacted', 'review_completed', 'home_office_submitted', 'contribution:a']) {
      expect(ended[key]).toEqual({
        key,
        title: going[key].title,
        basis: going[key].basis,
        dueOn: null,
        adjustedDueOn: null,
        metOn: null,
        status: 'not_applicable',
        daysOnHold: 0,
        onHold: false,
      });
    }
  });

  it('takes local offsets from the settings', () => {
    const m = computeMilestones(
      facts({ decidedOn: '2025-03-10', commissionedOn: '2025-03-10', completedOn: '2025-09-01' }),
      { ...settings, familyContactMonths: 2, homeOfficeSubmissionMonths: 3 },
      '2025-09-02',
    );
    expect(m.find((x) => x.key === 'family_contacted')!.dueOn).toBe('2025-05-10');
    expect(m.find((x) => x.key === 'home_office_submitted')!.dueOn).toBe('2025-12-01');
  });
});

describe('holds stop the clock', () => {
  // docs/domain.md, "Holds stop the clock": commissioned 20 March 2026, due 20 September.
  const window = { startOn: '2026-03-20', dueOn: '2026-09-20', metOn: null };
  const may = { startedOn: '2026-05-01', endedOn: '2026-06-01' };
  const october = { startedOn: '2026-10-10', endedOn: '2026-10-30' };

  it('moves the adjusted date by the days on hold inside the window (the worked example)', () => {
    expect(adjustedDueDate([may], window, '2026-12-01')).toBe('2026-10-21');
    expect(adjustedDueDate([may, october], window, '2026-12-01')).toBe('2026-11-10');
  });

  it('ignores a hold that begins after the adjusted due date has passed', () => {
    expect(adjustedDueDate([{ startedOn: '2026-10-01', endedOn: '2026-10-15' }], window, '2026-12-01')).toBe('2026-09-20');
    expect(adjustedDueDate([may, { startedOn: '2026-10-22', endedOn: '2026-11-01' }], window, '2026-12-01')).toBe('2026-10-21');
  });

  it('counts a hold that straddles the due date only up to the adjusted date', () => {
    // 10 days before the due date push it to 30 September, which is still inside the hold, and so on until the hold ends.
    expect(adjustedDueDate([{ startedOn: '2026-09-10', endedOn: '2026-10-05' }], window, '2026-12-01')).toBe('2026-10-15');
  });

  it('ignores hold days before the milestone starts and after it was met', () => {
    expect(adjustedDueDate([{ startedOn: '2026-03-01', endedOn: '2026-03-25' }], window, '2026-12-01')).toBe('2026-09-25');
    expect(adjustedDueDate([may], { ...window, metOn: '2026-05-11' }, '2026-12-01')).toBe('2026-09-30');
    expect(adjustedDueDate([{ startedOn: '2026-06-01', endedOn: '2026-07-01' }], { ...window, metOn: '2026-05-11' }, '2026-12-01')).toBe('2026-09-20');
  });

  it('counts an open hold through yesterday', () => {
    expect(adjustedDueDate([{ startedOn: '2026-05-01', endedOn: null }], window, '2026-05-11')).toBe('2026-09-30');
  });

  it('reports daysOnHold as the distance between the adjusted and the statutory date', () => {
    const m = byKey({ decidedOn: '2026-03-20', commissionedOn: '2026-03-20', holds: [may, october] }, '2026-12-01');
    expect(m.review_completed).toMatchObject({ dueOn: '2026-09-20', adjustedDueOn: '2026-11-10', daysOnHold: 51, status: 'overdue' });
    // The decision was met on 20 March, before either hold: nothing moves.
    expect(m.decision).toMatchObject({ adjustedDueOn: m.decision.dueOn, daysOnHold: 0 });
  });
});

describe('the regime table', () => {
  it('gives every regime unique keys, a title and a basis for each rule', () => {
    for (const regime of REGIMES) {
      const keys = REGIME_TABLE[regime].rules.map((r) => r.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(REGIME_TABLE[regime].rules.every((r) => r.title && r.basis)).toBe(true);
    }
  });

  it('gives a case the newest regime in force on the day it was notified', () => {
    const commenced = { dardrCommencementDate: '2027-04-01' };
    expect(regimeFor('2027-03-31', commenced)).toBe('dhr-2016');
    expect(regimeFor('2027-04-01', commenced)).toBe('dardr-2024');
    expect(regimeFor('2030-01-01', settings)).toBe('dhr-2016');
    expect(regimeFor('2011-04-13', settings)).toBe('dhr-2016');
    expect(regimeFor('2011-04-12', settings)).toBeNull();
  });

  it('reads the 2024 regime as a draft until its commencement is configured', () => {
    expect(inForceFrom('dhr-2016', settings)).toBe('2011-04-13');
    expect(isDraft('dardr-2024', settings)).toBe(true);
    expect(inForceOn('dardr-2024', '2030-01-01', settings)).toBe(false);
    expect(isDraft('dardr-2024', { dardrCommencementDate: '2027-04-01' })).toBe(false);
    expect(inForceOn('dardr-2024', '2027-03-31', { dardrCommencementDate: '2027-04-01' })).toBe(false);
    expect(completionMonths('dhr-2016')).toBe(6);
    expect(completionMonths('dardr-2024')).toBe(12);
  });

  it('says in the basis which milestones of a draft regime are not law, and only those', () => {
    const story = { regime: 'dardr-2024', decidedOn: '2025-03-15', commissionedOn: '2025-03-15', completedOn: '2026-01-10' };
    const draft = byKey(story, '2026-01-20');
    expect(draft.review_completed.basis).toBe(`Statutory guidance for domestic abuse related death reviews (2024): 12 months${DRAFT_BASIS}`);
    expect(draft.statutory_copy_sent.basis.endsWith(DRAFT_BASIS)).toBe(true);
    // the same rule as the 2016 guidance's is law whatever the draft says
    expect(draft.decision.basis).toBe(REGIME_TABLE['dhr-2016'].rules[0].basis);
    expect(draft.home_office_submitted.basis.endsWith(DRAFT_BASIS)).toBe(false);
    const commenced = Object.fromEntries(
      computeMilestones(facts(story), { ...settings, dardrCommencementDate: '2025-01-01' }, '2026-01-20').map((m) => [m.key, m.basis]),
    );
    expect(Object.values(commenced).some((basis) => basis.endsWith(DRAFT_BASIS))).toBe(false);
    expect(Object.values(byKey({ decidedOn: '2025-03-15', commissionedOn: '2025-03-15' }, '2025-04-01')).some((m) => m.basis.endsWith(DRAFT_BASIS))).toBe(false);
  });
});
