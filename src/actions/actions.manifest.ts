import type { FeatureManifest } from '../common/feature-manifest.js';
import { PlanAction, PlanActionProgress, Recommendation, RecommendationTheme } from './action-plan.entities.js';
import { ActionFacts, ActionMilestones } from './actions.plugins.js';

/** What the actions module brings (docs/architecture.md, "Adding a feature module"). */
export const actionsFeature: FeatureManifest = {
  name: 'actions',
  module: async () => (await import('./actions.module.js')).ActionsModule,
  entities: [Recommendation, RecommendationTheme, PlanAction, PlanActionProgress],
  appendOnlyTables: ['plan_action_progress'],
  sensitiveFields: ['text', 'description', 'progressNote', 'closedReason', 'note'],
  refusalCodes: {
    action_done: 'The action is complete or closed: it is not reopened or updated.',
    action_status_not_allowed: 'The action cannot move to that status from its current one.',
  },
  agencyScope: [{ table: 'plan_action', caseColumn: 'case_id', agencyColumn: 'owner_agency_id', contributes: false }],
  plugins: [ActionFacts, ActionMilestones],
};
