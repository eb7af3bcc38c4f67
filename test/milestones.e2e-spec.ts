import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addMonths, londonDate } from '../src/common/calendar.js';
import { SweepService } from '../src/milestones/sweep.service.js';
import { MailService } from '../src/notifications/mail.service.js';
import { createCase, patchCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { layoutProblems } from './support/svg-geometry.js';
import type { Session, TestApp } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

type M = { key: string; status: string; dueOn: string | null; adjustedDueOn: string | null; metOn: string | null; daysOnHold: number; onHold: boolean };

async function milestones(t: TestApp, who: Session, caseId: string, asOf: string): Promise<Record<string, M>> {
  const res = await t.http.get(`/api/cases/${caseId}/milestones?asOf=${asOf}`).set(who.auth).expect(200);
  return Object.fromEntries(res.body.items.map((m: M) => [m.key, m]));
}


describe('statutory milestones of a case', () => {
  let t: World;
  let cast: Cast;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
  });
  afterAll(() => t.close());

  it('change as the case advances and as the asOf date moves', async () => {
    const made = await createCase(t, cast.admin, cast.exeter, { notifiedOn: '2026-01-31', dateOfDeath: '2026-01-20' });
    let m = await milestones(t, cast.admin, made.id, '2026-02-01');
    expect(m.decision).toMatchObject({ dueOn: '2026-02-28', status: 'pending', metOn: null });
    expect(m.review_completed).toMatchObject({ dueOn: null, status: 'pending' });
    expect((await milestones(t, cast.admin, made.id, '2026-02-14')).decision.status).toBe('due_soon');
    expect((await milestones(t, cast.admin, made.id, '2026-02-28')).decision.status).toBe('due_soon');
    expect((await milestones(t, cast.admin, made.id, '2026-03-01')).decision.status).toBe('overdue');

    await t.http
      .post(`/api/cases/${made.id}/decision`)
      .set(cast.exeterChair.auth)
      .send({ outcome: 'commission', decidedOn: '2026-02-27', rationale: 'Criteria met' })
      .expect(200);
    m = await milestones(t, cast.admin, made.id, '2026-03-01');
    expect(m.decision).toMatchObject({ metOn: '2026-02-27', status: 'met' });
    expect(m.review_completed).toMatchObject({ dueOn: '2026-08-27', status: 'pending' });
    expect(m.family_contacted).toMatchObject({ dueOn: '2026-03-27', status: 'pending' });
    expect(m.home_office_notified.status).toBe('overdue');
    expect(m.home_office_submitted).toMatchObject({ dueOn: null, status: 'pending' });

    expect((await patchCase(t, cast.admin, made.id, { homeOfficeNotifiedOn: '2026-03-02' })).status).toBe(200);
    await t.http
      .post(`/api/cases/${made.id}/family-contacts`)
      .set(cast.admin.auth)
      .send({ contactedOn: '2026-03-10', method: 'letter', leafletGiven: true, advocacyOffered: false, draftReportOffered: false })
      .expect(201);
    m = await milestones(t, cast.admin, made.id, '2026-03-20');
    expect(m.home_office_notified).toMatchObject({ metOn: '2026-03-02', status: 'met_late' });
    // a letter without the offer of advocacy does not meet the family milestone
    expect(m.family_contacted).toMatchObject({ metOn: null, status: 'due_soon' });
    await t.http
      .post(`/api/cases/${made.id}/family-contacts`)
      .set(cast.admin.auth)
      .send({ contactedOn: '2026-03-25', method: 'meeting', leafletGiven: true, advocacyOffered: true, draftReportOffered: false })
      .expect(201);
    expect((await milestones(t, cast.admin, made.id, '2026-04-20')).family_contacted).toMatchObject({ metOn: '2026-03-25', status: 'met' });

    const contribution = await t.http
      .post(`/api/cases/${made.id}/contributions`)
      .set(cast.admin.auth)
      .send({ agencyId: cast.police, kind: 'chronology', dueOn: '2026-09-30' })
      .expect(201);
    m = await milestones(t, cast.admin, made.id, '2026-10-01');
    expect(m[`contribution:${contribution.body.id}`]).toMatchObject({ dueOn: '2026-09-30', status: 'overdue' });
  });

  it('marks the commissioning milestones of a case not commissioned as not applicable', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    await t.http
      .post(`/api/cases/${made.id}/decision`)
      .set(cast.exeterChair.auth)
      .send({ outcome: 'no_review', decidedOn: '2026-03-10', rationale: 'Criteria not met' })
      .expect(200);
    const m = await milestones(t, cast.admin, made.id, '2026-06-01');
    expect(m.review_completed.status).toBe('not_applicable');
    expect(m.family_contacted.status).toBe('not_applicable');
    expect(m.decision.status).toBe('met');

    // a Home Office direction commissions it today, and the six months start now
    await t.http
      .post(`/api/cases/${made.id}/transitions`)
      .set(cast.admin.auth)
      .send({ to: 'commissioned', comment: 'Home Office directed a review' })
      .expect(200);
    const today = londonDate(t.clock.now());
    const directed = await milestones(t, cast.admin, made.id, today);
    expect(directed.review_completed).toMatchObject({ dueOn: addMonths(today, 6), status: 'pending' });
    expect(directed.family_contacted.dueOn).toBe(addMonths(today, 1));
  });

  it('judges a case named DARDR by the 2016 guidance while the 2024 regime is a draft: six months, no statutory copy', async () => {
    const made = await createCase(t, cast.admin, cast.exeter, { reviewType: 'DARDR' });
    await t.http
      .post(`/api/cases/${made.id}/decision`)
      .set(cast.exeterChair.auth)
      .send({ outcome: 'commission', decidedOn: '2026-03-10', rationale: 'Criteria met' })
      .expect(200);
    const m = await milestones(t, cast.admin, made.id, '2026-04-01');
    expect(m.review_completed.dueOn).toBe('2026-09-10');
    expect(m.statutory_copy_sent).toBeUndefined();
    // the twelve months and the statutory copy of dardr-2024: test/regimes.e2e-spec.ts
  });

  it('counts a hold in daysOnHold and adjustedDueOn without moving dueOn', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    await t.http
      .post(`/api/cases/${made.id}/decision`)
      .set(cast.exeterChair.auth)
      .send({ outcome: 'commission', decidedOn: '2026-03-10', rationale: 'Criteria met' })
      .expect(200);
    const hold = await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'criminal_proceedings', startedOn: '2026-04-01' }).expect(201);
    let m = await milestones(t, cast.admin, made.id, '2026-04-21');
    expect(m.review_completed).toMatchObject({ dueOn: '2026-09-10', daysOnHold: 20, adjustedDueOn: '2026-09-30', onHold: true });
    await t.http.post(`/api/cases/${made.id}/holds/${hold.body.id}/end`).set(cast.admin.auth).send({ endedOn: '2026-05-01' }).expect(200);
    m = await milestones(t, cast.admin, made.id, '2026-09-20');
    expect(m.review_completed).toMatchObject({ dueOn: '2026-09-10', daysOnHold: 30, adjustedDueOn: '2026-10-10', onHold: false, status: 'overdue' });
  });

  it('does not extend a deadline that had already passed when the hold began', async () => {
    const made = await createCase(t, cast.admin, cast.exeter, { notifiedOn: '2026-03-02' });
    await t.http
      .post(`/api/cases/${made.id}/decision`)
      .set(cast.exeterChair.auth)
      .send({ outcome: 'commission', decidedOn: '2026-03-10', rationale: 'Criteria met' })
      .expect(200);
    // The Home Office was due to be told by 2 April; the hold begins on 10 April.
    await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'inquest', startedOn: '2026-04-10' }).expect(201);
    const m = await milestones(t, cast.admin, made.id, '2026-05-10');
    expect(m.home_office_notified).toMatchObject({ dueOn: '2026-04-02', adjustedDueOn: '2026-04-02', daysOnHold: 0, status: 'overdue', onHold: true });
    expect(m.review_completed).toMatchObject({ dueOn: '2026-09-10', adjustedDueOn: '2026-10-10', daysOnHold: 30 });
    expect(m.decision).toMatchObject({ adjustedDueOn: '2026-04-02', daysOnHold: 0, onHold: false });
  });

  it('refuses a malformed asOf or status with 400', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    await t.http.get(`/api/cases/${made.id}/milestones?asOf=2026-02-30`).set(cast.admin.auth).expect(400);
    await t.http.get('/api/milestones?status=late').set(cast.admin.auth).expect(400);
  });

  it('draws the timeline as SVG, naming the case by reference and pseudonym only', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'inquest', startedOn: '2026-03-05' }).expect(201);
    const res = await t.http.get(`/api/cases/${made.id}/timeline.svg?asOf=2026-04-01`).set(cast.admin.auth).buffer(true).parse((r, cb) => {
      let data = '';
      r.on('data', (c: Buffer) => (data += c.toString()));
      r.on('end', () => cb(null, data));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    const svg = res.body as string;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(made.reference);
    expect(svg).toContain('(Anna)');
    expect(svg).toContain('class="hold"');
    expect(svg).toContain('class="today"');
    expect(svg).toContain('data-key="decision"');
    expect(svg).toContain('data-state="on_hold"');
    expect(svg).not.toContain('data-state="overdue"');
    expect(layoutProblems(svg)).toEqual([]);
    expect(svg).not.toContain(VICTIM_NAME);
    expect(svg).not.toContain(PERPETRATOR_NAME);
  });
});

