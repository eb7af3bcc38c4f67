import * as queries from '../../src/themes/themes.queries.js';
import { insertCase, insertCaseThemes, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

export default {
  file: 'src/themes/themes.queries.ts',
  queries,
  /** A case with two learning themes. */
  async setup(db) {
    const c = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter') });
    await insertCaseThemes(db, c.id, ['marac', 'stalking']);
    return { caseId: c.id };
  },
  calls: {
    allThemes: (db) => queries.allThemes(db),
    unknownThemeCodes: (db) => queries.unknownThemeCodes(db, ['marac', 'not_a_theme']),
    requireKnownThemes: (db) => queries.requireKnownThemes(db, ['marac']),
    caseThemes: (db, f) => queries.caseThemes(db, f.caseId),
    replaceCaseThemes: (db, f) => queries.replaceCaseThemes(db, f.caseId, ['coercive_control']),
    caseThemeCodes: (db, f) => queries.caseThemeCodes(db, [f.caseId]),
  },
} satisfies SqlSamples<typeof queries, { caseId: string }>;
