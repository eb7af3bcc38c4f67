import type { MigrationInterface, QueryRunner } from 'typeorm';
import { milestoneSettingsVars } from '../src/config/app-config.js';
import { basisOf, REGIME_TABLE, type Regime } from '../src/milestones/regimes.js';

/** The bases the dardr-2024 rules had before a draft rule said so, for `down`. */
const EARLIER_BASES: Record<string, string> = {
  review_completed: 'Draft statutory guidance (2024): 12 months',
  statutory_copy_sent: 'Victims and Prisoners Act 2024, s.19 ("as soon as reasonably practicable")',
};

const DARDR: Regime = 'dardr-2024';

/**
 * Regimes as law (docs/domain.md, "Review types and regimes"): a milestone
 * from a rule that is not law says so in its basis. The cases already
 * judged by dardr-2024 keep their regime; their stored milestones take the
 * basis the engine now gives them, as the environment this runs in
 * configures DARDR_COMMENCEMENT_DATE (unset: a draft), so that
 * `npm run milestones:verify` stays clean. No date moves.
 */
export class DraftRegimeBasis1765061000000 implements MigrationInterface {
  name = 'DraftRegimeBasis1765061000000';

  public async up(q: QueryRunner): Promise<void> {
    const settings = milestoneSettingsVars();
    for (const rule of REGIME_TABLE[DARDR].rules) await setBasis(q, rule.key, basisOf(DARDR, rule, settings));
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [key, basis] of Object.entries(EARLIER_BASES)) await setBasis(q, key, basis);
  }
}

async function setBasis(q: QueryRunner, key: string, basis: string): Promise<void> {
  await q.query(
    `UPDATE case_milestone m SET basis = $3
       FROM review_case c
      WHERE c.id = m.case_id AND c.regime = $1 AND m.statutory AND m.key = $2 AND m.basis IS DISTINCT FROM $3`,
    [DARDR, key, basis],
  );
}
