/**
 * A review moves from information gathering to CSP sign-off on its material
 * alone: the agencies' uploads answer the contribution requests, which lets
 * drafting begin, and the review chair's final documents let the case go to
 * the CSP for sign-off. No request is waived and no row is written by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCase, patchCase } from './support/case-fixtures.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';
import { minimalDocx, minimalPdf } from './support/zip.js';

describe('a case walked from information gathering to CSP sign-off by uploads', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;
  let caseId: string;
  const requests: Record<string, string> = {};

  const step = (who: Session, to: string) => t.http.post(`/api/cases/${caseId}/transitions`).set(who.auth).send({ to });
  const document = (who: Session, kind: string, file: Buffer, name: string, fields: Record<string, string> = {}) => {
    const req = t.http.post(`/api/cases/${caseId}/documents`).set(who.auth).field('kind', kind);
    for (const [key, value] of Object.entries(fields)) req.field(key, value);
    return req.attach('file', file, name);
  };
  const statuses = async () => {
    const res = await t.http.get(`/api/cases/${caseId}/contributions`).set(cast.reviewChair.auth).expect(200);
    return Object.fromEntries(
      (res.body.items as { id: string; status: string }[]).map((r) => [Object.keys(requests).find((name) => requests[name] === r.id), r.status]),
    );
  };
  const stage = async () => (await t.http.get(`/api/cases/${caseId}`).set(cast.admin.auth).expect(200)).body.stage as string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-walk-'));
    t = await buildWorld({ dataDir });
    t.clock.setTo('2026-06-01');
    cast = t.cast;
    const { admin, exeterChair, reviewChair } = cast;
    caseId = (await createCase(t, admin, cast.exeter)).id;
    await t.http
      .post(`/api/cases/${caseId}/decision`)
      .set(exeterChair.auth)
      .send({ outcome: 'commission', decidedOn: '2026-03-20', rationale: 'The death meets the statutory criteria.' })
      .expect(200);
    await patchCase(t, admin, caseId, { reviewChairId: reviewChair.userId }).then((r) => expect(r.status).toBe(200));
    for (const agencyId of [cast.police, cast.health]) {
      await t.http.post(`/api/cases/${caseId}/panel`).set(reviewChair.auth).send({ agencyId }).expect(201);
    }
    await patchCase(t, reviewChair, caseId, { termsOfReferenceAgreedOn: '2026-04-10' }).then((r) => expect(r.status).toBe(200));
    await step(reviewChair, 'panel_established').expect(200);
    const ask = async (name: string, agencyId: string, kind: string) => {
      const res = await t.http.post(`/api/cases/${caseId}/contributions`).set(reviewChair.auth).send({ agencyId, kind, dueOn: '2026-07-31' }).expect(201);
      requests[name] = res.body.id;
    };
    await ask('police chronology', cast.police, 'chronology');
    await ask('police IMR', cast.police, 'imr');
    await ask('health summary', cast.health, 'summary');
    await step(reviewChair, 'information_gathering').expect(200);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses drafting until every request is answered, each by the agency lead’s own upload', async () => {
    const outstanding = async () => expect((await step(cast.reviewChair, 'drafting').expect(409)).body.unmet).toEqual(['contributions_outstanding']);
    await outstanding();

    const chronology = ['Date,Time,Source of information,Details of the event', '2026-01-05,22:40,Control room log,Call from a neighbour about shouting'].join('\n');
    await t.http.post(`/api/cases/${caseId}/chronologies`).set(cast.policeLead.auth).attach('file', Buffer.from(chronology), 'chronology.csv').expect(201);
    expect(await statuses()).toEqual({ 'police chronology': 'submitted', 'police IMR': 'requested', 'health summary': 'requested' });
    await outstanding();

    await document(cast.policeLead, 'imr', minimalPdf('police IMR'), 'imr.pdf').expect(201);
    expect(await statuses()).toEqual({ 'police chronology': 'submitted', 'police IMR': 'submitted', 'health summary': 'requested' });
    await outstanding();

    // the health trust's summary of its involvement is its written account: an agency document of kind imr
    await document(cast.healthLead, 'imr', minimalDocx(), 'summary.docx').expect(201);
    expect(await statuses()).toEqual({ 'police chronology': 'submitted', 'police IMR': 'submitted', 'health summary': 'submitted' });

    const answered = await t.dataSource.query(
      `SELECT entity_id, details->>'kind' AS kind FROM audit_event WHERE action = 'contribution.submitted' AND case_id = $1 ORDER BY seq`,
      [caseId],
    );
    expect(answered).toEqual([
      { entity_id: requests['police chronology'], kind: 'chronology' },
      { entity_id: requests['police IMR'], kind: 'imr' },
      { entity_id: requests['health summary'], kind: 'summary' },
    ]);

    expect((await step(cast.reviewChair, 'drafting').expect(200)).body.stage).toBe('drafting');
  });

  it('refuses CSP sign-off until the final overview report, executive summary and action plan are uploaded', async () => {
    const missing = async () => expect((await step(cast.reviewChair, 'csp_sign_off').expect(409)).body.unmet).toEqual(['final_documents_missing']);
    await missing();
    await document(cast.reviewChair, 'overview_report', minimalDocx(), 'overview.docx', { final: 'true' }).expect(201);
    await missing();
    await document(cast.reviewChair, 'executive_summary', minimalPdf('summary'), 'executive-summary.pdf', { final: 'true' }).expect(201);
    await missing();
    await document(cast.reviewChair, 'action_plan', minimalPdf('plan draft'), 'plan.pdf').expect(201);
    await missing();
    await document(cast.reviewChair, 'action_plan', minimalPdf('plan'), 'plan.pdf', { final: 'true' }).expect(201);

    expect((await step(cast.reviewChair, 'csp_sign_off').expect(200)).body.stage).toBe('csp_sign_off');
    expect(await stage()).toBe('csp_sign_off');
    const history = await t.http.get(`/api/cases/${caseId}/transitions`).set(cast.exeterChair.auth).expect(200);
    expect(history.body.items.map((h: { from: string | null; to: string }) => `${h.from}→${h.to}`).slice(-2)).toEqual([
      'information_gathering→drafting',
      'drafting→csp_sign_off',
    ]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM contribution_request WHERE case_id = $1 AND status = 'waived'`, [caseId])).toEqual([{ n: 0 }]);
  });
});
