/**
 * A review's action plan over HTTP (docs/domain.md, "Action plans"):
 * recommendations with their learning themes, the actions under them, who
 * may see and update which, the progress history, the derived RAG status,
 * the action milestones and the sweep, and what a refused request leaves
 * behind (nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SweepService } from '../src/milestones/sweep.service.js';
import { createCase, patchCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { insertAgency, insertCase } from './support/factories.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const MISSING = '00000000-0000-4000-8000-00000000abcd';
const TODAY = '2026-06-01';

interface Action {
  id: string;
  caseId: string;
  ownerAgencyId: string;
  status: string;
  targetOn: string;
  rag: string | null;
  overdue: boolean;
  version: number;
  progress: { statusFrom: string; statusTo: string; note: string | null; actorId: string; actorRole: string; occurredAt: string }[];
}
interface Recommendation {
  id: string;
  scope: string;
  agencyId: string | null;
  addressee: string | null;
  themes: string[];
  actions: Action[];
}

describe('action plans', () => {
  let t: World;
  let cast: Cast;
  let caseId: string;
  let reference: string;
  let otherCaseId: string;
  let national: Recommendation;
  let healthOnly: Recommendation;
  let policeAction: Action;
  let probationAction: Action;
  let healthAction: Action;
  let otherCaseAction: Action;

  const recommend = (who: Session, onCase: string, body: object) => t.http.post(`/api/cases/${onCase}/recommendations`).set(who.auth).send(body);
  const addAction = (who: Session, recommendationId: string, body: object) =>
    t.http.post(`/api/recommendations/${recommendationId}/actions`).set(who.auth).send(body);
  const update = (who: Session, actionId: string, body: object) => t.http.patch(`/api/actions/${actionId}`).set(who.auth).send(body);
  const recommendations = async (who: Session, onCase = caseId): Promise<Recommendation[]> =>
    (await t.http.get(`/api/cases/${onCase}/recommendations`).set(who.auth).expect(200)).body.items;
  const actionIds = async (who: Session, query = ''): Promise<string[]> =>
    (await t.http.get(`/api/actions?limit=200${query}`).set(who.auth).expect(200)).body.items.map((a: Action) => a.id);
  const count = async (table: string): Promise<number> => (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const counts = async () => ({
    recommendations: await count('recommendation'),
    themes: await count('recommendation_theme'),
    actions: await count('plan_action'),
    progress: await count('plan_action_progress'),
    audit: (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action <> 'access.denied'`))[0].n,
  });

  beforeAll(async () => {
    t = await buildWorld();
    t.clock.setTo(TODAY);
    cast = t.cast;
    const made = await createCase(t, cast.admin, cast.exeter);
    caseId = made.id;
    reference = made.reference;
    expect((await patchCase(t, cast.admin, caseId, { reviewChairId: cast.reviewChair.userId })).status).toBe(200);
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.health }).expect(201);
    otherCaseId = (await createCase(t, cast.admin, cast.northDevon)).id;
    expect((await patchCase(t, cast.admin, otherCaseId, { reviewChairId: cast.otherReviewChair.userId })).status).toBe(200);
  });
  afterAll(() => t.close());

  describe('recording recommendations', () => {
    it('refuses an unknown learning theme with a 400 that names it, and stores nothing', async () => {
      const before = await counts();
      const res = await recommend(cast.admin, caseId, { scope: 'local', text: 'Share risk information sooner', themes: ['information_sharing', 'not_a_theme'] }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'themes', message: expect.stringContaining('not_a_theme') }]);
      expect(res.body.detail).toContain('not_a_theme');
      expect(res.body.detail).not.toContain('information_sharing');
      expect(await counts()).toEqual(before);
    });

    it('wants the agency of a single-agency recommendation, and only of one', async () => {
      const before = await counts();
      const missing = await recommend(cast.admin, caseId, { scope: 'single_agency', text: 'Train call handlers', themes: [] }).expect(400);
      expect(missing.body.errors).toEqual([{ field: 'agencyId', message: expect.stringContaining('single_agency') }]);
      await recommend(cast.admin, caseId, { scope: 'national', text: 'Amend the guidance', addressee: 'Home Office', agencyId: cast.police, themes: [] }).expect(400);
      const inactive = await insertAgency(t.dataSource, { name: 'Example Closed Service', active: false });
      const closed = await recommend(cast.admin, caseId, { scope: 'single_agency', text: 'Train staff', agencyId: inactive, themes: [] }).expect(400);
      expect(closed.body.errors).toEqual([{ field: 'agencyId', message: 'no active agency has this id' }]);
      await recommend(cast.admin, caseId, { scope: 'single_agency', text: 'Train staff', agencyId: MISSING, themes: [] }).expect(400);
      await recommend(cast.admin, caseId, { scope: 'regional', text: 'Train staff', themes: [] }).expect(400);
      await recommend(cast.admin, caseId, { scope: 'local', text: '   ', themes: [] }).expect(400);
      await recommend(cast.admin, caseId, { scope: 'local', text: 'Twice', themes: ['marac', 'marac'] }).expect(400);
      expect(await counts()).toEqual(before);
    });

    it('wants the addressee of a national recommendation, on one line, and only of one', async () => {
      const before = await counts();
      const national = { scope: 'national', text: 'Amend the guidance on risk assessment.', themes: [] };
      const missing = await recommend(cast.admin, caseId, national).expect(400);
      expect(missing.body.errors).toEqual([{ field: 'addressee', message: 'addressee is required when scope is national' }]);
      const blank = await recommend(cast.admin, caseId, { ...national, addressee: '   ' }).expect(400);
      expect(blank.body.errors).toEqual([{ field: 'addressee', message: 'addressee must not be empty' }]);
      expect((await recommend(cast.admin, caseId, { ...national, addressee: null }).expect(400)).body.errors[0].field).toBe('addressee');
      expect((await recommend(cast.admin, caseId, { ...national, addressee: 'Home\nOffice' }).expect(400)).body.errors[0].field).toBe('addressee');
      expect((await recommend(cast.admin, caseId, { ...national, addressee: 'x'.repeat(201) }).expect(400)).body.errors[0].field).toBe('addressee');
      const local = await recommend(cast.admin, caseId, { scope: 'local', text: 'Train staff', addressee: 'Home Office', themes: [] }).expect(400);
      expect(local.body.errors).toEqual([{ field: 'addressee', message: 'addressee is only for scope national' }]);
      await recommend(cast.admin, caseId, { scope: 'single_agency', text: 'Train staff', agencyId: cast.health, addressee: 'Home Office' }).expect(400);
      expect(await counts()).toEqual(before);
    });

    it('records them for the SDP admin and the assigned review chair, with their themes and a national one’s addressee', async () => {
      const first = await recommend(cast.admin, caseId, {
        scope: 'national',
        text: 'Guidance should say how agencies share risk information.',
        addressee: '  Department of Health and Social Care ',
        themes: ['information_sharing', 'coercive_control'],
      }).expect(201);
      national = first.body;
      // in the list's order, not the order sent; the addressee trimmed
      expect(national).toMatchObject({
        caseId,
        scope: 'national',
        agencyId: null,
        addressee: 'Department of Health and Social Care',
        themes: ['coercive_control', 'information_sharing'],
        actions: [],
      });
      const second = await recommend(cast.reviewChair, caseId, { scope: 'single_agency', text: 'Ask about coercive control at triage.', agencyId: cast.health }).expect(201);
      healthOnly = second.body;
      expect(healthOnly).toMatchObject({ scope: 'single_agency', agencyId: cast.health, addressee: null, themes: [] });
      const listed = await recommendations(cast.exeterChair);
      expect(listed.map((r) => [r.scope, r.addressee])).toEqual([
        ['national', 'Department of Health and Social Care'],
        ['single_agency', null],
      ]);
      const [created] = await t.dataSource.query(`SELECT changes FROM audit_event WHERE action = 'recommendation.created' AND entity_id = $1`, [national.id]);
      expect(created.changes.addressee).toEqual({ from: null, to: 'Department of Health and Social Care' });
    });

    it('refuses everyone else: 403 in scope, 404 outside it', async () => {
      const body = { scope: 'local', text: 'Not theirs to make', themes: [] };
      await recommend(cast.exeterChair, caseId, body).expect(403);
      await recommend(cast.policeLead, caseId, body).expect(403);
      await recommend(cast.northChair, caseId, body).expect(404);
      await recommend(cast.otherReviewChair, caseId, body).expect(404);
      await recommend(cast.admin, MISSING, body).expect(404);
    });

    it('refuses a recommendation in a closed case', async () => {
      const closed = await insertCase(t.dataSource, { partnershipId: cast.exeter, stage: 'closed' });
      const res = await recommend(cast.admin, closed.id, { scope: 'local', text: 'Too late', themes: [] }).expect(409);
      expect(res.body.unmet).toEqual(['case_closed']);
    });
  });

  describe('setting actions', () => {
    it('sets actions under a recommendation, each owned by one agency, with derived RAG and overdue', async () => {
      policeAction = (await addAction(cast.admin, national.id, { ownerAgencyId: cast.police, description: 'Add a risk flag to call records.', targetOn: '2026-09-30' }).expect(201)).body;
      expect(policeAction).toMatchObject({
        recommendationId: national.id,
        caseId,
        ownerAgencyId: cast.police,
        status: 'not_started',
        targetOn: '2026-09-30',
        createdOn: TODAY,
        completedOn: null,
        rag: 'green',
        overdue: false,
        version: 1,
        progress: [],
      });
      // the probation service is on no panel and has no request: owning this action alone brings the case into its lead's scope
      probationAction = (
        await addAction(cast.reviewChair, national.id, { ownerAgencyId: cast.probation, description: 'Review supervision notes.', targetOn: '2026-05-01' }).expect(201)
      ).body;
      expect(probationAction).toMatchObject({ rag: 'red', overdue: true });
      healthAction = (await addAction(cast.admin, healthOnly.id, { ownerAgencyId: cast.health, description: 'Update triage questions.', targetOn: '2026-06-20' }).expect(201)).body;
      expect(healthAction).toMatchObject({ rag: 'amber', overdue: false });
      const otherRecommendation = (await recommend(cast.otherReviewChair, otherCaseId, { scope: 'local', text: 'Local learning event', themes: ['marac'] }).expect(201)).body;
      otherCaseAction = (await addAction(cast.admin, otherRecommendation.id, { ownerAgencyId: cast.police, description: 'Brief officers.', targetOn: '2026-12-01' }).expect(201)).body;
    });

    it('refuses a bad owner or target, and anyone who may not set actions, storing nothing', async () => {
      const before = await counts();
      const inactive = await insertAgency(t.dataSource, { name: 'Example Former Trust', active: false });
      const res = await addAction(cast.admin, national.id, { ownerAgencyId: inactive, description: 'x', targetOn: '2026-09-30' }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'ownerAgencyId', message: 'no active agency has this id' }]);
      await addAction(cast.admin, national.id, { ownerAgencyId: cast.police, description: 'x', targetOn: '2026-02-30' }).expect(400);
      await addAction(cast.admin, national.id, { ownerAgencyId: cast.police, description: '', targetOn: '2026-09-30' }).expect(400);
      const body = { ownerAgencyId: cast.police, description: 'Not theirs to set', targetOn: '2026-09-30' };
      await addAction(cast.exeterChair, national.id, body).expect(403);
      // an agency lead may see the recommendation their agency has an action under, but not add to it
      await addAction(cast.policeLead, national.id, body).expect(403);
      // one they cannot see answers as a missing one
      const [unseen, missing] = [await addAction(cast.policeLead, healthOnly.id, body), await addAction(cast.policeLead, MISSING, body)];
      expect(unseen.status).toBe(404);
      expect({ ...unseen.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
      await addAction(cast.northChair, national.id, body).expect(404);
      await addAction(cast.otherReviewChair, national.id, body).expect(404);
      expect(await counts()).toEqual(before);
    });

    it('tells the owning agency’s leads, by reference and pseudonym only', async () => {
      const notices = (await t.http.get('/api/notifications?limit=200').set(cast.healthLead.auth).expect(200)).body.items;
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ kind: 'action_assigned', caseId });
      expect(notices[0].title).toContain(`${reference} (Anna)`);
      expect(notices[0].title).toContain('2026-06-20');
      const everything = JSON.stringify(notices);
      for (const name of [VICTIM_NAME, PERPETRATOR_NAME, 'Update triage']) expect(everything).not.toContain(name);
      // the case's other people are not told of each action
      const chairs = (await t.http.get('/api/notifications?limit=200').set(cast.exeterChair.auth).expect(200)).body.items;
      expect(chairs.filter((n: { kind: string }) => n.kind === 'action_assigned')).toEqual([]);
    });

    it('audits each with its case, masking the free text', async () => {
      const events: { action: string; entity_id: string; changes: Record<string, { to: unknown }> }[] = await t.dataSource.query(
        `SELECT action, entity_id, changes FROM audit_event WHERE case_id = $1 AND action IN ('recommendation.created', 'action.created') ORDER BY seq`,
        [caseId],
      );
      expect(events.map((e) => e.action)).toEqual(['recommendation.created', 'recommendation.created', 'action.created', 'action.created', 'action.created']);
      expect(events[0].changes.text.to).toBe('[redacted]');
      expect(events[0].changes.themes.to).toEqual(['coercive_control', 'information_sharing']);
      expect(events[2].changes.description.to).toBe('[redacted]');
      expect(events[2].changes.targetOn.to).toBe('2026-09-30');
    });
  });

  describe('reading the action plan', () => {
    it('gives the people who run the review every recommendation with its themes and actions', async () => {
      for (const who of [cast.admin, cast.exeterChair, cast.reviewChair]) {
        const items = await recommendations(who);
        expect(items.map((r) => r.id)).toEqual([national.id, healthOnly.id]);
        expect(items[0].themes).toEqual(['coercive_control', 'information_sharing']);
        expect(items[0].actions.map((a) => [a.id, a.rag, a.overdue])).toEqual([
          [policeAction.id, 'green', false],
          [probationAction.id, 'red', true],
        ]);
        expect(items[1].actions.map((a) => a.id)).toEqual([healthAction.id]);
      }
    });

    it('answers people outside the case with 404', async () => {
      for (const who of [cast.northChair, cast.otherReviewChair]) {
        await t.http.get(`/api/cases/${caseId}/recommendations`).set(who.auth).expect(404);
      }
    });

    it('shows an agency lead only the recommendations their agency has actions under, and only those actions', async () => {
      const police = await recommendations(cast.policeLead);
      expect(police.map((r) => r.id)).toEqual([national.id]);
      expect(police[0].actions.map((a) => a.id)).toEqual([policeAction.id]);
      const health = await recommendations(cast.healthLead);
      expect(health.map((r) => r.id)).toEqual([healthOnly.id]);
      expect(health[0].actions.map((a) => a.id)).toEqual([healthAction.id]);
      const probation = await recommendations(cast.probationLead);
      expect(probation.map((r) => r.id)).toEqual([national.id]);
      expect(probation[0].actions.map((a) => a.id)).toEqual([probationAction.id]);
      // owning an action is the probation service's only part in the case: it is in their lead's scope, shaped as ever
      const detail = await t.http.get(`/api/cases/${caseId}`).set(cast.probationLead.auth).expect(200);
      expect(detail.body.decision).toBeNull();
      await t.http.get(`/api/cases/${caseId}/panel`).set(cast.probationLead.auth).expect(403);
      // but an action is not a contribution: with no place on the panel and no request, it submits no chronology
      const upload = await t.http.post(`/api/cases/${caseId}/chronologies`).set(cast.probationLead.auth).field('agencyId', cast.probation).expect(409);
      expect(upload.body.unmet).toEqual(['agency_not_involved']);
    });

    it('lists actions across the cases in scope, soonest target first, by reference and never by name', async () => {
      const all = (await t.http.get('/api/actions?limit=200').set(cast.admin.auth).expect(200)).body;
      expect(all.items.map((a: Action) => a.id)).toEqual([probationAction.id, healthAction.id, policeAction.id, otherCaseAction.id]);
      expect(all.items[0]).toMatchObject({ caseId, reference, rag: 'red', overdue: true, status: 'not_started' });
      expect(all.items[0].progress).toBeUndefined();
      expect(all.nextCursor).toBeNull();
      const text = JSON.stringify(all);
      for (const name of [VICTIM_NAME, PERPETRATOR_NAME, 'Example Row']) expect(text).not.toContain(name);

      expect(await actionIds(cast.exeterChair)).toEqual([probationAction.id, healthAction.id, policeAction.id]);
      expect(await actionIds(cast.northChair)).toEqual([otherCaseAction.id]);
      expect(await actionIds(cast.reviewChair)).toEqual([probationAction.id, healthAction.id, policeAction.id]);
      expect(await actionIds(cast.otherReviewChair)).toEqual([otherCaseAction.id]);
      // the police own an action in the other CSP's case too, which brings that case into their lead's scope
      expect(await actionIds(cast.policeLead)).toEqual([policeAction.id, otherCaseAction.id]);
      expect(await actionIds(cast.healthLead)).toEqual([healthAction.id]);
      expect(await actionIds(cast.probationLead)).toEqual([probationAction.id]);
    });

    it('filters by status, overdue, agency and case, and pages by cursor', async () => {
      expect(await actionIds(cast.admin, '&overdue=true')).toEqual([probationAction.id]);
      expect(await actionIds(cast.admin, '&overdue=false')).toEqual([healthAction.id, policeAction.id, otherCaseAction.id]);
      expect(await actionIds(cast.admin, `&agencyId=${cast.police}`)).toEqual([policeAction.id, otherCaseAction.id]);
      expect(await actionIds(cast.admin, `&caseId=${otherCaseId}`)).toEqual([otherCaseAction.id]);
      expect(await actionIds(cast.admin, '&status=in_progress')).toEqual([]);
      // an agency lead asking for another agency's actions gets none
      expect(await actionIds(cast.healthLead, `&agencyId=${cast.police}`)).toEqual([]);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/actions?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await t.http.get(url).set(cast.admin.auth).expect(200);
        seen.push(...page.body.items.map((a: Action) => a.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(await actionIds(cast.admin));
      await t.http.get('/api/actions?overdue=maybe').set(cast.admin.auth).expect(400);
      await t.http.get('/api/actions?status=done').set(cast.admin.auth).expect(400);
      await t.http.get('/api/actions?limit=201').set(cast.admin.auth).expect(400);
    });
  });

  describe('recording progress', () => {
    it('answers an agency lead updating another agency’s action with 404, exactly as a missing one', async () => {
      const before = await counts();
      const [other, missing] = [
        await update(cast.policeLead, healthAction.id, { status: 'in_progress' }),
        await update(cast.policeLead, MISSING, { status: 'in_progress' }),
      ];
      expect(other.status).toBe(404);
      expect({ ...other.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
      await update(cast.healthLead, probationAction.id, { progressNote: 'not ours' }).expect(404);
      await update(cast.northChair, policeAction.id, { progressNote: 'not ours' }).expect(404);
      await update(cast.otherReviewChair, policeAction.id, { progressNote: 'not ours' }).expect(404);
      expect(await counts()).toEqual(before);
    });

    it('answers the CSP chair, who reads the plan, with 403', async () => {
      const before = await counts();
      await update(cast.exeterChair, policeAction.id, { status: 'in_progress', progressNote: 'Started' }).expect(403);
      expect(await counts()).toEqual(before);
    });

    it('wants a date with a completion and a reason with a closure, and refuses half-said updates', async () => {
      const before = await counts();
      const noDate = await update(cast.admin, policeAction.id, { status: 'completed' }).expect(400);
      expect(noDate.body.errors).toEqual([{ field: 'completedOn', message: 'completedOn is required when status is completed' }]);
      const future = await update(cast.admin, policeAction.id, { status: 'completed', completedOn: '2026-06-02' }).expect(400);
      expect(future.body.errors[0].field).toBe('completedOn');
      const noReason = await update(cast.admin, policeAction.id, { status: 'closed_with_reason' }).expect(400);
      expect(noReason.body.errors).toEqual([{ field: 'reason', message: 'reason is required when status is closed_with_reason' }]);
      await update(cast.admin, policeAction.id, { status: 'in_progress', reason: 'Why not' }).expect(400);
      await update(cast.admin, policeAction.id, { progressNote: 'Done', completedOn: '2026-05-30' }).expect(400);
      await update(cast.admin, policeAction.id, {}).expect(400);
      await update(cast.admin, policeAction.id, { status: 'finished' }).expect(400);
      await update(cast.admin, policeAction.id, { progressNote: '' }).expect(400);
      await update(cast.admin, policeAction.id, { status: null }).expect(400);
      expect(await counts()).toEqual(before);
    });

    it('appends one progress row for each update, oldest first, from the owning agency’s lead and the people who run the review', async () => {
      const started = await update(cast.policeLead, policeAction.id, { status: 'in_progress', progressNote: 'Flag designed.' }).expect(200);
      expect(started.headers.etag).toBe('"2"');
      expect(started.body).toMatchObject({ status: 'in_progress', version: 2 });
      await update(cast.reviewChair, policeAction.id, { progressNote: 'Checked with the panel.' }).expect(200);
      t.clock.setTo('2026-06-05');
      const done = await update(cast.admin, policeAction.id, { status: 'completed', completedOn: '2026-06-04', progressNote: 'Live on all call records.' }).expect(200);
      t.clock.setTo(TODAY);
      expect(done.body).toMatchObject({ status: 'completed', completedOn: '2026-06-04', rag: null, overdue: false, version: 4 });
      expect(done.body.progress.map((p: Action['progress'][number]) => [p.statusFrom, p.statusTo, p.note, p.actorId, p.actorRole])).toEqual([
        ['not_started', 'in_progress', 'Flag designed.', cast.policeLead.userId, 'agency_lead'],
        ['in_progress', 'in_progress', 'Checked with the panel.', cast.reviewChair.userId, 'review_chair'],
        ['in_progress', 'completed', 'Live on all call records.', cast.admin.userId, 'sdp_admin'],
      ]);
      const times = done.body.progress.map((p: { occurredAt: string }) => p.occurredAt);
      expect([...times].sort()).toEqual(times);
      const listed = (await recommendations(cast.exeterChair))[0].actions.find((a) => a.id === policeAction.id)!;
      expect(listed.progress).toHaveLength(3);
      const audited: { changes: Record<string, { from: unknown; to: unknown }> }[] = await t.dataSource.query(
        `SELECT changes FROM audit_event WHERE entity_id = $1 AND action = 'action.progress_recorded' ORDER BY seq`,
        [policeAction.id],
      );
      expect(audited.map((e) => e.changes.status ?? null)).toEqual([{ from: 'not_started', to: 'in_progress' }, null, { from: 'in_progress', to: 'completed' }]);
      expect(audited[0].changes.progressNote).toEqual({ from: null, to: '[redacted]' });
    });

    it('keeps the progress history append-only in the database itself', async () => {
      await expect(t.dataSource.query(`UPDATE plan_action_progress SET note = 'rewritten'`)).rejects.toThrow(/append-only|permission denied/);
      await expect(t.dataSource.query(`DELETE FROM plan_action_progress`)).rejects.toThrow(/append-only|permission denied/);
      await expect(t.dataSource.query(`TRUNCATE plan_action_progress`)).rejects.toThrow(/append-only|permission denied/);
      expect(await count('plan_action_progress')).toBe(3);
    });

    it('does not reopen a completed or closed action, nor unstart a started one', async () => {
      const before = await counts();
      const again = await update(cast.admin, policeAction.id, { status: 'in_progress' }).expect(409);
      expect(again.body.unmet).toEqual(['action_done']);
      await update(cast.admin, policeAction.id, { progressNote: 'One more thing' }).expect(409);
      expect(await counts()).toEqual(before);
      await update(cast.healthLead, healthAction.id, { status: 'in_progress' }).expect(200);
      const back = await update(cast.healthLead, healthAction.id, { status: 'not_started' }).expect(409);
      expect(back.body.unmet).toEqual(['action_status_not_allowed']);
    });

    it('closes an action with its reason on the day it is closed', async () => {
      const closed = await update(cast.reviewChair, probationAction.id, { status: 'closed_with_reason', reason: 'Superseded by a national review.' }).expect(200);
      expect(closed.body).toMatchObject({ status: 'closed_with_reason', closedReason: 'Superseded by a national review.', closedOn: TODAY, rag: null, overdue: false });
      expect(await actionIds(cast.admin, '&overdue=true')).toEqual([]);
    });

    it('refuses a stale If-Match with 412 and changes nothing', async () => {
      const current = (await t.http.get(`/api/actions?caseId=${otherCaseId}`).set(cast.admin.auth).expect(200)).body.items[0];
      const before = await counts();
      await update(cast.admin, current.id, { progressNote: 'x' }).set('If-Match', `"${current.version + 1}"`).expect(412);
      await update(cast.admin, current.id, { progressNote: 'x' }).set('If-Match', '*').expect(412);
      expect(await counts()).toEqual(before);
      const res = await update(cast.admin, current.id, { progressNote: 'Briefing booked.' }).set('If-Match', `"${current.version}"`).expect(200);
      expect(res.headers.etag).toBe(`"${current.version + 1}"`);
    });
  });

  describe('actions as milestones', () => {
    const milestoneOf = async (who: Session, onCase: string, key: string) =>
      (await t.http.get(`/api/cases/${onCase}/milestones?asOf=${TODAY}`).set(who.auth).expect(200)).body.items.find((m: { key: string }) => m.key === key);

    it('shows each action as a milestone of its case, due on its target and met when done', async () => {
      const health = await milestoneOf(cast.admin, caseId, `action:${healthAction.id}`);
      expect(health).toMatchObject({ dueOn: '2026-06-20', metOn: null, status: 'pending', title: 'Action by Example NHS Trust' });
      expect(await milestoneOf(cast.admin, caseId, `action:${policeAction.id}`)).toMatchObject({ dueOn: '2026-09-30', metOn: '2026-06-04', status: 'met' });
      // closed late with a reason: met on the day it was closed, and late
      expect(await milestoneOf(cast.admin, caseId, `action:${probationAction.id}`)).toMatchObject({ dueOn: '2026-05-01', metOn: TODAY, status: 'met_late' });
    });

    it('shows an agency lead only their own agency’s action milestones', async () => {
      const seen = (await t.http.get(`/api/cases/${caseId}/milestones?asOf=${TODAY}`).set(cast.healthLead.auth).expect(200)).body.items;
      expect(seen.map((m: { key: string }) => m.key)).toEqual([`action:${healthAction.id}`]);
    });

    it('lists them across cases from the stored state', async () => {
      const met = (await t.http.get(`/api/milestones?status=met&asOf=${TODAY}&limit=200`).set(cast.admin.auth).expect(200)).body.items;
      expect(met.map((m: { key: string }) => m.key)).toContain(`action:${policeAction.id}`);
      const soon = (await t.http.get('/api/milestones?status=due_soon&asOf=2026-06-10&limit=200').set(cast.exeterChair.auth).expect(200)).body.items;
      expect(soon).toEqual(expect.arrayContaining([expect.objectContaining({ key: `action:${healthAction.id}`, caseId, reference })]));
    });

    it('is raised by the daily sweep once overdue', async () => {
      const sweep = t.app.get(SweepService);
      await sweep.run('2026-06-21');
      const alerts: { milestone_key: string; state: string }[] = await t.dataSource.query(
        `SELECT milestone_key, state FROM milestone_alert WHERE case_id = $1 AND milestone_key LIKE 'action:%' ORDER BY state`,
        [caseId],
      );
      expect(alerts).toEqual([{ milestone_key: `action:${healthAction.id}`, state: 'overdue' }]);
      const notices = (await t.http.get('/api/notifications?limit=200').set(cast.exeterChair.auth).expect(200)).body.items;
      const overdue = notices.find((n: { kind: string; title: string }) => n.kind === 'milestone_overdue' && n.title.includes('Action by Example NHS Trust'));
      expect(overdue.title).toContain(reference);
      expect(JSON.stringify(notices)).not.toContain(VICTIM_NAME);
    });
  });
});

describe('a case’s learning themes', () => {
  let t: World;
  let cast: Cast;
  let caseId: string;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
    caseId = (await createCase(t, cast.admin, cast.exeter)).id;
    expect((await patchCase(t, cast.admin, caseId, { reviewChairId: cast.reviewChair.userId })).status).toBe(200);
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
  });
  afterAll(() => t.close());

  const themes = async (who: Session) => (await t.http.get(`/api/cases/${caseId}/themes`).set(who.auth).expect(200)).body;
  const put = (who: Session, codes: unknown) => t.http.put(`/api/cases/${caseId}/themes`).set(who.auth).send({ themes: codes });

  it('starts with none, and is set all at once by the SDP admin or the assigned review chair', async () => {
    expect(await themes(cast.admin)).toEqual({ items: [], nextCursor: null });
    const set = await put(cast.admin, ['separation', 'coercive_control']).expect(200);
    expect(set.body.items).toEqual([
      { code: 'coercive_control', label: 'Coercive control' },
      { code: 'separation', label: 'Separation' },
    ]);
    await put(cast.reviewChair, ['coercive_control', 'marac']).expect(200);
    expect((await themes(cast.exeterChair)).items.map((x: { code: string }) => x.code)).toEqual(['coercive_control', 'marac']);
    const [event] = await t.dataSource.query(`SELECT changes FROM audit_event WHERE case_id = $1 AND action = 'case.themes_set' ORDER BY seq DESC LIMIT 1`, [caseId]);
    expect(event.changes).toEqual({ themes: { from: ['coercive_control', 'separation'], to: ['coercive_control', 'marac'] } });
    expect((await put(cast.admin, []).expect(200)).body.items).toEqual([]);
  });

  it('refuses an unknown theme by name, or one twice, and changes nothing', async () => {
    await put(cast.admin, ['stalking']).expect(200);
    const res = await put(cast.admin, ['stalking', 'bad_luck']).expect(400);
    expect(res.body.errors).toEqual([{ field: 'themes', message: expect.stringContaining('bad_luck') }]);
    await put(cast.admin, ['stalking', 'stalking']).expect(400);
    await put(cast.admin, 'stalking').expect(400);
    await t.http.put(`/api/cases/${caseId}/themes`).set(cast.admin.auth).send({}).expect(400);
    expect((await themes(cast.admin)).items.map((x: { code: string }) => x.code)).toEqual(['stalking']);
  });

  it('is read by the CSP chair of the case’s CSP but not changed by them; others get 403 or 404', async () => {
    await put(cast.exeterChair, ['marac']).expect(403);
    await t.http.get(`/api/cases/${caseId}/themes`).set(cast.policeLead.auth).expect(403);
    await put(cast.policeLead, ['marac']).expect(403);
    for (const outsider of [cast.northChair, cast.otherReviewChair, cast.healthLead]) {
      await t.http.get(`/api/cases/${caseId}/themes`).set(outsider.auth).expect(404);
      await put(outsider, ['marac']).expect(404);
    }
    expect((await themes(cast.admin)).items.map((x: { code: string }) => x.code)).toEqual(['stalking']);
  });
});
