import * as queries from '../../src/access/access.queries.js';
import type { Actor } from '../../src/access/roles.js';
import { insertActor, insertAgency, insertCase, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  admin: Actor;
  chair: Actor;
  lead: Actor;
  caseId: string;
}

export default {
  file: 'src/access/access.queries.ts',
  queries,
  /** A case of Exeter, and an SDP administrator, an Exeter CSP chair and an agency lead to read it. */
  async setup(db) {
    const exeter = await partnershipId(db, 'exeter');
    const admin = await insertActor(db, { role: 'sdp_admin' });
    const chair = await insertActor(db, { role: 'csp_chair', partnershipId: exeter });
    const lead = await insertActor(db, { role: 'agency_lead', agencyId: await insertAgency(db) });
    return { admin, chair, lead, caseId: (await insertCase(db, { partnershipId: exeter })).id };
  },
  calls: {
    findCaseInScope: {
      "an SDP administrator's": (db, f) => queries.findCaseInScope(db, f.admin, f.caseId, false),
      "a CSP chair's, locked": (db, f) => queries.findCaseInScope(db, f.chair, f.caseId, true),
    },
    lockCaseInScope: (db, f) => queries.lockCaseInScope(db, f.lead, f.caseId),
    agencyContributes: (db, f) => queries.agencyContributes(db, f.caseId, f.lead.agencyId!),
    readableCaseIds: (db, f) => queries.readableCaseIds(db, f.lead, [f.caseId]),
    owningPartnership: (db, f) => queries.owningPartnership(db, f.caseId),
    caseIdByReference: (db) => queries.caseIdByReference(db, 'DHR-2026-001'),
    casePeople: (db, f) => queries.casePeople(db, [f.caseId]),
    countRefusal: (db, f) =>
      queries.countRefusal(db, {
        who: `user:${f.chair.userId}`,
        windowStart: new Date('2026-12-06T18:00:00Z'),
        actorId: f.chair.userId,
        actorRole: f.chair.role,
        clientId: null,
        reason: 'not_found_or_out_of_scope',
        attempted: `case.read case ${f.caseId}`,
      }),
    takeEndedWindows: (db) => queries.takeEndedWindows(db, new Date()),
    forgetOldWindows: (db) => queries.forgetOldWindows(db, new Date()),
    countAnonymousDenial: (db) => queries.countAnonymousDenial(db, '198.51.100.9', 'no_token', new Date()),
    forgetOldAnonymousDenials: (db) => queries.forgetOldAnonymousDenials(db, new Date()),
    forgetExpiredRateCounts: (db) => queries.forgetExpiredRateCounts(db, Date.now() - 3600_000),
  },
} satisfies SqlSamples<typeof queries, Fixture>;
