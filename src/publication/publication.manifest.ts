import type { FeatureManifest } from '../common/feature-manifest.js';
import { ProtectedTerm, Publication } from './publication.entities.js';
import { AnonymisationFacts, PublicationFacts } from './publication.plugins.js';

/** What the publication module brings (docs/architecture.md, "Adding a feature module"). */
export const publicationFeature: FeatureManifest = {
  name: 'publication',
  module: async () => (await import('./publication.module.js')).PublicationModule,
  entities: [ProtectedTerm, Publication],
  sensitiveFields: ['term', 'withdrawalReason', 'closureOverrideReason', 'note', 'comment'],
  refusalCodes: ['final_documents_unreadable', 'final_document_file_missing', 'publication_already_withdrawn', 'withdrawal_too_early', 'case_not_published', 'closure_already_overridden', 'protected_term_exists'],
  plugins: [PublicationFacts, AnonymisationFacts],
};
