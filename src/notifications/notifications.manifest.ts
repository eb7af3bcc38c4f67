import type { FeatureManifest } from '../common/feature-manifest.js';
import { Notification, NotificationDigest, NotificationSetting } from './notification.entity.js';

/** What the notifications module brings (docs/architecture.md, "Adding a feature module"). */
export const notificationsFeature: FeatureManifest = {
  name: 'notifications',
  module: async () => (await import('./notifications.module.js')).NotificationsModule,
  entities: [Notification, NotificationSetting, NotificationDigest],
};
