import * as queries from '../../src/reports/reports.queries.js';
import type { Actor } from '../../src/access/roles.js';
import { insertActor, insertCase, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  admin: Actor;
  chair: Actor;
  exeter: string;
}

const TODAY = '2026-12-06';

export default {
  file: 'src/reports/reports.queries.ts',
  queries,
  /** A case of Exeter, an SDP administrator and an Exeter CSP chair. */
  async setup(db) {
    const exeter = await partnershipId(db, 'exeter');
    await insertCase(db, { partnershipId: exeter, stage: 'information_gathering' });
    return { admin: await insertActor(db, { role: 'sdp_admin' }), chair: await insertActor(db, { role: 'csp_chair', partnershipId: exeter }), exeter };
  },
  calls: {
    loadDashboard: {
      "an SDP administrator's": (db, f) => queries.loadDashboard(db, f.admin, undefined, TODAY),
      "a CSP chair's, narrowed to a partnership": (db, f) => queries.loadDashboard(db, f.chair, f.exeter, TODAY),
      'of the homicides alone': (db, f) => queries.loadDashboard(db, f.admin, undefined, TODAY, 'homicide'),
    },
    partnershipsInReportScope: {
      "an SDP administrator's": (db, f) => queries.partnershipsInReportScope(db, f.admin, undefined),
      'narrowed to a partnership': (db, f) => queries.partnershipsInReportScope(db, f.admin, f.exeter),
    },
    makeReadOnly: (db) => queries.makeReadOnly(db),
    loadStageCounts: (db, f) => queries.loadStageCounts(db, [f.exeter]),
    loadCompletionsByYear: (db, f) => queries.loadCompletionsByYear(db, [f.exeter]),
    casesForExport: (db, f) => queries.casesForExport(db, [f.exeter], '0', TODAY, 1000),
    loadLearningRows: (db, f) => queries.loadLearningRows(db, { partnershipIds: [f.exeter], fromYear: 2025, toYear: null }, TODAY),
    loadThemeCounts: (db, f) => queries.loadThemeCounts(db, { partnershipIds: [f.exeter], fromYear: null, toYear: null }),
    loadNationalRecommendationsByAddressee: (db, f) =>
      queries.loadNationalRecommendationsByAddressee(db, { partnershipIds: [f.exeter], fromYear: null, toYear: null }),
    loadRecommendationCompletion: (db, f) => queries.loadRecommendationCompletion(db, { partnershipIds: [f.exeter], fromYear: null, toYear: null }),
    actionsForExport: (db, f) => queries.actionsForExport(db, { partnershipIds: [f.exeter], fromYear: null, toYear: null }, ['0', '0'], 1000),
    libraryPage: {
      'the first page': (db, f) => queries.libraryPage(db, [f.exeter], undefined, 51),
      'a later page': (db, f) => queries.libraryPage(db, [f.exeter], ['2026-09-01', '00000000-0000-4000-8000-000000000001'], 51),
    },
  },
} satisfies SqlSamples<typeof queries, Fixture>;
