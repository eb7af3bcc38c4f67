import type { FeatureManifest } from '../common/feature-manifest.js';
import { PanelMember } from './panel-member.entity.js';
import { PanelFacts } from './panel.plugins.js';

/** What the panel module brings (docs/architecture.md, "Adding a feature module"). */
export const panelFeature: FeatureManifest = {
  name: 'panel',
  module: async () => (await import('./panel.module.js')).PanelModule,
  entities: [PanelMember],
  agencyScope: [{ table: 'panel_member', caseColumn: 'case_id', agencyColumn: 'agency_id', contributes: true }],
  plugins: [PanelFacts],
};
