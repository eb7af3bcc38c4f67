import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCase, patchCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { insertQaSubmission } from './support/factories.js';
import { collectRoutes } from './support/routes.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const MISSING = '00000000-0000-4000-8000-00000000abcd';

interface Endpoint {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  route: string;
  path: (ids: Ids) => string;
  body?: object;
}

interface Ids {
  caseId: string;
  holdId: string;
  contributionId: string;
  agencyId: string;
  documentId: string;
  recommendationId: string;
  actionId: string;
  qaSubmissionId: string;
  termId: string;
  linkId: string;
}

/** Every route that acts inside one case, with a harmless body. */
const ENDPOINTS: Endpoint[] = [
  { method: 'get', route: 'GET /api/cases/:id', path: (i) => `/api/cases/${i.caseId}` },
  { method: 'patch', route: 'PATCH /api/cases/:id', path: (i) => `/api/cases/${i.caseId}`, body: { summary: 'changed' } },
  {
    method: 'post',
    route: 'POST /api/cases/:id/decision',
    path: (i) => `/api/cases/${i.caseId}/decision`,
    body: { outcome: 'no_review', decidedOn: '2026-03-10', rationale: 'x' },
  },
  { method: 'post', route: 'POST /api/cases/:id/transitions', path: (i) => `/api/cases/${i.caseId}/transitions`, body: { to: 'panel_established' } },
  { method: 'get', route: 'GET /api/cases/:id/transitions', path: (i) => `/api/cases/${i.caseId}/transitions` },
  { method: 'post', route: 'POST /api/cases/:id/holds', path: (i) => `/api/cases/${i.caseId}/holds`, body: { reason: 'other', startedOn: '2026-03-05' } },
  {
    method: 'post',
    route: 'POST /api/cases/:id/holds/:holdId/end',
    path: (i) => `/api/cases/${i.caseId}/holds/${i.holdId}/end`,
    body: { endedOn: '2026-03-08' },
  },
  { method: 'get', route: 'GET /api/cases/:id/panel', path: (i) => `/api/cases/${i.caseId}/panel` },
  { method: 'post', route: 'POST /api/cases/:id/panel', path: (i) => `/api/cases/${i.caseId}/panel`, body: { agencyId: '' } },
  { method: 'delete', route: 'DELETE /api/cases/:id/panel/:agencyId', path: (i) => `/api/cases/${i.caseId}/panel/${i.agencyId}` },
  { method: 'get', route: 'GET /api/cases/:id/contributions', path: (i) => `/api/cases/${i.caseId}/contributions` },
  {
    method: 'post',
    route: 'POST /api/cases/:id/contributions',
    path: (i) => `/api/cases/${i.caseId}/contributions`,
    body: { agencyId: '', kind: 'summary', dueOn: '2026-09-01' },
  },
  { method: 'post', route: 'POST /api/contributions/:id/waive', path: (i) => `/api/contributions/${i.contributionId}/waive`, body: { reason: 'x' } },
  { method: 'get', route: 'GET /api/cases/:id/milestones', path: (i) => `/api/cases/${i.caseId}/milestones` },
  { method: 'get', route: 'GET /api/cases/:id/next-steps', path: (i) => `/api/cases/${i.caseId}/next-steps` },
  { method: 'get', route: 'GET /api/cases/:id/timeline.svg', path: (i) => `/api/cases/${i.caseId}/timeline.svg` },
  // a valid body naming no partnership: the move is refused on scope before the partnership is looked up
  { method: 'post', route: 'POST /api/cases/:id/transfer', path: (i) => `/api/cases/${i.caseId}/transfer`, body: { partnershipId: MISSING, reason: 'x' } },
  { method: 'get', route: 'GET /api/cases/:id/family-contacts', path: (i) => `/api/cases/${i.caseId}/family-contacts` },
  {
    method: 'post',
    route: 'POST /api/cases/:id/family-contacts',
    path: (i) => `/api/cases/${i.caseId}/family-contacts`,
    body: { contactedOn: '2026-03-05', method: 'letter', leafletGiven: true, advocacyOffered: true, draftReportOffered: false },
  },
  { method: 'get', route: 'GET /api/cases/:id/chronologies', path: (i) => `/api/cases/${i.caseId}/chronologies` },
  // no file: whoever may upload is answered 400, and nothing is stored
  { method: 'post', route: 'POST /api/cases/:id/chronologies', path: (i) => `/api/cases/${i.caseId}/chronologies` },
  { method: 'get', route: 'GET /api/cases/:id/chronology', path: (i) => `/api/cases/${i.caseId}/chronology` },
  { method: 'get', route: 'GET /api/cases/:id/documents', path: (i) => `/api/cases/${i.caseId}/documents` },
  // No file: scope and role are decided before the file is looked at.
  { method: 'post', route: 'POST /api/cases/:id/documents', path: (i) => `/api/cases/${i.caseId}/documents`, body: { kind: 'other' } },
  { method: 'get', route: 'GET /api/documents/:id/content', path: (i) => `/api/documents/${i.documentId}/content` },
  { method: 'get', route: 'GET /api/cases/:id/recommendations', path: (i) => `/api/cases/${i.caseId}/recommendations` },
  {
    method: 'post',
    route: 'POST /api/cases/:id/recommendations',
    path: (i) => `/api/cases/${i.caseId}/recommendations`,
    body: { scope: 'local', text: 'x', themes: [] },
  },
  {
    method: 'post',
    route: 'POST /api/recommendations/:id/actions',
    path: (i) => `/api/recommendations/${i.recommendationId}/actions`,
    body: { ownerAgencyId: '00000000-0000-4000-8000-000000000001', description: 'x', targetOn: '2026-09-01' },
  },
  { method: 'patch', route: 'PATCH /api/actions/:id', path: (i) => `/api/actions/${i.actionId}`, body: { progressNote: 'x' } },
  { method: 'get', route: 'GET /api/cases/:id/themes', path: (i) => `/api/cases/${i.caseId}/themes` },
  { method: 'put', route: 'PUT /api/cases/:id/themes', path: (i) => `/api/cases/${i.caseId}/themes`, body: { themes: [] } },
  { method: 'get', route: 'GET /api/cases/:id/qa-submissions', path: (i) => `/api/cases/${i.caseId}/qa-submissions` },
  { method: 'post', route: 'POST /api/cases/:id/qa-submissions', path: (i) => `/api/cases/${i.caseId}/qa-submissions`, body: { submittedOn: '2026-03-10' } },
  {
    method: 'patch',
    route: 'PATCH /api/qa-submissions/:id',
    path: (i) => `/api/qa-submissions/${i.qaSubmissionId}`,
    body: { outcome: 'approved', outcomeOn: '2026-03-10' },
  },
  { method: 'get', route: 'GET /api/cases/:id/protected-terms', path: (i) => `/api/cases/${i.caseId}/protected-terms` },
  { method: 'post', route: 'POST /api/cases/:id/protected-terms', path: (i) => `/api/cases/${i.caseId}/protected-terms`, body: { term: 'Quill Lane' } },
  {
    method: 'delete',
    route: 'DELETE /api/cases/:id/protected-terms/:termId',
    path: (i) => `/api/cases/${i.caseId}/protected-terms/${i.termId}`,
  },
  { method: 'get', route: 'GET /api/cases/:id/publication-check', path: (i) => `/api/cases/${i.caseId}/publication-check` },
  {
    method: 'post',
    route: 'POST /api/cases/:id/publication',
    path: (i) => `/api/cases/${i.caseId}/publication`,
    body: { publishedOn: '2026-03-10', url: 'https://www.example.org/dhr' },
  },
  { method: 'get', route: 'GET /api/cases/:id/publication', path: (i) => `/api/cases/${i.caseId}/publication` },
  { method: 'post', route: 'POST /api/cases/:id/publication/withdrawal', path: (i) => `/api/cases/${i.caseId}/publication/withdrawal`, body: { reason: 'x' } },
  { method: 'post', route: 'POST /api/cases/:id/withholding', path: (i) => `/api/cases/${i.caseId}/withholding`, body: { decidedOn: '2026-03-10', reason: 'x' } },
  { method: 'post', route: 'POST /api/cases/:id/closure-override', path: (i) => `/api/cases/${i.caseId}/closure-override`, body: { reason: 'x' } },
  { method: 'get', route: 'GET /api/cases/:id/links', path: (i) => `/api/cases/${i.caseId}/links` },
  { method: 'post', route: 'POST /api/cases/:id/links', path: (i) => `/api/cases/${i.caseId}/links`, body: { kind: 'sar', externalReference: 'SAR isolation' } },
  { method: 'delete', route: 'DELETE /api/cases/:id/links/:linkId', path: (i) => `/api/cases/${i.caseId}/links/${i.linkId}` },
  { method: 'get', route: 'GET /api/cases/:id/home-office-correspondence', path: (i) => `/api/cases/${i.caseId}/home-office-correspondence` },
  {
    method: 'post',
    route: 'POST /api/cases/:id/home-office-correspondence',
    path: (i) => `/api/cases/${i.caseId}/home-office-correspondence`,
    body: { kind: 'decision_notice', direction: 'sent', on: '2026-03-10', summary: 'Decision notice sent.' },
  },
];

