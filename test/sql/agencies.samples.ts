import * as queries from '../../src/agencies/agencies.queries.js';
import { insertAgency } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

export default {
  file: 'src/agencies/agencies.queries.ts',
  queries,
  /** One active police agency. */
  async setup(db) {
    return { agencyId: await insertAgency(db, { name: 'Example Constabulary', sector: 'police' }) };
  },
  calls: {
    listAgencies: {
      'first page': (db) => queries.listAgencies(db, {}, 51),
      'of one sector, after a key': (db, f) => queries.listAgencies(db, { sector: 'police', after: ['example constabulary', f.agencyId] }, 51),
    },
    findAgency: {
      read: (db, f) => queries.findAgency(db, f.agencyId),
      locked: (db, f) => queries.findAgency(db, f.agencyId, { lock: true }),
    },
    agencyNameTaken: (db) => queries.agencyNameTaken(db, 'EXAMPLE CONSTABULARY'),
    insertAgency: (db) => queries.insertAgency(db, { name: 'Example Health Trust', sector: 'health' }, new Date()),
    updateAgency: (db, f) => queries.updateAgency(db, f.agencyId, { active: false }, new Date()),
    activeAgency: (db, f) => queries.activeAgency(db, f.agencyId),
    requireActiveAgency: (db, f) => queries.requireActiveAgency(db, f.agencyId),
  },
} satisfies SqlSamples<typeof queries, { agencyId: string }>;
