import type { FeatureManifest } from '../common/feature-manifest.js';
import { ChronologyEntry, ChronologySubmission } from './chronology.entities.js';

/** What the chronologies module brings (docs/architecture.md, "Adding a feature module"). */
export const chronologiesFeature: FeatureManifest = {
  name: 'chronologies',
  module: async () => (await import('./chronologies.module.js')).ChronologiesModule,
  entities: [ChronologySubmission, ChronologyEntry],
  sensitiveFields: ['originalName', 'text', 'comment'],
  refusalCodes: {
    agency_not_involved: 'The agency is neither on the review panel nor asked for a contribution in this case.',
  },
};