describe('who may see and do what in a case', () => {
  let t: World;
  let cast: Cast;
  let ids: Ids;
  let dataDir: string;

  const call = (who: Session, endpoint: Endpoint, target: Ids) => {
    const body = endpoint.body && 'agencyId' in endpoint.body ? { ...endpoint.body, agencyId: cast.probation } : endpoint.body;
    const req = t.http[endpoint.method](endpoint.path(target)).set(who.auth).set('If-Match', '"1"');
    return body ? req.send(body) : req;
  };
  // Reads that are audited (the case, the list of its documents) are no changes.
  const changeCount = async () =>
    Number(
      (await t.dataSource.query(`SELECT count(*) FROM audit_event WHERE action <> 'access.denied' AND action <> 'case.read' AND action NOT LIKE '%\\_read' ESCAPE '\\'`))[0]
        .count,
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-isolation-'));
    t = await buildWorld({ dataDir });
    cast = t.cast;
    const made = await createCase(t, cast.admin, cast.exeter);
    expect((await patchCase(t, cast.admin, made.id, { reviewChairId: cast.reviewChair.userId })).status).toBe(200);
    await t.http.post(`/api/cases/${made.id}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    const contribution = await t.http
      .post(`/api/cases/${made.id}/contributions`)
      .set(cast.admin.auth)
      .send({ agencyId: cast.health, kind: 'imr', dueOn: '2026-08-01' })
      .expect(201);
    await t.http.post(`/api/cases/${made.id}/contributions`).set(cast.admin.auth).send({ agencyId: cast.police, kind: 'chronology', dueOn: '2026-08-01' }).expect(201);
    const hold = await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'inquest', startedOn: '2026-03-03' }).expect(201);
    const document = await t.http
      .post(`/api/cases/${made.id}/documents`)
      .set(cast.admin.auth)
      .field('kind', 'other')
      .attach('file', Buffer.from('A fictional note.\n'), 'note.txt')
      .expect(201);
    // the action plan's one action is the health trust's
    const recommendation = await t.http.post(`/api/cases/${made.id}/recommendations`).set(cast.admin.auth).send({ scope: 'local', text: 'x', themes: [] }).expect(201);
    const action = await t.http
      .post(`/api/recommendations/${recommendation.body.id}/actions`)
      .set(cast.admin.auth)
      .send({ ownerAgencyId: cast.health, description: 'x', targetOn: '2026-09-01' })
      .expect(201);
    // A submission written directly: the case is nowhere near QA, but its routes must still answer outsiders as missing.
    const qaSubmissionId = await insertQaSubmission(t.dataSource, { caseId: made.id, submittedOn: '2026-03-10' });
    const term = await t.http.post(`/api/cases/${made.id}/protected-terms`).set(cast.admin.auth).send({ term: 'Harbour Works' }).expect(201);
    const link = await t.http.post(`/api/cases/${made.id}/links`).set(cast.admin.auth).send({ kind: 'cspr', externalReference: 'CSPR 2026/3' }).expect(201);
    ids = {
      caseId: made.id,
      holdId: hold.body.id,
      contributionId: contribution.body.id,
      agencyId: cast.police,
      documentId: document.body.id,
      recommendationId: recommendation.body.id,
      actionId: action.body.id,
      qaSubmissionId,
      termId: term.body.id,
      linkId: link.body.id,
    };
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('covers every route that acts inside a case', () => {
    const caseRoutes = collectRoutes(t.app)
      .filter((r) => r.access?.kind === 'case')
      .map((r) => `${r.method} ${r.path}`);
    expect(ENDPOINTS.map((e) => e.route).sort()).toEqual(caseRoutes.sort());
  });

  it.each([
    ['the chair of another CSP', 'northChair'],
    ['an unassigned review chair', 'otherReviewChair'],
    ['an agency lead whose agency is not involved', 'probationLead'],
  ] as const)('answers %s with 404 everywhere, exactly as for a missing case, and changes nothing', async (_who, key) => {
    const outsider = cast[key];
    const before = await changeCount();
    for (const endpoint of ENDPOINTS) {
      const missingIds = Object.fromEntries(Object.keys(ids).map((key) => [key, MISSING])) as unknown as Ids;
      const [real, missing] = [await call(outsider, endpoint, ids), await call(outsider, endpoint, missingIds)];
      expect(`${endpoint.route} → ${real.status}`).toBe(`${endpoint.route} → 404`);
      const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
      expect(strip(real.body)).toEqual(strip(missing.body));
    }
    // the owning CSP's chair sees the attempt in their audit trail
    const trail = await t.http.get(`/api/audit?caseId=${ids.caseId}&action=access.denied&limit=200`).set(cast.exeterChair.auth).expect(200);
    expect(trail.body.items.some((e: { actorId: string }) => e.actorId === outsider.userId)).toBe(true);
    // whatever else is wrong with the request, scope is decided first
    await t.http.patch(`/api/cases/${ids.caseId}`).set(outsider.auth).send({}).expect(404);
    await t.http.post(`/api/cases/${ids.caseId}/holds`).set(outsider.auth).send({ reason: 'other', startedOn: '2999-01-01' }).expect(404);
    expect(await changeCount()).toBe(before);
    const list = await t.http.get('/api/cases').set(outsider.auth).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(ids.caseId);
  });

  it('lets an agency lead on the panel read the case and its history, and nothing else', async () => {
    const lead = cast.policeLead;
    const allowed = new Set([
      'GET /api/cases/:id',
      'GET /api/cases/:id/transitions',
      'GET /api/cases/:id/contributions',
      'GET /api/cases/:id/milestones',
      'GET /api/cases/:id/next-steps',
      'GET /api/cases/:id/timeline.svg',
      'GET /api/cases/:id/chronologies',
      'GET /api/cases/:id/chronology',
      'GET /api/cases/:id/documents',
      'GET /api/cases/:id/recommendations',
    ]);
    const before = await changeCount();
    for (const endpoint of ENDPOINTS) {
      const res = await call(lead, endpoint, ids);
      // the request ids.contributionId names is the health trust's, the document is no IMR of theirs, and the action plan
      // holds only the health trust's action: the police lead sees none of them
      const unseen = ['POST /api/contributions/:id/waive', 'GET /api/documents/:id/content', 'POST /api/recommendations/:id/actions', 'PATCH /api/actions/:id'];
      const expected = allowed.has(endpoint.route)
        ? 200
        : unseen.includes(endpoint.route)
          ? 404
          : endpoint.route === 'POST /api/cases/:id/chronologies'
            ? 400 // they may submit their agency's chronology: refused only for want of a file
            : 403;
      expect(`${endpoint.route} → ${res.status}`).toBe(`${endpoint.route} → ${expected}`);
    }
    expect(await changeCount()).toBe(before);
    const contributions = await t.http.get(`/api/cases/${ids.caseId}/contributions`).set(lead.auth).expect(200);
    expect(contributions.body.items.map((c: { agencyId: string }) => c.agencyId)).toEqual([cast.police]);
    const listed = await t.http.get('/api/cases').set(lead.auth).expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([ids.caseId]);
  });

  it('puts an agency lead in scope through a contribution request alone', async () => {
    const lead = cast.healthLead;
    const detail = await t.http.get(`/api/cases/${ids.caseId}`).set(lead.auth).expect(200);
    // In scope, they see the subjects' real names, to search their own records (docs/domain.md, "Who may see and do what").
    expect(detail.body.subjects).toEqual([
      expect.objectContaining({ role: 'victim', pseudonym: 'Anna', fullName: VICTIM_NAME }),
      expect.objectContaining({ role: 'perpetrator', pseudonym: 'Ben', fullName: PERPETRATOR_NAME }),
    ]);
    await t.http.get(`/api/cases/${ids.caseId}/panel`).set(lead.auth).expect(403);
    const contributions = await t.http.get(`/api/cases/${ids.caseId}/contributions`).set(lead.auth).expect(200);
    expect(contributions.body.items.map((c: { agencyId: string }) => c.agencyId)).toEqual([cast.health]);
  });

  it('gives the CSP chair read access to the review’s working lists but not their management', async () => {
    const chair = cast.exeterChair;
    await t.http.get(`/api/cases/${ids.caseId}/panel`).set(chair.auth).expect(200);
    await t.http.get(`/api/cases/${ids.caseId}/family-contacts`).set(chair.auth).expect(200);
    await t.http.post(`/api/cases/${ids.caseId}/panel`).set(chair.auth).send({ agencyId: cast.health }).expect(403);
    await t.http.patch(`/api/cases/${ids.caseId}`).set(chair.auth).set('If-Match', '"1"').send({ summary: 'x' }).expect(403);
  });

  it('answers the assigned review chair with 403 on the CSP chair’s approval gates', async () => {
    const chair = cast.reviewChair;
    await t.http.get(`/api/cases/${ids.caseId}`).set(chair.auth).expect(200);
    await t.http
      .post(`/api/cases/${ids.caseId}/decision`)
      .set(chair.auth)
      .send({ outcome: 'commission', decidedOn: '2026-03-10', rationale: 'x' })
      .expect(403);
    const declined = await createCase(t, cast.admin, cast.exeter);
    await t.http
      .post(`/api/cases/${declined.id}/decision`)
      .set(cast.exeterChair.auth)
      .send({ outcome: 'no_review', decidedOn: '2026-03-10', rationale: 'Criteria not met' })
      .expect(200);
    expect((await patchCase(t, cast.admin, declined.id, { reviewChairId: chair.userId })).status).toBe(200);
    const gate = await t.http
      .post(`/api/cases/${declined.id}/transitions`)
      .set(chair.auth)
      .send({ to: 'commissioned', comment: 'Home Office direction' })
      .expect(403);
    expect(gate.headers['content-type']).toContain('application/problem+json');
    const denied: { details: { reason: string } }[] = await t.dataSource.query(
      `SELECT details FROM audit_event WHERE action = 'access.denied' AND actor_id = $1 AND entity_id = $2`,
      [chair.userId, declined.id],
    );
    expect(denied.map((d) => d.details.reason)).toContain('role_not_allowed');
  });

  it('lets a CSP chair record cases only for their own CSP', async () => {
    const other = await t.http
      .post('/api/cases')
      .set(cast.northChair.auth)
      .send({
        partnershipId: cast.exeter,
        notifiedOn: '2026-03-01',
        notificationSource: 'Police letter',
        subjects: [{ role: 'victim', fullName: 'Fictional Person' }],
      })
      .expect(403);
    expect(other.body.status).toBe(403);
    await t.http.post('/api/cases').set(cast.reviewChair.auth).send({}).expect(403);
  });
});

describe('two transitions of one case at the same moment', () => {
  let t: World;
  let cast: Cast;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
  });
  afterAll(() => t.close());

  it('lets exactly one win; the other is refused with 409', async () => {
    for (let round = 0; round < 5; round++) {
      const made = await createCase(t, cast.admin, cast.exeter);
      await t.http
        .post(`/api/cases/${made.id}/decision`)
        .set(cast.exeterChair.auth)
        .send({ outcome: 'no_review', decidedOn: '2026-03-10', rationale: 'Criteria not met' })
        .expect(200);
      const body = { to: 'commissioned', comment: 'Home Office direction received' };
      const [a, b] = await Promise.all([
        t.http.post(`/api/cases/${made.id}/transitions`).set(cast.admin.auth).send(body),
        t.http.post(`/api/cases/${made.id}/transitions`).set(cast.exeterChair.auth).send(body),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(['stage_changed', 'step_not_allowed']).toContain(loser.body.unmet[0]);
      const history: unknown[] = await t.dataSource.query(
        `SELECT 1 FROM case_transition WHERE case_id = $1 AND to_stage = 'commissioned'`,
        [made.id],
      );
      expect(history).toHaveLength(1);
    }
  });

  it('lets exactly one of two simultaneous decisions land', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    const decide = (outcome: string) =>
      t.http.post(`/api/cases/${made.id}/decision`).set(cast.exeterChair.auth).send({ outcome, decidedOn: '2026-03-10', rationale: 'x' });
    const [a, b] = await Promise.all([decide('commission'), decide('no_review')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });
});
