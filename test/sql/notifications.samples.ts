import * as queries from '../../src/notifications/notifications.queries.js';
import { insertActor, insertAgency, insertCase, insertNotification, partnershipId } from '../support/factories.js';
import type { Actor } from '../../src/access/roles.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  chair: Actor;
  caseId: string;
  notificationId: string;
  agencyId: string;
  digestId: string;
}

export default {
  file: 'src/notifications/notifications.queries.ts',
  queries,
  /** A CSP chair told of a case of their CSP. */
  async setup(db) {
    const exeter = await partnershipId(db, 'exeter');
    const chair = await insertActor(db, { role: 'csp_chair', partnershipId: exeter });
    const c = await insertCase(db, { partnershipId: exeter });
    const notificationId = await insertNotification(db, { userId: chair.userId, caseId: c.id });
    const [digest]: { id: string }[] = await db.query(
      `INSERT INTO notification_digest (user_id, digest_on, created_at) VALUES ($1, '2026-03-01', now()) RETURNING id`,
      [chair.userId],
    );
    return { chair, caseId: c.id, notificationId, agencyId: await insertAgency(db, { sector: 'probation' }), digestId: digest.id };
  },
  calls: {
    activeAdmins: (db) => queries.activeAdmins(db),
    activeAgencyLeads: (db, f) => queries.activeAgencyLeads(db, f.agencyId),
    activePartnershipChairs: (db, f) => queries.activePartnershipChairs(db, f.chair.partnershipId!),
    insertNotifications: (db, f) =>
      queries.insertNotifications(
        db,
        [{ id: '00000000-0000-4000-8000-000000000002', userId: f.chair.userId, caseId: f.caseId, alertId: null, kind: 'stage_changed', title: 'A case moved on', body: 'It moved.', awaitsDigest: true }],
        new Date(),
      ),
    queueEmails: (db, f) =>
      queries.queueEmails(db, [{ notificationId: f.notificationId, to: 'someone@example.org', subject: '[DHR] A case moved on', body: 'It moved.' }], new Date()),
    listNotifications: {
      'first page': (db, f) => queries.listNotifications(db, f.chair, {}, 51),
      'unread, after a key': (db, f) => queries.listNotifications(db, f.chair, { unread: true, beforeSeq: '1000' }, 51),
      read: (db, f) => queries.listNotifications(db, f.chair, { unread: false }, 51),
    },
    findOwnNotification: (db, f) => queries.findOwnNotification(db, f.notificationId, f.chair.userId),
    markNotificationRead: (db, f) => queries.markNotificationRead(db, f.notificationId, new Date()),
    claimDueEmails: (db) => queries.claimDueEmails(db, new Date(), new Date(Date.now() + 30 * 60_000), 20),
    emailDeliveries: (db, f) => queries.emailDeliveries(db, [f.chair.userId]),
    saveEmailDelivery: (db, f) => queries.saveEmailDelivery(db, f.chair.userId, 'immediate', new Date()),
    tryDigestLock: (db) => queries.tryDigestLock(db, 1),
    awaitingDigest: (db) => queries.awaitingDigest(db, '2026-03-02'),
    claimDigest: (db, f) => queries.claimDigest(db, f.chair.userId, '2026-03-02', new Date()),
    takeIntoDigest: (db, f) => queries.takeIntoDigest(db, f.chair.userId, f.digestId),
    digestLines: (db, f) => queries.digestLines(db, f.chair, f.digestId, 100),
    settleDigest: (db, f) => queries.settleDigest(db, f.digestId, f.notificationId, 1),
    settleEmail: (db) => queries.settleEmail(db, '00000000-0000-4000-8000-000000000003', new Date(), { status: 'sent', attempts: 1, sentAt: new Date() }),
  },
} satisfies SqlSamples<typeof queries, Fixture>;