describe('milestones across cases', () => {
  let t: World;
  let cast: Cast;
  let exeterCase: string;
  let northCase: string;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
    exeterCase = (await createCase(t, cast.admin, cast.exeter)).id;
    northCase = (await createCase(t, cast.admin, cast.northDevon)).id;
    await t.http.post(`/api/cases/${exeterCase}/contributions`).set(cast.admin.auth).send({ agencyId: cast.police, kind: 'imr', dueOn: '2026-04-01' }).expect(201);
    await t.http.post(`/api/cases/${exeterCase}/contributions`).set(cast.admin.auth).send({ agencyId: cast.health, kind: 'imr', dueOn: '2026-04-01' }).expect(201);
  });
  afterAll(() => t.close());

  it('shows each person the milestones of the cases in their scope, with caseId and reference', async () => {
    const all = await t.http.get('/api/milestones?asOf=2026-05-01&limit=200').set(cast.admin.auth).expect(200);
    expect(new Set(all.body.items.map((m: { caseId: string }) => m.caseId))).toEqual(new Set([exeterCase, northCase]));
    expect(all.body.items[0]).toEqual(expect.objectContaining({ caseId: expect.any(String), reference: expect.any(String), key: expect.any(String) }));

    const exeterOnly = await t.http.get('/api/milestones?asOf=2026-05-01&limit=200').set(cast.exeterChair.auth).expect(200);
    expect(new Set(exeterOnly.body.items.map((m: { caseId: string }) => m.caseId))).toEqual(new Set([exeterCase]));
    const northOnly = await t.http.get('/api/milestones?asOf=2026-05-01&limit=200').set(cast.northChair.auth).expect(200);
    expect(new Set(northOnly.body.items.map((m: { caseId: string }) => m.caseId))).toEqual(new Set([northCase]));
    const unassigned = await t.http.get('/api/milestones?asOf=2026-05-01').set(cast.reviewChair.auth).expect(200);
    expect(unassigned.body).toEqual({ items: [], nextCursor: null });

    // an agency lead sees the case through their request, and only their own agency's request
    const lead = await t.http.get('/api/milestones?asOf=2026-05-01&limit=200').set(cast.policeLead.auth).expect(200);
    expect(lead.body.items).toHaveLength(1);
    expect(lead.body.items[0].key).toMatch(/^contribution:/);
    expect(lead.body.items[0].title).toContain('Example Constabulary');
    const none = await t.http.get('/api/milestones?status=not_applicable').set(cast.policeLead.auth).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
    const perCase = await t.http.get(`/api/cases/${exeterCase}/milestones?asOf=2026-05-01`).set(cast.policeLead.auth).expect(200);
    expect(perCase.body.items.map((m: { key: string }) => m.key)).toEqual([lead.body.items[0].key]);
  });

  it('finds in SQL exactly the milestones the engine computes, for every status and date', async () => {
    const shapes = [
      { outcome: 'commission', decidedOn: '2026-03-20' },
      { outcome: 'no_review', decidedOn: '2026-03-05' },
      { outcome: 'commission', decidedOn: '2026-04-10', reviewType: 'DARDR', hold: '2026-04-15', contact: '2026-05-20' },
      { outcome: null, notifiedOn: '2026-01-31' },
    ];
    const ids = [exeterCase, northCase];
    for (const shape of shapes) {
      const made = await createCase(t, cast.admin, cast.exeter, {
        notifiedOn: shape.notifiedOn ?? '2026-03-02',
        dateOfDeath: '2026-01-20',
        ...(shape.reviewType ? { reviewType: shape.reviewType } : {}),
      });
      ids.push(made.id);
      if (shape.outcome) {
        await t.http
          .post(`/api/cases/${made.id}/decision`)
          .set(cast.exeterChair.auth)
          .send({ outcome: shape.outcome, decidedOn: shape.decidedOn, rationale: 'Recorded for the test' })
          .expect(200);
      }
      if (shape.hold) await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'inquest', startedOn: shape.hold }).expect(201);
      if (shape.contact) {
        await t.http
          .post(`/api/cases/${made.id}/family-contacts`)
          .set(cast.admin.auth)
          .send({ contactedOn: shape.contact, method: 'phone', leafletGiven: true, advocacyOffered: true, draftReportOffered: false })
          .expect(201);
      }
    }
    for (const asOf of ['2026-02-20', '2026-03-30', '2026-04-20', '2026-06-01', '2026-12-31']) {
      const expected: string[] = [];
      for (const id of ids) {
        const items = (await t.http.get(`/api/cases/${id}/milestones?asOf=${asOf}`).set(cast.admin.auth).expect(200)).body.items;
        expected.push(...items.map((m: M) => `${id}/${m.key}/${m.status}/${m.dueOn}`));
      }
      for (const status of ['pending', 'due_soon', 'overdue', 'met', 'met_late', 'not_applicable']) {
        const found = await t.http.get(`/api/milestones?status=${status}&asOf=${asOf}&limit=200`).set(cast.admin.auth).expect(200);
        const actual = found.body.items.map((m: M & { caseId: string }) => `${m.caseId}/${m.key}/${m.status}/${m.dueOn}`);
        expect({ asOf, status, items: actual.sort() }).toEqual({ asOf, status, items: expected.filter((e) => e.split('/')[2] === status).sort() });
      }
    }
  });

  it('filters by status and partnership and pages without repeats', async () => {
    const overdue = await t.http.get('/api/milestones?status=overdue&asOf=2026-05-01&limit=200').set(cast.admin.auth).expect(200);
    expect(overdue.body.items.length).toBeGreaterThan(0);
    expect(new Set(overdue.body.items.map((m: { status: string }) => m.status))).toEqual(new Set(['overdue']));
    const north = await t.http.get(`/api/milestones?partnershipId=${cast.northDevon}&asOf=2026-05-01`).set(cast.admin.auth).expect(200);
    expect(new Set(north.body.items.map((m: { caseId: string }) => m.caseId))).toEqual(new Set([northCase]));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/milestones?asOf=2026-05-01&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.http.get(url).set(cast.admin.auth).expect(200);
      seen.push(...page.body.items.map((m: { caseId: string; key: string }) => `${m.caseId}/${m.key}`));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await t.http.get('/api/milestones?asOf=2026-05-01&limit=200').set(cast.admin.auth).expect(200);
    expect(seen).toEqual(all.body.items.map((m: { caseId: string; key: string }) => `${m.caseId}/${m.key}`));
  });
});

