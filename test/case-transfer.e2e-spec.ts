/**
 * A case moved to another partnership by an SDP administrator
 * (docs/domain.md, "Transfer between partnerships"): the reference, the
 * review chair and the panel stay; scope follows at once for every reader;
 * the stored milestones, the next milestone notices and the audit trail
 * follow the case; the old CSP's chair learns nothing more than that the
 * reference moved; bad input writes nothing; and of two moves at once one
 * wins.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { MilestoneStateService } from '../src/milestones/milestone-state.service.js';
import { SweepService } from '../src/milestones/sweep.service.js';
import { createCase, patchCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const MISSING = '00000000-0000-4000-8000-00000000abcd';
const REASON = 'The victim lived in North Devon: the police notified the wrong partnership.';
const AT_ONCE = 8;

interface Notice {
  kind: string;
  caseId: string | null;
  title: string;
  body: string;
}

interface AuditItem {
  action: string;
  caseId: string | null;
  partnershipId: string | null;
  changes: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
}

describe('moving a case to another partnership', () => {
  let t: World;
  let cast: Cast;
  let caseId: string;
  let reference: string;
  let moved: Response;
  /** The case's events in the old chair's audit trail just before the move. */
  let exeterTrailBefore: AuditItem[];

  const transfer = (who: Session, id: string, body: object, ifMatch?: string) => {
    const req = t.http.post(`/api/cases/${id}/transfer`).set(who.auth);
    return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
  };
  const listed = async (who: Session) =>
    ((await t.http.get('/api/cases?limit=100').set(who.auth).expect(200)).body.items as { id: string }[]).map((c) => c.id);
  const notices = async (who: Session) => (await t.http.get('/api/notifications?limit=200').set(who.auth).expect(200)).body.items as Notice[];
  const auditOf = async (who: Session, id: string) => (await t.http.get(`/api/audit?caseId=${id}&limit=200`).set(who.auth).expect(200)).body.items as AuditItem[];
  const transfersOf = async (id: string) =>
    t.dataSource.query('SELECT from_partnership_id, to_partnership_id, reason FROM case_transfer WHERE case_id = $1 ORDER BY seq', [id]);
  const sweepOn = (day: string) => {
    t.clock.setTo(day);
    return t.app.get(SweepService).run();
  };

  beforeAll(async () => {
    t = await buildWorld({ dbPoolSize: 12 });
    cast = t.cast;
    t.clock.setTo('2026-03-20');
    const made = await createCase(t, cast.admin, cast.exeter, { notifiedOn: '2026-03-02' });
    caseId = made.id;
    reference = made.reference;
    expect((await patchCase(t, cast.admin, caseId, { reviewChairId: cast.reviewChair.userId })).status).toBe(200);
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    // The sweep of the day tells Exeter's chair that the decision and the Home Office notification are due soon.
    expect((await sweepOn('2026-03-20')).alertsRaised).toBe(2);
    expect((await notices(cast.exeterChair)).map((n) => n.kind)).toEqual(['milestone_due_soon', 'milestone_due_soon']);
    // Exeter's chair reads the case before the move, and North Devon's cannot.
    await t.http.get(`/api/cases/${caseId}`).set(cast.exeterChair.auth).expect(200);
    await t.http.get(`/api/cases/${caseId}`).set(cast.northChair.auth).expect(404);
    exeterTrailBefore = await auditOf(cast.exeterChair, caseId);
    moved = await transfer(cast.admin, caseId, { partnershipId: cast.northDevon, reason: REASON });
  }, 120_000);
  afterAll(() => t.close());

  it('answers 200 with the case as the administrator reads it, in its new partnership, at its next version', async () => {
    expect(moved.status).toBe(200);
    const read = await t.http.get(`/api/cases/${caseId}`).set(cast.admin.auth).expect(200);
    expect(moved.body).toEqual(read.body);
    expect(moved.headers.etag).toBe(read.headers.etag);
    expect(moved.body).toMatchObject({ id: caseId, reference, partnershipId: cast.northDevon, reviewChairId: cast.reviewChair.userId, version: 3 });
    expect(moved.body.subjects.map((s: { fullName: string }) => s.fullName)).toEqual([VICTIM_NAME, PERPETRATOR_NAME]);
    expect(await transfersOf(caseId)).toEqual([{ from_partnership_id: cast.exeter, to_partnership_id: cast.northDevon, reason: REASON }]);
  });

  it('takes the case from the old CSP’s chair at once: 404 on every route, and gone from their list', async () => {
    for (const path of ['', '/transitions', '/milestones', '/panel', '/next-steps']) {
      const res = await t.http.get(`/api/cases/${caseId}${path}`).set(cast.exeterChair.auth);
      expect([path, res.status]).toEqual([path, 404]);
    }
    // by its reference too, exactly as a case that does not exist
    const byReference = await t.http.get(`/api/cases/${reference}`).set(cast.exeterChair.auth).expect(404);
    const missing = await t.http.get(`/api/cases/${MISSING}`).set(cast.exeterChair.auth).expect(404);
    expect(byReference.body.detail).toBe(missing.body.detail);
    expect(await listed(cast.exeterChair)).not.toContain(caseId);
  });

  it('gives it to the new CSP’s chair at once, in their list and in full', async () => {
    expect(await listed(cast.northChair)).toContain(caseId);
    const read = await t.http.get(`/api/cases/${caseId}`).set(cast.northChair.auth).expect(200);
    expect(read.body.partnershipId).toBe(cast.northDevon);
    expect(read.body.subjects[0].fullName).toBe(VICTIM_NAME);
    const filtered = (await t.http.get(`/api/cases?partnershipId=${cast.northDevon}`).set(cast.admin.auth).expect(200)).body.items.map((c: { id: string }) => c.id);
    expect(filtered).toContain(caseId);
  });

  it('leaves the review chair and the panel with the case: the review chair and the police lead on the panel still see it', async () => {
    expect((await t.http.get(`/api/cases/${caseId}`).set(cast.reviewChair.auth).expect(200)).body.reference).toBe(reference);
    expect(await listed(cast.reviewChair)).toContain(caseId);
    expect((await t.http.get(`/api/cases/${caseId}`).set(cast.policeLead.auth).expect(200)).body.reference).toBe(reference);
    expect(await listed(cast.policeLead)).toContain(caseId);
    const panel = (await t.http.get(`/api/cases/${caseId}/panel`).set(cast.northChair.auth).expect(200)).body;
    expect(panel.items.map((m: { agencyId: string }) => m.agencyId)).toEqual([cast.police]);
    await t.http.get(`/api/cases/${caseId}`).set(cast.healthLead.auth).expect(404);
  });

  it('moves the stored milestones with the case, in the same transaction', async () => {
    const stored: { partnership_id: string }[] = await t.dataSource.query('SELECT DISTINCT partnership_id FROM case_milestone WHERE case_id = $1', [caseId]);
    expect(stored).toEqual([{ partnership_id: cast.northDevon }]);
    const ofCase = (items: { caseId: string; partnershipId: string }[]) => items.filter((m) => m.caseId === caseId);
    const north = (await t.http.get('/api/milestones?limit=200').set(cast.northChair.auth).expect(200)).body.items;
    expect(ofCase(north).length).toBeGreaterThan(0);
    expect(ofCase(north).every((m) => m.partnershipId === cast.northDevon)).toBe(true);
    const exeter = (await t.http.get('/api/milestones?limit=200').set(cast.exeterChair.auth).expect(200)).body.items;
    expect(ofCase(exeter)).toEqual([]);
    // what is stored is what the engine computes from the case as it now stands (npm run milestones:verify)
    expect((await t.app.get(MilestoneStateService).verify()).differences).toEqual([]);
  });

  it('tells the new chair by the case’s name, and the old one by its reference alone, in a notice about no case', async () => {
    const north = (await notices(cast.northChair)).filter((n) => n.kind === 'case_transferred');
    expect(north).toEqual([
      expect.objectContaining({ caseId, title: `${reference} (Anna): moved to North Devon and Torridge` }),
    ]);
    expect(north[0].body).toContain('from Exeter to North Devon and Torridge on 2026-03-20');
    // The old chair's list: the notice of the move, about no case; what they were told of the case before has left it with the case.
    const exeter = await notices(cast.exeterChair);
    expect(exeter).toEqual([
      expect.objectContaining({ kind: 'case_transferred_away', caseId: null, title: `${reference} moved to another partnership` }),
    ]);
    expect(exeter[0].body).toBe(`An SDP administrator moved ${reference} out of Exeter on 2026-03-20. It is no longer in your cases.`);
    // The review chair and the SDP hear of it too, as the case's people; no notice or e-mail of the move holds a name.
    expect((await notices(cast.reviewChair)).map((n) => n.kind)).toContain('case_transferred');
    const written: { title: string; body: string }[] = await t.dataSource.query(`SELECT title, body FROM notification WHERE kind LIKE 'case_transferred%'`);
    expect(written.length).toBeGreaterThan(2);
    for (const text of written.flatMap((n) => [n.title, n.body])) {
      expect(text).not.toContain(VICTIM_NAME);
      expect(text).not.toContain(PERPETRATOR_NAME);
      expect(text).not.toContain(REASON);
    }
  });

  it('sends the case’s next milestone notices to the new chair, never the old', async () => {
    expect((await sweepOn('2026-04-03')).alertsRaised).toBe(2);
    const overdue = (await notices(cast.northChair)).filter((n) => n.kind === 'milestone_overdue');
    expect(overdue).toHaveLength(2);
    expect(overdue.every((n) => n.caseId === caseId && n.title.includes(reference))).toBe(true);
    expect((await notices(cast.exeterChair)).map((n) => n.kind)).toEqual(['case_transferred_away']);
    const toExeter: { n: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND kind = 'milestone_overdue'`,
      [cast.exeterChair.userId],
    );
    expect(toExeter).toEqual([{ n: 0 }]);
  });

  it('audits the move with from and to; the case’s whole trail moves with it: the new chair reads it from the creation, the old chair nothing', async () => {
    const event = (await auditOf(cast.admin, caseId)).find((e) => e.action === 'case.transferred')!;
    expect(event).toMatchObject({
      caseId,
      partnershipId: cast.northDevon,
      changes: { partnershipId: { from: cast.exeter, to: cast.northDevon }, transferReason: { from: null, to: '[redacted]' } },
    });
    expect(JSON.stringify(event)).not.toContain(REASON);
    const north = (await auditOf(cast.northChair, caseId)).map((e) => e.action);
    expect(north).toContain('case.transferred');
    // The events filed under Exeter while the case was theirs move with it: North Devon's chair reads every one of them.
    expect(exeterTrailBefore.map((e) => e.action)).toContain('case.created');
    for (const action of new Set(exeterTrailBefore.map((e) => e.action))) expect(north).toContain(action);
    // The old chair reads nothing of the case any more: not its past, not the move, not their own tries refused since.
    expect(await auditOf(cast.exeterChair, caseId)).toEqual([]);
    const northDenials = (await auditOf(cast.northChair, caseId)).filter((e) => e.action === 'access.denied');
    expect(northDenials.length).toBeGreaterThan(0);
  });

  it('refuses anyone but the SDP administrator: 403 in scope, 404 out of it, and moves nothing', async () => {
    const body = { partnershipId: cast.exeter, reason: REASON };
    for (const who of [cast.northChair, cast.reviewChair, cast.policeLead]) {
      const res = await transfer(who, caseId, body).expect(403);
      expect(res.body.detail).toMatch(/may not move the case to another partnership\.$/);
    }
    await transfer(cast.exeterChair, caseId, body).expect(404);
    await transfer(cast.healthLead, caseId, body).expect(404);
    await t.http.post(`/api/cases/${caseId}/transfer`).send(body).expect(401);
    expect(await transfersOf(caseId)).toHaveLength(1);
  });

  describe('bad input, each refused with nothing written', () => {
    let id: string;
    let version: number;
    beforeAll(async () => {
      const made = await createCase(t, cast.admin, cast.exeter);
      id = made.id;
      version = made.version;
    });

    const unchanged = async () => {
      const read = await t.http.get(`/api/cases/${id}`).set(cast.admin.auth).expect(200);
      expect({ partnershipId: read.body.partnershipId, version: read.body.version }).toEqual({ partnershipId: cast.exeter, version });
      expect(await transfersOf(id)).toEqual([]);
      const moves: unknown[] = await t.dataSource.query(`SELECT 1 FROM audit_event WHERE case_id = $1 AND action = 'case.transferred'`, [id]);
      expect(moves).toEqual([]);
    };
    const refused = async (body: object, status: number, ifMatch?: string) => {
      const res = await transfer(cast.admin, id, body, ifMatch);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      await unchanged();
      return res.body;
    };

    it('an unknown partnership: 400 naming the field, as recording a case for one does', async () => {
      const body = await refused({ partnershipId: MISSING, reason: REASON }, 400);
      expect(body.errors).toEqual([{ field: 'partnershipId', message: 'no partnership has this id' }]);
    });

    it('the partnership the case is already in: 409 already_in_partnership', async () => {
      const body = await refused({ partnershipId: cast.exeter, reason: REASON }, 409);
      expect(body.unmet).toEqual(['already_in_partnership']);
      expect(body.detail).toBe('The case is already in that partnership: nothing to move.');
    });

    it('a reason left out, blank or too long', async () => {
      expect((await refused({ partnershipId: cast.northDevon }, 400)).errors).toEqual([{ field: 'reason', message: 'reason is required' }]);
      expect((await refused({ partnershipId: cast.northDevon, reason: ' \n\t ' }, 400)).errors).toEqual([{ field: 'reason', message: 'reason is required' }]);
      expect((await refused({ partnershipId: cast.northDevon, reason: 'x'.repeat(2001) }, 400)).errors).toEqual([
        { field: 'reason', message: expect.stringContaining('at most 2000 characters') },
      ]);
      expect((await refused({ partnershipId: cast.northDevon, reason: 42 }, 400)).errors).toEqual([{ field: 'reason', message: 'reason must be text' }]);
    });

    it('a partnership that is not a UUID, none at all, an unknown field', async () => {
      expect((await refused({ partnershipId: 'north-devon', reason: REASON }, 400)).errors).toEqual([
        { field: 'partnershipId', message: expect.stringContaining('UUID') },
      ]);
      expect((await refused({ reason: REASON }, 400)).errors).toEqual([{ field: 'partnershipId', message: 'partnershipId is required' }]);
      expect((await refused({ partnershipId: cast.northDevon, reason: REASON, reference: 'DHR-2026-999' }, 400)).errors).toEqual([
        { field: 'reference', message: 'reference is not a field of this request' },
      ]);
    });

    it('a case id that is neither an id nor a reference: 400; a case that does not exist: 404', async () => {
      expect((await t.http.post('/api/cases/not-a-case/transfer').set(cast.admin.auth).send({ partnershipId: cast.northDevon, reason: REASON })).status).toBe(400);
      expect((await transfer(cast.admin, MISSING, { partnershipId: cast.northDevon, reason: REASON })).status).toBe(404);
      await unchanged();
    });

    it('a stale If-Match: 412; the current one moves it', async () => {
      await refused({ partnershipId: cast.northDevon, reason: REASON }, 412, `"${version + 1}"`);
      const res = await transfer(cast.admin, id, { partnershipId: cast.northDevon, reason: REASON }, `"${version}"`).expect(200);
      expect(res.body).toMatchObject({ partnershipId: cast.northDevon, version: version + 1 });
      expect(res.headers.etag).toBe(`"${version + 1}"`);
    });
  });

  describe('two administrators moving one case at the same moment', () => {
    const statuses = (answers: Response[]) => {
      for (const res of answers) if (res.status >= 500) throw new Error(`a concurrent request answered ${res.status}: ${res.text}`);
      return answers.map((r) => r.status).sort();
    };
    const times = <T>(n: number, make: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));

    it('to the same partnership: one 200, the others 409 already_in_partnership, one move recorded', async () => {
      const { id } = await createCase(t, cast.admin, cast.exeter);
      const answers = await times(AT_ONCE, () => transfer(cast.admin, id, { partnershipId: cast.northDevon, reason: REASON }));
      expect(statuses(answers)).toEqual([200, ...Array(AT_ONCE - 1).fill(409)]);
      for (const res of answers.filter((r) => r.status === 409)) expect(res.body.unmet).toEqual(['already_in_partnership']);
      expect(await transfersOf(id)).toHaveLength(1);
      const events: unknown[] = await t.dataSource.query(`SELECT 1 FROM audit_event WHERE case_id = $1 AND action = 'case.transferred'`, [id]);
      expect(events).toHaveLength(1);
    });

    it('each with the ETag they read: one 200, the others 412', async () => {
      const made = await createCase(t, cast.admin, cast.exeter);
      const etag = `"${made.version}"`;
      const answers = await times(AT_ONCE, () => transfer(cast.admin, made.id, { partnershipId: cast.northDevon, reason: REASON }, etag));
      expect(statuses(answers)).toEqual([200, ...Array(AT_ONCE - 1).fill(412)]);
      expect(await transfersOf(made.id)).toHaveLength(1);
    });
  });
});
