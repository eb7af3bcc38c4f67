import type { FeatureManifest } from '../common/feature-manifest.js';
import { CaseLink } from './case-link.entity.js';

/** What the linked reviews bring (docs/architecture.md, "Adding a feature module"; docs/domain.md, "Linked reviews"). */
export const caseLinksFeature: FeatureManifest = {
  name: 'case-links',
  module: async () => (await import('./case-links.module.js')).CaseLinksModule,
  entities: [CaseLink],
  // An external reference is free text ("SAR 2026/14 Torbay"), and free text may name someone: masked as a note is.
  sensitiveFields: ['note', 'externalReference'],
  refusalCodes: {
    link_exists: 'These reviews are linked already: a pair of cases is linked once, either way round, and a case names an external reference once.',
  },
};