describe('the daily sweep', () => {
  let t: World;
  let cast: Cast;
  let sweep: SweepService;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let caseId: string;
  let reference: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await buildWorld({ mail: { smtpUrl: smtp.url, from: 'dhr@example.org', intervalSeconds: 3600, maxAttempts: 3 } });
    cast = t.cast;
    sweep = t.app.get(SweepService);
    const made = await createCase(t, cast.admin, cast.exeter, { notifiedOn: '2026-03-02' });
    caseId = made.id;
    reference = made.reference;
    expect((await patchCase(t, cast.admin, caseId, { reviewChairId: cast.reviewChair.userId })).status).toBe(200);
    // Each notice e-mailed at once, as the people of these tests chose; the daily digest is tested in notification-digest.medium-spec.ts.
    for (const who of [cast.admin, cast.exeterChair, cast.northChair, cast.reviewChair]) {
      await t.http.patch('/api/notifications/settings').set(who.auth).send({ emailDelivery: 'immediate' }).expect(200);
    }
  });

  /** The sweep of `day`, run on that day. */
  const sweepOn = (day: string) => {
    t.clock.setTo(day);
    return sweep.run();
  };
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const notificationsOf = async (who: Session) => (await t.http.get('/api/notifications?limit=200').set(who.auth).expect(200)).body.items;

  it('lets each person read and set their own e-mail setting, and refuses a value it does not know', async () => {
    expect((await t.http.get('/api/notifications/settings').set(cast.admin.auth).expect(200)).body).toEqual({ emailDelivery: 'immediate' });
    expect((await t.http.get('/api/notifications/settings').set(cast.policeLead.auth).expect(200)).body).toEqual({ emailDelivery: 'daily_digest' });
    const weekly = await t.http.patch('/api/notifications/settings').set(cast.policeLead.auth).send({ emailDelivery: 'weekly' }).expect(400);
    expect(weekly.headers['content-type']).toContain('application/problem+json');
    expect(weekly.body.errors).toEqual([expect.objectContaining({ field: 'emailDelivery' })]);
    await t.http.patch('/api/notifications/settings').set(cast.policeLead.auth).send({ emailDelivery: 'immediate', userId: cast.admin.userId }).expect(400);
    await t.http.patch('/api/notifications/settings').send({ emailDelivery: 'immediate' }).expect(401);
    expect((await t.http.get('/api/notifications/settings').set(cast.policeLead.auth).expect(200)).body).toEqual({ emailDelivery: 'daily_digest' });
  });

  it('raises each notification exactly once, even when two sweeps run at the same moment', async () => {
    const [a, b] = await Promise.all([sweepOn('2026-03-20'), sweep.run()]);
    expect([a.skipped, b.skipped].filter(Boolean).length).toBeLessThanOrEqual(1);
    const again = await sweepOn('2026-03-20');
    expect(again.alertsRaised).toBe(0);
    expect(a.alertsRaised + b.alertsRaised).toBe(2); // decision and home_office_notified are due soon

    const alerts: { milestone_key: string; state: string }[] = await t.dataSource.query(
      `SELECT milestone_key, state FROM milestone_alert WHERE case_id = $1 ORDER BY milestone_key`,
      [caseId],
    );
    expect(alerts).toEqual([
      { milestone_key: 'decision', state: 'due_soon' },
      { milestone_key: 'home_office_notified', state: 'due_soon' },
    ]);
    const chairs = await notificationsOf(cast.exeterChair);
    expect(chairs).toHaveLength(2);
    expect(chairs[0].title).toContain(reference);
    expect(chairs[0].title).toContain('(Anna)');
  });

  it('raises the overdue state once more, later, to the CSP chair, the SDP admins and the review chair only', async () => {
    const later = await sweepOn('2026-04-03');
    expect(later.alertsRaised).toBe(2);
    expect((await sweepOn('2026-04-04')).alertsRaised).toBe(0);
    expect(await notificationsOf(cast.exeterChair)).toHaveLength(4);
    expect(await notificationsOf(cast.admin)).toHaveLength(4);
    expect(await notificationsOf(cast.reviewChair)).toHaveLength(4);
    expect(await notificationsOf(cast.northChair)).toHaveLength(0);
    expect(await notificationsOf(cast.policeLead)).toHaveLength(0);
    const kinds = (await notificationsOf(cast.exeterChair)).map((n: { kind: string }) => n.kind).sort();
    expect(kinds).toEqual(['milestone_due_soon', 'milestone_due_soon', 'milestone_overdue', 'milestone_overdue']);
  });

  it('e-mails them through the outbox, and no notification or e-mail holds a real name', async () => {
    const mail = t.app.get(MailService);
    let delivered = 0;
    for (let round = 0; round < 10; round++) {
      const { sent } = await mail.deliverDue();
      delivered += sent;
      if (sent === 0) break;
    }
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM notification`);
    expect(delivered).toBe(count);
    expect(smtp.received).toHaveLength(count);
    const chairEmail = (await t.http.get('/api/auth/me').set(cast.exeterChair.auth).expect(200)).body.email;
    expect(smtp.received.filter((m) => m.to.includes(chairEmail))).toHaveLength(4);
    expect(count).toBeGreaterThan(0);
    expect(smtp.received.filter((m) => !m.raw.includes(reference))).toEqual([]);
    const bodies: { title: string; body: string }[] = await t.dataSource.query(`SELECT title, body FROM notification`);
    const outbox: { subject: string; body: string }[] = await t.dataSource.query(`SELECT subject, body FROM email_outbox`);
    const everything = [...bodies.flatMap((n) => [n.title, n.body]), ...outbox.flatMap((e) => [e.subject, e.body]), ...smtp.received.map((m) => m.raw)].join('\n');
    for (const name of [VICTIM_NAME, PERPETRATOR_NAME, 'Ellen', 'Quarrington', 'Example Row']) {
      expect(everything).not.toContain(name);
    }
    expect(everything).toContain(reference);
  });

  it('steps aside while another instance holds the sweep lock', async () => {
    const other = await t.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [720_4201_2012]);
      const result = await sweepOn('2026-04-10');
      expect(result).toMatchObject({ skipped: true, alertsRaised: 0 });
    } finally {
      await other.query('SELECT pg_advisory_unlock($1)', [720_4201_2012]);
      await other.release();
    }
  });

  it('does not e-mail someone deactivated since the notification', async () => {
    await createCase(t, cast.admin, cast.northDevon, { notifiedOn: '2026-03-02' });
    const me = (await t.http.get('/api/auth/me').set(cast.northChair.auth).expect(200)).body;
    const before = smtp.received.length;
    const { notificationsSent } = await sweepOn('2026-03-20');
    expect(notificationsSent).toBeGreaterThan(0);
    await t.http.patch(`/api/users/${me.id}`).set(cast.admin.auth).send({ active: false }).expect(200);
    const mail = t.app.get(MailService);
    for (let round = 0; round < 10 && (await mail.deliverDue()).sent > 0; round++) {
      // until the outbox is empty
    }
    expect(smtp.received.length).toBeGreaterThan(before);
    expect(smtp.received.slice(before).some((m) => m.to.includes(me.email))).toBe(false);
    const [skipped] = await t.dataSource.query(`SELECT count(*)::int AS n FROM email_outbox WHERE to_address = $1 AND status = 'failed'`, [me.email]);
    expect(skipped.n).toBeGreaterThan(0);
  });

  it('lets people read and mark their own notifications only', async () => {
    const [first] = await notificationsOf(cast.exeterChair);
    const marked = await t.http.post(`/api/notifications/${first.id}/read`).set(cast.exeterChair.auth).expect(200);
    expect(marked.body.readAt).toEqual(expect.any(String));
    await t.http.post(`/api/notifications/${first.id}/read`).set(cast.admin.auth).expect(404);
    const unread = await t.http.get('/api/notifications?unread=true&limit=200').set(cast.exeterChair.auth).expect(200);
    expect(unread.body.items.map((n: { id: string }) => n.id)).not.toContain(first.id);
  });
});

describe('e-mail failures', () => {
  it('are retried with back-off and never lose the notification', async () => {
    const smtp = await startSmtpSink({ refuse: true });
    const t = await buildWorld({ mail: { smtpUrl: smtp.url, from: 'dhr@example.org', intervalSeconds: 3600, maxAttempts: 2 } });
    try {
      const cast = t.cast;
      await createCase(t, cast.admin, cast.exeter, { notifiedOn: '2026-03-02' });
      const sweep = t.app.get(SweepService);
      const mail = t.app.get(MailService);
      const { notificationsSent } = await sweep.run('2026-03-20');
      expect(notificationsSent).toBeGreaterThan(0);

      const first = await mail.deliverDue();
      expect(first).toEqual({ sent: 0, failed: notificationsSent });
      // not due again until the back-off has passed
      expect(await mail.deliverDue()).toEqual({ sent: 0, failed: 0 });
      t.clock.advanceMinutes(5);
      expect(await mail.deliverDue()).toEqual({ sent: 0, failed: notificationsSent });
      const states: { status: string; attempts: number; last_error: string }[] = await t.dataSource.query(
        'SELECT status, attempts, last_error FROM email_outbox',
      );
      expect(states).toHaveLength(notificationsSent);
      expect(states).toEqual(states.map(() => ({ status: 'failed', attempts: 2, last_error: expect.stringMatching(/\S/) })));
      const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM notification');
      expect(count).toBe(notificationsSent);
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});
