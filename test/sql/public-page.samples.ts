import * as queries from '../../src/public-page/public-page.queries.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

export default {
  file: 'src/public-page/public-page.queries.ts',
  queries,
  /** Nothing: the statement only sets how the transaction reads. */
  async setup() {
    return {};
  },
  calls: {
    readOnlyTransaction: (db) => queries.readOnlyTransaction(db),
  },
} satisfies SqlSamples<typeof queries, Record<string, never>>;
