import type { FeatureManifest } from '../common/feature-manifest.js';
import { QaSubmission } from './qa-submission.entity.js';
import { QaFacts, QaMilestones } from './qa.plugins.js';

/** What the qa module brings (docs/architecture.md, "Adding a feature module"). */
export const qaFeature: FeatureManifest = {
  name: 'qa',
  module: async () => (await import('./qa.module.js')).QaModule,
  entities: [QaSubmission],
  refusalCodes: {
    case_not_in_home_office_qa: 'The case is not in Home Office quality assurance.',
    qa_outcome_pending: 'The latest submission to the Home Office has no outcome yet.',
    qa_already_approved: 'The Home Office has approved this round’s submission.',
    qa_outcome_already_recorded: 'The outcome of this submission is already recorded.',
  },
  plugins: [QaFacts, QaMilestones],
};
