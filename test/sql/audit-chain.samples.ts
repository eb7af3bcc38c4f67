import * as queries from '../../src/audit/audit-chain.queries.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

/** What `npm run audit:verify` sends, as the application's role it connects as. */
export default {
  file: 'src/audit/audit-chain.queries.ts',
  queries,
  async setup() {
    return {};
  },
  calls: {
    trailHasChain: (db) => queries.trailHasChain(db),
    // The snapshot's own BEGIN and ROLLBACK would end the transaction each sample runs in.
    beginChainSnapshot: (db) => queries.beginChainSnapshot(db),
    endChainSnapshot: (db) => queries.endChainSnapshot(db),
    openChainCursor: (db) => queries.openChainCursor(db),
    fetchChainRows: async (db) => {
      await queries.openChainCursor(db);
      return queries.fetchChainRows(db, 500);
    },
  },
  recordOnly: ['beginChainSnapshot', 'endChainSnapshot'],
} satisfies SqlSamples<typeof queries, Record<string, never>>;
