import * as queries from '../../src/family-contacts/family-contacts.queries.js';
import { insertCase, insertFamilyContact, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

export default {
  file: 'src/family-contacts/family-contacts.queries.ts',
  queries,
  /** A case with one contact with the family. */
  async setup(db) {
    const c = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'commissioned' });
    await insertFamilyContact(db, { caseId: c.id });
    return { caseId: c.id };
  },
  calls: {
    familyOfferedDraft: (db, f) => queries.familyOfferedDraft(db, f.caseId),
    qualifyingContact: (db, f) => queries.qualifyingContact(db, f.caseId),
    familyContactsPage: (db, f) => queries.familyContactsPage(db, f.caseId, { afterSeq: '0', rows: 51 }),
    insertFamilyContact: (db, f) =>
      queries.insertFamilyContact(db, {
        caseId: f.caseId,
        contactedOn: '2026-04-02',
        method: 'letter',
        party: 'friend',
        declined: false,
        leafletGiven: true,
        advocacyOffered: true,
        advocacyProvider: null,
        draftReportOffered: false,
        notes: null,
        createdBy: null,
        createdAt: new Date(),
      }),
  },
} satisfies SqlSamples<typeof queries, { caseId: string }>;
