import type { FeatureManifest } from '../common/feature-manifest.js';
import { ContributionRequest } from './contribution-request.entity.js';
import { ContributionFacts, ContributionMilestones, ContributionsOnDiscontinuation } from './contributions.plugins.js';

/** What the contributions module brings (docs/architecture.md, "Adding a feature module"). */
export const contributionsFeature: FeatureManifest = {
  name: 'contributions',
  module: async () => (await import('./contributions.module.js')).ContributionsModule,
  entities: [ContributionRequest],
  sensitiveFields: ['waivedReason'],
  refusalCodes: {
    contribution_not_outstanding: 'The contribution request is no longer outstanding.',
  },
  agencyScope: [{ table: 'contribution_request', caseColumn: 'case_id', agencyColumn: 'agency_id', contributes: true }],
  plugins: [ContributionFacts, ContributionMilestones, ContributionsOnDiscontinuation],
};
