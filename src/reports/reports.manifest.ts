import type { FeatureManifest } from '../common/feature-manifest.js';

/** What the reports module brings (docs/architecture.md, "Adding a feature module"). */
export const reportsFeature: FeatureManifest = {
  name: 'reports',
  module: async () => (await import('./reports.module.js')).ReportsModule,
};
