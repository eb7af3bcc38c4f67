/**
 * Reviews that end withheld, and completion at the first sign-off
 * (docs/domain.md, "Publication" and "Completion is the first sign-off"):
 * the CSP chair closes a review approved for publication without publishing
 * it, with the decision's date and reason; it never reaches the public page
 * or the feed. A QA resubmission's later sign-off moves `completedOn` but
 * not the review's completion.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../src/common/calendar.js';
import { VICTIM_NAME } from './support/case-fixtures.js';
import { step, today } from './support/case-walk.js';
import { insertAction, insertFamilyContact, insertRecommendation } from './support/factories.js';
import { caseAtStage, STAGE_DATES } from './support/stage-factory.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const REASON = 'The Home Office agreed that publication would identify the children.';

describe('withheld reviews', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-withholding-'));
    t = await buildWorld({ dataDir, publicBaseUrl: 'https://dhr.example.org' });
    cast = t.cast;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const withhold = (caseId: string, body: object = { decidedOn: today(t), reason: REASON }, who: Session = cast.exeterChair) =>
    t.http.post(`/api/cases/${caseId}/withholding`).set(who.auth).send(body);
  const caseOf = async (caseId: string) => (await t.http.get(`/api/cases/${caseId}`).set(cast.admin.auth).expect(200)).body;
  /** What a refused withholding leaves: the case as it was, nothing recorded. */
  const expectUntouched = async (caseId: string) => {
    const found = await caseOf(caseId);
    expect(found).toMatchObject({ stage: 'approved_for_publication', publicationWithheld: null, version: 1 });
    const [row] = await t.dataSource.query('SELECT withheld_on, withholding_reason FROM review_case WHERE id = $1', [caseId]);
    expect(row).toEqual({ withheld_on: null, withholding_reason: null });
    const events = await t.dataSource.query(`SELECT 1 FROM audit_event WHERE case_id = $1 AND action = 'case.stage_changed'`, [caseId]);
    expect(events).toEqual([]);
  };

  it('closes a review approved for publication without publishing it, and shows the decision on the case', async () => {
    const made = await caseAtStage(t, 'approved_for_publication');
    const decidedOn = addDays(today(t), -1);
    const closed = await withhold(made.id, { decidedOn, reason: `  ${REASON}  ` }).expect(200);
    expect(closed.body).toMatchObject({ id: made.id, stage: 'closed', publicationWithheld: { decidedOn, reason: REASON } });
    expect(await caseOf(made.id)).toMatchObject({ stage: 'closed', publicationWithheld: { decidedOn, reason: REASON } });
    // the review chair reads it too; an agency lead on the panel sees that nothing of the decision
    const seenByChair = await t.http.get(`/api/cases/${made.id}`).set(cast.reviewChair.auth).expect(200);
    expect(seenByChair.body.publicationWithheld).toEqual({ decidedOn, reason: REASON });
    const seenByLead = await t.http.get(`/api/cases/${made.id}`).set(cast.policeLead.auth).expect(200);
    expect(seenByLead.body.publicationWithheld).toBeNull();
    // the timeline picture says so to those who see the decision, not to the agency lead
    const picture = (session: typeof cast.exeterChair) =>
      t.http.get(`/api/cases/${made.id}/timeline.svg`).set(session.auth).buffer(true).parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });
    expect((await picture(cast.exeterChair).expect(200)).body).toContain(`Review closed without publication (withheld) on ${decidedOn}.`);
    expect((await picture(cast.policeLead).expect(200)).body).not.toContain('withheld');

    // the stage history holds the step, the audit trail the change, its reason masked
    const history = await t.http.get(`/api/cases/${made.id}/transitions`).set(cast.admin.auth).expect(200);
    expect(history.body.items.at(-1)).toMatchObject({ from: 'approved_for_publication', to: 'closed', actorId: cast.exeterChair.userId });
    const [event] = await t.dataSource.query(
      `SELECT actor_id, changes FROM audit_event WHERE case_id = $1 AND action = 'case.stage_changed' ORDER BY occurred_at DESC LIMIT 1`,
      [made.id],
    );
    expect(event.actor_id).toBe(cast.exeterChair.userId);
    expect(event.changes.stage).toEqual({ from: 'approved_for_publication', to: 'closed' });
    expect(event.changes.withheldOn).toEqual({ from: null, to: decidedOn });
    expect(JSON.stringify(event.changes)).not.toContain('identify the children');

    // the case's people are told, by reference and pseudonym, never by name
    const told = await t.dataSource.query(`SELECT user_id, title, body FROM notification WHERE case_id = $1 AND kind = 'publication_withheld'`, [made.id]);
    expect(told.map((n: { user_id: string }) => n.user_id)).toEqual(expect.arrayContaining([cast.exeterChair.userId, cast.reviewChair.userId]));
    expect(told[0].title).toBe(`${made.reference} (Anna): the review is closed without publication`);
    expect(JSON.stringify(told)).not.toMatch(/identify the children/);
    expect(JSON.stringify(told)).not.toContain(VICTIM_NAME);

    // a closed review takes no further step
    expect((await withhold(made.id).expect(409)).body.unmet).toEqual(['step_not_allowed']);
  });

  it('never puts a withheld review on the public page or in the feed', async () => {
    const published = await caseAtStage(t, 'published');
    const made = await caseAtStage(t, 'approved_for_publication');
    await withhold(made.id).expect(200);
    const list = await t.http.get('/api/public/reviews').expect(200);
    const references = list.body.items.map((r: { reference: string }) => r.reference);
    expect(references).toContain(published.reference);
    expect(references).not.toContain(made.reference);
    await t.http.get(`/api/public/reviews/${made.reference}`).expect(404);
    const feed = await t.http.get('/api/public/reviews.atom').expect(200);
    expect(feed.text).toContain(published.reference);
    expect(feed.text).not.toContain(made.reference);
  });

  it('is refused while actions of the action plan are open, and writes nothing', async () => {
    const made = await caseAtStage(t, 'approved_for_publication');
    const recommendationId = await insertRecommendation(t.dataSource, { caseId: made.id });
    await insertAction(t.dataSource, { recommendationId, caseId: made.id, ownerAgencyId: cast.police });
    const refused = await withhold(made.id).expect(409);
    expect(refused.body.unmet).toEqual(['actions_open']);
    await expectUntouched(made.id);
  });

  it('needs a reason: left out or sent blank is unmet withholding_reason_missing; neither writes anything', async () => {
    const made = await caseAtStage(t, 'approved_for_publication');
    const missing = await withhold(made.id, { decidedOn: today(t) }).expect(409);
    expect(missing.body.unmet).toEqual(['withholding_reason_missing']);
    const blank = await withhold(made.id, { decidedOn: today(t), reason: '   ' }).expect(409);
    expect(blank.body.unmet).toEqual(['withholding_reason_missing']);
    await expectUntouched(made.id);
  });

  it('never closes a published review, even one that could close (step_not_allowed), and writes nothing', async () => {
    const made = await caseAtStage(t, 'published');
    const before = await caseOf(made.id);
    const refused = await withhold(made.id, { decidedOn: today(t), reason: REASON }).expect(409);
    expect(refused.body.unmet).toEqual(['step_not_allowed']);
    expect(refused.body.detail).toContain('POST /api/cases/:id/transitions');
    expect(await caseOf(made.id)).toEqual(before);
  });

  it('refuses a decision dated in the future or before the Home Office approved the review', async () => {
    const made = await caseAtStage(t, 'approved_for_publication');
    const future = await withhold(made.id, { decidedOn: addDays(today(t), 1), reason: REASON }).expect(400);
    expect(future.body.errors[0].field).toBe('decidedOn');
    const early = await withhold(made.id, { decidedOn: addDays(STAGE_DATES.qaApprovedOn, -1), reason: REASON }).expect(400);
    expect(early.body.errors[0].field).toBe('decidedOn');
    await expectUntouched(made.id);
    await withhold(made.id, { decidedOn: STAGE_DATES.qaApprovedOn, reason: REASON }).expect(200);
  });

  it('is the CSP chair’s: the administrator, the review chair and an agency lead are refused, another CSP’s chair finds nothing', async () => {
    const made = await caseAtStage(t, 'approved_for_publication');
    for (const who of [cast.admin, cast.reviewChair, cast.policeLead]) {
      const refused = await withhold(made.id, undefined, who).expect(403);
      expect(refused.body.detail).toMatch(/may not close the review without publishing it/);
    }
    await withhold(made.id, undefined, cast.northChair).expect(404);
    await expectUntouched(made.id);
  });

  it('is taken at its own endpoint only, which the next steps name', async () => {
    const made = await caseAtStage(t, 'approved_for_publication');
    const plain = await step(t, cast.exeterChair, made.id, 'closed', 'Not to be published.').expect(409);
    expect(plain.body.unmet).toEqual(['withholding_details_missing']);
    await expectUntouched(made.id);
    const next = await t.http.get(`/api/cases/${made.id}/next-steps`).set(cast.exeterChair.auth).expect(200);
    expect(next.body.items.find((s: { to: string }) => s.to === 'closed')).toEqual({
      to: 'closed',
      allowed: true,
      unmet: [],
      messages: [],
      endpoint: 'POST /api/cases/:id/withholding',
      mustSend: ['withholding'],
    });
  });

  it('counts withheld reviews on the dashboard apart from the published ones', async () => {
    const before = (await t.http.get('/api/reports/dashboard').set(cast.admin.auth).expect(200)).body.totals;
    const made = await caseAtStage(t, 'approved_for_publication');
    await withhold(made.id).expect(200);
    const after = (await t.http.get('/api/reports/dashboard').set(cast.admin.auth).expect(200)).body.totals;
    expect(after.withheld).toBe(before.withheld + 1);
    expect(after.casesByStage.closed).toBe(before.casesByStage.closed + 1);
    expect(after.casesByStage.published).toBe(before.casesByStage.published);
    const exeter = (await t.http.get('/api/reports/dashboard').set(cast.exeterChair.auth).expect(200)).body.partnerships[0];
    expect(exeter.withheld).toBe(after.withheld);
  });

  it('leaves every milestone of a withheld review met', async () => {
    const made = await caseAtStage(t, 'approved_for_publication', { record: { homeOfficeNotifiedOn: '2026-03-25' } });
    await withhold(made.id).expect(200);
    const milestones = await t.http.get(`/api/cases/${made.id}/milestones`).set(cast.admin.auth).expect(200);
    const statuses = milestones.body.items.map((m: { key: string; status: string }) => [m.key, m.status]);
    expect(statuses).not.toContainEqual([expect.any(String), 'overdue']);
    const stored = await t.dataSource.query(`SELECT key FROM case_milestone WHERE case_id = $1 AND applicable AND met_on IS NULL`, [made.id]);
    expect(stored).toEqual([]);
  });
});

