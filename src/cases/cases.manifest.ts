import type { FeatureManifest } from '../common/feature-manifest.js';
import { CaseMilestoneEvents } from './case-milestone-events.js';
import { CaseRecordFacts } from './case-record-facts.js';
import { CaseHold, CaseSubject, CaseTransfer, CaseTransition, ReviewCase } from './case.entities.js';

/** What the cases module brings (docs/architecture.md, "Adding a feature module"). */
export const casesFeature: FeatureManifest = {
  name: 'cases',
  module: async () => (await import('./cases.module.js')).CasesModule,
  entities: [ReviewCase, CaseSubject, CaseTransition, CaseHold, CaseTransfer],
  sensitiveFields: ['fullName', 'dateOfBirth', 'address', 'summary', 'notes', 'note', 'comment', 'decisionRationale', 'rationale', 'notificationSource', 'transferReason', 'withholdingReason'],
  refusalCodes: {
    decision_already_recorded: 'The CSP chair’s decision has already been recorded.',
    stage_changed: 'Someone else moved the case at the same moment: read it again.',
    step_not_allowed: 'The stage table has no such step from the case’s current stage.',
    case_closed: 'The case has ended (closed or discontinued): nothing more can be added to it.',
    hold_already_open: 'The case already has an open hold for this reason.',
    hold_overlaps_same_reason: 'An earlier hold for the same reason ended after this one would start.',
    hold_already_ended: 'The hold has already ended.',
    regime_not_in_force: 'That regime was not law on the day the case was notified.',
    already_in_partnership: 'The case is already in that partnership.',
  },
  plugins: [CaseRecordFacts, CaseMilestoneEvents],
};
