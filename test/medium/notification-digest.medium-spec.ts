/**
 * E-mail as each person chose it (docs/architecture.md, "Notifications"): a
 * daily digest by default, each notice at once for those who ask, an overdue
 * milestone at once whatever the setting; a back-dated sweep that raises no
 * due_soon for a date already past; and an overdue action told to the leads
 * of the agency that owns it. Through a real SMTP server on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { SweepService } from '../../src/milestones/sweep.service.js';
import { DIGEST_LISTED, DigestService } from '../../src/notifications/digest.service.js';
import { MailService } from '../../src/notifications/mail.service.js';
import { NotificationsService } from '../../src/notifications/notifications.service.js';
import {
  insertAction,
  insertActor,
  insertAgency,
  insertCase,
  insertRecommendation,
  partnershipId,
  PERPETRATOR_NAME,
  VICTIM_NAME,
} from '../support/factories.js';
import { auditEvents, expectNoRealName } from '../support/medium-outcomes.js';
import { startMedium, type Medium } from '../support/medium.js';
import { mailText, startSmtpSink } from '../support/smtp-sink.js';

describe('notification e-mail: digests and alerts', () => {
  let m: Medium;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let sweep: SweepService;
  let notifications: NotificationsService;
  let admin: Actor;
  let exeterChair: Actor;
  const emails = new Map<string, string>();
  const exeterReferences: string[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink();
    // An interval no test waits for: the outbox is delivered by calling deliverDue.
    m = await startMedium({ mail: { smtpUrl: sink.url, from: 'dhr@example.org', intervalSeconds: 3600, maxAttempts: 3 } });
    sweep = m.get(SweepService);
    notifications = m.get(NotificationsService);
    admin = await person({ role: 'sdp_admin' });
    exeterChair = await person({ role: 'csp_chair', partnershipId: await partnershipId(m.dataSource, 'exeter') });
  });
  afterAll(async () => {
    await m.close();
    await sink.close();
  });

  async function person(user: Parameters<typeof insertActor>[1]): Promise<Actor> {
    const actor = await insertActor(m.dataSource, user);
    const [{ email }] = await m.dataSource.query('SELECT email FROM app_user WHERE id = $1', [actor.userId]);
    emails.set(actor.userId, email);
    return actor;
  }

  /** Sends everything the outbox holds now. */
  async function deliverAll(): Promise<void> {
    for (let round = 0; round < 50 && (await m.get(MailService).deliverDue()).sent > 0; round++) {
      // until nothing is left to send
    }
  }

  const mailsTo = (who: Actor) => sink.received.filter((mail) => mail.to.includes(emails.get(who.userId)!)).map((mail) => mailText(mail.raw));
  const listOf = async (who: Actor) => (await notifications.list(who, { limit: 200 })).items;

  it('lets each person choose how they are e-mailed, the daily digest by default, and audits a change', async () => {
    expect(await notifications.settings(exeterChair)).toEqual({ emailDelivery: 'daily_digest' });
    expect(await m.as(exeterChair, () => notifications.updateSettings(exeterChair, { emailDelivery: 'immediate' }))).toEqual({ emailDelivery: 'immediate' });
    expect(await notifications.settings(exeterChair)).toEqual({ emailDelivery: 'immediate' });
    expect(await notifications.settings(admin)).toEqual({ emailDelivery: 'daily_digest' });
    // the same again changes nothing, and is not audited twice
    await m.as(exeterChair, () => notifications.updateSettings(exeterChair, { emailDelivery: 'immediate' }));
    const events = (await auditEvents(m.dataSource, 'notification_settings.updated')).filter((e) => e.entity_id === exeterChair.userId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor_id: exeterChair.userId,
      entity_type: 'user',
      changes: { emailDelivery: { from: 'daily_digest', to: 'immediate' } },
    });
  });

  it('e-mails a person on the digest once for a sweep’s many notices, with one summary notification, and nothing more that day', async () => {
    const exeter = await partnershipId(m.dataSource, 'exeter');
    for (let i = 0; i < 6; i++) exeterReferences.push((await insertCase(m.dataSource, { partnershipId: exeter, notifiedOn: '2026-02-02' })).reference);
    m.clock.setTo('2026-02-20');

    const result = await sweep.run();
    // decision and home_office_notified of six cases are due soon; the admin is on the digest, Exeter's chair is not
    expect(result).toMatchObject({ today: '2026-02-20', skipped: false, alertsRaised: 12, notificationsSent: 24, digestsSent: 1 });
    await deliverAll();

    const toAdmin = mailsTo(admin);
    expect(toAdmin).toHaveLength(1);
    expect(toAdmin[0]).toContain('[DHR] 12 new notifications since 2026-02-20');
    for (const reference of exeterReferences) expect(toAdmin[0]).toContain(`${reference} (Anna)`);
    expect(mailsTo(exeterChair)).toHaveLength(12);
    expect(mailsTo(exeterChair).filter((mail) => mail.includes('new notifications since'))).toEqual([]);

    // in the API nothing is lost: each notice, and the one summary
    const listed = await listOf(admin);
    expect(listed).toHaveLength(13);
    const summaries = listed.filter((n) => n.kind === 'notification_digest');
    expect(summaries).toEqual([expect.objectContaining({ caseId: null, title: '12 new notifications since 2026-02-20', readAt: null })]);
    expect(summaries[0].body.split('\n').filter((line) => line.startsWith('- 2026-02-20 '))).toHaveLength(12);
    expect((await listOf(exeterChair)).filter((n) => n.kind === 'notification_digest')).toEqual([]);

    // a second run the same day, alone or with the sweep, sends nothing
    expect(await m.get(DigestService).run()).toMatchObject({ day: '2026-02-20', skipped: false, digestsSent: 0 });
    expect(await sweep.run()).toMatchObject({ alertsRaised: 0, digestsSent: 0 });
    await deliverAll();
    expect(mailsTo(admin)).toHaveLength(1);
    expect(await listOf(admin)).toHaveLength(13);
    const [digest] = await m.dataSource.query('SELECT digest_on::text, notices FROM notification_digest WHERE user_id = $1', [admin.userId]);
    expect(digest).toEqual({ digest_on: '2026-02-20', notices: 12 });

    expectNoRealName([listed, sink.received.map((mail) => mail.raw)]);
  });

  it('sends the next day’s digest the next day, of what came since', async () => {
    m.clock.setTo('2026-02-21');
    await m.dataSource.transaction((tx) => notifications.raiseToAdmins(tx, { kind: 'account_locked', title: 'An account was locked', body: 'Sign-in was locked.' }));
    const run = await m.get(DigestService).run();
    expect(run).toMatchObject({ day: '2026-02-21', digestsSent: 1, notificationsListed: 1 });
    await deliverAll();
    expect(mailsTo(admin)).toHaveLength(2);
    expect(mailsTo(admin)[1]).toContain('[DHR] 1 new notification since 2026-02-21');
    expect(mailsTo(admin)[1]).toContain('An account was locked');
  });

  it('e-mails an overdue milestone at once to a person on the digest', async () => {
    m.clock.setTo('2026-03-03');
    const before = mailsTo(admin).length;
    const result = await sweep.run();
    expect(result).toMatchObject({ alertsRaised: 12, digestsSent: 0 });
    await deliverAll();
    const overdue = mailsTo(admin).slice(before);
    expect(overdue).toHaveLength(12);
    expect(overdue.every((mail) => mail.includes('and is overdue'))).toBe(true);
    const [waiting] = await m.dataSource.query(
      `SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND kind = 'milestone_overdue' AND awaits_digest`,
      [admin.userId],
    );
    expect(waiting.n).toBe(0);
  });

  it('raises no due_soon, when swept as of a date in the past, for a milestone due before today', async () => {
    const north = await partnershipId(m.dataSource, 'north-devon-torridge');
    const duePast = await insertCase(m.dataSource, { partnershipId: north, notifiedOn: '2026-02-10' }); // decision due 10 March
    const dueAhead = await insertCase(m.dataSource, { partnershipId: north, notifiedOn: '2026-02-16' }); // decision due 16 March
    m.clock.setTo('2026-03-15');

    const result = await sweep.run('2026-03-05');
    expect(result).toMatchObject({ today: '2026-03-05', skipped: false });
    const decisionAlerts = (caseId: string) =>
      m.dataSource.query(`SELECT state, due_on::text FROM milestone_alert WHERE case_id = $1 AND milestone_key = 'decision'`, [caseId]);
    // due soon as of 5 March, but 10 March has passed by today: overdue, never due soon
    expect(await decisionAlerts(duePast.id)).toEqual([{ state: 'overdue', due_on: '2026-03-10' }]);
    // 16 March is still ahead today: due soon, as the sweep's date says
    expect(await decisionAlerts(dueAhead.id)).toEqual([{ state: 'due_soon', due_on: '2026-03-16' }]);
    const [stale] = await m.dataSource.query(`SELECT count(*)::int AS n FROM milestone_alert WHERE state = 'due_soon' AND due_on < '2026-03-15'::date AND raised_on = '2026-03-05'`);
    expect(stale.n).toBe(0);
    const told = await m.dataSource.query(`SELECT DISTINCT kind FROM notification WHERE case_id = $1`, [duePast.id]);
    expect(told).toEqual([{ kind: 'milestone_overdue' }]);

    // the sweep of the real today raises the overdue state no second time
    await sweep.run();
    expect(await decisionAlerts(duePast.id)).toEqual([{ state: 'overdue', due_on: '2026-03-10' }]);
  });

  it('tells the active leads of the agency that owns an overdue action, once, and no other agency’s', async () => {
    const owner = await insertAgency(m.dataSource, { name: 'Example Health Trust', sector: 'health' });
    const other = await insertAgency(m.dataSource, { name: 'Example Probation', sector: 'probation' });
    const ownerLead = await person({ role: 'agency_lead', agencyId: owner });
    const formerLead = await person({ role: 'agency_lead', agencyId: owner, active: false });
    const otherLead = await person({ role: 'agency_lead', agencyId: other });
    const south = await partnershipId(m.dataSource, 'south-devon-dartmoor');
    const made = await insertCase(m.dataSource, { partnershipId: south, notifiedOn: '2026-01-05' });
    const recommendation = await insertRecommendation(m.dataSource, { caseId: made.id });
    const late = await insertAction(m.dataSource, { recommendationId: recommendation, caseId: made.id, ownerAgencyId: owner, createdOn: '2026-02-01', targetOn: '2026-03-20' });
    // the other agency's action is not late: its lead has the case in scope, and hears nothing
    await insertAction(m.dataSource, { recommendationId: recommendation, caseId: made.id, ownerAgencyId: other, createdOn: '2026-02-01', targetOn: '2026-09-30' });

    m.clock.setTo('2026-03-21');
    await sweep.run();
    const toldOf = async (who: Actor) =>
      (await m.dataSource.query(`SELECT kind, title, body FROM notification WHERE user_id = $1 AND case_id = $2`, [who.userId, made.id])) as {
        kind: string;
        title: string;
        body: string;
      }[];
    const ownerTold = await toldOf(ownerLead);
    expect(ownerTold).toEqual([
      { kind: 'milestone_overdue', title: `${made.reference} (Anna): Action by Example Health Trust was due on 2026-03-20 and is overdue`, body: expect.any(String) },
    ]);
    expect(await toldOf(otherLead)).toEqual([]);
    expect(await toldOf(formerLead)).toEqual([]);
    // the case's people hear of it as before
    const adminTold = (await toldOf(admin)).filter((n) => n.title.includes('Action by'));
    expect(adminTold).toHaveLength(1);
    // in the lead's own list (the case is in their scope through the action), and e-mailed at once
    expect((await listOf(ownerLead)).map((n) => n.title)).toEqual([ownerTold[0].title]);
    await deliverAll();
    expect(mailsTo(ownerLead)).toHaveLength(1);
    expect(mailsTo(otherLead)).toEqual([]);
    const [alert] = await m.dataSource.query(`SELECT state FROM milestone_alert WHERE case_id = $1 AND milestone_key = $2`, [made.id, `action:${late}`]);
    expect(alert.state).toBe('overdue');

    // once per action and state: the next day's sweep tells no one again
    m.clock.setTo('2026-03-22');
    await sweep.run();
    expect(await toldOf(ownerLead)).toHaveLength(1);
    expectNoRealName([ownerTold, sink.received.map((mail) => mail.raw)], [VICTIM_NAME, PERPETRATOR_NAME]);
  });

  it('lists at most DIGEST_LISTED notifications in a digest, and counts the rest', async () => {
    const reader = await person({ role: 'sdp_admin' });
    m.clock.setTo('2026-03-25');
    // nothing else for this admin: only what is raised here
    const made = await insertCase(m.dataSource, { partnershipId: await partnershipId(m.dataSource, 'east-mid-devon') });
    await m.dataSource.transaction(async (tx) => {
      for (let i = 0; i < DIGEST_LISTED + 5; i++) {
        await notifications.raise(tx, [{ caseId: made.id, kind: 'stage_changed', words: (name) => ({ title: `${name} moved on (${i})`, body: 'It moved.' }) }]);
      }
    });
    await m.get(DigestService).run();
    await deliverAll();
    const [mail] = mailsTo(reader);
    expect(mail).toContain(`[DHR] ${DIGEST_LISTED + 5} new notifications since 2026-03-25`);
    expect(mail).toContain(`(${DIGEST_LISTED - 1})`);
    expect(mail).not.toContain(`(${DIGEST_LISTED})`);
    expect(mail).toContain('and 5 more.');
  });
});
