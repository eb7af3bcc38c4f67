import * as queries from '../../src/audit/audit.queries.js';
import type { Actor } from '../../src/access/roles.js';
import { insertActor, insertCase, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  admin: Actor;
  chair: Actor;
  caseId: string;
}

export default {
  file: 'src/audit/audit.queries.ts',
  queries,
  /** An SDP administrator, a CSP chair, and a case of the chair's CSP. */
  async setup(db) {
    const exeter = await partnershipId(db, 'exeter');
    const admin = await insertActor(db, { role: 'sdp_admin' });
    const chair = await insertActor(db, { role: 'csp_chair', partnershipId: exeter });
    return { admin, chair, caseId: (await insertCase(db, { partnershipId: exeter })).id };
  },
  calls: {
    insertAuditEvent: (db, f) =>
      queries.insertAuditEvent(db, {
        actorId: f.admin.userId,
        actorRole: 'sdp_admin',
        clientId: null,
        action: 'case.updated',
        entityType: 'case',
        entityId: f.caseId,
        caseId: f.caseId,
        partnershipId: null,
        requestId: 'sample-request',
        ip: '198.51.100.8',
        changes: { stage: { from: 'notified', to: 'decided' } },
        details: null,
      }),
    listAuditEvents: {
      'first page': (db, f) => queries.listAuditEvents(db, f.admin, {}, 51),
      "a CSP chair's, every filter, after a key": (db, f) =>
        queries.listAuditEvents(
          db,
          f.chair,
          { caseId: f.caseId, actorId: f.admin.userId, clientId: f.admin.userId, action: 'case.updated', from: '2026-01-01', to: '2027-01-01', beforeSeq: '1000' },
          51,
        ),
    },
  },
} satisfies SqlSamples<typeof queries, Fixture>;
