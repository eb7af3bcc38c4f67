import * as queries from '../../src/documents/documents.queries.js';
import type { Actor } from '../../src/access/roles.js';
import type { CaseDocument } from '../../src/documents/case-document.entity.js';
import { insertActor, insertAgency, insertCase, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  caseId: string;
  agencyId: string;
  summaryId: string;
  admin: Actor;
  agencyLead: Actor;
}

/** A document's metadata; its bytes are never read here. */
function document(caseId: string, kind: CaseDocument['kind'], agencyId: string | null): Omit<CaseDocument, 'id'> {
  return {
    caseId,
    kind,
    agencyId,
    version: 1,
    final: true,
    originalName: `${kind}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: '1024',
    sha256: '0'.repeat(64),
    storageKey: `samples/${kind}`,
    uploadedBy: null,
    uploadedAt: new Date('2026-06-01T10:00:00Z'),
  };
}

export default {
  file: 'src/documents/documents.queries.ts',
  queries,
  /** A case with a final executive summary and one agency's IMR; an SDP admin, and that agency's lead. */
  async setup(db) {
    const c = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'drafting' });
    const agencyId = await insertAgency(db);
    const summary = await queries.insertDocument(db, document(c.id, 'executive_summary', null));
    await queries.insertDocument(db, document(c.id, 'imr', agencyId));
    const admin = await insertActor(db, { role: 'sdp_admin' });
    const agencyLead = await insertActor(db, { role: 'agency_lead', agencyId });
    return { caseId: c.id, agencyId, summaryId: summary.id, admin, agencyLead };
  },
  calls: {
    finalDocumentsUploaded: (db, f) => queries.finalDocumentsUploaded(db, f.caseId),
    findDocument: (db, f) => queries.findDocument(db, f.summaryId),
    caseDocuments: {
      'every document': (db, f) => queries.caseDocuments(db, f.caseId, f.admin),
      'an agency lead’s own IMRs': (db, f) => queries.caseDocuments(db, f.caseId, f.agencyLead),
    },
    nextDocumentVersion: (db, f) => queries.nextDocumentVersion(db, f.caseId, 'imr', f.agencyId),
    clearFinal: (db, f) => queries.clearFinal(db, f.caseId, 'executive_summary', null),
    markFinal: (db, f) => queries.markFinal(db, f.summaryId),
    insertDocument: (db, f) => queries.insertDocument(db, { ...document(f.caseId, 'overview_report', null), final: false }),
    documentRef: (db, f) => queries.documentRef(db, f.summaryId),
    finalDocuments: (db, f) => queries.finalDocuments(db, f.caseId, ['executive_summary', 'overview_report']),
    storedDocument: (db, f) => queries.storedDocument(db, f.summaryId),
    storedDocuments: (db, f) => queries.storedDocuments(db, [f.summaryId]),
    markFileMissing: (db, f) => queries.markFileMissing(db, f.summaryId, new Date('2026-06-02T10:00:00Z')),
    storedFiles: {
      'the first batch': (db) => queries.storedFiles(db, '', 100),
      'a later batch': (db) => queries.storedFiles(db, 'samples/executive_summary', 100),
    },
  },
} satisfies SqlSamples<typeof queries, Fixture>;
