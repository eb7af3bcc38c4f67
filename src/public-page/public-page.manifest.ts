import type { FeatureManifest } from '../common/feature-manifest.js';

/** What the public-page module brings (docs/architecture.md, "Adding a feature module"). */
export const publicPageFeature: FeatureManifest = {
  name: 'public-page',
  module: async () => (await import('./public-page.module.js')).PublicPageModule,
};
