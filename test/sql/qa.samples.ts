import * as queries from '../../src/qa/qa.queries.js';
import { insertCase, insertQaSubmission, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

export default {
  file: 'src/qa/qa.queries.ts',
  queries,
  /** A case in Home Office QA with one submission the Home Office asked to be resubmitted. */
  async setup(db) {
    const c = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'home_office_qa', completedOn: '2026-05-01' });
    const submissionId = await insertQaSubmission(db, { caseId: c.id, round: 0, submittedOn: '2026-05-04', outcome: 'resubmit', outcomeOn: '2026-05-10' });
    return { caseId: c.id, submissionId };
  },
  calls: {
    latestQaOutcome: (db, f) => queries.latestQaOutcome(db, f.caseId),
    currentQaApprovalOn: (db, f) => queries.currentQaApprovalOn(db, f.caseId),
    latestInRound: (db, f) => queries.latestInRound(db, f.caseId, 0),
    qaSubmissionsPage: (db, f) => queries.qaSubmissionsPage(db, f.caseId, { afterSeq: '0', rows: 51 }),
    findQaSubmission: (db, f) => queries.findQaSubmission(db, f.submissionId),
    insertQaSubmission: (db, f) => queries.insertQaSubmission(db, { caseId: f.caseId, round: 0, submittedOn: '2026-05-05', submittedBy: null, createdAt: new Date() }),
    recordQaOutcome: (db, f) =>
      queries.recordQaOutcome(db, f.submissionId, { outcome: 'approved', outcomeOn: '2026-05-20', letterDocumentId: null, outcomeRecordedBy: null, outcomeRecordedAt: new Date() }),
  },
} satisfies SqlSamples<typeof queries, { caseId: string; submissionId: string }>;
