import * as queries from '../../src/home-office-correspondence/home-office-correspondence.queries.js';
import { insertCase, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

const letter = (caseId: string, correspondedOn: string) => ({
  caseId,
  kind: 'decision_notice' as const,
  direction: 'sent' as const,
  correspondedOn,
  summary: 'Decision to commission a review sent to the Home Office.',
  outcome: null,
  documentId: null,
  qaSubmissionId: null,
  recordedBy: null,
  recordedAt: new Date(),
});

export default {
  file: 'src/home-office-correspondence/home-office-correspondence.queries.ts',
  queries,
  /** A commissioned case with its decision notice recorded. */
  async setup(db) {
    const c = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'commissioned' });
    const first = await queries.insertLetter(db, letter(c.id, '2026-03-09'));
    return { caseId: c.id, firstSeq: first.seq };
  },
  calls: {
    lettersPage: {
      'first page': (db, f) => queries.lettersPage(db, f.caseId, { after: null, rows: 51 }),
      'a later page': (db, f) => queries.lettersPage(db, f.caseId, { after: { on: '2026-03-09', seq: f.firstSeq }, rows: 51 }),
    },
    insertLetter: (db, f) => queries.insertLetter(db, { ...letter(f.caseId, '2026-04-01'), kind: 'response', direction: 'received', outcome: 'accepted' }),
  },
} satisfies SqlSamples<typeof queries, { caseId: string; firstSeq: string }>;
