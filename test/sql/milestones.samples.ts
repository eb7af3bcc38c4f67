import { milestoneScopeCondition } from '../../src/access/access.queries.js';
import { ActionMilestones } from '../../src/actions/actions.plugins.js';
import { CaseMilestoneEvents } from '../../src/cases/case-milestone-events.js';
import { ContributionMilestones } from '../../src/contributions/contributions.plugins.js';
import { FamilyContactMilestones } from '../../src/family-contacts/family-contacts.plugins.js';
import { MilestoneSources } from '../../src/milestones/milestone-sources.js';
import * as queries from '../../src/milestones/milestones.queries.js';
import { QaMilestones } from '../../src/qa/qa.plugins.js';
import { insertAgency, insertCase, insertContributionRequest, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

/** Every module's milestone events and items, as the application gathers them. */
const SOURCES = MilestoneSources.of([new CaseMilestoneEvents(), new FamilyContactMilestones(), new QaMilestones(), new ContributionMilestones(), new ActionMilestones()]);

const TODAY = '2026-06-01';

/** A stored row of the sample case, as the engine would compute it. */
const storedValues = (partnership: string, reference: string): queries.StoredValues => ({
  partnership_id: partnership,
  reference,
  statutory: true,
  agency_id: null,
  title: 'Decision whether to hold a review',
  basis: 'One month from notification',
  position: 0,
  applicable: true,
  start_on: '2026-03-02',
  due_on: '2026-04-02',
  adjusted_due_on: '2026-04-02',
  met_on: null,
  on_hold: false,
});

interface Fixture {
  caseId: string;
  reference: string;
  partnershipId: string;
  agencyId: string;
}

export default {
  file: 'src/milestones/milestones.queries.ts',
  queries,
  /** A commissioned case with an IMR asked of one agency. */
  async setup(db) {
    const partnership = await partnershipId(db, 'exeter');
    const c = await insertCase(db, { partnershipId: partnership, stage: 'commissioned' });
    const agencyId = await insertAgency(db);
    await insertContributionRequest(db, { caseId: c.id, agencyId, kind: 'imr' });
    return { caseId: c.id, reference: c.reference, partnershipId: partnership, agencyId };
  },
  calls: {
    loadMilestoneFacts: {
      'every agency': (db, f) => queries.loadMilestoneFacts(db, SOURCES, [f.caseId], null),
      'one agency': (db, f) => queries.loadMilestoneFacts(db, SOURCES, [f.caseId], f.agencyId),
    },
    upsertMilestoneState: (db, f) =>
      queries.upsertMilestoneState(db, [{ caseId: f.caseId, key: 'decision', row: storedValues(f.partnershipId, f.reference) }], TODAY),
    deleteMilestones: (db, f) => queries.deleteMilestones(db, [{ caseId: f.caseId, key: 'decision' }]),
    storedMilestones: (db, f) => queries.storedMilestones(db, [f.caseId]),
    casesAfter: {
      'every case': (db) => queries.casesAfter(db, '0', 2000, false),
      'cases not closed': (db) => queries.casesAfter(db, '0', 2000, true),
    },
    findMilestonePage: {
      'an SDP admin, the first page': (db) =>
        queries.findMilestonePage(db, {
          scope: milestoneScopeCondition({ userId: 'u', role: 'sdp_admin', partnershipId: null, agencyId: null, sessionId: 's' }),
          agency: null,
          statutory: true,
          limit: 51,
          today: TODAY,
          dueSoonDays: 14,
        }),
      "an agency lead's overdue, a later page": (db, f) =>
        queries.findMilestonePage(db, {
          scope: milestoneScopeCondition({ userId: 'u', role: 'agency_lead', partnershipId: null, agencyId: f.agencyId, sessionId: 's' }),
          partnershipId: f.partnershipId,
          agency: f.agencyId,
          statutory: false,
          status: 'overdue',
          after: ['2026-04-02', f.reference, 'decision'],
          limit: 51,
          today: TODAY,
          dueSoonDays: 14,
        }),
    },
    trySweepLock: (db) => queries.trySweepLock(db, 7204201),
    insertAlerts: (db, f) => queries.insertAlerts(db, [{ caseId: f.caseId, key: 'decision', state: 'overdue', dueOn: '2026-04-02', raisedOn: TODAY }]),
  },
} satisfies SqlSamples<typeof queries, Fixture>;
