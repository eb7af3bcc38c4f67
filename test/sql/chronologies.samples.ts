import * as queries from '../../src/chronologies/chronologies.queries.js';
import type { Actor } from '../../src/access/roles.js';
import type { ParsedEntry } from '../../src/chronologies/chronology-parser.js';
import { insertActor, insertAgency, insertCase, insertPanelMember, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  caseId: string;
  agencyId: string;
  versionId: string;
  admin: Actor;
  agencyLead: Actor;
}

/** A fictional row of a chronology, as the parser gives it. */
const ENTRY: ParsedEntry = {
  rowNumber: 2,
  eventOn: '2025-11-04',
  datePrecision: 'day',
  dateUncertain: false,
  dateText: '04/11/2025',
  eventTime: '14:30',
  source: 'Call log',
  details: 'Neighbour reported shouting at the address.',
  subject: null,
  eventType: 'Call',
  actionTaken: 'Officers attended',
  comment: null,
};

export default {
  file: 'src/chronologies/chronologies.queries.ts',
  queries,
  /** A case with a panel agency's first chronology of one row; an SDP admin, and that agency's lead. */
  async setup(db) {
    const c = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'information_gathering' });
    const agencyId = await insertAgency(db);
    await insertPanelMember(db, { caseId: c.id, agencyId });
    const version = await queries.insertSubmission(db, {
      caseId: c.id,
      agencyId,
      version: 1,
      rowCount: 1,
      originalName: 'chronology.csv',
      uploadedBy: null,
      uploadedAt: new Date('2026-06-01T10:00:00Z'),
    });
    await queries.insertEntries(db, version.id, [ENTRY]);
    const admin = await insertActor(db, { role: 'sdp_admin' });
    const agencyLead = await insertActor(db, { role: 'agency_lead', agencyId });
    return { caseId: c.id, agencyId, versionId: version.id, admin, agencyLead };
  },
  calls: {
    chronologySubmissions: {
      'every agency': (db, f) => queries.chronologySubmissions(db, f.caseId, f.admin),
      'an agency lead’s own': (db, f) => queries.chronologySubmissions(db, f.caseId, f.agencyLead),
    },
    nextChronologyVersion: (db, f) => queries.nextChronologyVersion(db, f.caseId, f.agencyId),
    insertSubmission: (db, f) =>
      queries.insertSubmission(db, { caseId: f.caseId, agencyId: f.agencyId, version: 2, rowCount: 1, originalName: 'chronology v2.csv', uploadedBy: f.admin.userId, uploadedAt: new Date() }),
    insertEntries: (db, f) => queries.insertEntries(db, f.versionId, [{ ...ENTRY, rowNumber: 3 }]),
    latestVersions: (db, f) => queries.latestVersions(db, f.caseId, null),
    combinedPage: (db, f) =>
      queries.combinedPage(db, f.caseId, { agencyId: f.agencyId, from: '2025-01-01', to: '2025-12-31' }, ['2025-11-04', '', 'Agency', f.agencyId, '1'], 51),
    versionRows: (db, f) => queries.versionRows(db, f.versionId, { from: null, to: null }, null, 1000),
  },
} satisfies SqlSamples<typeof queries, Fixture>;
