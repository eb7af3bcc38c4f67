import type { FeatureManifest } from '../common/feature-manifest.js';
import { User } from './user.entity.js';

/** What the users module brings (docs/architecture.md, "Adding a feature module"). */
export const usersFeature: FeatureManifest = {
  name: 'users',
  module: async () => (await import('./users.module.js')).UsersModule,
  entities: [User],
  sensitiveFields: ['password', 'passwordHash'],
};
