import type { FeatureManifest } from '../common/feature-manifest.js';
import { CaseMilestoneEvents } from './case-milestone-events.js';
import { CaseRecordFacts } from './case-record-facts.js';
import { CaseHold, CaseSubject, CaseTransition, ReviewCase } from './case.entities.js';

/** What the cases module brings (docs/architecture.md, "Adding a feature module"). */
export const casesFeature: FeatureManifest = {
  name: 'cases',
  module: async () => (await import('./cases.module.js')).CasesModule,
  entities: [ReviewCase, CaseSubject, CaseTransition, CaseHold],
  sensitiveFields: ['fullName', 'dateOfBirth', 'address', 'summary', 'notes', 'note', 'comment', 'decisionRationale', 'rationale', 'notificationSource', 'withholdingReason'],
  refusalCodes: {
    decision_already_recorded: 'The CSP chair’s decision has already been recorded.',
    stage_changed: 'Someone else moved the case at the same moment: read it again.',
    step_not_allowed: 'The stage table has no such step from the case’s current stage.',
    case_closed: 'The case is closed.',
    hold_overlaps: 'The hold would overlap another hold of the case.',
    hold_already_ended: 'The hold has already ended.',
  },
  plugins: [CaseRecordFacts, CaseMilestoneEvents],
};
