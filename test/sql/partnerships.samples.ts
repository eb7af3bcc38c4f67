import * as queries from '../../src/partnerships/partnerships.queries.js';
import { partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

export default {
  file: 'src/partnerships/partnerships.queries.ts',
  queries,
  /** One of the partnerships the migrations seed. */
  async setup(db) {
    return { partnershipId: await partnershipId(db, 'exeter') };
  },
  calls: {
    listPartnerships: (db) => queries.listPartnerships(db),
    partnershipExists: (db, f) => queries.partnershipExists(db, f.partnershipId),
    requirePartnership: (db, f) => queries.requirePartnership(db, f.partnershipId),
    partnershipNames: (db, f) => queries.partnershipNames(db, [f.partnershipId]),
  },
} satisfies SqlSamples<typeof queries, { partnershipId: string }>;
