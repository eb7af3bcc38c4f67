/**
 * Notifications (docs/architecture.md, "Notifications"): each person's own
 * list within their current scope, marking one read (once, audited once
 * however many times it is asked at once), and what raising one writes and
 * e-mails, through a real SMTP server on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { MailService } from '../../src/notifications/mail.service.js';
import { NotificationsService } from '../../src/notifications/notifications.service.js';
import { insertActor, insertAgency, insertCase, insertNotification, insertPanelMember, partnershipId, PERPETRATOR_NAME, VICTIM_NAME } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { auditEvents, expectNoRealName, NOT_FOUND, refusalOf } from '../support/medium-outcomes.js';
import { startSmtpSink } from '../support/smtp-sink.js';

describe('notifications', () => {
  let m: Medium;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let service: NotificationsService;
  let exeter: string;
  let chair: Actor;

  beforeAll(async () => {
    sink = await startSmtpSink();
    // An interval no test waits for: the outbox is delivered by calling deliverDue.
    m = await startMedium({ mail: { smtpUrl: sink.url, from: 'dhr@example.org', intervalSeconds: 3600, maxAttempts: 3 } });
    service = m.get(NotificationsService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
  });
  afterAll(async () => {
    await m.close();
    await sink.close();
  });

  const readEvents = async (notificationId: string) =>
    (await auditEvents(m.dataSource, 'notification.read')).filter((e) => e.entity_id === notificationId);

  it('lists the caller’s own notifications, newest first, unread or read as asked', async () => {
    const me = await insertActor(m.dataSource, { role: 'sdp_admin' });
    const someoneElse = await insertActor(m.dataSource, { role: 'sdp_admin' });
    const made = await insertCase(m.dataSource, { partnershipId: exeter });
    const older = await insertNotification(m.dataSource, { userId: me.userId, caseId: made.id, createdAt: new Date('2026-03-01T10:00:00Z') });
    const read = await insertNotification(m.dataSource, { userId: me.userId, readAt: new Date('2026-03-03T10:00:00Z') });
    const newer = await insertNotification(m.dataSource, { userId: me.userId, caseId: made.id, createdAt: new Date('2026-03-02T10:00:00Z') });
    await insertNotification(m.dataSource, { userId: someoneElse.userId, caseId: made.id });

    const ids = async (unread?: boolean) => (await service.list(me, { unread })).items.map((n) => n.id);
    expect(await ids()).toEqual([newer, read, older]);
    expect(await ids(true)).toEqual([newer, older]);
    expect(await ids(false)).toEqual([read]);
  });

  it('hides a notification about a case that has left the caller’s scope, and answers 404 to marking it read', async () => {
    const agency = await insertAgency(m.dataSource);
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency });
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'panel_established' });
    await insertPanelMember(m.dataSource, { caseId: made.id, agencyId: agency });
    const aboutTheCase = await insertNotification(m.dataSource, { userId: lead.userId, caseId: made.id });
    const aboutNoCase = await insertNotification(m.dataSource, { userId: lead.userId });
    expect((await service.list(lead, {})).items.map((n) => n.id)).toEqual([aboutNoCase, aboutTheCase]);

    await m.dataSource.query('DELETE FROM panel_member WHERE case_id = $1', [made.id]);
    expect((await service.list(lead, {})).items.map((n) => n.id)).toEqual([aboutNoCase]);
    expect(await m.as(lead, () => refusalOf(service.markRead(lead, aboutTheCase)))).toEqual(NOT_FOUND);
    const [row] = await m.dataSource.query('SELECT read_at FROM notification WHERE id = $1', [aboutTheCase]);
    expect(row.read_at).toBeNull();
    expect(await readEvents(aboutTheCase)).toEqual([]);
  });

  it('marks a notification read once, audited once with its reader and case, and answers the same when asked again', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter });
    const id = await insertNotification(m.dataSource, { userId: chair.userId, caseId: made.id });
    const first = await m.as(chair, () => service.markRead(chair, id));
    expect(first.readAt).toBe(m.clock.now().toISOString());
    m.clock.advanceMinutes(5);
    const again = await m.as(chair, () => service.markRead(chair, id));
    expect(again.readAt).toBe(first.readAt);
    const events = await readEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_id: chair.userId, case_id: made.id, entity_type: 'notification' });
  });

  it('answers 404 for someone else’s notification, exactly as for a missing one, and leaves it unread', async () => {
    const owner = await insertActor(m.dataSource, { role: 'sdp_admin' });
    const id = await insertNotification(m.dataSource, { userId: owner.userId });
    expect(await m.as(chair, () => refusalOf(service.markRead(chair, id)))).toEqual(NOT_FOUND);
    expect(await m.as(chair, () => refusalOf(service.markRead(chair, '00000000-0000-4000-8000-0000000000aa')))).toEqual(NOT_FOUND);
    const [row] = await m.dataSource.query('SELECT read_at FROM notification WHERE id = $1', [id]);
    expect(row.read_at).toBeNull();
  });

  it('writes one audit event when the same notification is marked read twice at the same moment', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter });
    const id = await insertNotification(m.dataSource, { userId: chair.userId, caseId: made.id });
    // Hold the row so that both calls have read it unread and wait at their UPDATE together.
    const holder = m.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query('SELECT id FROM notification WHERE id = $1 FOR UPDATE', [id]);
      const both = Promise.all([m.as(chair, () => service.markRead(chair, id)), m.as(chair, () => service.markRead(chair, id))]);
      await waitersOnLocks(m, 2);
      await holder.commitTransaction();
      const [one, other] = await both;
      expect(one.readAt).not.toBeNull();
      expect(other.readAt).toBe(one.readAt);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await readEvents(id)).toHaveLength(1);
  });

  it('tells the case’s people by reference and pseudonym, and e-mails each notice at once to those who ask', async () => {
    const northDevon = await partnershipId(m.dataSource, 'north-devon-torridge');
    const northChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: northDevon });
    // e-mailed each notice at once, rather than in the daily digest (notification-digest.medium-spec.ts)
    await m.as(northChair, () => service.updateSettings(northChair, { emailDelivery: 'immediate' }));
    const made = await insertCase(m.dataSource, { partnershipId: northDevon });
    const written = await m.dataSource.transaction((tx) =>
      service.raise(tx, [{ caseId: made.id, kind: 'stage_changed', words: (name) => ({ title: `${name} was commissioned`, body: `${name} moved on.` }) }]),
    );
    const rows: { user_id: string; title: string; body: string }[] = await m.dataSource.query(
      'SELECT user_id, title, body FROM notification WHERE case_id = $1',
      [made.id],
    );
    expect(rows.length).toBe(written);
    expect(rows.map((r) => r.user_id)).toContain(northChair.userId);
    expect(rows.map((r) => r.user_id)).not.toContain(chair.userId);
    expect(rows[0].title).toBe(`${made.reference} (Anna) was commissioned`);
    expectNoRealName(rows);

    const delivered = await m.get(MailService).deliverDue();
    expect(delivered.failed).toBe(0);
    const [{ email }] = await m.dataSource.query('SELECT email FROM app_user WHERE id = $1', [northChair.userId]);
    const toNorthChair = sink.received.filter((mail) => mail.to.includes(email));
    expect(toNorthChair).toHaveLength(1);
    expect(toNorthChair[0].raw).toContain(`[DHR] ${made.reference} (Anna) was commissioned`);
    for (const name of [VICTIM_NAME, PERPETRATOR_NAME]) expect(sink.received.map((r) => r.raw).join('\n')).not.toContain(name);
    const [outbox] = await m.dataSource.query(
      `SELECT o.status FROM email_outbox o JOIN notification n ON n.id = o.notification_id WHERE n.case_id = $1 AND n.user_id = $2`,
      [made.id, northChair.userId],
    );
    expect(outbox.status).toBe('sent');
  });
});

/** Waits until `count` statements of this database are waiting for a lock (each poll is one query, no timer). */
async function waitersOnLocks(m: Medium, count: number): Promise<void> {
  for (let polls = 0; polls < 100_000; polls += 1) {
    const [row] = await m.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (row.n >= count) return;
  }
  throw new Error(`fewer than ${count} statements ever waited for a lock`);
}
