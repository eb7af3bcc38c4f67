import type { FeatureManifest } from '../common/feature-manifest.js';
import { CaseMilestoneEvents } from './case-milestone-events.js';
import { CaseRecordFacts } from './case-record-facts.js';
import { CaseHold, CaseSubject, CaseTransition, ReviewCase } from './case.entities.js';

/** What the cases module brings (docs/architecture.md, "Adding a feature module"). */
export const casesFeature: FeatureManifest = {
  name: 'cases',
  module: async () => (await import('./cases.module.js')).CasesModule,
  entities: [ReviewCase, CaseSubject, CaseTransition, CaseHold],
  sensitiveFields: ['fullName', 'dateOfBirth', 'address', 'summary', 'notes', 'note', 'comment', 'decisionRationale', 'rationale', 'notificationSource'],
  refusalCodes: ['decision_already_recorded', 'stage_changed', 'step_not_allowed', 'case_closed', 'hold_overlaps', 'hold_already_ended'],
  plugins: [CaseRecordFacts, CaseMilestoneEvents],
};
