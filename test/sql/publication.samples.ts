import { principalCaseScope } from '../../src/access/access.queries.js';
import * as queries from '../../src/publication/publication.queries.js';
import { insertCase, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  publishedCaseId: string;
  approvedCaseId: string;
  partnershipId: string;
  publicationId: string;
  publicationCursor: queries.PublicationCursor;
  reference: string;
  termId: string;
}

const NOW = new Date('2026-06-01T09:00:00Z');

export default {
  file: 'src/publication/publication.queries.ts',
  queries,
  /** A published case with its publication and an added protected term, and a case approved for publication. */
  async setup(db) {
    const partnership = await partnershipId(db, 'exeter');
    const published = await insertCase(db, { partnershipId: partnership, stage: 'published', completedOn: '2026-04-01' });
    const approved = await insertCase(db, { partnershipId: partnership, stage: 'approved_for_publication', completedOn: '2026-04-01' });
    const publication = await queries.insertPublication(db, {
      caseId: published.id,
      publishedOn: '2026-05-01',
      url: 'https://example.org/reviews/sample',
      executiveSummaryDocumentId: null,
        overviewReportDocumentId: null,
        qaLetterDocumentId: null,
      publishedBy: null,
      recordedAt: NOW,
    });
    const term = await queries.insertProtectedTerm(db, { caseId: published.id, term: 'Copperfield Lane', addedBy: null, addedAt: NOW });
    return {
      publishedCaseId: published.id,
      approvedCaseId: approved.id,
      partnershipId: partnership,
      publicationId: publication.id,
      publicationCursor: [publication.publishedOn, publication.id],
      reference: published.reference,
      termId: term.id,
    };
  },
  calls: {
    publicationFacts: (db, f) => queries.publicationFacts(db, f.publishedCaseId),
    publicationOfCase: (db, f) => queries.publicationOfCase(db, f.publishedCaseId),
    insertPublication: (db, f) =>
      queries.insertPublication(db, {
        caseId: f.approvedCaseId,
        publishedOn: '2026-05-20',
        url: 'https://example.org/reviews/another',
        executiveSummaryDocumentId: null,
        overviewReportDocumentId: null,
        qaLetterDocumentId: null,
        publishedBy: null,
        recordedAt: NOW,
      }),
    recordWithdrawal: (db, f) => queries.recordWithdrawal(db, f.publicationId, { withdrawnOn: '2027-06-01', withdrawalReason: 'Asked by the family', withdrawnBy: null }),
    recordClosureOverride: (db, f) =>
      queries.recordClosureOverride(db, f.publicationId, { closureOverrideReason: 'Closed early by the SDP', closureOverriddenBy: null, closureOverriddenAt: NOW }),
    addedTerms: (db, f) => queries.addedTerms(db, f.publishedCaseId),
    termExists: (db, f) => queries.termExists(db, f.publishedCaseId, 'copperfield lane'),
    protectedTermsPage: (db, f) => queries.protectedTermsPage(db, f.publishedCaseId, { afterSeq: '0', rows: 51 }),
    insertProtectedTerm: (db, f) => queries.insertProtectedTerm(db, { caseId: f.publishedCaseId, term: 'Rowan Quay', addedBy: null, addedAt: NOW }),
    protectedTermOfCase: (db, f) => queries.protectedTermOfCase(db, f.publishedCaseId, f.termId),
    deleteProtectedTerm: (db, f) => queries.deleteProtectedTerm(db, f.termId),
    publicReviews: {
      'the first page': (db) => queries.publicReviews(db, undefined, 51),
      'a later page': (db, f) => queries.publicReviews(db, f.publicationCursor, 51),
    },
    publicReview: (db, f) => queries.publicReview(db, f.reference),
    publicPageUpdatedAt: (db) => queries.publicPageUpdatedAt(db),
    publicationsInScope: {
      'an SDP admin, the first page': (db) =>
        queries.publicationsInScope(db, principalCaseScope({ userId: 'u', role: 'sdp_admin', partnershipId: null, agencyId: null, sessionId: 's' }), {}, undefined, 51),
      "a CSP chair's, one partnership, a later page": (db, f) =>
        queries.publicationsInScope(
          db,
          principalCaseScope({ userId: 'u', role: 'csp_chair', partnershipId: f.partnershipId, agencyId: null, sessionId: 's' }),
          { partnershipId: f.partnershipId },
          f.publicationCursor,
          51,
        ),
    },
    publicReviewsByYearAndPartnership: (db) => queries.publicReviewsByYearAndPartnership(db),
  },
} satisfies SqlSamples<typeof queries, Fixture>;
