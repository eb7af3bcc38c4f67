import type { FeatureManifest } from '../common/feature-manifest.js';

/** What the health module brings (docs/architecture.md, "Adding a feature module"). */
export const healthFeature: FeatureManifest = {
  name: 'health',
  module: async () => (await import('./health.module.js')).HealthModule,
};
