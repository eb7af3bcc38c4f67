import * as queries from '../../src/case-links/case-links.queries.js';
import { insertCase, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

export default {
  file: 'src/case-links/case-links.queries.ts',
  queries,
  /** Two cases of two partnerships linked as a joint DHR, and a third case linked to nothing. */
  async setup(db) {
    const first = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'commissioned' });
    const second = await insertCase(db, { partnershipId: await partnershipId(db, 'north-devon-torridge'), stage: 'commissioned' });
    const third = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'notified' });
    const linkId = await queries.insertLink(db, {
      caseId: first.id,
      linkedCaseId: second.id,
      externalReference: null,
      kind: 'joint_dhr',
      note: null,
      createdBy: null,
      createdAt: new Date(),
    });
    return { first: first.id, second: second.id, third: third.id, linkId: linkId! };
  },
  calls: {
    linksPage: (db, f) => queries.linksPage(db, f.second, { afterSeq: '0', rows: 51 }),
    linkOfCase: (db, f) => queries.linkOfCase(db, f.second, f.linkId),
    insertLink: (db, f) =>
      queries.insertLink(db, {
        caseId: f.third,
        linkedCaseId: null,
        externalReference: 'SAR 2026/14',
        kind: 'sar',
        note: 'Run jointly with the Safeguarding Adults Board.',
        createdBy: null,
        createdAt: new Date(),
      }),
    deleteLink: (db, f) => queries.deleteLink(db, f.second, f.linkId),
  },
} satisfies SqlSamples<typeof queries, { first: string; second: string; third: string; linkId: string }>;
