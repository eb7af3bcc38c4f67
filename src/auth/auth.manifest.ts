import type { FeatureManifest } from '../common/feature-manifest.js';
import { AuthSession } from './auth-session.entity.js';

/** What the auth module brings (docs/architecture.md, "Adding a feature module"). */
export const authFeature: FeatureManifest = {
  name: 'auth',
  module: async () => (await import('./auth.module.js')).AuthModule,
  entities: [AuthSession],
  sensitiveFields: ['password'],
};
