import * as queries from '../../src/contributions/contributions.queries.js';
import type { Actor } from '../../src/access/roles.js';
import { insertActor, insertAgency, insertCase, insertContributionRequest, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  caseId: string;
  agencyId: string;
  requestId: string;
  admin: Actor;
  agencyLead: Actor;
}

export default {
  file: 'src/contributions/contributions.queries.ts',
  queries,
  /** A case with one agency's outstanding IMR request; an SDP admin, and that agency's lead. */
  async setup(db) {
    const c = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'information_gathering' });
    const agencyId = await insertAgency(db);
    const requestId = await insertContributionRequest(db, { caseId: c.id, agencyId, kind: 'imr' });
    const admin = await insertActor(db, { role: 'sdp_admin' });
    const agencyLead = await insertActor(db, { role: 'agency_lead', agencyId });
    return { caseId: c.id, agencyId, requestId, admin, agencyLead };
  },
  calls: {
    contributionCounts: (db, f) => queries.contributionCounts(db, f.caseId),
    markContributionSubmitted: (db, f) => queries.markContributionSubmitted(db, { caseId: f.caseId, agencyId: f.agencyId, kind: 'imr' }, new Date()),
    findContributionRequest: (db, f) => queries.findContributionRequest(db, f.requestId),
    contributionRequestPage: {
      'every agency': (db, f) => queries.contributionRequestPage(db, f.caseId, f.admin, { afterSeq: '0', rows: 51 }),
      'an agency lead’s own': (db, f) => queries.contributionRequestPage(db, f.caseId, f.agencyLead, { afterSeq: '0', rows: 51 }),
    },
    insertContributionRequest: (db, f) =>
      queries.insertContributionRequest(db, { caseId: f.caseId, agencyId: f.agencyId, kind: 'summary', dueOn: '2026-08-01', createdBy: f.admin.userId, createdAt: new Date() }),
    waiveContributionRequest: (db, f) => queries.waiveContributionRequest(db, f.requestId, 'Covered by the police IMR', new Date()),
    closeOutstandingContributions: (db, f) => queries.closeOutstandingContributions(db, f.caseId, new Date()),
  },
} satisfies SqlSamples<typeof queries, Fixture>;
