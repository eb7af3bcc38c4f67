/**
 * Regimes as law (docs/domain.md, "Review types and regimes"): a case
 * already judged by the draft dardr-2024 keeps its regime, and the migration
 * that makes a draft rule say so in its basis leaves `npm run
 * milestones:verify` clean.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DraftRegimeBasis1765061000000 } from '../../migrations/1765061000000-DraftRegimeBasis.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import { insertCase, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

let m: Medium;

beforeAll(async () => {
  m = await startMedium();
  m.clock.setTo('2026-06-01');
});
afterAll(() => m.close());

async function bases(caseId: string): Promise<Record<string, string>> {
  const rows: { key: string; basis: string }[] = await m.dataSource.query(`SELECT key, basis FROM case_milestone WHERE case_id = $1 AND statutory`, [caseId]);
  return Object.fromEntries(rows.map((r) => [r.key, r.basis]));
}

async function migrate(direction: 'up' | 'down'): Promise<void> {
  const runner = m.dataSource.createQueryRunner();
  try {
    await new DraftRegimeBasis1765061000000()[direction](runner);
  } finally {
    await runner.release();
  }
}

describe('the stored milestones of a case judged by the draft 2024 regime', () => {
  it('take the draft note from the migration, and verify finds nothing', async () => {
    const exeter = await partnershipId(m.dataSource, 'exeter');
    const draft = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting', reviewType: 'DARDR', regime: 'dardr-2024' });
    const law = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting', reviewType: 'DARDR' });
    const state = m.get(MilestoneStateService);
    await m.dataSource.transaction((tx) => state.refresh(tx, [draft.id, law.id]));
    const lawBefore = await bases(law.id);

    // as the stored rows stood before the rule: the bases the draft rules had then
    await migrate('down');
    expect((await bases(draft.id)).review_completed).toBe('Draft statutory guidance (2024): 12 months');
    const stale = (await state.verify()).differences;
    expect(stale.map((d) => `${d.reference}/${d.key}/${d.problem}`).sort()).toEqual([
      `${draft.reference}/review_completed/basis`,
      `${draft.reference}/statutory_copy_sent/basis`,
    ]);

    await migrate('up');
    expect(await bases(draft.id)).toMatchObject({
      review_completed: 'Statutory guidance for domestic abuse related death reviews (2024): 12 months (draft, not in force)',
      statutory_copy_sent: 'Victims and Prisoners Act 2024, s.19 ("as soon as reasonably practicable") (draft, not in force)',
      decision: lawBefore.decision,
    });
    expect(await bases(law.id)).toEqual(lawBefore);
    expect((await state.verify()).differences).toEqual([]);
    const [row] = await m.dataSource.query(`SELECT regime FROM review_case WHERE id = $1`, [draft.id]);
    expect(row.regime).toBe('dardr-2024');
  });
});
