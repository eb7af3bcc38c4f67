/**
 * Discontinued reviews (docs/domain.md, "Discontinued reviews"), over HTTP:
 * the CSP chair ends a review before its sign-off with a comment; it stops
 * there for good, its milestones not met no longer apply, its outstanding
 * contribution requests close, and the reports, the timeline and the public
 * page show it for what it is.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stage } from '../src/cases/stages.js';
import { MilestoneStateService } from '../src/milestones/milestone-state.service.js';
import { caseAtStage, STAGE_DATES, type CaseAtStage } from './support/stage-factory.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

const WHY = 'Merged into a Safeguarding Adults Review run jointly with the adult board.';

describe('a discontinued review', () => {
  let w: World;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-discontinued-'));
    w = await buildWorld({ dataDir });
  });
  afterAll(async () => {
    await w.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const discontinue = (caseId: string, who: Session, comment?: string) =>
    w.http.post(`/api/cases/${caseId}/transitions`).set(who.auth).send(comment === undefined ? { to: 'discontinued' } : { to: 'discontinued', comment });
  const read = async (caseId: string) => (await w.http.get(`/api/cases/${caseId}`).set(w.cast.admin.auth).expect(200)).body;
  const history = (caseId: string): Promise<{ from_stage: string; to_stage: string; comment: string | null; actor_role: string }[]> =>
    w.dataSource.query('SELECT from_stage, to_stage, comment, actor_role FROM case_transition WHERE case_id = $1 ORDER BY seq', [caseId]);
  /** The audit events of the case's changes (its reads and the refusals are audited too, apart). */
  const auditOf = (caseId: string): Promise<{ action: string; entity_id: string }[]> =>
    w.dataSource.query(`SELECT action, entity_id FROM audit_event WHERE case_id = $1 AND action NOT IN ('case.read', 'access.denied') ORDER BY seq`, [caseId]);
  const milestones = async (caseId: string): Promise<Record<string, { status: string; metOn: string | null; dueOn: string | null }>> => {
    const res = await w.http.get(`/api/cases/${caseId}/milestones`).set(w.cast.admin.auth).expect(200);
    return Object.fromEntries((res.body.items as { key: string; status: string; metOn: string | null; dueOn: string | null }[]).map((m) => [m.key, m]));
  };
  const svgOf = (path: string, who: Session) =>
    w.http
      .get(path)
      .set(who.auth)
      .buffer(true)
      .parse((r, cb) => {
        let data = '';
        r.on('data', (c: Buffer) => (data += c.toString()));
        r.on('end', () => cb(null, data));
      });

  it.each(['commissioned', 'panel_established', 'information_gathering', 'drafting'] as const)(
    'is discontinued from %s by the CSP chair with a comment, which the history keeps',
    async (from) => {
      const made = await caseAtStage(w, from);
      const res = await discontinue(made.id, w.cast.exeterChair, WHY).expect(200);
      expect(res.body.stage).toBe('discontinued');
      expect((await read(made.id)).stage).toBe('discontinued');
      expect((await history(made.id)).at(-1)).toEqual({ from_stage: from, to_stage: 'discontinued', comment: WHY, actor_role: 'csp_chair' });
      expect((await auditOf(made.id)).filter((e) => e.action === 'case.stage_changed')).toHaveLength(1);
    },
  );

  it('is refused without a comment (or with only spaces), and nothing is written', async () => {
    const made = await caseAtStage(w, 'information_gathering');
    const before = await read(made.id);
    const transitions = (await history(made.id)).length;
    for (const comment of [undefined, '   ']) {
      const res = await discontinue(made.id, w.cast.exeterChair, comment).expect(409);
      expect(res.body.unmet).toEqual(['comment_missing']);
    }
    const after = await read(made.id);
    expect({ stage: after.stage, version: after.version }).toEqual({ stage: 'information_gathering', version: before.version });
    expect(await history(made.id)).toHaveLength(transitions);
    expect(await auditOf(made.id)).toEqual([]);
    const requests = await w.http.get(`/api/cases/${made.id}/contributions`).set(w.cast.admin.auth).expect(200);
    expect(requests.body.items.map((r: { status: string }) => r.status)).toEqual(['requested', 'requested']);
  });

  it('is the CSP chair’s alone: the SDP admin and the review chair are refused, and nothing is written', async () => {
    const made = await caseAtStage(w, 'panel_established');
    for (const who of [w.cast.admin, w.cast.reviewChair]) {
      const res = await discontinue(made.id, who, WHY).expect(403);
      expect(res.body.detail).toMatch(/may not move the case from panel established to discontinued\.$/);
    }
    // another CSP's chair does not see the case at all
    await discontinue(made.id, w.cast.northChair, WHY).expect(404);
    expect((await read(made.id)).stage).toBe('panel_established');
    expect(await auditOf(made.id)).toEqual([]);
  });

  it.each(['notified', 'csp_sign_off', 'closed'] as const)('is not a step from %s (step_not_allowed)', async (from: Stage) => {
    const made = await caseAtStage(w, from);
    const res = await discontinue(made.id, w.cast.exeterChair, WHY).expect(409);
    expect(res.body.unmet).toEqual(['step_not_allowed']);
    expect((await read(made.id)).stage).toBe(from);
  });

  it('ends there: no step leaves it, its next steps are empty, and it takes no hold, no contribution request and no recommendation', async () => {
    const made = await caseAtStage(w, 'drafting');
    await discontinue(made.id, w.cast.exeterChair, WHY).expect(200);
    for (const to of ['drafting', 'csp_sign_off', 'closed'] as const) {
      const res = await w.http.post(`/api/cases/${made.id}/transitions`).set(w.cast.exeterChair.auth).send({ to, comment: 'Resumed.' }).expect(409);
      expect(res.body).toMatchObject({ unmet: ['step_not_allowed'], detail: 'A case in stage discontinued cannot move any further.' });
    }
    for (const who of [w.cast.exeterChair, w.cast.admin, w.cast.reviewChair]) {
      expect((await w.http.get(`/api/cases/${made.id}/next-steps`).set(who.auth).expect(200)).body).toEqual({ items: [] });
    }
    const hold = await w.http.post(`/api/cases/${made.id}/holds`).set(w.cast.admin.auth).send({ reason: 'inquest', startedOn: STAGE_DATES.discontinuedOn }).expect(409);
    expect(hold.body).toMatchObject({ unmet: ['case_closed'], detail: 'A discontinued case cannot be put on hold.' });
    const asked = await w.http
      .post(`/api/cases/${made.id}/contributions`)
      .set(w.cast.admin.auth)
      .send({ agencyId: w.cast.police, kind: 'summary', dueOn: '2026-12-31' })
      .expect(409);
    expect(asked.body.unmet).toEqual(['case_closed']);
    const recommended = await w.http
      .post(`/api/cases/${made.id}/recommendations`)
      .set(w.cast.admin.auth)
      .send({ scope: 'local', text: 'Share risk information sooner.' })
      .expect(409);
    expect(recommended.body.unmet).toEqual(['case_closed']);
    expect((await read(made.id)).stage).toBe('discontinued');
  });

  describe('its milestones and contribution requests', () => {
    let made: CaseAtStage;
    let before: Awaited<ReturnType<typeof milestones>>;

    beforeAll(async () => {
      made = await caseAtStage(w, 'information_gathering');
      before = await milestones(made.id);
      await discontinue(made.id, w.cast.exeterChair, WHY).expect(200);
    });

    it('keeps what was met, and makes every milestone not met not applicable, never overdue', async () => {
      // before: the decision met, the rest running late
      expect(before.decision).toMatchObject({ status: 'met', metOn: STAGE_DATES.decidedOn });
      expect(before.review_completed.status).toBe('overdue');
      for (const id of made.contributionIds) expect(before[`contribution:${id}`].status).toBe('overdue');
      const after = await milestones(made.id);
      expect(after.decision).toEqual(before.decision);
      const unmet = ['home_office_notified', 'family_contacted', 'review_completed', 'home_office_submitted', ...made.contributionIds.map((id) => `contribution:${id}`)];
      expect(Object.keys(after).sort()).toEqual(['decision', ...unmet].sort());
      for (const key of unmet) expect({ key, status: after[key].status, dueOn: after[key].dueOn, metOn: after[key].metOn }).toEqual({ key, status: 'not_applicable', dueOn: null, metOn: null });
    });

    it('stores them so, as the engine computes them: nothing of the case is overdue in the cross-case list', async () => {
      const stored: { key: string; applicable: boolean }[] = await w.dataSource.query('SELECT key, applicable FROM case_milestone WHERE case_id = $1 ORDER BY key', [made.id]);
      expect(stored.filter((m) => m.applicable).map((m) => m.key)).toEqual(['decision']);
      const overdue = await w.http.get('/api/milestones?status=overdue&limit=200').set(w.cast.exeterChair.auth).expect(200);
      expect(overdue.body.items.filter((m: { reference: string }) => m.reference === made.reference)).toEqual([]);
      const { differences } = await w.app.get(MilestoneStateService).verify();
      expect(differences.filter((d) => d.caseId === made.id)).toEqual([]);
    });

    it('closes the outstanding contribution requests, each audited, so the agency is no longer asked', async () => {
      const requests = await w.http.get(`/api/cases/${made.id}/contributions`).set(w.cast.admin.auth).expect(200);
      expect(requests.body.items.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual(made.contributionIds.map((id) => [id, 'closed']));
      const audit = await auditOf(made.id);
      expect(audit.map((e) => e.action)).toEqual(['case.stage_changed', 'contribution.closed', 'contribution.closed']);
      expect(audit.filter((e) => e.action === 'contribution.closed').map((e) => e.entity_id).sort()).toEqual([...made.contributionIds].sort());
      // the agency's lead sees it closed, and nothing is left to waive
      const own = await w.http.get(`/api/cases/${made.id}/contributions`).set(w.cast.policeLead.auth).expect(200);
      expect(own.body.items.map((r: { status: string }) => r.status)).toEqual(['closed', 'closed']);
      const waived = await w.http.post(`/api/contributions/${made.contributionIds[0]}/waive`).set(w.cast.admin.auth).send({ reason: 'No longer needed.' }).expect(409);
      expect(waived.body.unmet).toEqual(['contribution_not_outstanding']);
    });

    it('draws the timeline as a discontinued review: said so under its name, nothing overdue', async () => {
      const res = await svgOf(`/api/cases/${made.id}/timeline.svg`, w.cast.admin).expect(200);
      const svg = res.body as string;
      expect(svg).toContain('data-discontinued="true"');
      expect(svg).toContain('Review discontinued: the milestones not met no longer apply.');
      expect(svg).toContain('data-key="review_completed" data-status="not_applicable" data-state="not_applicable"');
      expect(svg).toContain('data-key="decision" data-status="met" data-state="met"');
      expect(svg).not.toContain('data-state="overdue"');
    });

    it('never appears on the public page', async () => {
      const list = await w.http.get('/api/public/reviews').expect(200);
      expect(list.body.items.map((r: { reference: string }) => r.reference)).not.toContain(made.reference);
      await w.http.get(`/api/public/reviews/${made.reference}/executive-summary`).expect(404);
    });
  });

  it('is no longer on hold with a hold left open: not in its detail, not under ?onHold=true, not in the dashboard’s count', async () => {
    const made = await caseAtStage(w, 'drafting');
    const onHoldCount = async () => {
      const res = await w.http.get(`/api/reports/dashboard?partnershipId=${w.cast.exeter}`).set(w.cast.exeterChair.auth).expect(200);
      return res.body.totals.onHold as number;
    };
    const listedOnHold = async () => {
      const res = await w.http.get(`/api/cases?onHold=true&limit=100&partnershipId=${w.cast.exeter}`).set(w.cast.admin.auth).expect(200);
      return (res.body.items as { id: string }[]).some((c) => c.id === made.id);
    };
    const countBefore = await onHoldCount();
    await w.http
      .post(`/api/cases/${made.id}/holds`)
      .set(w.cast.exeterChair.auth)
      .send({ reason: 'criminal_proceedings', startedOn: STAGE_DATES.decidedOn })
      .expect(201);
    expect({ detail: (await read(made.id)).onHold, listed: await listedOnHold(), count: await onHoldCount() }).toEqual({
      detail: true,
      listed: true,
      count: countBefore + 1,
    });
    await discontinue(made.id, w.cast.exeterChair, WHY).expect(200);
    const after = await read(made.id);
    // The hold stays on the record as it was; the review it held up has ended.
    expect(after.holds).toEqual([expect.objectContaining({ reason: 'criminal_proceedings', endedOn: null })]);
    expect({ detail: after.onHold, listed: await listedOnHold(), count: await onHoldCount() }).toEqual({ detail: false, listed: false, count: countBefore });
    const notOnHold = await w.http.get(`/api/cases?onHold=false&limit=100&partnershipId=${w.cast.exeter}`).set(w.cast.admin.auth).expect(200);
    expect((notOnHold.body.items as { id: string }[]).map((c) => c.id)).toContain(made.id);
  });

  it('is counted apart on the dashboard, and not among the reviews completed', async () => {
    const made = await caseAtStage(w, 'drafting');
    const dashboard = async () => {
      const res = await w.http.get(`/api/reports/dashboard?partnershipId=${w.cast.exeter}`).set(w.cast.exeterChair.auth).expect(200);
      const { casesByStage, discontinued, completedWithinDeadline } = res.body.totals;
      return { discontinued, byStage: casesByStage.discontinued, completed: completedWithinDeadline.completed, withinDeadline: completedWithinDeadline.withinDeadline };
    };
    const before = await dashboard();
    expect(before.discontinued).toBe(before.byStage);
    await discontinue(made.id, w.cast.exeterChair, WHY).expect(200);
    expect(await dashboard()).toEqual({ ...before, discontinued: before.discontinued + 1, byStage: before.byStage + 1 });
    const chart = await svgOf('/api/reports/charts/stages.svg', w.cast.exeterChair).expect(200);
    expect(chart.body as string).toContain('data-stage="discontinued"');
    expect(chart.body as string).toContain('Exeter, discontinued: ');
  });
});
