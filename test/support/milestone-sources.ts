import type { MilestoneSource } from '../../src/milestones/milestone-sources.js';

/**
 * Every module's milestone source as the application reads them today (each
 * provider marked @ProvidesMilestones()): what `npm run milestones:verify`
 * checks the stored milestones against. Loaded after the feature list, as
 * the application loads them: the plugins' modules reach it.
 */
export async function applicationMilestoneSources(): Promise<MilestoneSource[]> {
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
