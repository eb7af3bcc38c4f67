import type { FeatureManifest } from '../common/feature-manifest.js';
import { CaseTheme } from './case-theme.entity.js';
import { LearningTheme } from './learning-theme.entity.js';

/** What the themes module brings (docs/architecture.md, "Adding a feature module"). */
export const themesFeature: FeatureManifest = {
  name: 'themes',
  module: async () => (await import('./themes.module.js')).ThemesModule,
  entities: [LearningTheme, CaseTheme],
};