describe('completion at the first sign-off', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-completion-'));
    t = await buildWorld({ dataDir });
    cast = t.cast;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const milestone = async (caseId: string, key: string) => {
    const res = await t.http.get(`/api/cases/${caseId}/milestones`).set(cast.admin.auth).expect(200);
    return res.body.items.find((m: { key: string }) => m.key === key) as { metOn: string | null; status: string; dueOn: string };
  };

  it('does not discontinue a review sent back to drafting after its sign-off (review_signed_off), and writes nothing', async () => {
    const { id } = await caseAtStage(t, 'home_office_qa');
    const submission = await t.http.post(`/api/cases/${id}/qa-submissions`).set(cast.admin.auth).send({ submittedOn: '2026-08-10' }).expect(201);
    await t.http.patch(`/api/qa-submissions/${submission.body.id}`).set(cast.admin.auth).send({ outcome: 'resubmit', outcomeOn: '2026-08-20' }).expect(200);
    await step(t, cast.admin, id, 'drafting').expect(200);
    const before = (await t.http.get(`/api/cases/${id}`).set(cast.admin.auth).expect(200)).body;
    const refused = await t.http
      .post(`/api/cases/${id}/transitions`)
      .set(cast.exeterChair.auth)
      .send({ to: 'discontinued', comment: 'Merged into the joint SAR.' })
      .expect(409);
    expect(refused.body.unmet).toEqual(['review_signed_off']);
    expect((await t.http.get(`/api/cases/${id}`).set(cast.admin.auth).expect(200)).body).toEqual(before);
    const next = await t.http.get(`/api/cases/${id}/next-steps`).set(cast.exeterChair.auth).expect(200);
    expect(next.body.items.find((i: { to: string }) => i.to === 'discontinued')).toMatchObject({ allowed: false, unmet: ['review_signed_off'] });
  });

  it('keeps a review completed on time met after a QA resubmission and a late second sign-off', async () => {
    // signed off on 2026-08-03, within six months of commissioning (2026-03-20 → due 2026-09-20)
    const { id } = await caseAtStage(t, 'home_office_qa');
    const signedOff = await t.http.get(`/api/cases/${id}`).set(cast.exeterChair.auth).expect(200);
    expect(signedOff.body).toMatchObject({ firstCompletedOn: STAGE_DATES.signedOffOn, completedOn: STAGE_DATES.signedOffOn });

    const submittedOn = '2026-08-10';
    const submission = await t.http.post(`/api/cases/${id}/qa-submissions`).set(cast.admin.auth).send({ submittedOn }).expect(201);
    await t.http.patch(`/api/qa-submissions/${submission.body.id}`).set(cast.admin.auth).send({ outcome: 'resubmit', outcomeOn: '2026-08-20' }).expect(200);
    await step(t, cast.admin, id, 'drafting').expect(200);
    await step(t, cast.reviewChair, id, 'csp_sign_off').expect(200);
    const again = await step(t, cast.exeterChair, id, 'home_office_qa').expect(200);
    // today is after the due date: the latest sign-off would be late, the first was not
    expect(today(t) > '2026-09-20').toBe(true);
    expect(again.body).toMatchObject({ firstCompletedOn: STAGE_DATES.signedOffOn, completedOn: today(t) });

    expect(await milestone(id, 'review_completed')).toMatchObject({ dueOn: '2026-09-20', metOn: STAGE_DATES.signedOffOn, status: 'met' });
    // home_office_submitted runs from the first sign-off and is met by the first submission, the second round's wait aside
    expect(await milestone(id, 'home_office_submitted')).toMatchObject({ dueOn: '2026-09-03', metOn: submittedOn, status: 'met' });
    const [stored] = await t.dataSource.query(`SELECT met_on::text AS met_on FROM case_milestone WHERE case_id = $1 AND key = 'review_completed'`, [id]);
    expect(stored.met_on).toBe(STAGE_DATES.signedOffOn);

    // the audit trail says the sign-off moved completedOn and kept the first completion
    const [event] = await t.dataSource.query(
      `SELECT changes FROM audit_event WHERE case_id = $1 AND action = 'case.stage_changed' ORDER BY occurred_at DESC LIMIT 1`,
      [id],
    );
    expect(event.changes.completedOn).toEqual({ from: STAGE_DATES.signedOffOn, to: today(t) });
    expect(event.changes.firstCompletedOn).toEqual({ from: STAGE_DATES.signedOffOn, to: STAGE_DATES.signedOffOn });
  });

  it('sets the first completion at the first sign-off', async () => {
    const { id } = await caseAtStage(t, 'csp_sign_off');
    await insertFamilyContact(t.dataSource, { caseId: id, contactedOn: '2026-07-20', method: 'meeting', draftReportOffered: true });
    const signed = await step(t, cast.exeterChair, id, 'home_office_qa').expect(200);
    expect(signed.body).toMatchObject({ firstCompletedOn: today(t), completedOn: today(t) });
    // an agency lead sees neither date, as with the other statutory dates
    const seen = await t.http.get(`/api/cases/${id}`).set(cast.policeLead.auth).expect(200);
    expect(seen.body).toMatchObject({ firstCompletedOn: null, completedOn: null });
  });
});
