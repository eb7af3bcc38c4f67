import type { FeatureManifest } from '../common/feature-manifest.js';
import { HomeOfficeLetter } from './home-office-correspondence.entity.js';

/** What the Home Office correspondence brings (docs/architecture.md, "Adding a feature module"; docs/domain.md, "Home Office correspondence"). */
export const homeOfficeCorrespondenceFeature: FeatureManifest = {
  name: 'home-office-correspondence',
  module: async () => (await import('./home-office-correspondence.module.js')).HomeOfficeCorrespondenceModule,
  entities: [HomeOfficeLetter],
  // A letter's summary is free text, and may name someone: masked as every summary is.
  sensitiveFields: ['summary'],
};
