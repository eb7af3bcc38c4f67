import type { FeatureManifest } from '../common/feature-manifest.js';
import { ApiClient, ApiClientScope } from './api-client.entity.js';

/** What the clients module brings (docs/architecture.md, "Adding a feature module"). */
export const clientsFeature: FeatureManifest = {
  name: 'clients',
  module: async () => (await import('./clients.module.js')).ClientsModule,
  entities: [ApiClient, ApiClientScope],
  sensitiveFields: ['clientSecret', 'client_secret', 'secretHash'],
  refusalCodes: {
    client_revoked: 'The client is revoked.',
  },
};
