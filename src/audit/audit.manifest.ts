import type { FeatureManifest } from '../common/feature-manifest.js';
import { AuditEvent } from './audit-event.entity.js';

/** What the audit module brings (docs/architecture.md, "Adding a feature module"). */
export const auditFeature: FeatureManifest = {
  name: 'audit',
  module: async () => (await import('./audit.module.js')).AuditModule,
  entities: [AuditEvent],
  appendOnlyTables: ['audit_event'],
};
