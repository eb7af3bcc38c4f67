import * as queries from '../../src/contributions/contributions.queries.js';
import { insertAgency, insertCase, insertContributionRequest, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

export default {
  file: 'src/contributions/contributions.queries.ts',
  queries,
  /** A case with one agency's outstanding IMR request. */
  async setup(db) {
    const c = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'information_gathering' });
    const agencyId = await insertAgency(db);
    await insertContributionRequest(db, { caseId: c.id, agencyId, kind: 'imr' });
    return { caseId: c.id, agencyId };
  },
  calls: {
    markContributionSubmitted: (db, f) => queries.markContributionSubmitted(db, { caseId: f.caseId, agencyId: f.agencyId, kind: 'imr' }, new Date()),
  },
} satisfies SqlSamples<typeof queries, { caseId: string; agencyId: string }>;
