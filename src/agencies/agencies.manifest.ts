import type { FeatureManifest } from '../common/feature-manifest.js';
import { Agency } from './agency.entity.js';

/** What the agencies module brings (docs/architecture.md, "Adding a feature module"). */
export const agenciesFeature: FeatureManifest = {
  name: 'agencies',
  module: async () => (await import('./agencies.module.js')).AgenciesModule,
  entities: [Agency],
};
