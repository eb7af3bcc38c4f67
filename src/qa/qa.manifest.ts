import type { FeatureManifest } from '../common/feature-manifest.js';
import { QaSubmission } from './qa-submission.entity.js';
import { QaFacts, QaMilestones } from './qa.plugins.js';

/** What the qa module brings (docs/architecture.md, "Adding a feature module"). */
export const qaFeature: FeatureManifest = {
  name: 'qa',
  module: async () => (await import('./qa.module.js')).QaModule,
  entities: [QaSubmission],
  refusalCodes: ['case_not_in_home_office_qa', 'qa_outcome_pending', 'qa_already_approved', 'qa_outcome_already_recorded'],
  plugins: [QaFacts, QaMilestones],
};
