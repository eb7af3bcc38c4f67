import type { FeatureManifest } from '../common/feature-manifest.js';
import { FamilyContact } from './family-contact.entity.js';
import { FamilyContactFacts, FamilyContactMilestones } from './family-contacts.plugins.js';

/** What the family-contacts module brings (docs/architecture.md, "Adding a feature module"). */
export const familyContactsFeature: FeatureManifest = {
  name: 'family-contacts',
  module: async () => (await import('./family-contacts.module.js')).FamilyContactsModule,
  entities: [FamilyContact],
  sensitiveFields: ['advocacyProvider', 'notes'],
  plugins: [FamilyContactFacts, FamilyContactMilestones],
};
