import type { FeatureManifest } from '../common/feature-manifest.js';
import { CaseDocument } from './case-document.entity.js';
import { DocumentFacts } from './documents.plugins.js';

/** What the documents module brings (docs/architecture.md, "Adding a feature module"). */
export const documentsFeature: FeatureManifest = {
  name: 'documents',
  module: async () => (await import('./documents.module.js')).DocumentsModule,
  entities: [CaseDocument],
  sensitiveFields: ['originalName', 'comment'],
  plugins: [DocumentFacts],
};
