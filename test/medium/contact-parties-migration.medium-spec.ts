/**
 * The migration that gives family contacts their party and national
 * recommendations their addressee
 * (migrations/1765073000000-ContactPartiesAndAddressees.ts; docs/domain.md,
 * "Family, friends and others"): every contact recorded before was with the
 * victim's family and reads so, not declined, so no stored milestone moves and
 * `npm run milestones:verify` finds nothing (and the migrations before it,
 * which recompute milestones, read no party); older national recommendations
 * keep no addressee; the schema refuses an addressee on another scope, a
 * blank one and an unknown party.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MILESTONES_OF_THIS_TIME } from '../../migrations/1765062000000-CompletionAndWithholding.js';
import { ContactPartiesAndAddressees1765073000000 } from '../../migrations/1765073000000-ContactPartiesAndAddressees.js';
import { recomputeMilestones } from '../../migrations/frozen/milestone-recompute.js';
import { londonDate } from '../../src/common/calendar.js';
import { milestoneSettingsVars } from '../../src/config/app-config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { MilestoneSources, type MilestoneSource } from '../../src/milestones/milestone-sources.js';
import { refreshMilestoneState, verifyMilestoneState } from '../../src/milestones/milestone-state.js';
import { insertCase, partnershipId } from '../support/factories.js';
import { createTestDatabaseWithOwner } from '../support/test-database.js';

/** Every module's milestone source as the application reads them today. */
async function applicationSources(): Promise<MilestoneSource[]> {
  await import('../../src/features.js');
  const [{ CaseMilestoneEvents }, { FamilyContactMilestones }, { ContributionMilestones }, { QaMilestones }, { ActionMilestones }] = await Promise.all([
    import('../../src/cases/case-milestone-events.js'),
    import('../../src/family-contacts/family-contacts.plugins.js'),
    import('../../src/contributions/contributions.plugins.js'),
    import('../../src/qa/qa.plugins.js'),
    import('../../src/actions/actions.plugins.js'),
  ]);
  return [new CaseMilestoneEvents(), new FamilyContactMilestones(), new ContributionMilestones(), new QaMilestones(), new ActionMilestones()];
}

describe('the migration to contact parties and addressees', () => {
  let owner: DataSource;
  let sources: MilestoneSources;
  const migration = new ContactPartiesAndAddressees1765073000000();

  beforeAll(async () => {
    sources = MilestoneSources.of(await applicationSources());
    const database = await createTestDatabaseWithOwner();
    owner = await new DataSource(dataSourceOptions({ url: database.migrationUrl, poolSize: 2, statementTimeoutMs: 30_000 })).initialize();
  });
  afterAll(() => owner.destroy());

  const run = async (step: 'up' | 'down') => {
    const runner = owner.createQueryRunner();
    try {
      await migration[step](runner);
    } finally {
      await runner.release();
    }
  };
  const storedFamilyMilestone = async (caseId: string) =>
    (await owner.query(`SELECT met_on::text AS met_on FROM case_milestone WHERE case_id = $1 AND key = 'family_contacted'`, [caseId]))[0].met_on;
  const refused = async (sql: string, params: unknown[]) => {
    const error = await owner.query(sql, params).then(
      () => null,
      (e: { code?: string }) => e,
    );
    return error?.code;
  };

  it('reads the contacts recorded before as the victim’s family’s, not declined, and moves no stored milestone', async () => {
    const today = londonDate(new Date());
    await run('down');
    // as the rows were before: no party, no declined, no addressee
    const exeter = await partnershipId(owner, 'exeter');
    const made = await insertCase(owner, { partnershipId: exeter, stage: 'information_gathering', decision: { outcome: 'commission', decidedOn: '2026-03-20' } });
    await owner.query(
      `INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, draft_report_offered)
       VALUES ($1, '2026-04-02', 'letter', true, false, false), ($1, '2026-04-09', 'meeting', true, true, true)`,
      [made.id],
    );
    await owner.query(`INSERT INTO recommendation (case_id, scope, text) VALUES ($1, 'national', 'Amend the guidance.')`, [made.id]);
    // the earlier migrations recompute milestones with the frozen SQL of their time, which reads no party
    await recomputeMilestones(owner, MILESTONES_OF_THIS_TIME, [made.id], milestoneSettingsVars(), today);
    expect(await storedFamilyMilestone(made.id)).toBe('2026-04-09');
    await run('up');

    const contacts = await owner.query(`SELECT party, declined FROM family_contact WHERE case_id = $1 ORDER BY seq`, [made.id]);
    expect(contacts).toEqual([
      { party: 'victim_family', declined: false },
      { party: 'victim_family', declined: false },
    ]);
    expect(await owner.query(`SELECT scope, addressee FROM recommendation WHERE case_id = $1`, [made.id])).toEqual([{ scope: 'national', addressee: null }]);

    await refreshMilestoneState(owner, sources, milestoneSettingsVars(), [made.id], today);
    expect(await storedFamilyMilestone(made.id)).toBe('2026-04-09');
    const { differences } = await verifyMilestoneState(owner, sources, milestoneSettingsVars(), today);
    expect(differences).toEqual([]);
  });

  it('refuses an addressee on a scope other than national, a blank one, and a party not on the list', async () => {
    const exeter = await partnershipId(owner, 'exeter');
    const made = await insertCase(owner, { partnershipId: exeter, stage: 'drafting' });
    const insertRecommendation = `INSERT INTO recommendation (case_id, scope, text, addressee) VALUES ($1, $2, 'Share risk information.', $3)`;
    expect(await refused(insertRecommendation, [made.id, 'local', 'Home Office'])).toBe('23514');
    expect(await refused(insertRecommendation, [made.id, 'national', '  '])).toBe('23514');
    expect(await refused(insertRecommendation, [made.id, 'national', 'Home Office'])).toBeUndefined();
    const insertContact = `INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, draft_report_offered, party)
                           VALUES ($1, '2026-04-02', 'letter', true, true, false, $2)`;
    expect(await refused(insertContact, [made.id, 'cousin'])).toBe('23514');
    expect(await refused(insertContact, [made.id, 'neighbour'])).toBeUndefined();
  });
});
