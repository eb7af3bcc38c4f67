import * as queries from '../../src/panel/panel.queries.js';
import { insertAgency, insertCase, insertPanelMember, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

export default {
  file: 'src/panel/panel.queries.ts',
  queries,
  /** A case with one agency on its panel and another not. */
  async setup(db) {
    const c = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'commissioned' });
    const onPanel = await insertAgency(db);
    await insertPanelMember(db, { caseId: c.id, agencyId: onPanel });
    return { caseId: c.id, onPanel, offPanel: await insertAgency(db) };
  },
  calls: {
    panelOfCase: (db, f) => queries.panelOfCase(db, f.caseId),
    panelSize: (db, f) => queries.panelSize(db, f.caseId),
    addPanelMember: (db, f) => queries.addPanelMember(db, { caseId: f.caseId, agencyId: f.offPanel, addedBy: null, addedAt: new Date() }),
    removePanelMember: (db, f) => queries.removePanelMember(db, f.caseId, f.onPanel),
  },
} satisfies SqlSamples<typeof queries, { caseId: string; onPanel: string; offPanel: string }>;
