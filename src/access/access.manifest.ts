import type { FeatureManifest } from '../common/feature-manifest.js';

/** What the access module brings (docs/architecture.md, "Adding a feature module"). */
export const accessFeature: FeatureManifest = {
  name: 'access',
  module: async () => (await import('./access.module.js')).AccessModule,
};
