import type { FeatureManifest } from '../common/feature-manifest.js';
import { ProtectedTerm, Publication } from './publication.entities.js';
import { AnonymisationFacts, PublicationFacts } from './publication.plugins.js';

/** What the publication module brings (docs/architecture.md, "Adding a feature module"). */
export const publicationFeature: FeatureManifest = {
  name: 'publication',
  module: async () => (await import('./publication.module.js')).PublicationModule,
  entities: [ProtectedTerm, Publication],
  sensitiveFields: ['term', 'withdrawalReason', 'closureOverrideReason', 'note', 'comment'],
  refusalCodes: {
    final_documents_unreadable: 'A final report could not be read for the anonymisation check.',
    final_document_file_missing: 'The stored file of a final report is missing; the administrators have been told.',
    publication_already_withdrawn: 'The report has already been withdrawn.',
    withdrawal_too_early: 'A published report may not be withdrawn in its first 12 months.',
    case_not_published: 'The case’s report has not been published.',
    closure_already_overridden: 'The wait before closure has already been overridden.',
    protected_term_exists: 'The case already protects that term.',
  },
  plugins: [PublicationFacts, AnonymisationFacts],
};
