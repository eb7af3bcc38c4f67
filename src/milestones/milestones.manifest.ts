import type { FeatureManifest } from '../common/feature-manifest.js';

/** What the milestones module brings (docs/architecture.md, "Adding a feature module"). */
export const milestonesFeature: FeatureManifest = {
  name: 'milestones',
  module: async () => (await import('./milestones.module.js')).MilestonesModule,
};
