/**
 * A case named by its reference wherever a path takes its id
 * (docs/domain.md, "A case by its reference"): the same answers, the same
 * scope and 404, audit events that name the case's id; a reference no case
 * has answers as a missing id does, and text that is neither is a 400.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseAtStage, type CaseAtStage } from './support/stage-factory.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

const MISSING = '00000000-0000-4000-8000-00000000abcd';
const NOT_A_CASE_ID = 'id must be a case id (a UUID) or a reference such as DHR-2026-001';

/** A problem body without its `instance`, which names the path asked. */
function problem(body: Record<string, unknown>): Record<string, unknown> {
  const { instance: _instance, ...rest } = body;
  return rest;
}

describe('a case by its reference', () => {
  let w: World;
  let dataDir: string;
  let made: CaseAtStage;
  let other: CaseAtStage;
  let missing404: Record<string, unknown>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-references-'));
    w = await buildWorld({ dataDir });
    made = await caseAtStage(w, 'csp_sign_off');
    other = await caseAtStage(w, 'panel_established', { partnershipId: w.cast.northDevon, reviewChairId: w.cast.otherReviewChair.userId, agencyIds: [w.cast.probation] });
    missing404 = problem((await w.http.get(`/api/cases/${MISSING}`).set(w.cast.admin.auth).expect(404)).body);
  });
  afterAll(async () => {
    await w.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (path: string, who: Session) => w.http.get(path).set(who.auth);

  it('reads the case by its reference in any letter case, and answers as by its id', async () => {
    const { admin } = w.cast;
    const byId = await get(`/api/cases/${made.id}`, admin).expect(200);
    const mixed = `${made.reference.slice(0, 1)}${made.reference.slice(1, 3).toLowerCase()}${made.reference.slice(3)}`;
    for (const said of [made.reference, made.reference.toLowerCase(), mixed, made.id.toUpperCase()]) {
      const res = await get(`/api/cases/${encodeURIComponent(said)}`, admin);
      expect({ said, status: res.status, id: res.body.id, etag: res.headers.etag }).toEqual({ said, status: 200, id: made.id, etag: byId.headers.etag });
      expect(res.body).toEqual(byId.body);
    }
  });

  it('answers a reference no case has, or one out of scope, exactly as a missing id; and text that is neither with a 400', async () => {
    const { admin, exeterChair } = w.cast;
    const [year] = made.reference.slice(4).split('-');
    const notFound = [
      'DHR-1999-001',
      `DHR-${year}-999999`,
      `dhr-${year}-0001`,
      // another CSP's case, for the Exeter chair
      other.reference,
      other.reference.toLowerCase(),
    ];
    for (const said of notFound) {
      const res = await get(`/api/cases/${encodeURIComponent(said)}/milestones`, exeterChair);
      expect({ said, status: res.status, body: problem(res.body) }).toEqual({ said, status: 404, body: missing404 });
    }
    // the other CSP's case is there for who may see it
    expect((await get(`/api/cases/${other.reference}`, admin).expect(200)).body.id).toBe(other.id);

    const malformed = [
      ` ${made.reference}`,
      `${made.reference} `,
      made.reference.replaceAll('-', ' '),
      made.reference.replaceAll('-', ''),
      `${made.reference}' OR '1'='1`,
      `${made.reference};DROP TABLE review_case`,
      "' OR 1=1 --",
      'DHR-２０２６-001',
      'DHR-٢٠٢٦-٠٠١',
      'DHR-2026-01',
      'DHR-2026-',
      'DHR--001',
      `${made.id}x`,
      made.id.replaceAll('-', ''),
      'DHR-2026-001\u200b',
      'ДHR-2026-001',
    ];
    for (const said of malformed) {
      const res = await get(`/api/cases/${encodeURIComponent(said)}`, admin);
      expect({ said, status: res.status, detail: res.body.detail }).toEqual({ said, status: 400, detail: NOT_A_CASE_ID });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('holds to the rule for generated references and text', async () => {
    const { admin } = w.cast;
    // well-formed references of a year no case is in: the same 404 as a missing id
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 999_999_999 }), fc.boolean(), async (number, lower) => {
        const reference = `DHR-1990-${String(number).padStart(3, '0')}`;
        const res = await get(`/api/cases/${lower ? reference.toLowerCase() : reference}`, admin);
        expect({ reference, status: res.status, body: problem(res.body) }).toEqual({ reference, status: 404, body: missing404 });
      }),
      { numRuns: 25 },
    );
    // anything that is not a reference nor a UUID: 400, never a 5xx, never a case
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 6 }).map((s) => `DHR-2026-${s}`), fc.string({ unit: 'binary', minLength: 1, maxLength: 20 })),
        async (text) => {
          fc.pre(!/^DHR-[0-9]{4}-[0-9]{3,9}$/i.test(text) && !/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(text) && !['.', '..'].includes(text));
          const res = await get(`/api/cases/${encodeURIComponent(text)}/documents`, admin);
          expect({ text, status: res.status }).toEqual({ text, status: 400 });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('serves every route of the case by its reference, for every role, as by its id', async () => {
    const { admin, exeterChair, reviewChair, policeLead, northChair } = w.cast;
    const routes = ['', '/chronologies', '/documents', '/milestones', '/timeline.svg', '/transitions', '/next-steps', '/panel', '/contributions', '/qa-submissions'];
    const people: [string, Session][] = [
      ['sdp_admin', admin],
      ['csp_chair', exeterChair],
      ['review_chair', reviewChair],
      ['agency_lead', policeLead],
      ['other csp_chair', northChair],
    ];
    const differences: string[] = [];
    let compared = 0;
    for (const route of routes) {
      for (const [role, who] of people) {
        const byId = await get(`/api/cases/${made.id}${route}`, who);
        const byReference = await get(`/api/cases/${made.reference.toLowerCase()}${route}`, who);
        const body = (res: typeof byId) => (res.status >= 400 ? problem(res.body) : (res.text ?? JSON.stringify(res.body)));
        if (byId.status !== byReference.status || JSON.stringify(body(byId)) !== JSON.stringify(body(byReference))) {
          differences.push(`${route || '/'} as ${role}: by id ${byId.status}, by reference ${byReference.status}`);
        }
        compared++;
        if (role === 'other csp_chair') expect(byReference.status).toBe(404);
        if (role === 'sdp_admin') expect(byReference.status).toBe(200);
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBe(routes.length * people.length);
  });

  it('changes the case by its reference, with If-Match and a step, and audits under its id', async () => {
    const { admin, exeterChair, northChair } = w.cast;
    const target = await caseAtStage(w, 'csp_sign_off');
    const seqBefore = Number((await w.dataSource.query('SELECT coalesce(max(seq), 0) AS seq FROM audit_event'))[0].seq);
    const read = await get(`/api/cases/${target.reference}`, admin).expect(200);
    const patched = await w.http
      .patch(`/api/cases/${target.reference.toLowerCase()}`)
      .set(admin.auth)
      .set('If-Match', read.headers.etag)
      .send({ summary: 'Edited by its reference.' })
      .expect(200);
    expect(patched.body).toMatchObject({ id: target.id, summary: 'Edited by its reference.', version: read.body.version + 1 });
    // the old version is refused by reference as by id
    await w.http.patch(`/api/cases/${target.reference}`).set(admin.auth).set('If-Match', read.headers.etag).send({ summary: 'Again.' }).expect(412);
    const stepped = await w.http.post(`/api/cases/${target.reference}/transitions`).set(exeterChair.auth).send({ to: 'drafting', comment: 'Back for changes.' }).expect(200);
    expect(stepped.body).toMatchObject({ id: target.id, stage: 'drafting' });
    // out of scope by reference: 404, refused and audited under the case's id
    const refused = await w.http.post(`/api/cases/${target.reference}/holds`).set(northChair.auth).send({ reason: 'criminal_proceedings', startedOn: '2026-09-01' });
    expect({ status: refused.status, body: problem(refused.body) }).toEqual({ status: 404, body: missing404 });

    const events: { action: string; entity_id: string | null; case_id: string | null; details: unknown }[] = await w.dataSource.query(
      'SELECT action, entity_id, case_id, details FROM audit_event WHERE seq > $1 ORDER BY seq',
      [seqBefore],
    );
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['case.read', 'case.updated', 'case.stage_changed', 'access.denied']));
    for (const event of events.filter((e) => ['case.read', 'case.updated', 'case.stage_changed', 'access.denied'].includes(e.action))) {
      expect({ action: event.action, entity: event.entity_id, case: event.case_id }).toEqual({ action: event.action, entity: target.id, case: target.id });
    }
    expect(JSON.stringify(events)).not.toContain(target.reference);
  });

  it('counts and audits a reference no case has as a refusal of the person, naming no case', async () => {
    const { reviewChair } = w.cast;
    const seqBefore = Number((await w.dataSource.query('SELECT coalesce(max(seq), 0) AS seq FROM audit_event'))[0].seq);
    await get('/api/cases/dhr-1991-123/documents', reviewChair).expect(404);
    const events: { action: string; entity_id: string | null; case_id: string | null; actor_id: string; details: Record<string, unknown> }[] = await w.dataSource.query(
      'SELECT action, entity_id, case_id, actor_id, details FROM audit_event WHERE seq > $1 ORDER BY seq',
      [seqBefore],
    );
    expect(events).toEqual([
      {
        action: 'access.denied',
        entity_id: null,
        case_id: null,
        actor_id: reviewChair.userId,
        details: expect.objectContaining({ reason: 'not_found_or_out_of_scope', attempted: 'case.by_reference', reference: 'DHR-1991-123' }),
      },
    ]);
  });
});
