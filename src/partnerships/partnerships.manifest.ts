import type { FeatureManifest } from '../common/feature-manifest.js';
import { Partnership } from './partnership.entity.js';

/** What the partnerships module brings (docs/architecture.md, "Adding a feature module"). */
export const partnershipsFeature: FeatureManifest = {
  name: 'partnerships',
  module: async () => (await import('./partnerships.module.js')).PartnershipsModule,
  entities: [Partnership],
};
